-- args: -box
select 1 as a, 'two' as b, NULL as c;
.headers off
select 1 as a, 'two' as b, NULL as c;
