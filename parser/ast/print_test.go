package ast_test

import (
	"testing"

	"github.com/wrendb/wren/parser/ast"
)

func col(name string) *ast.ColumnRef { return &ast.ColumnRef{Column: ast.Ident{Name: name}} }

func num(s string) *ast.Literal { return &ast.Literal{Kind: ast.LitInteger, Raw: s, Value: s} }

// Ensure that the printer adds the parentheses a hand-built tree needs
// and no others.
func TestStringParenthesizesByPrecedence(t *testing.T) {
	tests := []struct {
		node ast.Node
		want string
	}{
		{&ast.Binary{Op: ast.OpMul, X: &ast.Binary{Op: ast.OpAdd, X: col("a"), Y: col("b")}, Y: col("c")}, "(a + b) * c"},
		{&ast.Binary{Op: ast.OpAdd, X: col("a"), Y: &ast.Binary{Op: ast.OpMul, X: col("b"), Y: col("c")}}, "a + b * c"},
		{&ast.Binary{Op: ast.OpSub, X: col("a"), Y: &ast.Binary{Op: ast.OpSub, X: col("b"), Y: col("c")}}, "a - (b - c)"},
		{&ast.Binary{Op: ast.OpSub, X: &ast.Binary{Op: ast.OpSub, X: col("a"), Y: col("b")}, Y: col("c")}, "a - b - c"},
		{&ast.Unary{Op: ast.OpNeg, X: &ast.Unary{Op: ast.OpNeg, X: num("1")}}, "-(-1)"},
		{&ast.Unary{Op: ast.OpNot, X: &ast.Binary{Op: ast.OpEq, X: col("a"), Y: col("b")}}, "NOT a = b"},
		{&ast.Binary{Op: ast.OpEq, X: &ast.Unary{Op: ast.OpNot, X: col("a")}, Y: col("b")}, "(NOT a) = b"},
		{&ast.Binary{Op: ast.OpAnd, X: &ast.Binary{Op: ast.OpOr, X: col("a"), Y: col("b")}, Y: col("c")}, "(a OR b) AND c"},
		{&ast.Between{X: col("a"), Low: &ast.Binary{Op: ast.OpAnd, X: col("b"), Y: col("c")}, High: col("d")}, "a BETWEEN (b AND c) AND d"},
		{&ast.Collate{X: &ast.Binary{Op: ast.OpConcat, X: col("a"), Y: col("b")}, Collation: ast.Ident{Name: "nocase"}}, "(a || b) COLLATE nocase"},
		{&ast.Like{Not: true, X: col("a"), Pattern: &ast.Literal{Kind: ast.LitString, Raw: "'x%'"}, Escape: &ast.Literal{Kind: ast.LitString, Raw: "'!'"}}, "a NOT LIKE 'x%' ESCAPE '!'"},
		{&ast.IsNull{Not: true, X: &ast.Binary{Op: ast.OpAdd, X: col("a"), Y: num("1")}}, "a + 1 NOTNULL"},
		{ast.Ident{Name: `we"ird`, Quote: '"'}, `"we""ird"`},
		{ast.Ident{Name: "x y", Quote: '['}, "[x y]"},
		{ast.QualifiedName{Schema: ast.Ident{Name: "main"}, Name: ast.Ident{Name: "t"}}, "main.t"},
		{&ast.Drop{Kind: ast.ObjIndex, IfExists: true, Name: ast.QualifiedName{Name: ast.Ident{Name: "i"}}}, "DROP INDEX IF EXISTS i"},
	}
	for _, tt := range tests {
		if got := ast.String(tt.node); got != tt.want {
			t.Errorf("String = %q, want %q", got, tt.want)
		}
	}
}

// Ensure that the zero Ident means absent and a quoted empty name does not.
func TestIdentIsZero(t *testing.T) {
	if !(ast.Ident{}).IsZero() {
		t.Error("zero Ident is not zero")
	}
	if (ast.Ident{Quote: '"'}).IsZero() {
		t.Error(`"" is taken for an absent name`)
	}
}

// Ensure that DeclaredType cuts GENERATED ALWAYS the way sqlite3AddColumn
// does, quirks included.
func TestDeclaredType(t *testing.T) {
	tests := map[string]string{
		"":                       "",
		"INT":                    "INT",
		"ALWAYS":                 "ALWAYS",
		"GENERATED ALWAYS":       "",
		"INT GENERATED ALWAYS":   "INT",
		"varchar(10) always":     "varchar(10)",
		"A000000000ALWAYSALWAYS": "A000000000ALWAYS",
	}
	for in, want := range tests {
		c := ast.ColumnDef{Type: in}
		if got := c.DeclaredType(); got != want {
			t.Errorf("DeclaredType(%q) = %q, want %q", in, got, want)
		}
	}
}
