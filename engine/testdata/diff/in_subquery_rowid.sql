-- col IN (subquery) reading the same table and column names is still
-- uncorrelated when every name resolves inside the subquery: SQLite
-- then looks each value up, and an INTEGER PRIMARY KEY lookup by a REAL
-- of exactly -2^63 or 2^63 finds nothing, while a comparison would.
CREATE TABLE v0(c0 INTEGER PRIMARY KEY);
INSERT INTO v0 VALUES(-9223372036854775808), (9223372036854775807), (5);
SELECT count(*) FROM v0 WHERE c0 IN (SELECT total(c0) FROM v0 WHERE c0 < 0);
SELECT count(*) FROM v0 WHERE c0 IN (SELECT total(v0.c0) FROM v0 WHERE v0.c0 < 0);
SELECT count(*) FROM v0 WHERE c0 IN (SELECT total(x.c0) FROM v0 AS x WHERE x.c0 < 0);
SELECT count(*) FROM v0 WHERE c0 IN (SELECT -9223372036854775808.0);
SELECT count(*) FROM v0 WHERE c0 IN (SELECT total(c0) FROM v0 WHERE c0 > 0);
SELECT count(*) FROM v0 WHERE c0 IN (SELECT c0 FROM v0 WHERE c0 = 5);
CREATE TABLE a(x INT, y);
CREATE TABLE b(z INT, w);
INSERT INTO a VALUES(1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO b VALUES(1, 'a'), (2, 'x'), (3, 'c');
SELECT x FROM a WHERE x IN (SELECT z FROM b WHERE b.w = a.y) ORDER BY x;
SELECT x FROM a WHERE x IN (SELECT z FROM b WHERE w = y) ORDER BY x;
SELECT x FROM a WHERE x IN (SELECT x FROM b) ORDER BY x;
SELECT x FROM a WHERE x IN (SELECT z FROM b AS a WHERE a.w = 'a') ORDER BY x;
SELECT x FROM a WHERE y IN (SELECT w FROM b WHERE z > 1 ORDER BY z LIMIT 1) ORDER BY x;
SELECT x FROM a WHERE x IN (SELECT count(*) FROM b GROUP BY w HAVING w < 'b') ORDER BY x;
-- Through a FROM subquery too: the row is neither IN, NOT IN, nor NULL.
SELECT 1 FROM v0 AS a24 WHERE a24.c0 IN (SELECT a27.c0 FROM (SELECT total(a26.c0) AS c0, 0 AS c1 FROM v0 AS a26 WHERE a26.c0 < 0) AS a27);
SELECT 2 FROM v0 AS a24 WHERE NOT (a24.c0 IN (SELECT a27.c0 FROM (SELECT total(a26.c0) AS c0, 0 AS c1 FROM v0 AS a26 WHERE a26.c0 < 0) AS a27));
SELECT 3 FROM v0 AS a24 WHERE (a24.c0 IN (SELECT a27.c0 FROM (SELECT total(a26.c0) AS c0, 0 AS c1 FROM v0 AS a26 WHERE a26.c0 < 0) AS a27)) IS NULL;
SELECT x FROM a WHERE x IN (SELECT s.z FROM (SELECT z FROM b WHERE b.w = a.y) AS s) ORDER BY x;
SELECT x FROM a WHERE x IN (SELECT s.z FROM (SELECT z, w FROM b) AS s WHERE s.w = y) ORDER BY x;
SELECT x FROM a WHERE x IN (SELECT s.k FROM (SELECT z + 0 AS k FROM b) AS s) ORDER BY x;
