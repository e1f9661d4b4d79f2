package compile

import (
	"fmt"

	"github.com/wrendb/wren/parser/ast"
)

// EXPLAIN QUERY PLAN trees for subqueries.
//
// SQLite shows each subquery of an expression as a node ("SCALAR
// SUBQUERY 2", "CORRELATED LIST SUBQUERY 1") whose children are the
// subquery's own plan. The number is the one SQLite's parser gives the
// SELECT: it numbers SELECTs as it finishes parsing them, so a subquery
// is numbered before the query that contains it.

// subPlan is the plan node the next subqueryOnce opens.
type subPlan struct {
	kind string // "SCALAR" or "LIST"
	sel  *ast.Select
}

// numberSelects numbers the SELECTs of a statement in the order SQLite's
// parser completes them.
//
// A parenthesized join gets a number too, when the parser makes a
// subquery of it: it joins more than one source and is not the first item
// of its FROM clause, or has an alias or a join constraint. Its number
// names it "(join-N)" where it is materialized (the right operand of a
// RIGHT or FULL JOIN).
//
// A VALUES of several rows that is not the first part of a compound is
// read, in SQLite, as a subquery named after its last row's SELECT: that
// number is in valuesIDs.
func numberSelects(top *ast.Select) (map[*ast.Select]int, map[*ast.ParenJoin]int, map[*ast.SelectCore]int) {
	ids := map[*ast.Select]int{}
	joinIDs := map[*ast.ParenJoin]int{}
	valuesIDs := map[*ast.SelectCore]int{}
	n := 0
	var sel func(s *ast.Select)
	var expr func(e ast.Expr)
	expr = func(e ast.Expr) {
		walkExpr(e, func(x ast.Expr) bool {
			switch x := x.(type) {
			case *ast.Subquery:
				sel(x.Select)
				return false
			case *ast.Exists:
				sel(x.Select)
				return false
			case *ast.In:
				if x.Select != nil {
					expr(x.X)
					sel(x.Select)
					return false
				}
			}
			return true
		})
	}
	var items func(its []ast.JoinItem)
	items = func(its []ast.JoinItem) {
		for k, it := range its {
			switch s := it.Source.(type) {
			case *ast.SubquerySource:
				sel(s.Select)
			case *ast.ParenJoin:
				items(s.From.Items)
				if len(s.From.Items) > 1 && (k > 0 || s.Alias.Name != "" || it.On != nil || it.Using != nil) {
					n++
					joinIDs[s] = n
				}
			}
			expr(it.On)
		}
	}
	core := func(c *ast.SelectCore) {
		for i, row := range c.Values {
			for _, e := range row {
				expr(e)
			}
			if i < len(c.Values)-1 {
				// SQLite's parser makes a SELECT of each row but the
				// last, after the row's subqueries.
				n++
			}
		}
		for _, rc := range c.Columns {
			expr(rc.Expr)
		}
		if c.From != nil {
			items(c.From.Items)
		}
		expr(c.Where)
		for _, g := range c.GroupBy {
			expr(g)
		}
		expr(c.Having)
	}
	sel = func(s *ast.Select) {
		if s == nil {
			return
		}
		if s.With != nil {
			for _, cte := range s.With.CTEs {
				sel(cte.Select)
			}
		}
		core(s.Core)
		for _, cp := range s.Compounds {
			n++
			core(cp.Core)
			if len(cp.Core.Values) > 1 {
				// The subquery takes the last row's number; the SELECT
				// that reads it takes the next.
				n++
				valuesIDs[cp.Core] = n
			}
		}
		for _, o := range s.OrderBy {
			expr(o.Expr)
		}
		expr(s.Limit)
		expr(s.Offset)
		n++
		ids[s] = n
	}
	sel(top)
	return ids, joinIDs, valuesIDs
}

// beginSubPlan opens the plan node of the subquery c.nextSub names, if
// any, and makes it the parent of the plan steps that follow. end closes
// it, naming it CORRELATED when the subquery turned out to be.
func (c *compiler) beginSubPlan() (end func(correlated bool)) {
	sp := c.nextSub
	c.nextSub = nil
	if sp == nil || c.selIDs == nil {
		return func(bool) {}
	}
	saved := c.planParent
	if c.subNodes == nil {
		c.subNodes = map[*ast.Select]bool{}
	}
	if c.subNodes[sp.sel] {
		// Compiled again (the IN that drove a lookup, checked once more):
		// the plan shows it once; the second copy's steps are hidden.
		hidden := len(c.plan)
		return func(bool) { c.plan = c.plan[:hidden] }
	}
	c.subNodes[sp.sel] = true
	detail := fmt.Sprintf("%s SUBQUERY %d", sp.kind, c.selIDs[sp.sel])
	idx := len(c.plan)
	id := c.addPlan(0, detail)
	c.planParent = id
	return func(correlated bool) {
		c.planParent = saved
		if correlated {
			c.plan[idx].Detail = "CORRELATED " + detail
		}
	}
}
