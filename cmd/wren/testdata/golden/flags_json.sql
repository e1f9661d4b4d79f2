-- args: -json
select 1 as a, 'two' as b, x'03' as c, 4.5 as d, NULL as e;
select 1 as a where 0;
