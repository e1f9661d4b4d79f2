package schema

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/parser/ast"
)

func TestStoredSQL(t *testing.T) {
	// The texts sqlite3 3.40 stores for these statements.
	cases := map[string]string{
		"create table if not exists main.t(a integer primary key, b unique, c)": "CREATE TABLE t(a integer primary key, b unique, c)",
		"create unique index if not exists i on t(c)":                           "CREATE UNIQUE INDEX i on t(c)",
		"create view if not exists main.v as select 1":                          "CREATE VIEW v as select 1",
		"create trigger if not exists tr after insert on t begin select 1; end": "CREATE TRIGGER tr after insert on t begin select 1; end",
		`CREATE TEMP TABLE "q x"(a)`:                                            `CREATE TABLE "q x"(a)`,
	}
	for in, want := range cases {
		st, _, err := parser.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := StoredSQL(st); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestFromCreateTable(t *testing.T) {
	st, _, err := parser.Parse(`CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT NOT NULL COLLATE NOCASE UNIQUE,
		b REAL DEFAULT 1.5, c, UNIQUE(b, c), PRIMARY KEY(a, b), CHECK (b > 0))`)
	if err == nil {
		_, _, err = FromCreateTable(st.(*ast.CreateTable))
	}
	if err == nil || err.Error() != `table "t" has more than one primary key` {
		t.Fatalf("got %v", err)
	}
	st, _, _ = parser.Parse(`CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT NOT NULL COLLATE NOCASE UNIQUE,
		b REAL DEFAULT 1.5, c, UNIQUE(b, c), CHECK (b > 0))`)
	tbl, autos, err := FromCreateTable(st.(*ast.CreateTable))
	if err != nil {
		t.Fatal(err)
	}
	if tbl.RowidAlias != 0 || !tbl.Columns[1].NotNull || tbl.Columns[1].Collation != "NOCASE" || len(tbl.Checks) != 1 {
		t.Fatalf("table: %+v", tbl)
	}
	var names []string
	for _, ix := range autos {
		names = append(names, ix.Name)
	}
	if diff := cmp.Diff([]string{"sqlite_autoindex_t_1", "sqlite_autoindex_t_2"}, names); diff != "" {
		t.Fatal(diff)
	}
	if autos[0].Columns[0].Collation != "NOCASE" {
		t.Fatalf("a UNIQUE column index takes the column's collation: %+v", autos[0].Columns)
	}
}

func TestBuildAndClone(t *testing.T) {
	rows := []Row{
		{Type: "table", Name: "t", TableName: "t", Root: 2, SQL: "CREATE TABLE t(a PRIMARY KEY, b)", HasSQL: true},
		{Type: "index", Name: "sqlite_autoindex_t_1", TableName: "t", Root: 3},
		{Type: "index", Name: "tb", TableName: "t", Root: 4, SQL: "CREATE INDEX tb ON t(b DESC)", HasSQL: true},
		{Type: "view", Name: "v", TableName: "v", SQL: "CREATE VIEW v AS SELECT a FROM t", HasSQL: true},
	}
	s, err := Build(rows, 7)
	if err != nil {
		t.Fatal(err)
	}
	tb := s.Table("T")
	if tb == nil || len(tb.Indexes) != 2 || tb.Indexes[0].Name != "tb" || !tb.Indexes[0].Columns[0].Desc {
		t.Fatalf("indexes: %+v", tb)
	}
	if s.Index("sqlite_autoindex_t_1").Root != 3 || s.View("v") == nil || s.Table("sqlite_master") == nil {
		t.Fatal("lookup failed")
	}
	c := s.Clone()
	delete(c.Tables, "t")
	if s.Table("t") == nil {
		t.Fatal("Clone shares its maps")
	}
	if _, err := Build([]Row{{Type: "table", Name: "x", SQL: "CREATE TABLE x(", HasSQL: true}}, 0); err == nil {
		t.Fatal("a malformed schema must fail")
	}
}
