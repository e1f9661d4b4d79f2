package wren

import (
	"context"
	"database/sql/driver"
	"fmt"
	"testing"
)

func memConn(t *testing.T) *conn {
	t.Helper()
	cn, err := NewConnector(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cn.Close() })
	dc, err := cn.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	return dc.(*conn)
}

// Ensure that running the same SQL text again reuses the prepared engine
// statement, that a statement in use is never handed out twice, and that
// the cache stays bounded.
func TestStatementCache(t *testing.T) {
	c := memConn(t)
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, "CREATE TABLE t(a)", nil); err != nil {
		t.Fatal(err)
	}
	const ins = "INSERT INTO t VALUES(?)"
	args := []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}
	if _, err := c.ExecContext(ctx, ins, args); err != nil {
		t.Fatal(err)
	}
	first := c.cache.m[ins]
	if first == nil {
		t.Fatalf("%q is not cached after running it", ins)
	}
	if _, err := c.ExecContext(ctx, ins, args); err != nil {
		t.Fatal(err)
	}
	if c.cache.m[ins] != first || first.claimed {
		t.Errorf("the second run did not reuse and give back the cached statement")
	}

	// Two open Rows of one SQL text: the second gets its own statement.
	const sel = "SELECT a FROM t"
	r1, err := c.QueryContext(ctx, sel, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := c.QueryContext(ctx, sel, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r1.(*rows).p == r2.(*rows).p {
		t.Errorf("two open Rows share one statement")
	}
	for _, r := range []driver.Rows{r1, r2} {
		dest := make([]driver.Value, 1)
		if err := r.Next(dest); err != nil || dest[0] != int64(1) {
			t.Errorf("Next: %v, %v", dest, err)
		}
		r.Close()
	}
	if p := c.cache.m[sel]; p == nil || p.claimed {
		t.Errorf("after Close the cached statement is %+v, want present and free", p)
	}

	for i := range 3 * stmtCacheSize {
		if _, err := c.ExecContext(ctx, fmt.Sprintf("SELECT %d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.cache.m); n > stmtCacheSize {
		t.Errorf("the cache holds %d statements, want at most %d", n, stmtCacheSize)
	}
	if _, err := c.ExecContext(ctx, ins, args); err != nil {
		t.Fatalf("a statement evicted from the cache no longer runs: %v", err)
	}
}
