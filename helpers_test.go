package wren_test

import (
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/wrendb/wren"
)

// openDB opens a new database file in a temporary directory; params are
// DSN parameters ("_txlock=immediate"), joined with '&'.
func openDB(t testing.TB, params ...string) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	dsn := "file:" + path
	if len(params) > 0 {
		dsn += "?" + strings.Join(params, "&")
	}
	db, err := sql.Open("wren", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func mustExec(t testing.TB, db interface {
	Exec(string, ...any) (sql.Result, error)
}, query string, args ...any) sql.Result {
	t.Helper()
	res, err := db.Exec(query, args...)
	if err != nil {
		t.Fatalf("Exec(%q): %v", query, err)
	}
	return res
}

// queryAll returns every row of query as []any per row.
func queryAll(t testing.TB, db interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string, args ...any) [][]any {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("Query(%q): %v", query, err)
	}
	defer rows.Close()
	out, err := scanAll(rows)
	if err != nil {
		t.Fatalf("Query(%q): %v", query, err)
	}
	return out
}

func scanAll(rows *sql.Rows) ([][]any, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// sqlite3 runs the real sqlite3 shell on path, or skips the test when it
// is not installed.
func sqlite3(t testing.TB, path, sql string) string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed; the interop checks need it")
	}
	out, err := exec.Command(bin, path, sql).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %s %q: %v\n%s", path, sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

// sqlite3Err runs the sqlite3 shell expecting a failure and returns what
// it printed.
func sqlite3Err(t testing.TB, path, sql string) string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed; the interop checks need it")
	}
	out, _ := exec.Command(bin, path, sql).CombinedOutput()
	return strings.TrimSpace(string(out))
}
