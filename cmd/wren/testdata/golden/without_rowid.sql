-- WITHOUT ROWID tables in .schema and .dump.
create table t2(k text primary key, v) without rowid;
insert into t2 values ('k1', 1), ('k0', 0);
.schema
.dump
