create table t(id integer primary key, a int, b text collate nocase, c, r real);
create index ta on t(a); create index tb on t(b); create index tbc on t(b, c desc); create index tr on t(r);
insert into t values(1,1,'x',1,1),(2,2,'Y',2,2.5),(3,3,'z',3,3),(4,NULL,NULL,4,NULL),(5,'5','X',5,5),(6,2,'y',6,6),(7,2,'y',7,'abc');
create table u(x int, y);
insert into u values(1,'p'),(2,'q'),(9,'r'),(NULL,'s');
create table s(x, y text, z int);
insert into s values(1,'x',1),(2,'y',2),(2,'Y',2),(NULL,NULL,NULL),('5','5',5),(7,'q',7);
