package engine

import (
	"strings"
	"testing"
)

// FuzzSQL runs arbitrary SQL against a small schema: whatever the input,
// the engine must return rows or an error, never panic or hang.
func FuzzSQL(f *testing.F) {
	seeds := []string{
		"SELECT * FROM t1 WHERE a > 1 ORDER BY b",
		"SELECT a, count(*) FROM t1 GROUP BY a HAVING count(*) > 1",
		"INSERT INTO t1 VALUES(1, 'x', 2.5)",
		"UPDATE t1 SET a = a + 1 WHERE b LIKE 'x%'",
		"DELETE FROM t2 WHERE x IN (SELECT a FROM t1)",
		"SELECT * FROM t1 LEFT JOIN t2 ON a = x UNION SELECT 1, 2, 3, 4, 5",
		"SELECT (SELECT max(x) FROM t2 WHERE y = b) FROM t1",
		"CREATE INDEX i ON t1(b DESC, c); SELECT * FROM t1 WHERE b = 'y' AND c > 1",
		"SELECT printf('%d', a), substr(b, 2), abs(c) FROM t1 ORDER BY 1 LIMIT 2 OFFSET 1",
		"WITH w AS (SELECT a FROM t1) SELECT * FROM w, t2 WHERE w.a = t2.x",
		"BEGIN; INSERT INTO t2 VALUES(1,2); ROLLBACK",
		"SELECT CASE WHEN a THEN b ELSE c END, CAST(a AS TEXT) FROM t1",
		// Subqueries in FROM: flattened, run as co-routines or materialized.
		"SELECT * FROM (SELECT a, b FROM t1 WHERE a > 1) AS s JOIN t2 ON s.a = t2.x WHERE s.b IS NOT NULL",
		"SELECT * FROM v WHERE a > 1 ORDER BY x",
		"SELECT * FROM (SELECT a FROM t1 UNION ALL SELECT x FROM t2) WHERE a > 0",
		"SELECT * FROM t1 LEFT JOIN (SELECT x, y + 1 AS z FROM t2) s ON s.x = t1.a",
		"SELECT count(*) FROM (SELECT DISTINCT b FROM t1 ORDER BY b LIMIT 2) GROUP BY 1",
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c ORDER BY 1 LIMIT 5 OFFSET 1) SELECT * FROM c",
		"SELECT * FROM t1 RIGHT JOIN (t2 JOIN t1 AS u ON u.a = t2.x) ON t1.a = t2.y",
		"EXPLAIN QUERY PLAN SELECT * FROM (SELECT a, max(c) FROM t1 GROUP BY a) s, v WHERE s.a = v.x",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if len(sql) > 2000 {
			return
		}
		c := memConn(t)
		mustExec(t, c, `CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL);
			CREATE TABLE t2(x, y NOT NULL DEFAULT 0);
			CREATE INDEX t2x ON t2(x);
			CREATE VIEW v AS SELECT a, x FROM t1, t2 WHERE a = x;
			INSERT INTO t1 VALUES(1, 'x', 1.5), (2, 'y', NULL), (3, NULL, -2);
			INSERT INTO t2 VALUES(1, 1), (2, 'b'), (NULL, 3);`)
		// Queries that would run for a very long time are not bugs.
		if strings.Count(strings.ToUpper(sql), "JOIN")+strings.Count(sql, ",") > 12 {
			return
		}
		for rest := sql; strings.TrimSpace(rest) != ""; {
			s, tail, err := c.Prepare(rest)
			if err != nil || s == nil {
				return
			}
			for i := 0; i < 10000; i++ {
				ok, err := s.Step()
				if err != nil {
					if strings.Contains(err.Error(), "internal error") {
						t.Fatalf("%q: %v", sql, err)
					}
					break
				}
				if !ok {
					break
				}
				for j := 0; j < s.ColumnCount(); j++ {
					s.Column(j)
				}
			}
			s.Close()
			rest = tail
		}
	})
}
