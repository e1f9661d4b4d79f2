-- .separator, .headers and the modes that change separators.
create table s(a, b);
insert into s values (1, 'x'), (2, NULL), (3, 'a|b');
select * from s;
.separator ;
select * from s;
.separator , "\n--\n"
select * from s;
.headers on
select * from s;
.mode tabs
select * from s;
.mode list
select * from s;
.separator "\t" \r\n
select * from s;
.mode csv
.separator |
select * from s;
.separator ,
select 'has ' || 'space', 'it''s', 'a,b', 'say "hi"', '', 'plain', char(127), 'new
line';
.headers off
select 1;
.mode list
select * from s where 0;
.headers on
select * from s where 0;
select 1 as "a b", 2 as "c|d";
.mode ascii
select * from s;
