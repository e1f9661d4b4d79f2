package engine

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/resultcode"
)

// fkStep is one statement of a foreign key scenario and what it must
// give: its rows, or the error sqlite3 3.40.1 gives (message and extended
// result code).
type fkStep struct {
	sql  string
	rows []string
	msg  string
	code resultcode.Code
}

func runFKSteps(t *testing.T, steps []fkStep) {
	t.Helper()
	c := memConn(t)
	for _, st := range steps {
		rows, err := queryRows(t, c, st.sql)
		if st.msg != "" {
			if err == nil {
				t.Fatalf("%s: succeeded, want %q", st.sql, st.msg)
			}
			if !strings.Contains(err.Error(), st.msg) || resultcode.Of(err) != st.code {
				t.Fatalf("%s: error %q (code %d), want %q (code %d)", st.sql, err, resultcode.Of(err), st.msg, st.code)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.sql, err)
		}
		if st.rows != nil {
			if diff := cmp.Diff(st.rows, rows); diff != "" {
				t.Fatalf("%s: (-want +got)\n%s", st.sql, diff)
			}
		}
	}
}

const fkFailed = "FOREIGN KEY constraint failed"

// Ensure that violations fail with SQLite's messages and extended codes:
// SQLITE_CONSTRAINT_FOREIGNKEY, SQLITE_CONSTRAINT_TRIGGER for RESTRICT
// (SQLite implements it as a trigger), SQLITE_ERROR for a parent without
// a usable key.
func TestForeignKeyErrors(t *testing.T) {
	runFKSteps(t, []fkStep{
		{sql: "PRAGMA foreign_keys=ON"},
		{sql: "CREATE TABLE p(id INTEGER PRIMARY KEY, u UNIQUE)"},
		{sql: "CREATE TABLE c(x REFERENCES p, y REFERENCES p(u) ON DELETE RESTRICT)"},
		{sql: "CREATE TABLE q(n)"},
		{sql: "CREATE TABLE m(z REFERENCES q(n))"},
		{sql: "INSERT INTO p VALUES(1, 'a')"},
		{sql: "INSERT INTO q VALUES(1)"},
		{sql: "INSERT INTO c(x) VALUES(2)", msg: fkFailed, code: resultcode.ConstraintForeignKey},
		{sql: "INSERT INTO c(x, y) VALUES(1, 'a')"},
		{sql: "DELETE FROM p", msg: fkFailed, code: resultcode.ConstraintTrigger},
		{sql: "INSERT INTO m VALUES(1)", msg: `foreign key mismatch - "m" referencing "q"`, code: resultcode.Error},
		{sql: "CREATE TABLE orphan(x REFERENCES nosuch)"},
		{sql: "INSERT INTO orphan VALUES(1)", msg: "no such table: main.nosuch", code: resultcode.Error},
		{sql: "SELECT count(*) FROM c", rows: []string{"1"}},
	})
}

// Ensure that a deferred violation fails COMMIT and leaves the
// transaction open, that a savepoint rollback and a failed statement give
// back their share of the count, and that the pragma cannot change inside
// a transaction.
func TestForeignKeyDeferred(t *testing.T) {
	runFKSteps(t, []fkStep{
		{sql: "PRAGMA foreign_keys=ON"},
		{sql: "CREATE TABLE p(id INTEGER PRIMARY KEY)"},
		{sql: "CREATE TABLE d(x REFERENCES p DEFERRABLE INITIALLY DEFERRED, y UNIQUE)"},
		{sql: "BEGIN"},
		{sql: "PRAGMA foreign_keys=OFF"},
		{sql: "PRAGMA foreign_keys", rows: []string{"1"}},
		{sql: "INSERT INTO d VALUES(99, 1)"},
		{sql: "INSERT INTO d VALUES(98, 2), (97, 1)", msg: "UNIQUE constraint failed: d.y", code: resultcode.ConstraintUnique},
		{sql: "SAVEPOINT s"},
		{sql: "INSERT INTO d VALUES(96, 3)"},
		{sql: "ROLLBACK TO s"},
		{sql: "RELEASE s"},
		{sql: "COMMIT", msg: fkFailed, code: resultcode.ConstraintForeignKey},
		{sql: "SELECT x FROM d", rows: []string{"99"}},
		{sql: "INSERT INTO p VALUES(99)"},
		{sql: "COMMIT"},
		{sql: "INSERT INTO d VALUES(5, 5)", msg: fkFailed, code: resultcode.ConstraintForeignKey},
		{sql: "SELECT count(*) FROM d", rows: []string{"1"}},
	})
}

// Ensure that a statement prepared before PRAGMA foreign_keys changed is
// compiled again: enforcement follows the pragma, not the cached program.
func TestForeignKeyPragmaRecompiles(t *testing.T) {
	c := memConn(t)
	for _, sql := range []string{
		"CREATE TABLE p(id INTEGER PRIMARY KEY)",
		"CREATE TABLE c(x REFERENCES p)",
	} {
		if err := c.Exec(sql); err != nil {
			t.Fatal(err)
		}
	}
	s, _, err := c.Prepare("INSERT INTO c VALUES(7)")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Step(); err != nil {
		t.Fatalf("foreign_keys off: %v", err)
	}
	if err := c.Exec("PRAGMA foreign_keys=ON"); err != nil {
		t.Fatal(err)
	}
	s.Reset()
	if _, err := s.Step(); resultcode.Of(err) != resultcode.ConstraintForeignKey {
		t.Fatalf("foreign_keys on: %v, want %s", err, fkFailed)
	}
	rows, err := queryRows(t, c, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c|1|p|0"}, rows); diff != "" {
		t.Errorf("foreign_key_check (-want +got)\n%s", diff)
	}
}

// Ensure that actions nested deeper than the compiled limit fail the
// statement instead of growing the program without bound, and that two
// self-references (which double the code at each level) compile quickly.
func TestForeignKeyCascadeDepth(t *testing.T) {
	c := memConn(t)
	for _, sql := range []string{
		"PRAGMA foreign_keys=ON",
		"CREATE TABLE t(id INTEGER PRIMARY KEY, a REFERENCES t ON DELETE CASCADE, b REFERENCES t ON DELETE CASCADE)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<20) INSERT INTO t SELECT i, nullif(i-1, 0), NULL FROM n",
	} {
		if err := c.Exec(sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := c.Exec("DELETE FROM t WHERE id = 15"); err != nil {
		t.Fatalf("shallow cascade: %v", err)
	}
	rows, err := queryRows(t, c, "SELECT count(*) FROM t")
	if err != nil || rows[0] != "14" {
		t.Fatalf("after the cascade: %v %v, want 14 rows", rows, err)
	}
	s, _, err := c.Prepare("DELETE FROM t WHERE id = 1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := len(s.prog.Ops); n > 3*fkTestOpBudget {
		t.Errorf("program of %d instructions", n)
	}
}

const fkTestOpBudget = 20000

// Ensure that a prepared statement that failed on a violation succeeds
// when run again after the violation is gone: the statement's counter
// starts from zero at every run.
func TestForeignKeyRerunAfterFailure(t *testing.T) {
	c := memConn(t)
	for _, sql := range []string{
		"PRAGMA foreign_keys=ON",
		"CREATE TABLE p(a UNIQUE, b)",
		"CREATE TABLE c(x REFERENCES p(a))",
		"INSERT INTO p VALUES('A', 1)",
		"INSERT INTO c VALUES('A')",
	} {
		if err := c.Exec(sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	s, _, err := c.Prepare("UPDATE p SET a = 'z' WHERE b = 1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Step(); resultcode.Of(err) != resultcode.ConstraintForeignKey {
		t.Fatalf("first run: %v, want %s", err, fkFailed)
	}
	s.Reset()
	if err := c.Exec("DELETE FROM c"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Step(); err != nil {
		t.Fatalf("second run: %v", err)
	}
}
