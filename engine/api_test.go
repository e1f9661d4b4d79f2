package engine

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

func TestErrorsCarryCodes(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(a UNIQUE, b NOT NULL, c CHECK (c < 5))")
	cases := []struct {
		sql  string
		code resultcode.Code
		msg  string
	}{
		{"SELEC 1", resultcode.Error, `near "SELEC": syntax error`},
		{"SELECT * FROM nosuch", resultcode.Error, "no such table: nosuch"},
		{"INSERT INTO t VALUES(1, NULL, 1)", resultcode.ConstraintNotNull, "NOT NULL constraint failed: t.b"},
		{"INSERT INTO t VALUES(1, 1, 9)", resultcode.ConstraintCheck, "CHECK constraint failed: c < 5"},
		{"INSERT INTO t VALUES(1, 1, 1); INSERT INTO t VALUES(1, 1, 1)", resultcode.ConstraintUnique, "UNIQUE constraint failed: t.a"},
		{"SELECT abs(-9223372036854775807 - 1)", resultcode.Error, "integer overflow"},
		{"COMMIT", resultcode.Error, "cannot commit - no transaction is active"},
		{"SELECT 1 LIMIT 'a'", resultcode.Mismatch, "datatype mismatch"},
	}
	for _, tc := range cases {
		err := c.Exec(tc.sql)
		var e *resultcode.E
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v is not a *resultcode.E", tc.sql, err)
			continue
		}
		if e.Code != tc.code || err.Error() != tc.msg {
			t.Errorf("%s: got %v (%v), want %v (%v)", tc.sql, err, e.Code, tc.msg, tc.code)
		}
	}
}

func TestStmtAPI(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name VARCHAR(10) NOT NULL, score REAL)")
	s, tail, err := c.Prepare("INSERT INTO t(name, score) VALUES(:name, ?3); SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(tail) != "SELECT 1" || s.ParamCount() != 3 || s.ParamName(1) != ":name" || s.ParamIndex(":name") != 1 || s.ParamName(2) != "" {
		t.Fatalf("params: tail=%q count=%d name=%q", tail, s.ParamCount(), s.ParamName(1))
	}
	if err := s.Bind(4, record.IntValue(1)); resultcode.Of(err) != resultcode.Range {
		t.Fatalf("out-of-range bind: %v", err)
	}
	for i, n := range []string{"ann", "bob"} {
		s.Bind(1, record.TextValue(n))
		s.Bind(3, record.RealValue(float64(i)+0.5))
		if ok, err := s.Step(); ok || err != nil {
			t.Fatalf("insert: %v %v", ok, err)
		}
		s.Reset()
	}
	s.Close()
	if c.LastInsertRowid() != 2 || c.Changes() != 1 || c.TotalChanges() != 2 || !c.AutoCommit() {
		t.Fatalf("counters: %d %d %d", c.LastInsertRowid(), c.Changes(), c.TotalChanges())
	}
	q, _, err := c.Prepare("SELECT id AS ident, name, score * 2, t.score FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var names, types []string
	for i := 0; i < q.ColumnCount(); i++ {
		names = append(names, q.ColumnName(i))
		types = append(types, q.ColumnDeclType(i))
	}
	if diff := cmp.Diff([]string{"ident", "name", "score * 2", "score"}, names); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"INTEGER", "VARCHAR(10)", "", "REAL"}, types); diff != "" {
		t.Error(diff)
	}
	if nn, known := q.ColumnNotNull(1); !nn || !known {
		t.Error("name is NOT NULL")
	}
	if !q.ReadOnly() {
		t.Error("a SELECT is read-only")
	}
	ok, err := q.Step()
	if !ok || err != nil || q.Column(2).Float != 1.0 || string(q.Column(1).Bytes) != "ann" {
		t.Fatalf("row: %v %v %v", ok, err, q.Column(2))
	}
}

func TestSharedDatabaseAndSchemaChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db1, err := Open(path, Config{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db1.Close()
	db2, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if db1 != db2 {
		t.Fatal("two Opens of one file must share the Database")
	}
	a, _ := db1.Connect()
	b, _ := db1.Connect()
	defer a.Close()
	defer b.Close()
	stmt, _, err := b.Prepare("SELECT count(*) FROM sqlite_schema")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	mustExec(t, a, "CREATE TABLE t(x); INSERT INTO t VALUES(1), (2)")
	// b prepared before the table existed; it sees it now.
	rows, err := queryRows(t, b, "SELECT sum(x) FROM t")
	if err != nil || len(rows) != 1 || rows[0] != "3" {
		t.Fatalf("b: %v %v", rows, err)
	}
	if ok, err := stmt.Step(); !ok || err != nil || stmt.Column(0).Int != 1 {
		t.Fatalf("old statement after schema change: %v %v", ok, err)
	}
	// The schema is published once and shared, not reparsed per connection.
	if a.Schema() != b.Schema() {
		t.Error("connections should share the published schema")
	}
	// A write transaction in a blocks b's writes until it ends.
	mustExec(t, a, "BEGIN IMMEDIATE")
	b.SetBusyTimeout(1)
	if err := b.Exec("INSERT INTO t VALUES(3)"); resultcode.Of(err).Primary() != resultcode.Busy {
		t.Fatalf("concurrent write: %v", err)
	}
	mustExec(t, a, "ROLLBACK")
	mustExec(t, b, "INSERT INTO t VALUES(3)")
}

func TestInterrupt(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(x); INSERT INTO t VALUES(1),(2),(3)")
	s, _, err := c.Prepare("SELECT a.x FROM t a, t b, t c, t d")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ok, err := s.Step(); !ok || err != nil {
		t.Fatal(err)
	}
	c.Interrupt()
	for {
		ok, err := s.Step()
		if err != nil {
			if resultcode.Of(err) != resultcode.Interrupt || err.Error() != "interrupted" {
				t.Fatalf("got %v", err)
			}
			break
		}
		if !ok {
			t.Fatal("the statement finished despite Interrupt")
		}
	}
	// The connection works again afterwards.
	if rows, err := queryRows(t, c, "SELECT count(*) FROM t"); err != nil || rows[0] != "3" {
		t.Fatalf("%v %v", rows, err)
	}
}

func TestExplain(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b)")
	rows, err := queryRows(t, c, "EXPLAIN QUERY PLAN SELECT * FROM t WHERE b = 5 ORDER BY a")
	if err != nil {
		t.Fatal(err)
	}
	// As in SQLite, the index holds b and the rowid a, in the order asked.
	want := []string{"2|0|0|SEARCH t USING COVERING INDEX tb (b=?)"}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Error(diff)
	}
	rows, err = queryRows(t, c, "EXPLAIN SELECT a FROM t WHERE a = 1")
	if err != nil || len(rows) < 4 || !strings.HasPrefix(rows[0], "0|Init|") {
		t.Fatalf("%v %v", rows, err)
	}
}
