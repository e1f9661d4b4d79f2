-- Join orders that follow SQLite's costs of covering index scans (the
-- narrower index goes inside; a partial index, whose WHERE the terms
-- imply, goes outside), and x IN (y) as a join constraint: the order
-- shows in which row a bare column or an overflowing sum() sees.
CREATE TABLE t0(c0 REAL, c1 BLOB UNIQUE, c2 INT);
INSERT INTO t0 VALUES(0, 0, 0), (0, 1, 0);
CREATE TABLE t1(c0 DOUBLE, c1 BLOB UNIQUE, c2 INT);
INSERT INTO t1 VALUES(2, -9223372036854775808, 0), (0, 9223372036854775807, 0), (0, 0, 0);
SELECT avg(a12.c1 + 1), a12.c2 FROM t0 AS a11 JOIN t1 AS a12 ON 1;
SELECT a11.rowid, a12.rowid FROM t0 AS a11 JOIN t1 AS a12 ON 1;
SELECT sum(a12.c1) FROM t0 AS a11, t1 AS a12;
CREATE TABLE p(c0 REAL);
INSERT INTO p VALUES(2), (1), (NULL);
CREATE UNIQUE INDEX pi ON p(c0 COLLATE NOCASE) WHERE c0 IS NOT NULL;
SELECT a16.c0, total(0) FROM p AS a16 JOIN p AS a17 ON a16.c0;
SELECT c0 FROM p WHERE c0;
SELECT c0 FROM p WHERE c0 > 0;
SELECT c0 FROM p WHERE c0 IS NOT NULL;
SELECT c0 FROM p WHERE c0 NOTNULL;
SELECT c0 FROM p WHERE c0 + 1;
SELECT c0 FROM p WHERE c0 IN (1, 2);
SELECT c0 FROM p WHERE c0 BETWEEN 0 AND 5;
SELECT c0 FROM p WHERE NOT c0 IS NULL;
SELECT c0 FROM p WHERE c0 IS NULL;
SELECT c0 FROM p WHERE NOT (c0 NOT IN (5));
SELECT c0 FROM p WHERE c0 OR 1;
SELECT c0 FROM p;
SELECT x.c0, y.c0 FROM p AS x LEFT JOIN p AS y ON y.c0 > 1;
SELECT x.c0, y.c0 FROM p AS x LEFT JOIN p AS y ON x.c0 > 1;
CREATE TABLE q(a INT, b TEXT, c);
CREATE INDEX qa ON q(a);
CREATE INDEX qb ON q(b COLLATE NOCASE);
CREATE INDEX qc ON q(c);
INSERT INTO q VALUES(1, 'x', 1), (2, 'X', '2'), ('3', '3', 3.0), (NULL, NULL, NULL), (5, '5', x'35');
CREATE TABLE r(i INT, t TEXT, n);
INSERT INTO r VALUES(1, '1', 1), (2, 'x', '2'), (3, '3', 3), (5, '5', '5');
SELECT r.rowid, q.rowid FROM r JOIN q ON q.a IN (r.i) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.a IN (r.t) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.a IN (r.n) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.b IN (r.i) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.b IN (r.t) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.b COLLATE NOCASE IN (r.t) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.b COLLATE BINARY IN (r.t) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.c IN (r.i) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.c IN (r.t) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.c IN (r.n) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.a IN (r.i + 0) ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r JOIN q ON q.c IN (r.t || '') ORDER BY 1, 2;
SELECT r.rowid, q.rowid FROM r LEFT JOIN q ON q.a IN (r.i) ORDER BY 1, 2;
