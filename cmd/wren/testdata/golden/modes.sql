create table t(a,b,c);
insert into t values(1,0.1,'héllo'),(NULL,x'00ff41',1e100),(-5,'a"b\c
d',2.5),(9223372036854775807,'日本語',1.0);
.mode list
select * from t;
.headers on
.mode quote
select * from t;
.mode insert
select * from t;
.mode json
select * from t;
.mode line
select * from t;
.mode box
select * from t;
.mode column
select * from t;
.mode csv
select * from t;
.mode tabs
select * from t;
.mode markdown
select * from t;
.mode table
select * from t;
