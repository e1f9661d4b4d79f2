package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser/ast"
)

// Ensure that Parse returns one statement and the text after its
// semicolon, and skips comments and empty statements.
func TestParseReturnsTheTail(t *testing.T) {
	tests := []struct {
		sql      string
		wantNil  bool
		wantTail string
	}{
		{"SELECT 1; SELECT 2", false, " SELECT 2"},
		{"SELECT 1;", false, ""},
		{"SELECT 1", false, ""},
		{";;; SELECT 1;;", false, ";"},
		{"-- only a comment", true, ""},
		{"  /* block */ ; ; -- x\n", true, ""},
		{"", true, ""},
		{"/* unterminated", true, ""},
		{"SELECT 1 -- trailing\n; x", false, " x"},
		{"SELECT 1\x00 garbage", false, ""},
	}
	for _, tt := range tests {
		stmt, tail, err := Parse(tt.sql)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.sql, err)
			continue
		}
		if (stmt == nil) != tt.wantNil || tail != tt.wantTail {
			t.Errorf("Parse(%q) = %v, tail %q; want nil=%v, tail %q", tt.sql, stmt, tail, tt.wantNil, tt.wantTail)
		}
	}
}

// Ensure that ParseAll returns every statement, and reports an error's
// offset in the whole text.
func TestParseAll(t *testing.T) {
	stmts, err := ParseAll("CREATE TABLE t(a); -- c\nINSERT INTO t VALUES(1);; SELECT * FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 {
		t.Fatalf("got %d statements", len(stmts))
	}
	sql := "SELECT 1; SELECT 2; SELECT FROM"
	_, err = ParseAll(sql)
	e, ok := err.(*Error)
	if !ok || e.Msg != `near "FROM": syntax error` || e.Offset != strings.LastIndex(sql, "FROM") {
		t.Fatalf("got %#v", err)
	}
}

// Ensure that errors carry the offset of the token SQLite names.
func TestErrorOffsets(t *testing.T) {
	tests := []struct {
		sql    string
		offset int
	}{
		{"SELECT * FROM", 13},
		{"SELECT 1 garbage garbage", 17},
		{"SELECT 'abc", 7},
		{"SELECT 1 FROM t WHERE !", 22},
	}
	for _, tt := range tests {
		_, _, err := Parse(tt.sql)
		e, ok := err.(*Error)
		if !ok || e.Offset != tt.offset {
			t.Errorf("Parse(%q) error %#v, want offset %d", tt.sql, err, tt.offset)
		}
	}
}

// sexpr renders an expression with every operator parenthesized, to check
// the tree's shape rather than its printing.
func sexpr(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Binary:
		return fmt.Sprintf("(%s %s %s)", sexpr(e.X), e.Op, sexpr(e.Y))
	case *ast.Unary:
		op := [...]string{"-", "+", "~", "NOT"}[e.Op]
		return fmt.Sprintf("(%s %s)", op, sexpr(e.X))
	case *ast.Like:
		s := fmt.Sprintf("(%s %s %s", sexpr(e.X), e.Op, sexpr(e.Pattern))
		if e.Not {
			s = "NOT" + s
		}
		if e.Escape != nil {
			s += " ESCAPE " + sexpr(e.Escape)
		}
		return s + ")"
	case *ast.Between:
		return fmt.Sprintf("(%s BETWEEN %s %s)", sexpr(e.X), sexpr(e.Low), sexpr(e.High))
	case *ast.IsNull:
		return fmt.Sprintf("(%s ISNULL %v)", sexpr(e.X), e.Not)
	case *ast.Collate:
		return fmt.Sprintf("(%s COLLATE %s)", sexpr(e.X), e.Collation.Name)
	case *ast.In:
		return fmt.Sprintf("(%s IN %d)", sexpr(e.X), len(e.List))
	}
	return ast.String(e)
}

// Ensure that operators bind with SQLite's precedence and associativity.
func TestPrecedence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1 + 2 * 3", "(1 + (2 * 3))"},
		{"1 - 2 - 3", "((1 - 2) - 3)"},
		{"a OR b AND c", "(a OR (b AND c))"},
		{"NOT a = b", "(NOT (a = b))"},
		{"NOT a AND b", "((NOT a) AND b)"},
		{"a = b = c", "((a = b) = c)"},
		{"a < b = c", "((a < b) = c)"},
		{"a = b < c", "(a = (b < c))"},
		{"-a * b", "((- a) * b)"},
		{"-a COLLATE x", "((- a) COLLATE x)"},
		{"a || b -> c", "((a || b) -> c)"},
		{"a + b || c", "(a + (b || c))"},
		{"a & b + c", "(a & (b + c))"},
		{"a < b & c", "(a < (b & c))"},
		{"a BETWEEN b AND c AND d", "((a BETWEEN b c) AND d)"},
		{"a BETWEEN b + 1 AND c = d", "((a BETWEEN (b + 1) c) = d)"},
		{"a LIKE b ESCAPE c = d", "((a LIKE b ESCAPE c) = d)"},
		{"a NOT LIKE b || c", "NOT(a LIKE (b || c))"},
		{"a IS NOT NULL AND b", "((a IS NOT NULL) AND b)"},
		{"a NOT NULL = b", "((a ISNULL true) = b)"},
		{"a IN (1, 2) = b", "((a IN 2) = b)"},
		{"a = 1 COLLATE nocase", "(a = (1 COLLATE nocase))"},
		{"~a + b", "((~ a) + b)"},
		{"a IS DISTINCT FROM b", "(a IS NOT b)"},
		{"a ->> b * c", "((a ->> b) * c)"},
		{"a - -b", "(a - (- b))"},
		{"NOT NOT a", "(NOT (NOT a))"},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.in)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.in, err)
			continue
		}
		if got := sexpr(e); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Ensure that names keep their quoting and literals their source text.
func TestIdentsAndLiterals(t *testing.T) {
	st, _, err := Parse(`SELECT "a""b", [c d], ` + "`e``f`" + `, 'it''s', x'0aFF', 0x10, 1e3, ?2, :n FROM "T"`)
	if err != nil {
		t.Fatal(err)
	}
	cols := st.(*ast.Select).Core.Columns
	ident := func(i int) ast.Ident { return cols[i].Expr.(*ast.ColumnRef).Column }
	if id := ident(0); id.Name != `a"b` || id.Quote != '"' || !id.Quoted() || id.Position != 7 {
		t.Errorf("double-quoted: %+v", id)
	}
	if id := ident(1); id.Name != "c d" || id.Quote != '[' {
		t.Errorf("bracketed: %+v", id)
	}
	if id := ident(2); id.Name != "e`f" || id.Quote != '`' {
		t.Errorf("backquoted: %+v", id)
	}
	lit := func(i int) *ast.Literal { return cols[i].Expr.(*ast.Literal) }
	if l := lit(3); l.Kind != ast.LitString || l.Value != "it's" || l.Raw != "'it''s'" {
		t.Errorf("string: %+v", l)
	}
	if l := lit(4); l.Kind != ast.LitBlob || l.Value != "0aFF" {
		t.Errorf("blob: %+v", l)
	}
	if l := lit(5); l.Kind != ast.LitInteger || l.Raw != "0x10" {
		t.Errorf("hex: %+v", l)
	}
	if l := lit(6); l.Kind != ast.LitFloat || l.Raw != "1e3" {
		t.Errorf("real: %+v", l)
	}
	if v := cols[7].Expr.(*ast.Variable); v.Raw != "?2" {
		t.Errorf("variable: %+v", v)
	}
	if cols[0].Text != `"a""b"` {
		t.Errorf("column text %q", cols[0].Text)
	}
	from := st.(*ast.Select).Core.From.Items[0].Source.(*ast.TableName)
	if from.Name.Name.Name != "T" || from.Name.Name.Quote != '"' {
		t.Errorf("table name %+v", from.Name)
	}
}

// Ensure that CREATE statements keep their text, column types and DEFAULT
// text as written, as SQLite stores them in sqlite_schema.
func TestCreateKeepsSourceText(t *testing.T) {
	sql := "  create table if not exists T (a varchar ( 10 ) default (1+2), b default -5, c, d generated always as (a) stored) ; SELECT 1"
	st, tail, err := Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	ct := st.(*ast.CreateTable)
	if ct.Text != "create table if not exists T (a varchar ( 10 ) default (1+2), b default -5, c, d generated always as (a) stored)" {
		t.Errorf("text %q", ct.Text)
	}
	if tail != " SELECT 1" {
		t.Errorf("tail %q", tail)
	}
	got := []string{ct.Columns[0].Type, ct.Columns[1].Type, ct.Columns[2].Type, ct.Columns[3].Type, ct.Columns[3].DeclaredType()}
	if diff := cmp.Diff([]string{"varchar ( 10 )", "", "", "generated always", ""}, got); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	if d := ct.Columns[0].Constraints[0]; d.Kind != ast.ConsDefault || d.DefaultText != "(1+2)" {
		t.Errorf("default %+v", d)
	}
	if d := ct.Columns[1].Constraints[0]; d.DefaultText != "-5" {
		t.Errorf("default %+v", d)
	}
	if g := ct.Columns[3].Constraints[0]; g.Kind != ast.ConsGenerated || !g.Stored || g.Always {
		t.Errorf("generated %+v", g)
	}
	for _, sql := range []string{
		"CREATE INDEX i ON t(a) WHERE a > 0",
		"CREATE VIEW v AS SELECT 1",
		"CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END",
		"CREATE VIRTUAL TABLE v USING fts5(a, b)",
	} {
		st, _, err := Parse(sql + ";")
		if err != nil {
			t.Fatal(err)
		}
		var text string
		switch s := st.(type) {
		case *ast.CreateIndex:
			text = s.Text
		case *ast.CreateView:
			text = s.Text
		case *ast.CreateTrigger:
			text = s.Text
		case *ast.CreateVirtualTable:
			text = s.Text
		}
		if text != sql {
			t.Errorf("Text = %q, want %q", text, sql)
		}
	}
}

// Ensure that the keywords SQLite lets stand for names do, and the others
// do not.
func TestKeywordsAsNames(t *testing.T) {
	ok := []string{
		"CREATE TABLE t(key, value, replace, abort)",
		"SELECT rowid, oid, _rowid_ FROM t",
		"SELECT key FROM t WHERE value = 1",
		"SELECT left.x FROM t AS left",
		"CREATE TABLE if_(if_)",
		"SELECT a AS key, b replace FROM t",
		"SELECT filter, over, window FROM t",
		"SELECT * FROM t AS over",
	}
	for _, sql := range ok {
		if _, _, err := Parse(sql); err != nil {
			t.Errorf("%s: %v", sql, err)
		}
	}
	bad := map[string]string{
		"SELECT order FROM t":         `near "order": syntax error`,
		"CREATE TABLE t(a, select)":   `near "select": syntax error`,
		"SELECT a FROM t AS group":    `near "group": syntax error`,
		"SELECT a FROM t WHERE where": `near "where": syntax error`,
	}
	for sql, want := range bad {
		if _, _, err := Parse(sql); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", sql, err, want)
		}
	}
}

// Ensure that the tree of a typical statement has the expected shape.
func TestSelectShape(t *testing.T) {
	st, _, err := Parse("SELECT a, b AS c FROM t JOIN u ON t.id = u.id WHERE x > ? ORDER BY a DESC LIMIT 5, 10")
	if err != nil {
		t.Fatal(err)
	}
	want := &ast.Select{
		Core: &ast.SelectCore{
			Columns: []ast.ResultColumn{
				{Expr: &ast.ColumnRef{Column: ast.Ident{Name: "a"}}},
				{Expr: &ast.ColumnRef{Column: ast.Ident{Name: "b"}}, Alias: ast.Ident{Name: "c"}, AliasedAs: true},
			},
			From: &ast.From{Items: []ast.JoinItem{
				{Source: &ast.TableName{Name: ast.QualifiedName{Name: ast.Ident{Name: "t"}}}},
				{Source: &ast.TableName{Name: ast.QualifiedName{Name: ast.Ident{Name: "u"}}},
					On: &ast.Binary{Op: ast.OpEq,
						X: &ast.ColumnRef{Table: ast.Ident{Name: "t"}, Column: ast.Ident{Name: "id"}},
						Y: &ast.ColumnRef{Table: ast.Ident{Name: "u"}, Column: ast.Ident{Name: "id"}}}},
			}},
			Where: &ast.Binary{Op: ast.OpGt, X: &ast.ColumnRef{Column: ast.Ident{Name: "x"}}, Y: &ast.Variable{Raw: "?"}},
		},
		OrderBy: []ast.OrderingTerm{{Expr: &ast.ColumnRef{Column: ast.Ident{Name: "a"}}, Order: ast.SortDesc}},
		Limit:   &ast.Literal{Kind: ast.LitInteger, Raw: "10", Value: "10"},
		Offset:  &ast.Literal{Kind: ast.LitInteger, Raw: "5", Value: "5"},
	}
	if diff := cmp.Diff(want, st, ignoreSpans); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}
