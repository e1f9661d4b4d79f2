-- Every storage class, NULL, empty text and empty blob, in every mode.
create table v(id integer primary key, x);
insert into v(x) values (NULL), (0), (-1), (9223372036854775807), (-9223372036854775808),
  (0.0), (0.5), (-2.25), (1e300), (-1e-300), (3.141592653589793), (1e15), (1e16), (123.0),
  (''), ('text'), ('with space'), ('quote''s'), ('dq"dq'), ('comma,semi;pipe|'),
  ('tab	tab'), ('line1
line2'), ('cr' || char(13) || 'lf' || char(10)), ('back\slash'),
  (x''), (x'00'), (x'41424344'), (x'ff00fe'), (x'0a0d09'), (zeroblob(3)),
  ('ünïcödé'), ('日本語テキスト'), ('emoji 😀'), ('mixed ascii 中文');
.print == list
select id, typeof(x), x from v;
.headers on
.print == list headers
select id, typeof(x), x from v;
.mode csv
.print == csv
select id, typeof(x), x from v;
.mode json
.print == json
select id, typeof(x), x from v;
.mode line
.print == line
select id, typeof(x), x from v;
.mode box
.print == box
select id, typeof(x), x from v;
.mode quote
.print == quote
select id, typeof(x), x from v;
.mode insert vals
.print == insert
select id, typeof(x), x from v;
.mode column
.print == column
select id, typeof(x), x from v;
.mode table
.print == table
select id, typeof(x), x from v where id < 20;
.mode markdown
.print == markdown
select id, typeof(x), x from v where id < 20;
.mode tabs
.print == tabs
select id, typeof(x), x from v;
