package nopdriver

import (
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRowsFollowInserts(t *testing.T) {
	rows.Store(0)
	db, err := sql.Open("nop", "ignored")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 3 {
		if _, err := db.Exec("INSERT INTO t VALUES(?)", 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("CREATE TABLE u(x)"); err != nil {
		t.Fatal(err)
	}
	count := func(query string, args ...any) int {
		rs, err := db.Query(query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		n := 0
		for rs.Next() {
			n++
		}
		return n
	}
	if got := count("SELECT n FROM t"); got != 3 {
		t.Errorf("scan returned %d rows, want 3 (one per INSERT)", got)
	}
	if got := count("SELECT n FROM t WHERE id = ?", 7); got != 1 {
		t.Errorf("lookup returned %d rows, want 1", got)
	}
	var (
		name string
		n    int64
		f    float64
	)
	if err := db.QueryRow("SELECT name, n, f FROM t WHERE id = ?", 1).Scan(&name, &n, &f); err != nil {
		t.Fatal(err)
	}
	if name == "" || f != 1.5 {
		t.Errorf("row = %q, %d, %v; want a name and f = 1.5", name, n, f)
	}
}

func TestColumns(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{"SELECT n FROM t", []string{"n"}},
		{"select name, n, f from t where id = ?", []string{"name", "n", "f"}},
		{"PRAGMA x", []string{"x"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, columns(tt.query)); diff != "" {
			t.Errorf("columns(%q) (-want +got):\n%s", tt.query, diff)
		}
	}
}
