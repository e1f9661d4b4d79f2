package compile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

func fkSchema(t *testing.T) *schema.Schema {
	t.Helper()
	rows := []schema.Row{
		{Type: "table", Name: "p", Root: 2, SQL: "CREATE TABLE p(id INTEGER PRIMARY KEY, u TEXT UNIQUE, n, v COLLATE NOCASE UNIQUE)", HasSQL: true},
		{Type: "index", Name: "sqlite_autoindex_p_1", Root: 3},
		{Type: "index", Name: "sqlite_autoindex_p_2", Root: 4},
		{Type: "table", Name: "c", Root: 5, SQL: "CREATE TABLE c(a REFERENCES p, b REFERENCES p(u) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, " +
			"x, y, FOREIGN KEY(x, y) REFERENCES p(u, n) ON UPDATE SET NULL MATCH FULL)", HasSQL: true},
		{Type: "table", Name: "d", Root: 7, SQL: "CREATE TABLE d(a REFERENCES p, b REFERENCES p(u) DEFERRABLE INITIALLY DEFERRED)", HasSQL: true},
		{Type: "table", Name: "m", Root: 6, SQL: "CREATE TABLE m(a REFERENCES p(n), b COLLATE NOCASE REFERENCES p(v))", HasSQL: true},
	}
	s, err := schema.Build(rows, 1)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Ensure that constraints are read from CREATE TABLE as PRAGMA
// foreign_key_list shows them: the last declared is number 0.
func TestForeignKeysOfTable(t *testing.T) {
	sch := fkSchema(t)
	var got []string
	for _, f := range ForeignKeys(sch.Table("c")) {
		got = append(got, fmt.Sprintf("%d %v %s %v del=%s upd=%s match=%q deferred=%v",
			f.ID, f.From, f.Parent, f.To, ActionName(f.OnDelete), ActionName(f.OnUpdate), f.Match, f.Deferred))
	}
	want := []string{
		`0 [2 3] p [u n] del=NO ACTION upd=SET NULL match="FULL" deferred=false`,
		`1 [1] p [u] del=CASCADE upd=NO ACTION match="" deferred=true`,
		`2 [0] p [] del=NO ACTION upd=NO ACTION match="" deferred=false`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if n := len(ReferencesTo(sch, "P")); n != 7 {
		t.Errorf("ReferencesTo(p) = %d constraints, want 7", n)
	}
}

// Ensure that a parent key is the INTEGER PRIMARY KEY or a UNIQUE index
// with the parent column's own collation, and anything else is SQLite's
// "foreign key mismatch".
func TestLocateParent(t *testing.T) {
	sch := fkSchema(t)
	var got []string
	for _, child := range []string{"c", "m"} {
		for _, f := range ForeignKeys(sch.Table(child)) {
			pk, err := locateParent(sch, f)
			switch {
			case err != nil:
				got = append(got, fmt.Sprintf("%s %d: %v", child, f.ID, err))
			case pk.ix == nil:
				got = append(got, fmt.Sprintf("%s %d: rowid", child, f.ID))
			default:
				got = append(got, fmt.Sprintf("%s %d: %s", child, f.ID, pk.ix.Name))
			}
		}
	}
	want := []string{
		`c 0: foreign key mismatch - "c" referencing "p"`,
		`c 1: sqlite_autoindex_p_1`,
		`c 2: rowid`,
		`m 0: sqlite_autoindex_p_2`,
		`m 1: foreign key mismatch - "m" referencing "p"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// Ensure that enforcement is compiled only when asked for, and that a
// statement with an immediate constraint ends with its check.
func TestForeignKeyCode(t *testing.T) {
	sch := fkSchema(t)
	count := func(sql string, on bool) (halts, deferred int) {
		st, _, err := parser.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Compile(st, &Env{Schema: sch, ForeignKeys: on})
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		for _, op := range prog.Ops {
			if op.Code == vdbe.CodeHalt && strings.Contains(op.P4.Str, "FOREIGN KEY") {
				halts++
			}
			if op.Code == vdbe.CodeFkCounter {
				deferred++
			}
		}
		return halts, deferred
	}
	if h, d := count("INSERT INTO d VALUES(1, 'x')", false); h != 0 || d != 0 {
		t.Errorf("foreign_keys off: %d halts, %d deferred counters", h, d)
	}
	if h, d := count("INSERT INTO d VALUES(1, 'x')", true); h != 1 || d == 0 {
		t.Errorf("foreign_keys on: %d halts, %d deferred counters; want 1 and some", h, d)
	}
	if _, err := Compile(mustParse(t, "INSERT INTO m(b) VALUES(1)"), &Env{Schema: sch, ForeignKeys: true}); err == nil ||
		err.Error() != `foreign key mismatch - "m" referencing "p"` {
		t.Errorf("mismatch: %v", err)
	}
}

func mustParse(t *testing.T, sql string) ast.Stmt {
	t.Helper()
	st, _, err := parser.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
