package sqltests

import (
	"context"
	"math"
	"testing"

	"github.com/wrendb/wren/sqltests/drivers"
)

// TestNegativeZero checks the sign of zero REAL results against the
// reference. A sqllogictest script cannot: SQLite prints -0.0 as "0.0" in
// every text form, and only sqlite3_column_double (a float64 through
// database/sql) shows the sign. SQLite negates a REAL literal in place
// (-0.0 is negative zero) but computes -x for anything else as 0 - x, and
// abs() flips only values below zero. Found by the differential tester
// (about 380 of the 817 mismatches of seeds 1-1000).
func TestNegativeZero(t *testing.T) {
	setup := []string{
		"CREATE TABLE t(r REAL, b, i INTEGER)",
		"INSERT INTO t VALUES(-0.0, -0.0, -0.0)",
	}
	queries := []string{
		"SELECT -0.0",
		"SELECT -0e0",
		"SELECT -(0.0)",
		"SELECT - -0.0",
		"SELECT 0.0 * -1",
		"SELECT -0.0 + 0",
		"SELECT abs(-0.0)",
		"SELECT max(-0.0, 0.0)",
		"SELECT CAST('-0.0' AS REAL)",
		"SELECT -0.0 FROM t",
		"SELECT r FROM t",
		"SELECT b FROM t",
		"SELECT -r FROM t",
		"SELECT -b FROM t",
		"SELECT b * -1 FROM t",
		"SELECT abs(b) FROM t",
		"SELECT -0.0 FROM t GROUP BY i",
		"SELECT -0.0 UNION ALL SELECT 1",
	}
	ctx := context.Background()
	run := func(name string) []float64 {
		db, err := drivers.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, s := range setup {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %s: %v", name, s, err)
			}
		}
		var out []float64
		for _, q := range queries {
			var f float64
			if err := conn.QueryRowContext(ctx, q).Scan(&f); err != nil {
				t.Fatalf("%s: %s: %v", name, q, err)
			}
			out = append(out, f)
		}
		return out
	}
	want := run(drivers.Reference)
	got := run(drivers.Wren)
	for i, q := range queries {
		if got[i] != want[i] || math.Signbit(got[i]) != math.Signbit(want[i]) {
			t.Errorf("%s: wren %v (sign bit %v), reference %v (sign bit %v)", q, got[i], math.Signbit(got[i]), want[i], math.Signbit(want[i]))
		}
	}
	if !math.Signbit(want[0]) {
		t.Errorf("the reference's SELECT -0.0 is %v, not negative zero: the check proves nothing", want[0])
	}
}
