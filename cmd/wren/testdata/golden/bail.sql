-- args: -bail
select 'before';
select * from nosuch;
select 'never printed';
