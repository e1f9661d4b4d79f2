package drivers

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNames(t *testing.T) {
	if diff := cmp.Diff([]string{"sqlite", "wren"}, Names()); diff != "" {
		t.Errorf("Names mismatch (-want +got):\n%s", diff)
	}
	if _, err := Open("sqlite3"); err == nil {
		t.Error(`Open("sqlite3") succeeded; only the short names are known`)
	}
	if _, err := Opener("nope"); err == nil {
		t.Error(`Opener("nope") succeeded`)
	}
}

// TestOpenIsFresh: each Open is a new empty database, and it stays one
// database on its single connection.
func TestOpenIsFresh(t *testing.T) {
	ctx := context.Background()
	first, err := Open(Reference)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := first.ExecContext(ctx, "CREATE TABLE t(a); INSERT INTO t VALUES(1)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := first.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the table is not there on the same database: n=%d err=%v", n, err)
	}
	second, err := Open(Reference)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if err := second.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err == nil {
		t.Error("a second Open sees the first database's table")
	}
}
