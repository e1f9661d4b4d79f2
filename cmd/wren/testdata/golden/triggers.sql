-- Triggers fire (the shell only has to pass the statements through).
create table t(a, b);
create trigger tr after insert on t when new.a < 100 begin
  insert into t values (new.a * 10, 'trig;ger');
end;
insert into t values (3, 'z');
select * from t order by a;
