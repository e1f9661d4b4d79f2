-- quote and insert modes: escaping of quotes, newlines, CR; table names.
create table q(a, b);
insert into q values ('it''s', 'two
lines'), ('cr' || char(13), 'both' || char(13) || char(10) || 'end'), ('\n literally', 'x' || char(10) || '\n'),
  (x'DEADBEEF', 42), (NULL, -7.5);
.mode quote
select * from q;
.headers on
select * from q;
.mode insert
select * from q;
.headers off
.mode insert "my table"
select * from q;
.mode insert select
select * from q;
.mode insert t_1
select a as "col 1", b as "select" from q;
.headers on
select a as "col 1", b as "select", 1 as ok_name, 2 as "3d" from q;
