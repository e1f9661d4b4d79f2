package wren_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure that single-row INSERTs check their foreign keys as SQLite does
// (before the write, with no statement savepoint): a missing parent fails
// the statement and leaves the transaction's earlier rows, the other
// constraints are reported first, OR IGNORE and OR REPLACE do not apply
// to foreign keys, a row may be its own parent, and a deferred constraint
// still waits for COMMIT. The expected results are what sqlite3 3.40
// gives for the same statements.
func TestSingleRowInsertForeignKeys(t *testing.T) {
	pool, _ := openDB(t, "_pragma=foreign_keys(1)")
	// One connection throughout: the pool rolls back a bare BEGIN when a
	// connection goes back to it.
	db, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE p(id INTEGER PRIMARY KEY, u TEXT UNIQUE)",
		"CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id), pu TEXT REFERENCES p(u))",
		"CREATE TABLE s(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES s(id))",
		"CREATE TABLE d(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)",
		"INSERT INTO p VALUES(1, 'one')",
		"BEGIN",
	} {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	steps := []struct {
		sql     string
		wantErr string // "" when the statement succeeds
	}{
		{"INSERT INTO c VALUES(1, 1, 'one')", ""},
		{"INSERT INTO c VALUES(2, 9, NULL)", "FOREIGN KEY constraint failed"},
		{"INSERT INTO c VALUES(3, NULL, 'nine')", "FOREIGN KEY constraint failed"},
		{"INSERT INTO c VALUES(4, NULL, NULL)", ""},
		{"INSERT INTO c VALUES(1, 9, 'x')", "UNIQUE constraint failed: c.id"},
		{"INSERT INTO c VALUES(5, 9, 'x')", "FOREIGN KEY constraint failed"},
		{"INSERT INTO s VALUES(1, 1)", ""},
		{"INSERT INTO s VALUES(2, 3)", "FOREIGN KEY constraint failed"},
		{"INSERT INTO d VALUES(1, 7)", ""},
		{"COMMIT", "FOREIGN KEY constraint failed"},
		{"INSERT INTO p VALUES(7, 'seven')", ""},
		{"COMMIT", ""},
		{"INSERT OR IGNORE INTO c VALUES(6, 9, NULL)", "FOREIGN KEY constraint failed"},
		{"INSERT OR REPLACE INTO c VALUES(1, 9, NULL)", "FOREIGN KEY constraint failed"},
	}
	for _, st := range steps {
		_, err := db.ExecContext(context.Background(), st.sql)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != st.wantErr {
			t.Errorf("%s: error %q, want %q", st.sql, got, st.wantErr)
		}
	}
	tables := []struct {
		query string
		want  [][]any
	}{
		{"SELECT * FROM c ORDER BY id", [][]any{{int64(1), int64(1), "one"}, {int64(4), nil, nil}}},
		{"SELECT * FROM s ORDER BY id", [][]any{{int64(1), int64(1)}}},
		{"SELECT * FROM d ORDER BY id", [][]any{{int64(1), int64(7)}}},
	}
	for _, tt := range tables {
		if diff := cmp.Diff(tt.want, queryAll(t, pool, tt.query)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tt.query, diff)
		}
	}
}
