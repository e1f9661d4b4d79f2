-- .nullvalue in each mode; NULL next to empty strings.
create table n(a, b, c);
insert into n values (NULL, '', 'x'), ('', NULL, NULL), (NULL, NULL, NULL);
.nullvalue <null>
select * from n;
.mode csv
select * from n;
.mode json
select * from n;
.mode line
select * from n;
.mode box
select * from n;
.mode column
select * from n;
.mode quote
select * from n;
.mode insert
select * from n;
.nullvalue ''
.mode list
select * from n;
