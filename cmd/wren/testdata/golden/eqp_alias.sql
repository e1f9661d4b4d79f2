-- EXPLAIN QUERY PLAN names an aliased table by its alias.
create table t(a integer primary key, b, c);
create index tb on t(b);
explain query plan select * from t a, t b where a.b = b.b;
