-- How each mode renders REALs: 15 digits as text, 20 in quote/insert/json.
.mode list
select 0.1, 1.0, 100.0, 1e15, 1e16, 1e17, 1e20, 1e21, 1.5e300, 2.5e-300, -0.5, 123456789012.5, 0.30000000000000004, 3.0e-7, 1e100, 9.99999999999999e22;
.mode quote
select 0.1, 1.0, 100.0, 1e15, 1e16, 1e17, 1e20, 1e21, 1.5e300, 2.5e-300, -0.5, 123456789012.5, 0.30000000000000004, 3.0e-7, 1e100, 9.99999999999999e22;
.mode json
select 0.1 a, 1.0 b, 1e20 c, 1.5e300 d, -0.5 e, 123456789012.5 f, 3.0e-7 g;
.mode insert t
select 0.1, 1.0, 1e20, 2.5e-300, 1e100;
.mode csv
select 0.1, 1.0, 1e20, 2.5e-300, 1e100, 1/3.0, 2/3.0, 1e999, -1e999;
.mode line
select 1/3.0 as third, 10/4.0 as quarter, 7 as seven;
