package compile

import (
	"github.com/wrendb/wren/parser/ast"
)

// Subquery flattening.
//
// A FROM-clause subquery, view or CTE that SQLite's rules allow is merged
// into the query that reads it instead of being computed on its own: its
// sources join the outer query's loops, its WHERE is ANDed to the outer
// WHERE, and a reference to one of its result columns compiles the
// column's expression where it is used. The outer query then plans over
// the real tables (their indexes serve the outer WHERE), and a result
// column nobody reads is never computed, as in SQLite (where an unused
// abs(-9223372036854775808) never fails).
//
// Names are resolved lazily against scopes, so the merge cannot simply
// splice syntax: a subquery's "t.a" could be captured by the outer query's
// own t. Instead every column reference of the (cloned) subquery is bound,
// while the subquery's own scope is at hand, to the source it names
// (c.bound); resolve answers a bound reference from that binding wherever
// it is compiled. The subquery's sources join the outer scope hidden, so
// the outer query's names never see them, and the subquery itself stays
// visible as a source with no loop whose columns are the bound
// expressions (source.flat).
//
// The conditions are SQLite's (flattenSubquery in its select.c, numbered
// there), minus the cases left to materialization or a co-routine here:
// a compound subquery (17, but see flatten_compound.go), the right
// operand of an outer join that reads more than one table (3), a join with
// RIGHT or FULL JOIN on either side (26, 27), and a subquery whose LIMIT
// or ON clauses hold a subquery.

// outerQuery is what the flattening rules need to know about the query a
// subquery would merge into; flattening rewrites its clauses.
type outerQuery struct {
	where         ast.Expr
	orderBy       []ast.OrderingTerm
	limit, offset ast.Expr
	agg           bool
	distinct      bool
	compound      bool // one part of a compound SELECT
	complexResult bool // the result columns call functions or hold subqueries
}

// flattenSources flattens the scope's subqueries that the rules allow,
// repeatedly, so that a subquery inside a flattened one flattens too. It
// reports whether anything was flattened; q then holds the outer query's
// new WHERE, ORDER BY and LIMIT.
func (c *compiler) flattenSources(sc *scope, q *outerQuery) (bool, error) {
	if hasRightJoin(sc) {
		return false, nil
	}
	visible := append([]*source(nil), sc.srcs...)
	changed := false
	for i := 0; i < len(sc.srcs); {
		src := sc.srcs[i]
		if src.sub == nil || !c.canFlatten(sc, q, i) {
			i++
			continue
		}
		inner, ok, err := c.flattenOne(sc, q, src)
		if err != nil {
			return false, err
		}
		if !ok {
			i++
			continue
		}
		srcs := append([]*source(nil), sc.srcs[:i]...)
		srcs = append(srcs, inner...)
		sc.srcs = append(srcs, sc.srcs[i+1:]...)
		sc.flats = append(sc.flats, src)
		changed = true
	}
	if changed {
		sc.visible = visible
	}
	return changed, nil
}

// subOrderBy is the ORDER BY of a FROM subquery that matters: SQLite drops
// it when the outer query orders the rows itself or is a join, unless a
// LIMIT needs it.
func subOrderBy(sub *ast.Select, outerOrdered bool, nSrc int) []ast.OrderingTerm {
	if len(sub.OrderBy) > 0 && sub.Limit == nil && (outerOrdered || nSrc > 1) {
		return nil
	}
	return sub.OrderBy
}

// canFlatten applies SQLite's flattening conditions to the subquery of
// sc.srcs[i].
func (c *compiler) canFlatten(sc *scope, q *outerQuery, i int) bool {
	src := sc.srcs[i]
	sub := src.sub
	if d := src.subCTE; d != nil && (d.recursive || d.materialize) {
		return false // (22), (28)
	}
	if src.regBase > 0 || src.right || src.rightNulled {
		return false // (26)
	}
	if src.left {
		// (3): the right operand of a LEFT JOIN flattens when it reads a
		// single table; its expressions then read NULL on that table's
		// NULL row. Wren also keeps it from an aggregate outer query.
		items := sub.Core.From.Items
		if len(items) != 1 || q.distinct || q.agg {
			return false
		}
		if _, ok := items[0].Source.(*ast.TableName); !ok {
			return false
		}
	}
	if len(sub.Compounds) > 0 || sub.With != nil {
		return false // (17): compound subqueries are not flattened here
	}
	core := sub.Core
	if core.Values != nil || core.From == nil {
		return false // (7)
	}
	if core.Distinct {
		return false // (4)
	}
	if core.GroupBy != nil || core.Having != nil || len(core.Windows) > 0 {
		return false // no aggregate subquery is flattened
	}
	for _, rc := range core.Columns {
		if rc.Star {
			continue
		}
		if hasAggregate(c, rc.Expr) || hasWindow(rc.Expr) {
			return false // aggregate, (25)
		}
	}
	if hasSubquery(sub.Limit) || hasSubquery(sub.Offset) || fromHasSubqueryExpr(core.From.Items) {
		return false
	}
	if joinHasRight(core.From.Items) {
		return false // (27)
	}
	order := subOrderBy(sub, len(q.orderBy) > 0, len(sc.srcs))
	for _, o := range order {
		if hasSubquery(o.Expr) || hasAggregate(c, o.Expr) {
			return false
		}
	}
	switch {
	case sub.Limit != nil && q.limit != nil: // (13)
		return false
	case sub.Offset != nil: // (14)
		return false
	case sub.Limit != nil && q.compound: // (15)
		return false
	case sub.Limit != nil && (len(sc.srcs) > 1 || q.agg): // (8), (9)
		return false
	case len(order) > 0 && len(q.orderBy) > 0: // (11)
		return false
	case len(order) > 0 && q.agg: // (16)
		return false
	case sub.Limit != nil && q.where != nil: // (19)
		return false
	case sub.Limit != nil && q.distinct: // (21)
		return false
	}
	// SQLite keeps an ordered subquery that would be a co-routine as one
	// when the outer query computes something from its rows, so that the
	// computation runs only on the rows that survive its LIMIT.
	if len(order) > 0 && q.complexResult && c.coroutineCandidate(sc, i) {
		return false
	}
	return true
}

// flattenOne merges src's subquery into sc and returns the subquery's
// sources, bound and hidden. ok is false when the subquery turned out
// not to qualify.
func (c *compiler) flattenOne(sc *scope, q *outerQuery, src *source) (inner []*source, ok bool, err error) {
	sub := c.cloneSelect(src.sub)
	order := subOrderBy(sub, len(q.orderBy) > 0, len(sc.srcs))
	isc := &scope{parent: sc.parent}
	srcs, err := c.buildSources(isc, sub.Core.From, nil)
	if err != nil {
		return nil, false, err
	}
	isc.srcs = srcs
	rcs, err := c.expandColumns(isc, sub.Core)
	if err != nil {
		return nil, false, err
	}
	if len(rcs) != len(src.cols) {
		return nil, false, nil
	}
	isc.aliases = rcs
	// A reference that cannot be bound (a subquery of the subquery that
	// the binder does not follow) leaves the subquery unflattened; its
	// compilation reports any real error.
	isc.noAlias++
	for _, rc := range rcs {
		if err := c.bindRefs(isc, rc.expr, false); err != nil {
			isc.noAlias--
			return nil, false, nil
		}
	}
	isc.noAlias--
	if err := c.bindRefs(isc, sub.Core.Where, true); err != nil {
		return nil, false, nil
	}
	for _, s := range srcs {
		if err := c.bindRefs(isc, s.on, false); err != nil {
			return nil, false, nil
		}
	}
	// The subquery's ORDER BY moves to the outer query, its ordinals and
	// aliases replaced by the expressions they name.
	var moved []ast.OrderingTerm
	if len(order) > 0 {
		terms, err := c.resolveOrderBy(isc, order, rcs, "ORDER")
		if err != nil {
			return nil, false, err
		}
		for i, t := range terms {
			if _, isInt := intLiteral(t.expr); isInt {
				return nil, false, nil // would read as an ordinal outside
			}
			if err := c.bindRefs(isc, t.expr, true); err != nil {
				return nil, false, err
			}
			e := t.expr
			if col, ok := order[i].Expr.(*ast.Collate); ok {
				e = &ast.Collate{X: e, Collation: col.Collation}
			}
			moved = append(moved, ast.OrderingTerm{Expr: e, Order: order[i].Order, Nulls: order[i].Nulls})
		}
	}

	for _, rc := range rcs {
		src.flat = append(src.flat, rc.expr)
	}
	for _, s := range srcs {
		s.hidden = true
	}
	if src.left {
		// The subquery's WHERE joins the ON clause of the LEFT JOIN.
		srcs[0].left = true
		srcs[0].on = andExpr(src.on, sub.Core.Where)
		src.on = nil
		src.flatNull = srcs[0]
	} else {
		q.where = andExpr(q.where, sub.Core.Where)
		if src.on != nil {
			q.where = andExpr(q.where, src.on)
			src.on = nil
		}
	}
	if moved != nil {
		q.orderBy = moved
	}
	if sub.Limit != nil {
		q.limit = sub.Limit
	}
	return srcs, true, nil
}

func andExpr(x, y ast.Expr) ast.Expr {
	switch {
	case x == nil:
		return y
	case y == nil:
		return x
	}
	return &ast.Binary{Op: ast.OpAnd, X: x, Y: y}
}

func hasWindow(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && (f.Over != nil || f.OverName != nil) {
			found = true
		}
		return !found
	})
	return found
}

// fromHasSubqueryExpr reports whether an ON clause or a table-valued
// function argument of items holds a subquery.
func fromHasSubqueryExpr(items []ast.JoinItem) bool {
	for _, it := range items {
		if hasSubquery(it.On) {
			return true
		}
		switch s := it.Source.(type) {
		case *ast.ParenJoin:
			if fromHasSubqueryExpr(s.From.Items) {
				return true
			}
		case *ast.TableName:
			for _, a := range s.Args {
				if hasSubquery(a) {
					return true
				}
			}
		}
	}
	return false
}

// joinHasRight reports whether items hold a RIGHT or FULL JOIN.
func joinHasRight(items []ast.JoinItem) bool {
	for _, it := range items {
		if it.Join.Right {
			return true
		}
		if s, ok := it.Source.(*ast.ParenJoin); ok && joinHasRight(s.From.Items) {
			return true
		}
	}
	return false
}

// coreIsAggregate reports whether a SELECT core is an aggregate query,
// before its names are resolved.
func (c *compiler) coreIsAggregate(core *ast.SelectCore, orderBy []ast.OrderingTerm) bool {
	if core.GroupBy != nil || core.Having != nil {
		return true
	}
	for _, rc := range core.Columns {
		if hasAggregate(c, rc.Expr) {
			return true
		}
	}
	for _, o := range orderBy {
		if hasAggregate(c, o.Expr) {
			return true
		}
	}
	return false
}

// complexResult reports whether a core's result columns call a function
// or hold a subquery (SQLite's SF_ComplexResult).
func (c *compiler) complexResult(core *ast.SelectCore) bool {
	found := false
	for _, rc := range core.Columns {
		walkExpr(rc.Expr, func(x ast.Expr) bool {
			switch x.(type) {
			case *ast.FuncCall, *ast.Subquery, *ast.Exists:
				found = true
			case *ast.In:
				found = x.(*ast.In).Select != nil
			}
			return !found
		})
	}
	return found
}
