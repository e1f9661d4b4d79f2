package engine

import (
	"strconv"
	"testing"

	"github.com/wrendb/wren/record"
)

// Planner benchmarks: the work an index saves. loadPlanBench fills
// p(id, a, b, pad) with benchRows() rows and an index on a.
func loadPlanBench(b *testing.B) *Conn {
	c := memConn(b)
	mustExec(b, c, "CREATE TABLE p(id INTEGER PRIMARY KEY, a INT, b TEXT, pad TEXT); CREATE INDEX pa ON p(a)")
	mustExec(b, c, "BEGIN")
	ins := prepare(b, c, "INSERT INTO p VALUES(?, ?, ?, ?)")
	pad := record.TextValue("padding padding padding padding padding padding padding padding")
	for i := 0; i < benchRows(); i++ {
		ins.Bind(1, record.IntValue(int64(i)))
		ins.Bind(2, record.IntValue(int64(i*7919%1000003)))
		ins.Bind(3, record.TextValue("b-"+strconv.Itoa(i)))
		ins.Bind(4, pad)
		stepAll(b, ins)
	}
	ins.Close()
	mustExec(b, c, "COMMIT")
	return c
}

func benchQuery(b *testing.B, c *Conn, sql string, rows int) {
	s := prepare(b, c, sql)
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n := stepAll(b, s); n != rows {
			b.Fatalf("%s: %d rows, want %d", sql, n, rows)
		}
	}
}

// BenchmarkPlan compares each query with the same query on the table
// without its index (NOT INDEXED), the plan the engine used before.
func BenchmarkPlan(b *testing.B) {
	c := loadPlanBench(b)
	cases := []struct {
		name, sql string
		rows      int
	}{
		{"OrderByLimit10", "SELECT * FROM p ORDER BY a LIMIT 10", 10},
		{"OrderByLimit10/NotIndexed", "SELECT * FROM p NOT INDEXED ORDER BY a LIMIT 10", 10},
		{"OrderByDescLimit10", "SELECT * FROM p ORDER BY a DESC LIMIT 10", 10},
		{"CountCovering", "SELECT count(*) FROM p", 1},
		{"CountCovering/NotIndexed", "SELECT count(*) FROM p NOT INDEXED", 1},
		{"RangeSumCovering", "SELECT sum(a) FROM p WHERE a BETWEEN 1000 AND 300000", 1},
		{"InList3", "SELECT * FROM p WHERE a IN (7919, 15838, 23757)", 3},
		{"RowidRange100", "SELECT count(*) FROM p WHERE id > 1000 AND id <= 1100", 1},
		{"IsNull", "SELECT count(*) FROM p WHERE a IS NULL", 1},
		{"RangeSumTableLookup", "SELECT sum(a), max(pad) FROM p WHERE a BETWEEN 1000 AND 300000", 1},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) { benchQuery(b, c, tc.sql, tc.rows) })
	}
}
