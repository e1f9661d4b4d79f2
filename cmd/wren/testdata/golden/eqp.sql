-- .eqp on prints each statement's plan before its rows; EXPLAIN QUERY
-- PLAN draws the plan as a tree.
create table t(a integer primary key, b, c);
create index tb on t(b);
insert into t values (1, 'x', 1), (2, 'y', 2);
.eqp on
select * from t;
select * from t where b = 'x';
select * from t where a = 2;
.eqp off
explain query plan select * from t where c = 1;
