-- .changes prints the counts after each statement that ran.
create table c(a);
.changes on
insert into c values (1), (2), (3);
update c set a = a + 1 where a > 1;
select * from c;
delete from c;
.changes off
insert into c values (9);
