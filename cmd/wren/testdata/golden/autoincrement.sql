-- AUTOINCREMENT keeps sqlite_sequence, which .dump writes out.
create table a(y integer primary key autoincrement, z);
insert into a(z) values ('one'), ('two');
delete from a where y = 2;
insert into a(z) values ('three');
select * from a;
select * from sqlite_sequence;
.schema
.dump
