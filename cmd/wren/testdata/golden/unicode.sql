-- Widths in the columnar modes count code points, as sqlite3 does.
create table u(name, word);
insert into u values ('a', 'ascii'), ('é', 'café'), ('日本', '日本語'), ('😀', 'smile 😀😀'),
  ('combining', 'e' || char(769)), ('ß', 'Straße');
.headers on
.mode column
select * from u;
.mode box
select * from u;
.mode table
select * from u;
.mode markdown
select * from u;
.mode line
select * from u;
.mode json
select * from u;
.mode csv
select * from u;
.mode list
select name as "ünïcode header", word as "日本" from u;
.mode box
select name as "ünïcode header", word as "日本" from u;
