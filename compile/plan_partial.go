package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/schema"
)

// Partial indexes.
//
// A partial index holds only the rows its WHERE accepts, so a loop may
// read it instead of its table only when the query's own terms already
// reject every other row: when each AND-term of the index's WHERE is
// implied by a WHERE term, or by an ON term of the source's own join.
// As in SQLite, "implied" is decided on the shape of the expressions:
// the same expression, one side of an OR, or "col IS NOT NULL" (NOTNULL)
// implied by any term that cannot be true while col is NULL, such as
// "col", "col > 5" or "col + 1 = x".

// partialIndexImplied reports whether the query's terms imply the WHERE of
// the partial index ix on source si.
func (c *compiler) partialIndexImplied(sc *scope, si int, ix *schema.Index, terms []*wterm) bool {
	if ix.Partial == nil {
		return true
	}
	for _, need := range splitAnd(ix.Partial, nil) {
		found := false
		for _, t := range terms {
			if t.onSrc >= 0 && t.onSrc != si {
				continue // the ON clause of another source's outer join
			}
			if c.termImplies(sc, si, t.e, need) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// termImplies reports whether the query term e, when true, makes need (a
// term of an index's WHERE on source si's table) true.
func (c *compiler) termImplies(sc *scope, si int, e, need ast.Expr) bool {
	if c.sameIndexExpr(sc, si, e, need) {
		return true
	}
	if b, ok := need.(*ast.Binary); ok && b.Op == ast.OpOr {
		return c.termImplies(sc, si, e, b.X) || c.termImplies(sc, si, e, b.Y)
	}
	if x, ok := notNullOperand(need); ok {
		if l, isLit := x.(*ast.Literal); isLit && l.Kind == ast.LitNull {
			return false
		}
		return c.impliesNotNull(sc, si, e, x, false)
	}
	return false
}

// notNullOperand returns x when e is "x IS NOT NULL", "x NOTNULL" or "x
// NOT NULL".
func notNullOperand(e ast.Expr) (ast.Expr, bool) {
	switch e := e.(type) {
	case *ast.IsNull:
		if e.Not {
			return e.X, true
		}
	case *ast.Binary:
		if l, ok := e.Y.(*ast.Literal); ok && e.Op == ast.OpIsNot && l.Kind == ast.LitNull {
			return e.X, true
		}
	}
	return nil, false
}

// impliesNotNull reports whether e cannot be true while nn is NULL: nn
// itself, or an operator that yields NULL when that operand is NULL. Under
// a NOT (seenNot), a comparison or IN that is false may turn true, so
// only the operators that are NULL on a NULL operand count.
func (c *compiler) impliesNotNull(sc *scope, si int, e, nn ast.Expr, seenNot bool) bool {
	if c.sameIndexExpr(sc, si, e, nn) {
		return true
	}
	switch e := e.(type) {
	case *ast.In:
		if e.Table != nil || (e.Select != nil && (seenNot || e.Not)) || (e.Select == nil && len(e.List) == 0) {
			return false
		}
		return c.impliesNotNull(sc, si, e.X, nn, true)
	case *ast.Between:
		if seenNot || e.Not {
			return false
		}
		return c.impliesNotNull(sc, si, e.Low, nn, true) ||
			c.impliesNotNull(sc, si, e.High, nn, true) ||
			c.impliesNotNull(sc, si, e.X, nn, true)
	case *ast.Binary:
		switch e.Op {
		case ast.OpEq, ast.OpNe, ast.OpLt, ast.OpLe, ast.OpGt, ast.OpGe,
			ast.OpAdd, ast.OpSub, ast.OpBitOr, ast.OpLShift, ast.OpRShift, ast.OpConcat:
			seenNot = true
		case ast.OpMul, ast.OpRem, ast.OpBitAnd, ast.OpDiv:
		default:
			return false
		}
		return c.impliesNotNull(sc, si, e.Y, nn, seenNot) || c.impliesNotNull(sc, si, e.X, nn, seenNot)
	case *ast.Collate:
		return c.impliesNotNull(sc, si, e.X, nn, seenNot)
	case *ast.Unary:
		switch e.Op {
		case ast.OpPlus, ast.OpNeg:
			return c.impliesNotNull(sc, si, e.X, nn, seenNot)
		case ast.OpBitNot, ast.OpNot:
			return c.impliesNotNull(sc, si, e.X, nn, true)
		}
	}
	return false
}

// sameIndexExpr reports whether the query expression q (resolved in sc)
// is the index expression p, whose names are columns of source si's
// table. Only simple shapes are compared; anything else is "different",
// which only gives up the index.
func (c *compiler) sameIndexExpr(sc *scope, si int, q, p ast.Expr) bool {
	if x, ok := notNullOperand(p); ok {
		y, ok := notNullOperand(q)
		return ok && c.sameIndexExpr(sc, si, y, x)
	}
	switch p := p.(type) {
	case *ast.ColumnRef:
		ref, ok := q.(*ast.ColumnRef)
		if !ok {
			return false
		}
		s := sc.srcs[si]
		if p.Table.Name != "" && !strings.EqualFold(p.Table.Name, s.table.Name) {
			return false
		}
		col := s.table.ColumnIndex(p.Column.Name)
		if col < 0 {
			return false
		}
		res, err := c.resolveColumn(sc, ref, true)
		return err == nil && res.src == s && !res.outer && res.alias == nil && res.literal == nil && res.col == col
	case *ast.Literal:
		// As SQLite, literals match by their text.
		l, ok := q.(*ast.Literal)
		return ok && l.Kind == p.Kind && l.Value == p.Value
	case *ast.Binary:
		b, ok := q.(*ast.Binary)
		return ok && b.Op == p.Op && c.sameIndexExpr(sc, si, b.X, p.X) && c.sameIndexExpr(sc, si, b.Y, p.Y)
	case *ast.Unary:
		u, ok := q.(*ast.Unary)
		return ok && u.Op == p.Op && c.sameIndexExpr(sc, si, u.X, p.X)
	case *ast.IsNull:
		n, ok := q.(*ast.IsNull)
		return ok && n.Not == p.Not && c.sameIndexExpr(sc, si, n.X, p.X)
	case *ast.Collate:
		k, ok := q.(*ast.Collate)
		return ok && strings.EqualFold(k.Collation.Name, p.Collation.Name) && c.sameIndexExpr(sc, si, k.X, p.X)
	}
	return false
}
