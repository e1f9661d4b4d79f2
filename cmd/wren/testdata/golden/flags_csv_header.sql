-- args: -csv -header -nullvalue NULL
select 1 as a, NULL as b, 'x,y' as c;
.mode
