package compile

import (
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/vdbe"
)

// exprAffinity is SQLite's sqlite3ExprAffinity: a column's affinity, a
// CAST's type, a subquery's first column's; everything else has none.
func (c *compiler) exprAffinity(sc *scope, e ast.Expr) vdbe.Affinity {
	switch e := e.(type) {
	case *ast.ColumnRef:
		res, err := c.resolve(sc, e, true)
		if err != nil {
			return vdbe.AffinityNone
		}
		switch {
		case res.alias != nil:
			sc.noAlias++
			defer func() { sc.noAlias-- }()
			return c.exprAffinity(sc, res.alias)
		case res.literal != nil:
			return vdbe.AffinityNone
		case res.col < 0:
			return vdbe.AffinityInteger
		}
		a := res.src.cols[res.col].aff
		if a == 0 {
			return vdbe.AffinityNone
		}
		return a
	case *ast.Cast:
		return vdbe.AffinityOf(e.Type)
	case *ast.Collate:
		return c.exprAffinity(sc, e.X)
	case *ast.Subquery:
		return c.subqueryAffinity(sc, e.Select)
	case *ast.FuncCall:
		switch lower(e.Name.Name) {
		case "likely", "unlikely", "likelihood":
			if len(e.Args) > 0 {
				return c.exprAffinity(sc, e.Args[0])
			}
		}
	}
	return vdbe.AffinityNone
}

func lower(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 32
		}
	}
	return string(b)
}

// subqueryAffinity is the affinity of a subquery's first result column.
func (c *compiler) subqueryAffinity(sc *scope, sel *ast.Select) vdbe.Affinity {
	if sel.Core == nil || sel.Core.Values != nil || len(sel.Core.Columns) == 0 {
		return vdbe.AffinityNone
	}
	rc := sel.Core.Columns[0]
	sub := &scope{parent: sc}
	if sel.Core.From != nil {
		srcs, err := c.buildSources(sub, sel.Core.From, sel.With)
		if err != nil {
			return vdbe.AffinityNone
		}
		sub.srcs = srcs
	}
	if rc.Star {
		for _, s := range sub.srcs {
			for _, col := range s.cols {
				if !col.merged {
					return col.aff
				}
			}
		}
		return vdbe.AffinityNone
	}
	return c.exprAffinity(sub, rc.Expr)
}

// hasCollation reports whether e has a collation at all: an explicit
// COLLATE, or a column reference (its declared collation, else BINARY),
// through CAST and unary +. A constant or another expression has none,
// which matters where SQLite falls back to the next candidate, as a
// compound does from one part to the next.
func (c *compiler) hasCollation(sc *scope, e ast.Expr) bool {
	if _, explicit := c.exprCollation(sc, e); explicit {
		return true
	}
	for {
		switch x := e.(type) {
		case *ast.Cast:
			e = x.X
			continue
		case *ast.Unary:
			if x.Op == ast.OpPlus {
				e = x.X
				continue
			}
		case *ast.ColumnRef:
			res, err := c.resolve(sc, x, true)
			if err != nil || res.literal != nil {
				return false
			}
			if res.alias != nil {
				sc.noAlias++
				defer func() { sc.noAlias-- }()
				return c.hasCollation(sc, res.alias)
			}
			return res.src != nil && res.col >= 0
		}
		return false
	}
}

// exprCollation returns the collation of e and whether it was given
// explicitly with COLLATE.
func (c *compiler) exprCollation(sc *scope, e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.Collate:
		return e.Collation.Name, true
	case *ast.ColumnRef:
		res, err := c.resolve(sc, e, true)
		if err != nil || res.literal != nil {
			return "", false
		}
		if res.alias != nil {
			sc.noAlias++
			defer func() { sc.noAlias-- }()
			return c.exprCollation(sc, res.alias)
		}
		if res.col < 0 {
			return "", false
		}
		return res.src.cols[res.col].coll, false
	case *ast.Cast:
		// CAST and unary + pass their operand's collation through.
		return c.exprCollation(sc, e.X)
	case *ast.Binary:
		if n, ok := c.exprCollation(sc, e.X); ok {
			return n, true
		}
		if n, ok := c.exprCollation(sc, e.Y); ok {
			return n, true
		}
	case *ast.Unary:
		if e.Op == ast.OpPlus {
			return c.exprCollation(sc, e.X)
		}
		if n, ok := c.exprCollation(sc, e.X); ok {
			return n, true
		}
	case *ast.FuncCall:
		for _, a := range e.Args {
			if n, ok := c.exprCollation(sc, a); ok {
				return n, true
			}
		}
	case *ast.Subquery:
		return c.subqueryCollation(sc, e.Select)
	}
	return "", false
}

func (c *compiler) subqueryCollation(sc *scope, sel *ast.Select) (string, bool) {
	if sel.Core == nil || sel.Core.Values != nil || len(sel.Core.Columns) == 0 || sel.Core.Columns[0].Star {
		return "", false
	}
	sub := &scope{parent: sc}
	if sel.Core.From != nil {
		srcs, err := c.buildSources(sub, sel.Core.From, sel.With)
		if err != nil {
			return "", false
		}
		sub.srcs = srcs
	}
	n, _ := c.exprCollation(sub, sel.Core.Columns[0].Expr)
	return n, false
}

// binaryCollation picks the collation of a comparison: an explicit one on
// the left, then on the right, then the left column's, then the right's.
func (c *compiler) binaryCollation(sc *scope, x, y ast.Expr) (record.Collation, error) {
	nx, ex := c.exprCollation(sc, x)
	ny, ey := c.exprCollation(sc, y)
	name := ""
	switch {
	case ex:
		name = nx
	case ey:
		name = ny
	case nx != "" || c.isColumn(sc, x):
		name = nx
	default:
		name = ny
	}
	return collation(name)
}

func (c *compiler) binaryCollationName(sc *scope, x, y ast.Expr) string {
	nx, ex := c.exprCollation(sc, x)
	ny, ey := c.exprCollation(sc, y)
	switch {
	case ex:
		return nx
	case ey:
		return ny
	case nx != "" || c.isColumn(sc, x):
		return nx
	}
	return ny
}

// isColumn reports whether e is a reference to a table column (not the
// rowid): such an operand always has a collation, BINARY when its column
// declares none, so it takes precedence over the right operand's column.
func (c *compiler) isColumn(sc *scope, e ast.Expr) bool {
	ref, ok := e.(*ast.ColumnRef)
	if !ok {
		return false
	}
	res, err := c.resolve(sc, ref, true)
	if err != nil || res.literal != nil {
		return false
	}
	if res.alias != nil {
		sc.noAlias++
		defer func() { sc.noAlias-- }()
		return c.isColumn(sc, res.alias)
	}
	return res.col >= 0
}

// argsCollation is the collation of a function's arguments: that of the
// first argument that has one, explicit or a column's own (BINARY when the
// column declares none), as SQLite does; max(c, 'a' COLLATE RTRIM) with a
// NOCASE column c compares under NOCASE.
func (c *compiler) argsCollation(sc *scope, args []ast.Expr) (record.Collation, error) {
	for _, a := range args {
		if n, ex := c.exprCollation(sc, a); ex || n != "" || c.isColumn(sc, a) {
			return collation(n)
		}
	}
	return collation("")
}
