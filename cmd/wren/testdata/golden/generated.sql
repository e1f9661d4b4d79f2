-- Generated columns: computed on read, left out of .dump's INSERTs.
create table g(a, b as (a*2), c as (a+1) stored, d);
insert into g(a, d) values (1, 'x'), (5, NULL);
select * from g;
.dump
