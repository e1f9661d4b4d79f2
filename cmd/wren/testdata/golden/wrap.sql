-- .mode options of the columnar modes: --wrap, --wordwrap, --quote, qbox;
-- the default wrap of 60 that .mode gives them.
create table w(a, b);
insert into w values ('hello world foo bar baz', 1), (NULL, x'0aff'),
  ('a-very-long-hyphenated-word-that-goes-on and on and on and on and on and on and on', 'it''s'),
  ('tab	and	more	tabs	in	a	line', 2.5), ('short', 'x
y');
.mode box
select * from w;
.mode
.mode box --wrap 8
select * from w;
.mode box --wrap 10 --wordwrap on
select * from w;
.mode table --wrap 12 --ww
select * from w;
.mode column --quote
select * from w;
.mode
.mode qbox
select * from w;
.mode
.mode markdown --wrap 5 --noquote
select * from w;
.mode
.mode
.mode list --wrap 3
select * from w;
.mode box --bogus
.mode box x y
