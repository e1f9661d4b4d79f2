package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSorterSpill sorts and groups more rows than the sorter may keep in
// memory, so that it merges runs from temporary files, and checks the
// result against the same queries sorted in memory.
func TestSorterSpill(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, `CREATE TABLE n(i INTEGER PRIMARY KEY); INSERT INTO n VALUES(1)`)
	for k := 0; k < 15; k++ {
		mustExec(t, c, "INSERT INTO n SELECT i + (SELECT max(i) FROM n) FROM n")
	}
	mustExec(t, c, `CREATE TABLE t(a, b, c);
		INSERT INTO t SELECT i % 977, printf('%08d', (i * 7919) % 20000), i FROM n WHERE i <= 20000`)
	queries := []string{
		"SELECT a, b, c FROM t ORDER BY b DESC, c",
		"SELECT a, count(*), sum(c), min(b) FROM t GROUP BY a ORDER BY 2, 1",
		"SELECT DISTINCT a FROM t ORDER BY a",
	}
	var want [][]string
	for _, q := range queries {
		rows, err := queryRows(t, c, q)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, rows)
	}
	c.sorterMemory = 32 << 10
	for i, q := range queries {
		rows, err := queryRows(t, c, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 900 {
			t.Fatalf("%s: only %d rows", q, len(rows))
		}
		if diff := cmp.Diff(want[i], rows); diff != "" {
			t.Errorf("%s: spilled (+) vs in memory (-):\n%s", q, diff)
		}
	}
}
