package compile

import "github.com/wrendb/wren/parser/ast"

// walkExpr calls fn for e and, while fn returns true, for its
// sub-expressions. Subqueries are not entered: fn sees the Subquery,
// Exists or In node and decides.
func walkExpr(e ast.Expr, fn func(ast.Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch e := e.(type) {
	case *ast.Unary:
		walkExpr(e.X, fn)
	case *ast.Binary:
		walkExpr(e.X, fn)
		walkExpr(e.Y, fn)
	case *ast.Like:
		walkExpr(e.X, fn)
		walkExpr(e.Pattern, fn)
		walkExpr(e.Escape, fn)
	case *ast.Between:
		walkExpr(e.X, fn)
		walkExpr(e.Low, fn)
		walkExpr(e.High, fn)
	case *ast.In:
		walkExpr(e.X, fn)
		for _, x := range e.List {
			walkExpr(x, fn)
		}
		for _, x := range e.Args {
			walkExpr(x, fn)
		}
	case *ast.IsNull:
		walkExpr(e.X, fn)
	case *ast.Collate:
		walkExpr(e.X, fn)
	case *ast.Cast:
		walkExpr(e.X, fn)
	case *ast.Case:
		walkExpr(e.Operand, fn)
		for _, w := range e.Whens {
			walkExpr(w.Cond, fn)
			walkExpr(w.Result, fn)
		}
		walkExpr(e.Else, fn)
	case *ast.Row:
		for _, x := range e.Exprs {
			walkExpr(x, fn)
		}
	case *ast.FuncCall:
		for _, x := range e.Args {
			walkExpr(x, fn)
		}
		walkExpr(e.Filter, fn)
	case *ast.Raise:
		walkExpr(e.Message, fn)
	}
}

// hasSubquery reports whether e contains a subquery.
func hasSubquery(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Subquery, *ast.Exists:
			found = true
		case *ast.In:
			if x.Select != nil || x.Table != nil {
				found = true
			}
		}
		return !found
	})
	return found
}

// splitAnd appends the AND-connected terms of e to out.
func splitAnd(e ast.Expr, out []ast.Expr) []ast.Expr {
	if e == nil {
		return out
	}
	if b, ok := e.(*ast.Binary); ok && b.Op == ast.OpAnd {
		out = splitAnd(b.X, out)
		return splitAnd(b.Y, out)
	}
	return append(out, e)
}

// hasColumnRef reports whether e names any column (of its own query, of an
// enclosing one, or a result alias).
func hasColumnRef(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.ColumnRef); ok {
			found = true
		}
		return !found
	})
	return found
}
