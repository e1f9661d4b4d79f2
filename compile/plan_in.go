package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// IN lists as index and rowid lookups.
//
// col IN (v1, v2, ...) offers an equality on col for each value of the
// list. The values are converted to the column's affinity (IN compares
// under its left operand's affinity, which is the column's), NULLs
// dropped, and duplicates removed by collecting them in a temporary
// index, once per execution; the loop level then runs its lookup once
// per value. The IN term itself is still checked on each row found.

// analyzeIn records the constraint col IN (list) offers, when the list's
// values can be computed once, before any loop.
func (c *compiler) analyzeIn(sc *scope, t *wterm, e *ast.In, colOf func(ast.Expr) (int, int, bool)) {
	if e.Not || e.Table != nil || (e.Select == nil && len(e.List) == 0) {
		return
	}
	s, col, ok := colOf(e.X)
	if !ok {
		return
	}
	if e.Select != nil {
		if !c.surelyUncorrelated(sc, e.Select) {
			return
		}
		t.cons = append(t.cons, cons{src: s, col: col, op: ast.OpEq, term: e, left: e.X, in: e})
		return
	}
	if len(e.List) == 1 && hasColumnRef(e.List[0]) {
		// "x IN (y)" with y reading other sources is a join constraint
		// on the column x: an equality under x's own affinity and
		// collation (cons.inOne). The term itself is still checked on
		// every row.
		item := e.List[0]
		if _, isRow := item.(*ast.Row); isRow || hasSubquery(item) {
			return
		}
		om := c.termMask(sc, item)
		src := sc.srcs[s]
		if om&(1<<uint(s)) == 0 && col >= 0 && src.table != nil && col != src.table.RowidAlias {
			t.cons = append(t.cons, cons{src: s, col: col, op: ast.OpEq, other: item, omask: om,
				term: &ast.Binary{Op: ast.OpEq, X: e.X, Y: item}, left: e.X, inOne: true})
		}
		return
	}
	for _, item := range e.List {
		// The list is built once per execution, so its values must not
		// depend on any row: a column of this query or of an enclosing
		// one (a correlated subquery's list changes with the outer row).
		if _, isRow := item.(*ast.Row); isRow || hasSubquery(item) || hasColumnRef(item) {
			return
		}
	}
	t.cons = append(t.cons, cons{src: s, col: col, op: ast.OpEq, term: e, left: e.X, in: e})
}

// inCost is how many lookups an IN constraint costs.
func inCost(k cons) float64 {
	if k.in.Select != nil {
		return 25 // SQLite's guess for a subquery's rows
	}
	return float64(len(k.in.List))
}

// surelyUncorrelated reports whether sel cannot read a column of sc or of
// an enclosing query: none of the names it uses is a column, a table, an
// alias or a rowid name there. (A false "no" only loses a lookup.)
func (c *compiler) surelyUncorrelated(sc *scope, sel *ast.Select) bool {
	if c.selfContained(sel) {
		return true
	}
	names := usedNames([]ast.Expr{&ast.Subquery{Select: sel}})
	for _, n := range []string{"rowid", "oid", "_rowid_"} {
		if names[n] {
			return false
		}
	}
	for s := sc; s != nil; s = s.parent {
		for _, src := range append(s.srcs, s.flats...) {
			if names[lower(src.name)] {
				return false
			}
			for _, col := range src.cols {
				if names[lower(col.name)] {
					return false
				}
			}
		}
	}
	return true
}

// inSubqueryKey is the affinity and collation an IN (subquery) lookup on
// column k compares under, as inExpr compares, and whether an index on
// the column with collation idxColl can serve it.
func (c *compiler) inSubqueryKey(sc *scope, s *source, k cons, idxColl string) (vdbe.Affinity, string, bool) {
	e := k.in
	aff := vdbe.ComparisonAffinity(c.exprAffinity(sc, e.X), c.subqueryAffinity(sc, e.Select))
	coll, explicit := c.exprCollation(sc, e.X)
	if !explicit && coll == "" {
		coll, _ = c.subqueryCollation(sc, e.Select)
	}
	colAff := c.colAff(s, k.col)
	switch {
	case aff == vdbe.AffinityNone || aff == vdbe.AffinityBlob:
	case aff == vdbe.AffinityText:
		if colAff != vdbe.AffinityText {
			return aff, coll, false
		}
	default:
		if !colAff.IsNumeric() {
			return aff, coll, false
		}
	}
	return aff, coll, strings.EqualFold(normColl(coll), normColl(idxColl))
}

// inLoop emits the loop over the values of IN constraint k of s's access
// a: it leaves the current value in k.inReg, and the returned function
// closes the loop (the lookups jump to inner when done with a value; the
// loop ends at outer).
func (c *compiler) inLoop(sc *scope, s *source, k *cons, a access, outer, inner int) (func(), error) {
	coll := ""
	if a.kind == accessIndex {
		if pos := indexPos(a.ix, k.col); pos >= 0 {
			coll = a.ix.Columns[pos].Collation
		}
	}
	ki, err := c.keyInfo([]string{coll}, nil)
	if err != nil {
		return nil, err
	}
	eph := c.cursor()
	if k.in.Select != nil {
		return c.inSubqueryLoop(sc, s, k, coll, eph, outer)
	}
	aff := c.colAff(s, k.col)
	built := c.newLabel()
	c.emit(vdbe.CodeOnce, 0, built, 0)
	c.emitP4(vdbe.CodeOpenEphemeral, eph, 1, 0, vdbe.P4{KeyInfo: ki})
	r, rec := c.reg(), c.reg()
	for _, item := range k.in.List {
		skip := c.newLabel()
		if err := c.expr(sc, item, r); err != nil {
			return nil, err
		}
		c.emit(vdbe.CodeIsNull, r, skip, 0)
		if aff != vdbe.AffinityNone && aff != vdbe.AffinityBlob {
			c.emitP4(vdbe.CodeAffinity, r, 1, 0, vdbe.P4{Str: string(rune(aff))})
		}
		c.emitP4(vdbe.CodeFound, eph, skip, r, vdbe.P4{Int: 1})
		c.emit(vdbe.CodeMakeRecord, r, 1, rec)
		c.emit(vdbe.CodeIdxInsert, eph, rec, 0)
		c.place(skip)
	}
	c.place(built)
	k.inReg = c.reg()
	c.emit(vdbe.CodeRewind, eph, outer, 0)
	top := c.addr()
	c.emit(vdbe.CodeColumn, eph, 0, k.inReg)
	_ = inner // placed by the caller, after the lookups' own loop
	return func() {
		c.emit(vdbe.CodeNext, eph, top, 0)
		c.place(outer)
	}, nil
}

// analyzeIsNull records the constraint col IS NULL (term e, column side
// x): an index finds NULLs as it finds any other value. A WHERE term on
// the right side of a LEFT JOIN is the exception: the row the join makes
// up of NULLs satisfies it, so it must be checked after the join, not used
// to choose which rows the join matches.
func (c *compiler) analyzeIsNull(sc *scope, t *wterm, e, x ast.Expr, colOf func(ast.Expr) (int, int, bool)) {
	s, col, ok := colOf(x)
	if !ok || col < 0 {
		return
	}
	if sc.srcs[s].left && t.onSrc != s {
		return
	}
	t.cons = append(t.cons, cons{src: s, col: col, op: ast.OpEq, term: e, left: x, isNull: true})
}

func isNullLiteral(e ast.Expr) bool {
	l, ok := e.(*ast.Literal)
	return ok && l.Kind == ast.LitNull
}

// inSubqueryLoop is inLoop for col IN (subquery): the subquery's rows,
// converted to the comparison's affinity, fill a temporary index once;
// the loop visits its distinct non-NULL values.
func (c *compiler) inSubqueryLoop(sc *scope, s *source, k *cons, coll string, eph, outer int) (func(), error) {
	aff, _, _ := c.inSubqueryKey(sc, s, *k, coll)
	ki, err := c.keyInfo([]string{coll}, nil)
	if err != nil {
		return nil, err
	}
	affStr := ""
	if aff != vdbe.AffinityNone && aff != vdbe.AffinityBlob {
		affStr = string(rune(aff))
	}
	c.nextSub = &subPlan{kind: "LIST", sel: k.in.Select}
	err = c.subqueryOnce(sc, func(probe *scope) error {
		c.emitP4(vdbe.CodeOpenEphemeral, eph, 1, 0, vdbe.P4{KeyInfo: ki})
		info, err := c.compileSelect(probe, k.in.Select, &dest{kind: destIndex, cursor: eph, affinity: affStr})
		if err != nil {
			return err
		}
		if len(info.names) != 1 {
			return errorf("sub-select returns %d columns - expected 1", len(info.names))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	collFn, err := collation(coll)
	if err != nil {
		return nil, err
	}
	k.inReg = c.reg()
	prev, first := c.reg(), c.reg()
	c.emit(vdbe.CodeInteger, 1, first, 0)
	c.emit(vdbe.CodeRewind, eph, outer, 0)
	top := c.addr()
	skip, use := c.newLabel(), c.newLabel()
	c.emit(vdbe.CodeColumn, eph, 0, k.inReg)
	c.emit(vdbe.CodeIsNull, k.inReg, skip, 0)
	// Equal values sit next to each other in the index: look each up once.
	c.emit(vdbe.CodeIf, first, use, 0)
	c.emitP4(vdbe.CodeEq, k.inReg, skip, prev, vdbe.P4{Int: int64(vdbe.AffinityNone), Coll: collFn})
	c.place(use)
	c.emit(vdbe.CodeInteger, 0, first, 0)
	c.emit(vdbe.CodeCopy, k.inReg, prev, 1)
	body := c.newLabel()
	c.emit(vdbe.CodeGoto, 0, body, 0)
	c.place(skip)
	c.emit(vdbe.CodeNext, eph, top, 0)
	c.emit(vdbe.CodeGoto, 0, outer, 0)
	c.place(body)
	return func() {
		c.emit(vdbe.CodeNext, eph, top, 0)
		c.place(outer)
	}, nil
}

// selfContained reports whether every column reference of sel, a simple
// SELECT from tables (or from such SELECTs), resolves to one of its own
// sources, as name resolution would find it there before looking
// outside: then it reads nothing of an enclosing query, even when it
// names the same tables and columns ("c0 IN (SELECT total(c0) FROM t0)").
// Anything it cannot be sure of (a view, a CTE, a nested subquery in an
// expression, a window, a name that is not a column of its sources)
// answers false.
func (c *compiler) selfContained(sel *ast.Select) bool {
	core := sel.Core
	if sel.With != nil || len(sel.Compounds) > 0 || core == nil || core.Values != nil || core.From == nil || len(core.Windows) > 0 {
		return false
	}
	sources := map[string]map[string]bool{} // the columns of each source, by alias or name
	columns := map[string]bool{"rowid": true, "oid": true, "_rowid_": true}
	exprs := []ast.Expr{core.Where, core.Having, sel.Limit, sel.Offset}
	for _, item := range core.From.Items {
		name, cols := c.selfContainedSource(item.Source)
		if cols == nil {
			return false
		}
		sources[lower(name)] = cols
		for col := range cols {
			columns[col] = true
		}
		exprs = append(exprs, item.On)
	}
	for _, rc := range core.Columns {
		exprs = append(exprs, rc.Expr)
	}
	exprs = append(exprs, core.GroupBy...)
	for _, o := range sel.OrderBy {
		exprs = append(exprs, o.Expr)
	}
	ok := true
	for _, e := range exprs {
		walkExpr(e, func(x ast.Expr) bool {
			switch x := x.(type) {
			case *ast.Subquery, *ast.Exists:
				ok = false
			case *ast.In:
				ok = ok && x.Select == nil && x.Table == nil
			case *ast.FuncCall:
				ok = ok && x.Over == nil && x.OverName == nil && len(x.OrderBy) == 0
			case *ast.ColumnRef:
				col := lower(x.Column.Name)
				switch {
				case x.Schema.Name != "":
					ok = false
				case x.Table.Name != "":
					cols := sources[lower(x.Table.Name)]
					ok = ok && cols != nil && cols[col]
				default:
					ok = ok && columns[col]
				}
			}
			return ok
		})
		if !ok {
			return false
		}
	}
	return true
}

// selfContainedSource is the name and the lower-cased column names of a
// FROM source of a selfContained SELECT: a table, or a selfContained
// subquery whose result columns all have plain names. It returns nil
// columns for anything else.
func (c *compiler) selfContainedSource(src ast.TableSource) (string, map[string]bool) {
	switch src := src.(type) {
	case *ast.TableName:
		if src.HasArgs || src.Name.Schema.Name != "" || c.lookupCTE(src.Name.Name.Name) != nil {
			return "", nil
		}
		t := c.sch.Table(src.Name.Name.Name)
		if t == nil {
			return "", nil // a view, or no such table
		}
		name := src.Name.Name.Name
		if src.Alias.Name != "" {
			name = src.Alias.Name
		}
		cols := map[string]bool{"rowid": true, "oid": true, "_rowid_": true}
		for _, col := range t.Columns {
			cols[lower(col.Name)] = true
		}
		return name, cols
	case *ast.SubquerySource:
		if src.Alias.Name == "" || !c.selfContained(src.Select) {
			return "", nil
		}
		cols := map[string]bool{}
		for _, rc := range src.Select.Core.Columns {
			switch {
			case rc.Star:
				return "", nil
			case rc.Alias.Name != "":
				cols[lower(rc.Alias.Name)] = true
			default:
				ref, ok := rc.Expr.(*ast.ColumnRef)
				if !ok {
					return "", nil
				}
				cols[lower(ref.Column.Name)] = true
			}
		}
		return src.Alias.Name, cols
	}
	return "", nil
}
