-- args: -echo
select 1;
.mode csv
select 2,
 3;
-- comment
select 4; select 5;
.echo off
select 6;
.echo on
selec 7;
