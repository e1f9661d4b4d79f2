-- args: -separator ; -noheader -list
select 1, 2, 'x';
.mode line
select 1 as a, 22 as bb;
