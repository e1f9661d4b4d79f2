package engine

import (
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wrendb/wren/record"
)

// Engine benchmarks, without database/sql. The data sets are sized by
// WREN_BENCH_ROWS (default 100000); the figures use 1000000.

func benchRows() int {
	if s := os.Getenv("WREN_BENCH_ROWS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	return 100000
}

func stepAll(b testing.TB, s *Stmt) int {
	n := 0
	for {
		ok, err := s.Step()
		if err != nil {
			b.Fatal(err)
		}
		if !ok {
			break
		}
		n++
	}
	s.Reset()
	return n
}

func prepare(b testing.TB, c *Conn, sql string) *Stmt {
	s, _, err := c.Prepare(sql)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// loadBench fills t(id, k, v, g) with n rows in one transaction.
func loadBench(b testing.TB, c *Conn, n int) time.Duration {
	mustExec(b, c, "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v INTEGER, g INTEGER)")
	start := time.Now()
	mustExec(b, c, "BEGIN")
	ins := prepare(b, c, "INSERT INTO t VALUES(?, ?, ?, ?)")
	for i := 0; i < n; i++ {
		ins.Bind(1, record.IntValue(int64(i)))
		ins.Bind(2, record.TextValue("key-"+strconv.Itoa(i)))
		ins.Bind(3, record.IntValue(int64(i*7919%1000003)))
		ins.Bind(4, record.IntValue(int64(i%100)))
		stepAll(b, ins)
	}
	ins.Close()
	mustExec(b, c, "COMMIT")
	return time.Since(start)
}

func benchFile(b testing.TB) *Conn {
	dir := b.TempDir()
	db, err := Open(filepath.Join(dir, "bench.db"), Config{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	c, err := db.Connect()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); db.Close() })
	return c
}

func BenchmarkInsertOneTx(b *testing.B) {
	c := benchFile(b)
	mustExec(b, c, "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v INTEGER, g INTEGER); BEGIN")
	ins := prepare(b, c, "INSERT INTO t VALUES(?, ?, ?, ?)")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ins.Bind(1, record.IntValue(int64(i)))
		ins.Bind(2, record.TextValue("key-"+strconv.Itoa(i)))
		ins.Bind(3, record.IntValue(int64(i*7919%1000003)))
		ins.Bind(4, record.IntValue(int64(i%100)))
		stepAll(b, ins)
	}
	ins.Close()
	mustExec(b, c, "COMMIT")
}

func benchQueries(b *testing.B, setup string, query string, arg func(i int) record.Value) {
	c := benchFile(b)
	n := benchRows()
	loadBench(b, c, n)
	if setup != "" {
		mustExec(b, c, setup)
	}
	s := prepare(b, c, query)
	defer s.Close()
	rng := rand.New(rand.NewSource(1))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if arg != nil {
			s.Bind(1, arg(rng.Intn(n)))
		}
		stepAll(b, s)
	}
}

func BenchmarkPointSelectRowid(b *testing.B) {
	benchQueries(b, "", "SELECT k, v FROM t WHERE id = ?", func(i int) record.Value { return record.IntValue(int64(i)) })
}

func BenchmarkPointSelectIndex(b *testing.B) {
	benchQueries(b, "CREATE INDEX t_k ON t(k)", "SELECT id, v FROM t WHERE k = ?", func(i int) record.Value { return record.TextValue("key-" + strconv.Itoa(i)) })
}

func BenchmarkScanFilter(b *testing.B) {
	benchQueries(b, "", "SELECT count(*) FROM t WHERE v % 10 = 3", nil)
}

func BenchmarkJoin3(b *testing.B) {
	benchQueries(b, `CREATE TABLE g(id INTEGER PRIMARY KEY, name TEXT);
		CREATE TABLE h(gid INTEGER, label TEXT); CREATE INDEX h_gid ON h(gid);
		INSERT INTO g SELECT g, 'group' || g FROM t WHERE id < 100;
		INSERT INTO h SELECT g, 'h' || id FROM t WHERE id < 300;`,
		"SELECT count(*), max(h.label) FROM t JOIN g ON g.id = t.g JOIN h ON h.gid = g.id WHERE t.v < 100000", nil)
}

func BenchmarkGroupBy(b *testing.B) {
	benchQueries(b, "", "SELECT g, count(*), sum(v), avg(v) FROM t GROUP BY g", nil)
}

// TestBenchFigures prints the figures at 1M rows when
// WREN_BENCH_FIGURES=1.
func TestBenchFigures(t *testing.T) {
	if os.Getenv("WREN_BENCH_FIGURES") == "" {
		t.Skip("set WREN_BENCH_FIGURES=1")
	}
	n := benchRows()
	c := benchFile(t)
	cpu := cpuTime()
	wall := loadBench(t, c, n)
	t.Logf("insert %d rows in one transaction: %v (cpu %v)", n, wall, cpuTime()-cpu)
	for _, q := range []string{
		"SELECT count(*) FROM t WHERE v % 10 = 3",
		"SELECT g, count(*), sum(v), avg(v) FROM t GROUP BY g",
	} {
		s := prepare(t, c, q)
		start, cpu := time.Now(), cpuTime()
		stepAll(t, s)
		t.Logf("%s: %v (cpu %v)", q, time.Since(start), cpuTime()-cpu)
		s.Close()
	}
	// The same GROUP BY with a sorter that must spill to temporary files.
	c.sorterMemory = 4 << 20
	s := prepare(t, c, "SELECT g, count(*), sum(v), avg(v) FROM t GROUP BY g")
	start, cpu := time.Now(), cpuTime()
	stepAll(t, s)
	t.Logf("GROUP BY, sorter spilling past 4 MiB: %v (cpu %v)", time.Since(start), cpuTime()-cpu)
	s.Close()
}
