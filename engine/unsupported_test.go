package engine

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/resultcode"
)

// TestStrictDatatypeError checks the extended result code of a STRICT
// type error, which the regression script cannot see.
func TestStrictDatatypeError(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE s(a INT) STRICT")
	err := c.Exec("INSERT INTO s VALUES('x')")
	var e *resultcode.E
	if !errors.As(err, &e) || e.Code != resultcode.ConstraintDataType {
		t.Fatalf("INSERT 'x' into INT: got %v, want SQLITE_CONSTRAINT_DATATYPE", err)
	}
	if got, want := err.Error(), "cannot store TEXT value in INT column s.a"; !strings.Contains(got, want) {
		t.Fatalf("error %q does not contain %q", got, want)
	}
	if int(resultcode.ConstraintDataType) != 3091 {
		t.Fatalf("SQLITE_CONSTRAINT_DATATYPE is %d, want 3091", resultcode.ConstraintDataType)
	}
}

// TestStrictFileReadBySQLite writes a STRICT table through Wren and checks
// that sqlite3 finds the file sound, sees the stored types and enforces the
// types itself (so the schema SQL survived the round trip).
func TestStrictFileReadBySQLite(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	path := filepath.Join(t.TempDir(), "strict.db")
	c := fileConn(t, path)
	mustExec(t, c, `CREATE TABLE s(id INTEGER PRIMARY KEY, a INT, b REAL, c TEXT, d BLOB, e ANY) STRICT;
		CREATE INDEX s_b ON s(b);
		INSERT INTO s(a, b, c, d, e) VALUES('12', 3, 4, x'00', '5'), (NULL, NULL, NULL, NULL, 1.5);`)
	if got := sqlite3Out(t, path, "PRAGMA integrity_check"); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
	got := sqlite3Out(t, path, "SELECT typeof(a), typeof(b), typeof(c), typeof(d), typeof(e) FROM s ORDER BY id; SELECT strict FROM pragma_table_list WHERE name = 's'")
	want := "integer|real|text|blob|text\nnull|null|null|null|real\n1"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("sqlite3 read (-want +got):\n%s", diff)
	}
}

// TestStrictFileFromSQLite reads a STRICT table made by sqlite3 and checks
// that Wren enforces its types.
func TestStrictFileFromSQLite(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	path := filepath.Join(t.TempDir(), "strict.db")
	sqlite3Out(t, path, "CREATE TABLE s(a INT, b ANY) STRICT; INSERT INTO s VALUES(1, '1');")
	c := fileConn(t, path)
	if err := c.Exec("INSERT INTO s VALUES('x', 1)"); err == nil || !strings.Contains(err.Error(), "cannot store TEXT value in INT column s.a") {
		t.Fatalf("INSERT 'x': got %v", err)
	}
	rows, err := queryRows(t, c, "SELECT typeof(b), b = 1 FROM s")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"text|0"}, rows); diff != "" {
		t.Fatalf("ANY column (-want +got):\n%s", diff)
	}
}

// TestUnsupportedFromSQLiteFile opens a file sqlite3 made with a generated
// column and an INSTEAD OF trigger: every statement that would read or
// write the table, or run the trigger, must fail clearly instead of giving
// shifted columns, and the rest of the database stays usable.
func TestUnsupportedFromSQLiteFile(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	path := filepath.Join(t.TempDir(), "gen.db")
	sqlite3Out(t, path, `CREATE TABLE g(a, b AS (a+1), c TEXT AS (a||'x') STORED, d NOT NULL); INSERT INTO g VALUES(1, 3);
		CREATE TABLE h(x); INSERT INTO h VALUES(7);
		CREATE VIEW v AS SELECT x FROM h;
		CREATE TRIGGER tr INSTEAD OF INSERT ON v BEGIN INSERT INTO h VALUES(new.x); END;`)
	c := fileConn(t, path)
	const gen = "generated columns are not supported yet"
	const instead = "INSTEAD OF triggers are not supported yet"
	for _, tc := range []struct{ sql, want string }{
		{"SELECT * FROM g", gen},
		{"SELECT c FROM g", gen},
		{"SELECT x FROM h WHERE x IN (SELECT a FROM g)", gen},
		{"INSERT INTO g(a) VALUES(1)", gen},
		{"UPDATE g SET a = 2", gen},
		{"DELETE FROM g", gen},
		{"CREATE INDEX gi ON g(a)", gen},
		{"INSERT INTO v VALUES(1)", instead},
		{"UPDATE v SET x = 1", instead},
		{"DELETE FROM v", instead},
	} {
		_, err := queryRows(t, c, tc.sql)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.sql, err, tc.want)
		}
	}
	// The schema itself is still described as SQLite describes it.
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{"PRAGMA table_info(g)", []string{"0|a||0|NULL|0", "1|d||1|NULL|0"}},
		{"PRAGMA table_xinfo(g)", []string{"0|a||0|NULL|0|0", "1|b||0|NULL|0|2", "2|c|TEXT|0|NULL|0|3", "3|d||1|NULL|0|0"}},
	} {
		rows, err := queryRows(t, c, tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if diff := cmp.Diff(tc.want, rows); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.sql, diff)
		}
	}
	rows, err := queryRows(t, c, "SELECT x FROM v")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"7"}, rows); diff != "" {
		t.Fatalf("view read (-want +got):\n%s", diff)
	}
	mustExec(t, c, "DROP TABLE g")
	if got := sqlite3Out(t, path, "PRAGMA integrity_check; SELECT count(*) FROM sqlite_schema WHERE name = 'g'"); got != "ok\n0" {
		t.Fatalf("after DROP TABLE g: %s", got)
	}
}

// TestUnsupportedCreate checks that CREATE statements Wren cannot honour
// yet fail instead of making objects that would misbehave.
func TestUnsupportedCreate(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE h(x); CREATE VIEW v AS SELECT x FROM h")
	for _, tc := range []struct{ sql, want string }{
		{"CREATE TABLE g(a, b AS (a+1))", "generated columns are not supported yet"},
		{"CREATE TABLE g(a, b GENERATED ALWAYS AS (a*2) STORED)", "generated columns are not supported yet"},
		{"CREATE TABLE g(a, b INT GENERATED ALWAYS AS (a*2) VIRTUAL NOT NULL)", "generated columns are not supported yet"},
		{"CREATE TRIGGER tr INSTEAD OF INSERT ON v BEGIN INSERT INTO h VALUES(new.x); END", "INSTEAD OF triggers are not supported yet"},
		{"CREATE TRIGGER tr INSTEAD OF INSERT ON h BEGIN SELECT 1; END", "cannot create INSTEAD OF trigger on table: h"},
	} {
		if err := c.Exec(tc.sql); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.sql, err, tc.want)
		}
	}
	rows, err := queryRows(t, c, "SELECT count(*) FROM sqlite_schema WHERE name IN ('g', 'tr')")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"0"}, rows); diff != "" {
		t.Fatalf("objects left behind (-want +got):\n%s", diff)
	}
}

// TestUnsupportedForeignKeyChild checks that enforcing a foreign key whose
// child table has a generated column fails instead of reading its columns
// at the wrong record fields.
func TestUnsupportedForeignKeyChild(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	path := filepath.Join(t.TempDir(), "fk.db")
	sqlite3Out(t, path, `CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(a, g AS (a*2), pid REFERENCES p);
		INSERT INTO p VALUES(1); INSERT INTO c VALUES(1, 1);`)
	c := fileConn(t, path)
	mustExec(t, c, "PRAGMA foreign_keys = ON")
	if err := c.Exec("DELETE FROM p"); err == nil || !strings.Contains(err.Error(), "generated columns are not supported yet") {
		t.Fatalf("DELETE FROM p: got %v", err)
	}
	if got := sqlite3Out(t, path, "SELECT count(*) FROM p"); got != "1" {
		t.Fatalf("parent rows after the refused DELETE: %s", got)
	}
}
