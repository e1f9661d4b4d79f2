package wren

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkConnectSelect1 measures what a pool pays for a new connection:
// open it, run SELECT 1, close it, on a file of 1 table and of 10,000
// tables (each with an index). Connections share the parsed schema, so
// both should take the same few microseconds.
func BenchmarkConnectSelect1(b *testing.B) {
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			path := benchFile(b, n)
			cn, err := NewConnector("file:" + path + "?mode=ro")
			if err != nil {
				b.Fatal(err)
			}
			defer cn.Close()
			ctx := context.Background()
			connectSelect1(b, cn, ctx) // the first connection loads the schema
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				connectSelect1(b, cn, ctx)
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

func connectSelect1(b *testing.B, cn *Connector, ctx context.Context) {
	c, err := cn.Connect(ctx)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := c.(*conn).QueryContext(ctx, "SELECT 1", nil)
	if err != nil {
		b.Fatal(err)
	}
	var dest [1]driver.Value
	if err := rows.Next(dest[:]); err != nil || dest[0] != int64(1) {
		b.Fatalf("SELECT 1: %v, %v", dest[0], err)
	}
	rows.Close()
	c.Close()
}

// benchFile returns a database of n tables, each with an index, built by
// sqlite3 once and kept in the temporary directory: building 10,000
// tables takes sqlite3 minutes, as each CREATE rereads the schema.
func benchFile(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "wren-bench")
	path := filepath.Join(dir, fmt.Sprintf("tables-%d.db", n))
	want := strconv.Itoa(2 * n)
	if _, err := os.Stat(path); err == nil {
		if out, err := exec.Command(needSQLite3(b), path, "SELECT count(*) FROM sqlite_schema").Output(); err == nil && strings.TrimSpace(string(out)) == want {
			return path
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	tmp := path + ".building"
	os.Remove(tmp)
	manyTables(b, tmp, n)
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkSelect1 is a query on an open connection: the statement cache's
// fast path.
func BenchmarkSelect1(b *testing.B) {
	cn, err := NewConnector(":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer cn.Close()
	ctx := context.Background()
	dc, err := cn.Connect(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer dc.Close()
	c := dc.(*conn)
	var dest [1]driver.Value
	b.ReportAllocs()
	for b.Loop() {
		rows, err := c.QueryContext(ctx, "SELECT 1", nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := rows.Next(dest[:]); err != nil {
			b.Fatal(err)
		}
		rows.Close()
	}
}

// numbersConn returns a connection to an in-memory table of n rows of an
// integer above 255 (which Go cannot box for free) and a float.
func numbersConn(tb testing.TB, n int) *conn {
	tb.Helper()
	cn, err := NewConnector(":memory:")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cn.Close() })
	dc, err := cn.Connect(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { dc.Close() })
	c := dc.(*conn)
	if err := c.ec.Exec("CREATE TABLE n(i INTEGER, f REAL)"); err != nil {
		tb.Fatal(err)
	}
	if err := c.ec.Exec("BEGIN"); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		if _, err := c.ExecContext(context.Background(), "INSERT INTO n VALUES(?, ?)", []driver.NamedValue{
			{Ordinal: 1, Value: int64(1000 + i)}, {Ordinal: 2, Value: float64(i) + 0.5}}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := c.ec.Exec("COMMIT"); err != nil {
		tb.Fatal(err)
	}
	return c
}

// readNumbers reads every row of the numbers table, returning the count.
func readNumbers(tb testing.TB, c *conn) int {
	rows, err := c.QueryContext(context.Background(), "SELECT i, f FROM n", nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 2)
	n := 0
	for {
		if err := rows.Next(dest); err == io.EOF {
			return n
		} else if err != nil {
			tb.Fatal(err)
		}
		n++
	}
}

// Ensure that reading integers and floats costs no allocation per row in
// the driver: 1,000 rows of two numbers stay within a few dozen
// allocations (the boxer's slabs and the query's own), not 2,000.
func TestNoAllocationPerRow(t *testing.T) {
	const rows = 1000
	c := numbersConn(t, rows)
	if got := readNumbers(t, c); got != rows {
		t.Fatalf("read %d rows, want %d", got, rows)
	}
	allocs := testing.AllocsPerRun(5, func() { readNumbers(t, c) })
	if allocs > 60 {
		t.Errorf("reading %d rows of an integer and a float made %v allocations; want a few dozen at most", rows, allocs)
	}
}

// BenchmarkReadNumbers reads rows of an integer and a float.
func BenchmarkReadNumbers(b *testing.B) {
	const rows = 1000
	c := numbersConn(b, rows)
	b.ReportAllocs()
	for b.Loop() {
		readNumbers(b, c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
