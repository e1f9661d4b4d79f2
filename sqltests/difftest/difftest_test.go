package difftest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/wrendb/wren/sqltests/drivers"
	"github.com/wrendb/wren/sqltests/slt"
)

func reference() Engine {
	return Engine{Name: "sqlite", Open: func() (*sql.DB, error) { return drivers.Open(drivers.Reference) }}
}

// corruptDriver wraps the reference and turns every integer 3 in a query
// result into 4: a planted bug for the differential tester to find.
type corruptDriver struct{ base sqlite3.SQLiteDriver }

type corruptConn struct{ driver.Conn }
type corruptStmt struct{ driver.Stmt }
type corruptRows struct{ driver.Rows }

func (d *corruptDriver) Open(name string) (driver.Conn, error) {
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	return corruptConn{c}, nil
}

func (c corruptConn) Prepare(query string) (driver.Stmt, error) {
	s, err := c.Conn.Prepare(query)
	if err != nil {
		return nil, err
	}
	return corruptStmt{s}, nil
}

func (s corruptStmt) Query(args []driver.Value) (driver.Rows, error) {
	r, err := s.Stmt.Query(args) //nolint:staticcheck // the wrapper only needs the old interface
	if err != nil {
		return nil, err
	}
	return corruptRows{r}, nil
}

func (r corruptRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	for i, v := range dest {
		if v == int64(3) {
			dest[i] = int64(4)
		}
	}
	return err
}

func init() { sql.Register("sqlite-corrupt-3", &corruptDriver{}) }

func openCorrupt() (*sql.DB, error) { return drivers.OpenDSN("sqlite-corrupt-3", ":memory:") }

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(42, 10), Generate(42, 10)
	text := func(c *Case) []string {
		out := append([]string(nil), c.Setup...)
		for _, p := range c.Probes {
			out = append(out, p.Query.SQL())
			if p.Partition != nil {
				out = append(out, p.Query.PartitionedSQL(p.Partition))
			}
		}
		return out
	}
	if diff := cmp.Diff(text(a), text(b)); diff != "" {
		t.Errorf("seed 42 generated two different cases (-first +second):\n%s", diff)
	}
	if cmp.Equal(text(a), text(Generate(43, 10))) {
		t.Error("seeds 42 and 43 generated the same case")
	}
}

func TestPartitionedSQL(t *testing.T) {
	q := &Query{Columns: []*Expr{{Kind: KindColumn, Text: "a1.c0"}}, From: []FromItem{{Table: "t0", Alias: "a1"}}}
	p := &Expr{Kind: KindBinary, Text: ">", Args: []*Expr{{Kind: KindColumn, Text: "a1.c0"}, Lit("1")}}
	want := "SELECT a1.c0 FROM t0 AS a1 WHERE (a1.c0 > 1) UNION ALL " +
		"SELECT a1.c0 FROM t0 AS a1 WHERE (NOT (a1.c0 > 1)) UNION ALL " +
		"SELECT a1.c0 FROM t0 AS a1 WHERE ((a1.c0 > 1) IS NULL)"
	if got := q.PartitionedSQL(p); got != want {
		t.Errorf("PartitionedSQL:\n got %s\nwant %s", got, want)
	}
	q.Ordered = true
	if got, want := q.SQL(), "SELECT a1.c0 FROM t0 AS a1 ORDER BY typeof(a1.c0), 1 COLLATE BINARY"; got != want {
		t.Errorf("ordered SQL:\n got %s\nwant %s", got, want)
	}
}

// TestReferenceAgreesWithItself runs the tester with the reference on both
// sides (two separate databases): any mismatch is a bug in the tester (a
// nondeterministic query, a wrong comparison, a TLP that does not hold).
func TestReferenceAgreesWithItself(t *testing.T) {
	d := &Differ{Test: reference(), Reference: reference()}
	for seed := uint64(1); seed <= 50; seed++ {
		for _, m := range d.RunSeed(seed).Mismatches {
			t.Errorf("%v", m)
		}
	}
}

// TestShrinkPlantedMismatch plants a bug (integer 3 reads back as 4), lets
// the tester find it, shrinks it, and checks that the repro is small, passes
// on the reference and fails on the planted bug.
func TestShrinkPlantedMismatch(t *testing.T) {
	d := &Differ{Test: Engine{Name: "corrupt", Open: openCorrupt}, Reference: reference(), Probes: 20}
	var found *Mismatch
	for seed := uint64(1); seed <= 100 && found == nil; seed++ {
		for _, m := range d.RunSeed(seed).Mismatches {
			if m.Kind == MismatchResult {
				found = &m
				break
			}
		}
	}
	if found == nil {
		t.Fatal("the planted bug was not found in 100 seeds")
	}
	before := len(found.Setup)
	small := d.Shrink(*found)
	t.Logf("shrunk %s from %d setup statements to %d:\n%s\n%s", found, before, len(small.Setup),
		strings.Join(small.Setup, "\n"), small.Probe.Query.SQL())
	if small.Kind != MismatchResult {
		t.Errorf("shrunk mismatch has kind %s, want %s", small.Kind, MismatchResult)
	}
	if len(small.Setup) > 3 {
		t.Errorf("shrunk setup has %d statements, want at most 3: %q", len(small.Setup), small.Setup)
	}
	if sql := small.Probe.Query.SQL(); len(sql) > 120 {
		t.Errorf("shrunk query is %d bytes, want at most 120: %s", len(sql), sql)
	}

	path, err := d.WriteRepro(small, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	onReference, err := slt.RunFile(ctx, reference().Open, path, slt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if onReference.Failed != 0 || onReference.Run == 0 {
		t.Errorf("repro on the reference: %s; want every record to pass", onReference.Summary())
		for _, f := range onReference.Failures {
			t.Logf("line %d: %s (expected %q, got %q)", f.Line, f.Err, f.Expected, f.Got)
		}
	}
	onCorrupt, err := slt.RunFile(ctx, openCorrupt, path, slt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if onCorrupt.Failed == 0 {
		t.Errorf("repro on the corrupt driver: %s; want a failure", onCorrupt.Summary())
	}
}

func TestCompareOutcomes(t *testing.T) {
	rows := func(r ...string) Outcome { return Outcome{Columns: 1, Rows: r} }
	tests := []struct {
		name      string
		got, want Outcome
		ordered   bool
		match     bool
	}{
		{"same multiset", rows("int:1", "int:2"), rows("int:2", "int:1"), false, true},
		{"order matters when ordered", rows("int:1", "int:2"), rows("int:2", "int:1"), true, false},
		{"type differs", rows("int:1"), rows("real:1"), false, false},
		{"duplicates count", rows("int:1", "int:1"), rows("int:1"), false, false},
		{"both errors", Outcome{Err: "x"}, Outcome{Err: "y"}, false, true},
		{"one error", Outcome{Err: "x"}, rows(), false, false},
		{"column count", Outcome{Columns: 2}, Outcome{Columns: 1}, false, false},
	}
	for _, tt := range tests {
		d := compareOutcomes(tt.got, tt.want, tt.ordered)
		if (d == "") != tt.match {
			t.Errorf("%s: compareOutcomes = %q, want match %v", tt.name, d, tt.match)
		}
	}
	holds := probeOutcome{Plain: rows("int:1", "int:2"), Partitioned: rows("int:2", "int:1")}
	if d := tlpViolation(holds); d != "" {
		t.Errorf("tlpViolation of matching partitions: %s", d)
	}
	lost := probeOutcome{Plain: rows("int:1", "int:2"), Partitioned: rows("int:1")}
	if d := tlpViolation(lost); d == "" {
		t.Error("tlpViolation missed a row lost by the partitions")
	}
	kind, _ := compareProbe(Probe{Query: &Query{}, Partition: Lit("1")}, lost, holds)
	if kind != MismatchPartitioned {
		t.Errorf("compareProbe kind %q, want %q", kind, MismatchPartitioned)
	}
	if got := canonical([]byte("A")); got != "blob:x'41'" {
		t.Errorf("canonical blob = %q", got)
	}
}
