package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/record"
)

// Ensure that RowMems shows each row as Column does, both for a compiled
// query (the VM's registers) and for a statement the engine runs in Go (a
// PRAGMA), and is empty before the first row.
func TestRowMems(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB)")
	mustExec(t, c, "INSERT INTO t VALUES(1, 'one', 1.5, x'01'), (2, NULL, -2.0, zeroblob(3))")
	for _, sql := range []string{"SELECT a, b, c, d FROM t ORDER BY a", "PRAGMA table_info(t)"} {
		s, _, err := c.Prepare(sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if got := s.RowMems(); len(got) != 0 {
			t.Errorf("%s: RowMems before the first step = %d values, want none", sql, len(got))
		}
		rows := 0
		for {
			ok, err := s.Step()
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			if !ok {
				break
			}
			rows++
			mems := s.RowMems()
			got := make([]record.Value, len(mems))
			for i := range mems {
				got[i] = mems[i].Value()
			}
			want := make([]record.Value, s.ColumnCount())
			for i := range want {
				want[i] = s.Column(i)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s row %d: RowMems mismatch with Column (-want +got):\n%s", sql, rows, diff)
			}
		}
		if rows == 0 {
			t.Errorf("%s: no rows", sql)
		}
		s.Close()
	}
}
