-- Columns declared DATE, DATETIME or TIMESTAMP show their stored values.
create table d(a date, b datetime, c timestamp, e text);
insert into d values ('2024-01-02', '2024-01-02 03:04:05', 1700000000, '2024-01-02'),
  ('not a date', '2024-01-02T03:04:05.123Z', '2024-01-02 03:04:05+02:00', NULL);
select * from d;
.mode json
select * from d;
