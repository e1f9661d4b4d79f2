-- .import into a new table (the header names the columns) and into an
-- existing one, with short and long rows.
.import --csv testdata/golden/import.csv people
.schema people
.mode box
select * from people;
create table existing(a integer, b, c);
.import --csv --skip 1 testdata/golden/import.csv existing
select a, typeof(a), b, c from existing;
.mode csv
.import testdata/golden/import.csv people
select count(*) from people;
.mode list
.separator |
.import testdata/golden/import.pipe piped
select * from piped;
