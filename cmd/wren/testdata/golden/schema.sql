-- .tables, .indexes, .schema and .dump over tables, indexes, views and
-- triggers, with names that need quoting.
create table b(x);
insert into b values (1), ('two'), (x'03'), (NULL), (4.5);
create table a(y integer primary key, z unique);
insert into a(z) values ('first'), (2), (x'0102');
create index ai on a(z);
create view v as select y, z from a;
create trigger tr after insert on b begin insert into a(z) values (new.x); end;
create table "odd name"("c""q", "with space" text);
create index "idx two" on "odd name"("with space");
insert into "odd name" values ('it''s', 'a
b');
.tables
.tables a%
.indexes
.indexes a
.schema
.schema a
.schema odd%
.dump
.dump b
.dump a%
.dump tr
