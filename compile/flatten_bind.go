package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// The references of a flattened subquery (flatten.go). Each column
// reference of the subquery's copy is bound, while the subquery's scope
// is at hand, to what it names (c.bound); resolve answers a bound
// reference from the binding wherever it is compiled, and the outer
// query's references to the subquery's columns resolve to the bound
// expressions.

// bindRefs binds every column reference of e to what it names in sc,
// and, inside e's subqueries, every reference that names something
// outside them (bindNested).
func (c *compiler) bindRefs(sc *scope, e ast.Expr, allowAlias bool) error {
	return c.bindWalk(sc, e, allowAlias, sc)
}

// bindWalk binds the column references of e resolved in sc that name
// what scope home (sc itself, or an enclosing scope: the flattened
// subquery's) or a scope enclosing it holds, or fall back to a string. A
// reference to a source of a subquery between sc and home is left to be
// resolved by name when that subquery is compiled: its sources here are
// only a preview.
func (c *compiler) bindWalk(sc *scope, e ast.Expr, allowAlias bool, home *scope) error {
	var err error
	walkExpr(e, func(x ast.Expr) bool {
		if err != nil {
			return false
		}
		switch x := x.(type) {
		case *ast.Subquery:
			err = c.bindNested(sc, x.Select, home)
			return false
		case *ast.Exists:
			err = c.bindNested(sc, x.Select, home)
			return false
		case *ast.In:
			if x.Select != nil {
				err = c.bindNested(sc, x.Select, home)
			}
			return err == nil
		case *ast.ColumnRef:
			if _, done := c.bound[x]; done {
				return true
			}
			res, rerr := c.resolve(sc, x, allowAlias)
			if rerr != nil {
				err = rerr
				return false
			}
			if res.src == nil && res.alias == nil && res.literal == nil {
				return true // a trigger's NEW or OLD: nothing can capture it
			}
			if res.src != nil && !holdsAtOrAbove(home, res.src) {
				return true // a subquery's own: resolved there by name
			}
			if c.bound == nil {
				c.bound = map[*ast.ColumnRef]resolved{}
			}
			c.bound[x] = res
		}
		return true
	})
	return err
}

// bindNested binds the references of a subquery inside a flattened
// subquery that name the enclosing queries: once flattened, the outer
// query's names would sit between them and what they name.
func (c *compiler) bindNested(parent *scope, sel *ast.Select, home *scope) error {
	pop, err := c.pushWith(sel.With)
	if err != nil {
		return err
	}
	defer pop()
	cores := []*ast.SelectCore{sel.Core}
	for _, cp := range sel.Compounds {
		cores = append(cores, cp.Core)
	}
	var first *scope
	for _, core := range cores {
		sc := &scope{parent: parent}
		if first == nil {
			first = sc
		}
		for _, row := range core.Values {
			for _, e := range row {
				if err := c.bindWalk(sc, e, false, home); err != nil {
					return err
				}
			}
		}
		if core.Values != nil {
			continue
		}
		if core.From != nil {
			srcs, err := c.buildSources(sc, core.From, nil)
			if err != nil {
				return err
			}
			sc.srcs = srcs
			if err := c.bindFromSubqueries(parent, core.From.Items, home); err != nil {
				return err
			}
			for _, s := range srcs {
				if err := c.bindWalk(sc, s.on, false, home); err != nil {
					return err
				}
			}
		}
		rcs, err := c.expandColumns(sc, core)
		if err != nil {
			return err
		}
		sc.aliases = rcs
		sc.noAlias++
		for _, rc := range rcs {
			if err := c.bindWalk(sc, rc.expr, false, home); err != nil {
				sc.noAlias--
				return err
			}
		}
		sc.noAlias--
		exprs := append([]ast.Expr{core.Where, core.Having}, core.GroupBy...)
		for _, e := range exprs {
			if err := c.bindWalk(sc, e, true, home); err != nil {
				return err
			}
		}
	}
	for _, o := range sel.OrderBy {
		if _, isInt := intLiteral(o.Expr); isInt {
			continue
		}
		if err := c.bindWalk(first, o.Expr, true, home); err != nil {
			return err
		}
	}
	for _, e := range []ast.Expr{sel.Limit, sel.Offset} {
		if err := c.bindWalk(first, e, false, home); err != nil {
			return err
		}
	}
	return nil
}

// bindFromSubqueries binds the FROM subqueries of a nested SELECT, which
// see the same enclosing scopes as the SELECT itself.
func (c *compiler) bindFromSubqueries(parent *scope, items []ast.JoinItem, home *scope) error {
	for _, it := range items {
		switch s := it.Source.(type) {
		case *ast.SubquerySource:
			if err := c.bindNested(parent, s.Select, home); err != nil {
				return err
			}
		case *ast.ParenJoin:
			if err := c.bindFromSubqueries(parent, s.From.Items, home); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolveBound answers a bound reference as seen from sc: a flattened
// subquery's column is its expression; a source's column is outer when
// sc is not the scope that holds the source.
func (c *compiler) resolveBound(sc *scope, b resolved) resolved {
	if b.src == nil {
		return b
	}
	if b.src.flat != nil {
		return resolved{alias: b.src.flat[b.col], flat: b.src, col: b.col}
	}
	for s := sc; s != nil; s = s.parent {
		for _, x := range s.srcs {
			if x == b.src {
				if s != sc {
					markCorrelated(sc, s)
				}
				return resolved{src: b.src, col: b.col, outer: s != sc}
			}
		}
	}
	return b
}

// resolveColumn resolves ref and, while it names a flattened subquery's
// column that is itself a column, the column underneath: what the planner
// needs to see an index constraint through a flattened subquery.
func (c *compiler) resolveColumn(sc *scope, ref *ast.ColumnRef, allowAlias bool) (resolved, error) {
	res, err := c.resolve(sc, ref, allowAlias)
	for err == nil && (res.flat != nil || res.pushed) {
		inner, ok := res.alias.(*ast.ColumnRef)
		if !ok {
			break
		}
		res, err = c.resolve(sc, inner, false)
	}
	return res, err
}

// hasBoundRef reports whether e holds a reference bound by flattening.
func (c *compiler) hasBoundRef(e ast.Expr) bool {
	if c.bound == nil {
		return false
	}
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if ref, ok := x.(*ast.ColumnRef); ok {
			if _, ok := c.bound[ref]; ok {
				found = true
			}
		}
		return !found
	})
	return found
}

// resolvedNames is coreNames for a query with flattened subqueries: the
// names of the columns the query reads, found by resolving its column
// references (through the subqueries' expressions) rather than by the
// words of its text, in which a subquery's alias could pass for a column
// of a table it reads. An expression holding a subquery is also read as
// text.
func (c *compiler) resolvedNames(sc *scope, core *ast.SelectCore, rcs []resultCol, order []orderTerm) map[string]bool {
	exprs := coreExprs(sc, core, rcs, order)
	if len(core.Windows) > 0 {
		return nil
	}
	names := map[string]bool{}
	var add func(e ast.Expr, depth int) bool
	add = func(e ast.Expr, depth int) bool {
		if depth > 100 {
			return false
		}
		if hasSubquery(e) {
			// A subquery reads names by their words, as coreNames does,
			// and a flattened subquery's tables through the references
			// bound to them or, unbound, through any column of a
			// flattened subquery that its name could mean.
			for n := range usedNames([]ast.Expr{e}) {
				names[n] = true
			}
			for _, ref := range columnRefs(e) {
				b, isBound := c.bound[ref]
				switch {
				case isBound && b.src != nil && b.src.flat != nil:
					if !add(b.src.flat[b.col], depth+1) {
						return false
					}
				case isBound && b.src != nil && b.col >= 0:
					names[lower(b.src.cols[b.col].name)] = true
				case !isBound:
					for _, f := range sc.flats {
						for i, col := range f.cols {
							if strings.EqualFold(col.name, ref.Column.Name) && !add(f.flat[i], depth+1) {
								return false
							}
						}
					}
				}
			}
		}
		ok := true
		walkExpr(e, func(x ast.Expr) bool {
			ref, isRef := x.(*ast.ColumnRef)
			if !isRef || !ok {
				return ok
			}
			res, err := c.resolve(sc, ref, true)
			switch {
			case err != nil:
				ok = false
			case res.alias != nil:
				sc.noAlias++
				ok = add(res.alias, depth+1)
				sc.noAlias--
			case res.src != nil && res.col >= 0:
				names[lower(res.src.cols[res.col].name)] = true
			case res.src != nil:
				names["rowid"] = true
			}
			return ok
		})
		return ok
	}
	for _, e := range exprs {
		if e != nil && !add(e, 0) {
			return coreNames(sc, core, rcs, order)
		}
	}
	return names
}

// flatNullExpr compiles a column of a subquery flattened as the right
// operand of a LEFT JOIN: NULL while its table is on its NULL row, which
// a column of that table reads anyway but a constant or computed column
// would not (SQLite's IF_NULL_ROW).
func (c *compiler) flatNullExpr(sc *scope, res resolved, target int) error {
	if ref, ok := res.alias.(*ast.ColumnRef); ok {
		if inner, err := c.resolve(sc, ref, false); err == nil && inner.src == res.flat.flatNull {
			return c.aliasExpr(sc, res.alias, target)
		}
	}
	// The table's cursor is not moved while it is read through a covering
	// index: the index cursor is the one that holds the NULL row then.
	cur := res.flat.flatNull.cursor
	if cv := res.flat.flatNull.cover; cv != nil {
		cur = cv.cur
	}
	skip := c.newLabel()
	c.emit(vdbe.CodeIfNullRow, cur, skip, target)
	if err := c.aliasExpr(sc, res.alias, target); err != nil {
		return err
	}
	c.place(skip)
	return nil
}

// holdsAtOrAbove reports whether src is a source of home or of a scope
// enclosing it.
func holdsAtOrAbove(home *scope, src *source) bool {
	for s := home; s != nil; s = s.parent {
		for _, x := range s.srcs {
			if x == src {
				return true
			}
		}
		for _, x := range s.visible {
			if x == src {
				return true
			}
		}
	}
	return false
}
