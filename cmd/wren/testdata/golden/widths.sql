-- .width: minimum widths, right alignment, wrapping, truncated headers.
create table w(a, b, c);
insert into w values (1, 'short', 'a much longer piece of text than the width'), (22, 'tab	here', 'x'),
  (333, 'two
lines', NULL), (4444, 'p' || char(1) || 'q', 'end');
.mode column
select * from w;
.headers off
select * from w;
.headers on
.width 10 -8 5
select * from w;
.width 2 0 -3
select * from w;
.mode box
.width 6 0 12
select * from w;
.mode table
select * from w;
.width
.mode column
select * from w;
select 1 as x where 0;
select 'only' as single;
.mode markdown
select * from w;
