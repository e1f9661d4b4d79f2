-- Statements over several lines, several per line, comments, triggers,
-- semicolons inside strings and comments.
create table t(a,
  b);
insert into t values(1, 'x;y'); insert into t values(2,
'multi
line;
text');
select * from t; select count(*) from t;
-- a comment line
/* a block
   comment */
select a -- trailing comment;
  from t where a = 1;
select ';' as semi, '--' as dashes, "a" from t where a = 2;
create table other(a, b);
create trigger tr after insert on other begin
  insert into other values (new.a * 10, 'trig;ger');
end;
insert into t values (3, 'z');
select name, type from sqlite_schema where name = 'tr';
select * from t order by a;
   select 'leading spaces';
select 1;;;select 2;
# a hash comment line
select 'no semicolon at the end'
