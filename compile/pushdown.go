package compile

import (
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// The push-down optimization.
//
// A FROM subquery that is not flattened still benefits from the outer
// WHERE terms that read nothing but its columns: SQLite copies each into
// the subquery (its WHERE, or its HAVING for an aggregate), where an
// index can serve it and fewer rows are made; the term stays in the outer
// WHERE too. Each copy is a clone whose references to the subquery's
// columns are bound to the subquery's result expressions, compiled in
// the subquery's own scope.
//
// As in SQLite (pushDownWhereTerms in select.c) nothing is pushed into a
// subquery with a LIMIT, into the right operand of an outer join, into a
// recursive or shared (materialized) CTE, into one with window
// functions, nor into a compound other than a UNION ALL of plain parts
// (SQLite 3.40 pushes into no other); Wren also leaves
// the terms that call a function that is not deterministic or hold a
// subquery.

// pushDown pushes the eligible terms of where into sc.srcs[i]'s subquery:
// into each part of a compound.
func (c *compiler) pushDown(sc *scope, i int, where ast.Expr) error {
	src := sc.srcs[i]
	sub := src.sub
	if where == nil || src.left || src.right || src.rightNulled || src.regBase > 0 {
		return nil
	}
	if d := src.subCTE; d != nil && (d.recursive || d.materialize) {
		return nil
	}
	if sub.Limit != nil || sub.With != nil {
		return nil
	}
	cores := []*ast.SelectCore{sub.Core}
	for _, cp := range sub.Compounds {
		if cp.Op != ast.UnionAll {
			return nil // only the parts of a UNION ALL take a term
		}
		cores = append(cores, cp.Core)
	}
	for _, core := range cores {
		if core.Values != nil || len(core.Windows) > 0 {
			return nil
		}
		if len(cores) > 1 && c.coreIsAggregate(core, nil) {
			return nil
		}
		for _, rc := range core.Columns {
			if hasWindow(rc.Expr) {
				return nil
			}
		}
	}
	var terms []ast.Expr
	for _, t := range splitAnd(where, nil) {
		if c.termMask(sc, t) == 1<<uint(i) && !hasSubquery(t) && c.deterministic(t) {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	clone := c.cloneSelect(sub)
	cores = []*ast.SelectCore{clone.Core}
	for _, cp := range clone.Compounds {
		cores = append(cores, cp.Core)
	}
	for _, core := range cores {
		if err := c.pushInto(sc, src, core, terms); err != nil {
			return err
		}
	}
	src.sub = clone
	return nil
}

// pushInto adds to one SELECT core of src's subquery a copy of each term,
// its references to src's columns bound to the core's result expressions.
func (c *compiler) pushInto(sc *scope, src *source, core *ast.SelectCore, terms []ast.Expr) error {
	isc := &scope{parent: sc.parent}
	if core.From != nil {
		srcs, err := c.buildSources(isc, core.From, nil)
		if err != nil {
			return err
		}
		isc.srcs = srcs
	}
	rcs, err := c.expandColumns(isc, core)
	if err != nil || len(rcs) != len(src.cols) {
		return err
	}
	agg := c.coreIsAggregate(core, nil)
	for _, t := range terms {
		cp := deepCopy(reflectValue(t), map[*ast.Select]*ast.Select{}).Interface().(ast.Expr)
		ok := true
		grouped := true // every column read is a GROUP BY term
		walkExpr(cp, func(x ast.Expr) bool {
			ref, isRef := x.(*ast.ColumnRef)
			if !isRef {
				return ok
			}
			res, err := c.resolve(sc, ref, true)
			if err != nil || res.src != src || res.col < 0 {
				ok = false
				return false
			}
			if c.bound == nil {
				c.bound = map[*ast.ColumnRef]resolved{}
			}
			e := rcs[res.col].expr
			c.bound[ref] = resolved{alias: e, pushed: true}
			if !isGroupTerm(core, e) {
				grouped = false
			}
			return true
		})
		if !ok {
			continue
		}
		// A term on GROUP BY columns filters rows before they are
		// grouped; any other waits for the groups, in HAVING.
		if agg && !grouped {
			core.Having = andExpr(core.Having, cp)
		} else {
			core.Where = andExpr(core.Where, cp)
		}
	}
	return nil
}

// deterministic reports whether every function e calls gives the same
// result for the same arguments.
func (c *compiler) deterministic(e ast.Expr) bool {
	ok := true
	walkExpr(e, func(x ast.Expr) bool {
		if f, isCall := x.(*ast.FuncCall); isCall {
			def, _ := c.funcs.Lookup(f.Name.Name, len(f.Args))
			if def == nil || def.Flags&vdbe.FuncDeterministic == 0 {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// isGroupTerm reports whether e is written as one of core's GROUP BY terms.
func isGroupTerm(core *ast.SelectCore, e ast.Expr) bool {
	if hasCall(e) {
		return false // may be an aggregate: leave it to HAVING
	}
	for _, g := range core.GroupBy {
		if ast.String(g) == ast.String(e) {
			return true
		}
	}
	return false
}

// hasCall reports whether e calls a function.
func hasCall(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.FuncCall); ok {
			found = true
		}
		return !found
	})
	return found
}
