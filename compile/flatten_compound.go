package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
)

// Compound-subquery flattening.
//
// A query that reads nothing but a UNION ALL subquery (or view, or CTE)
//
//	SELECT cols FROM (SELECT x FROM a UNION ALL SELECT y FROM b) AS s WHERE w
//
// becomes, as in SQLite (flattenSubquery's restriction 17), the compound
//
//	SELECT cols FROM (SELECT x FROM a) AS s WHERE w
//	UNION ALL SELECT cols FROM (SELECT y AS x FROM b) AS s WHERE w
//
// whose parts then flatten one by one: each part reads its own tables
// through their indexes, and nothing is materialized. A part after the
// first has its result columns renamed as the first part names them, the
// names the outer query uses.
//
// Wren does this only when the outer query has no join, no aggregate, no
// DISTINCT, no subquery of its own and an ORDER BY (if any) on its result
// columns; the subquery's parts must be plain (no aggregate, DISTINCT,
// window, nor "*" after the first), agree on their columns' affinities and
// collations, and the subquery may have no ORDER BY, LIMIT or WITH.

// flattenCompoundSubquery returns the compound that sel becomes, or nil.
func (c *compiler) flattenCompoundSubquery(parent *scope, sel *ast.Select) *ast.Select {
	core := sel.Core
	if len(sel.Compounds) > 0 || core.Values != nil || core.From == nil || len(core.From.Items) != 1 {
		return nil
	}
	if core.Distinct || core.GroupBy != nil || core.Having != nil || len(core.Windows) > 0 ||
		c.coreIsAggregate(core, sel.OrderBy) || c.compoundPart {
		return nil
	}
	exprs := []ast.Expr{core.Where, sel.Limit, sel.Offset}
	for _, rc := range core.Columns {
		exprs = append(exprs, rc.Expr)
	}
	for _, o := range sel.OrderBy {
		exprs = append(exprs, o.Expr)
	}
	for _, e := range exprs {
		if hasSubquery(e) || hasWindow(e) {
			return nil
		}
	}
	item := core.From.Items[0]
	if item.On != nil || item.Using != nil {
		return nil
	}
	sub, alias := c.compoundSource(item.Source)
	if sub == nil || len(sub.Compounds) == 0 || sub.With != nil || sub.OrderBy != nil || sub.Limit != nil {
		return nil
	}
	arms := []*ast.SelectCore{sub.Core}
	for _, cp := range sub.Compounds {
		if cp.Op != ast.UnionAll {
			return nil // (17a)
		}
		arms = append(arms, cp.Core)
	}
	var first []colInfo
	for i, arm := range arms {
		if arm.Values != nil || arm.From == nil || arm.Distinct || arm.GroupBy != nil || arm.Having != nil ||
			len(arm.Windows) > 0 || c.coreIsAggregate(arm, nil) || joinHasRight(arm.From.Items) {
			return nil // (17b), (17c), (17e), (17g)
		}
		for _, rc := range arm.Columns {
			if hasWindow(rc.Expr) || rc.Star && i > 0 {
				return nil
			}
		}
		shape, err := c.selectShape(parent, &ast.Select{Core: arm})
		if err != nil {
			return nil
		}
		if i == 0 {
			first = shape
			continue
		}
		if len(shape) != len(first) {
			return nil
		}
		for j := range shape {
			if shape[j].aff != first[j].aff || !strings.EqualFold(shape[j].coll, first[j].coll) {
				return nil // (17h)
			}
		}
	}
	out := &ast.Select{Position: sel.Position, OrderBy: sel.OrderBy, Limit: sel.Limit, Offset: sel.Offset}
	for i, arm := range arms {
		if i > 0 {
			renamed := *arm
			renamed.Columns = append([]ast.ResultColumn(nil), arm.Columns...)
			for j := range renamed.Columns {
				renamed.Columns[j].Alias = ast.Ident{Name: first[j].name}
			}
			arm = &renamed
		}
		part := *core
		part.From = &ast.From{Items: []ast.JoinItem{{Source: &ast.SubquerySource{
			Select: &ast.Select{Core: arm}, Alias: ast.Ident{Name: alias}}}}}
		if i == 0 {
			out.Core = &part
		} else {
			out.Compounds = append(out.Compounds, ast.Compound{Op: ast.UnionAll, Core: &part})
		}
	}
	// (18): the outer ORDER BY must name result columns.
	if len(out.OrderBy) > 0 {
		cores := []*ast.SelectCore{out.Core}
		for _, cp := range out.Compounds {
			cores = append(cores, cp.Core)
		}
		if _, err := c.compoundOrderBy(parent, out, cores, len(first)); err != nil {
			return nil
		}
	}
	return out
}

// compoundSource returns the SELECT a FROM item reads when it is a
// subquery, a view or a CTE that flattening may look into, and the name
// the outer query gives it.
func (c *compiler) compoundSource(ts ast.TableSource) (*ast.Select, string) {
	switch s := ts.(type) {
	case *ast.SubquerySource:
		return s.Select, s.Alias.Name
	case *ast.TableName:
		if s.Name.Schema.Name != "" || s.HasArgs || s.IndexedBy.Name != "" || s.NotIndexed {
			return nil, ""
		}
		name := s.Name.Name.Name
		alias := s.Alias.Name
		if alias == "" {
			alias = name
		}
		if d := c.lookupCTE(name); d != nil {
			if d.recursive || d.materialize || d.building || d.cols != nil {
				return nil, ""
			}
			return d.sel, alias
		}
		if c.sch.Table(name) != nil {
			return nil, ""
		}
		if v := c.sch.View(name); v != nil && v.Columns == nil {
			return v.Select, alias
		}
	}
	return nil, ""
}
