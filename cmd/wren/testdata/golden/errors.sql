-- Errors as sqlite3 prints them, with the line of the statement; the
-- script goes on after each (no -bail) and exits with status 1.
select 1;
selec 2;
create table e(a unique, b not null, c check (c > 0));
insert into e values (1, 2, 3);
insert into e values (1, 2, 3);
insert into e values (2, NULL, 3);
insert into e values (3, 4, -1);
select * from nosuch;
select nosuchcol from e;
select 1 +;
select 'unterminated
';
select * from e where a = 1 and
  b = 2 and c = 3 and something_very_long_to_push_the_error_offset_beyond_fifty_bytes = 1 (;
.bogus
.mode nosuchmode
.headers
select 'still running';
select * from e;
select nosuch(1) from e;
create table e2(a);
select a from e, e2;
select e.zz from e;
select   x.a from e;
select * from e where   Zz = 1;
-- Errors raised while running, not preparing, are runtime errors; plain
-- SQLITE_ERROR is printed without its code.
select abs(-9223372036854775808);
select 1 from e where abs(-9223372036854775808 + a - a) > 0;
