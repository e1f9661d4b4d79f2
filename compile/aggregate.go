package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// aggFunc is one aggregate call of an aggregate query: its accumulator
// slot and the register its final value lands in.
type aggFunc struct {
	call        *ast.FuncCall
	def         *vdbe.FuncDef
	slot        int
	result      int
	distinctCur int
}

// aggInfo lists the aggregate calls of a query. While active, compiling a
// listed call reads its result register.
type aggInfo struct {
	funcs  []*aggFunc
	active bool
}

func (a *aggInfo) lookup(call *ast.FuncCall) *aggFunc {
	for _, f := range a.funcs {
		if f.call == call {
			return f
		}
	}
	return nil
}

// aggregateDef returns the aggregate definition a call names, or nil.
func (c *compiler) aggregateDef(f *ast.FuncCall) *vdbe.FuncDef {
	if f.Over != nil || f.OverName != nil {
		return nil
	}
	def, _ := c.funcs.Lookup(f.Name.Name, len(f.Args))
	if def != nil && def.IsAggregate() {
		return def
	}
	return nil
}

// hasAggregate reports whether e calls an aggregate function outside any
// subquery.
func hasAggregate(c *compiler, e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.FuncCall:
			if c.aggregateDef(x) != nil {
				found = true
			}
		case *ast.Subquery, *ast.Exists:
			return false
		}
		return !found
	})
	return found
}

func firstAggregateName(c *compiler, e ast.Expr) string {
	name := ""
	walkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && name == "" && c.aggregateDef(f) != nil {
			name = f.Name.Name
		}
		switch x.(type) {
		case *ast.Subquery, *ast.Exists:
			return false
		}
		return name == ""
	})
	return name
}

// collectAggs finds the aggregate calls of e.
func (c *compiler) collectAggs(sc *scope, e ast.Expr, agg *aggInfo) error {
	var err error
	walkExpr(e, func(x ast.Expr) bool {
		if err != nil {
			return false
		}
		switch x := x.(type) {
		case *ast.Subquery, *ast.Exists:
			return false
		case *ast.In:
			if x.Select != nil {
				walkExpr(x.X, func(y ast.Expr) bool { return true })
			}
		case *ast.ColumnRef:
			// An alias of an aggregate result column, in HAVING or ORDER BY.
			if x.Table.Name == "" && sc.noAlias == 0 {
				for _, a := range sc.aliases {
					if a.alias && strings.EqualFold(a.name, x.Column.Name) && sc.srcsColumn(x.Column.Name) == nil {
						sc.noAlias++
						err = c.collectAggs(sc, a.expr, agg)
						sc.noAlias--
					}
				}
			}
		case *ast.FuncCall:
			def := c.aggregateDef(x)
			if def == nil {
				return true
			}
			if agg.lookup(x) != nil {
				return false
			}
			for _, a := range x.Args {
				if hasAggregate(c, a) {
					err = errorf("misuse of aggregate function %s()", firstAggregateName(c, a))
					return false
				}
			}
			if x.Distinct && len(x.Args) != 1 {
				err = errorf("DISTINCT aggregates must have exactly one argument")
				return false
			}
			af := &aggFunc{call: x, def: def, slot: c.aggSlot(), result: c.reg(), distinctCur: -1}
			if x.Distinct {
				af.distinctCur = c.cursor()
				name, _ := c.exprCollation(sc, x.Args[0])
				ki, e := c.keyInfo([]string{name}, nil)
				if e != nil {
					err = e
					return false
				}
				c.emitP4(vdbe.CodeOpenEphemeral, af.distinctCur, 1, 0, vdbe.P4{KeyInfo: ki})
			}
			agg.funcs = append(agg.funcs, af)
			return false
		}
		return true
	})
	return err
}

// srcsColumn returns the source that has a column called name, or nil.
func (sc *scope) srcsColumn(name string) *source {
	for _, s := range sc.named() {
		if !s.hidden && s.columnIndex(name) >= 0 {
			return s
		}
	}
	return nil
}

// positionSource moves src's cursor to the row whose rowid is in register
// r, or onto its NULL row when r is NULL.
func (c *compiler) positionSource(src *source, r int) {
	null, done := c.newLabel(), c.newLabel()
	c.emit(vdbe.CodeIsNull, r, null, 0)
	c.emit(vdbe.CodeSeekRowid, src.cursor, null, r)
	c.emit(vdbe.CodeGoto, 0, done, 0)
	c.place(null)
	c.emit(vdbe.CodeNullRow, src.cursor, 0, 0)
	c.place(done)
}

// aggregateQuery compiles the loop and output of an aggregate query. Rows
// are not copied into the sorter: only the GROUP BY keys and each source's
// rowid are, and the sources are repositioned on those rows to step the
// aggregates and again to evaluate bare columns of a group (which SQLite
// takes from the group's last row, or from its min()/max() row). Only the
// first evaluated result columns are computed for produce: none for
// EXISTS.
func (c *compiler) aggregateQuery(sc *scope, core *ast.SelectCore, rcs []resultCol, order []orderTerm, base, evaluated int, produce func(*scope) error) error {
	agg := &aggInfo{}
	sc.noAlias++
	for _, rc := range rcs {
		if err := c.collectAggs(sc, rc.expr, agg); err != nil {
			sc.noAlias--
			return err
		}
	}
	sc.noAlias--
	if err := c.collectAggs(sc, core.Having, agg); err != nil {
		return err
	}
	for _, o := range order {
		if o.result < 0 {
			if err := c.collectAggs(sc, o.expr, agg); err != nil {
				return err
			}
		}
	}
	// GROUP BY terms: an ordinal or an alias names a result column.
	var groupBy []ast.Expr
	for i, g := range core.GroupBy {
		// An ordinal under COLLATE still names a column, compared with
		// that collation.
		if col, ok := g.(*ast.Collate); ok {
			if k, ok := intLiteral(col.X); ok {
				if k < 1 || k > int64(len(rcs)) {
					return errorf("%s GROUP BY term out of range - should be between 1 and %d", ordinal(i+1), len(rcs))
				}
				g = &ast.Collate{X: rcs[k-1].expr, Collation: col.Collation}
			}
		}
		if k, ok := intLiteral(g); ok {
			if k < 1 || k > int64(len(rcs)) {
				return errorf("%s GROUP BY term out of range - should be between 1 and %d", ordinal(i+1), len(rcs))
			}
			g = rcs[k-1].expr
		} else if ref, ok := g.(*ast.ColumnRef); ok && ref.Table.Name == "" && sc.srcsColumn(ref.Column.Name) == nil {
			for _, rc := range rcs {
				if rc.alias && strings.EqualFold(rc.name, ref.Column.Name) {
					g = rc.expr
					break
				}
			}
		}
		if hasAggregate(c, g) {
			return errorf("aggregate functions are not allowed in the GROUP BY clause")
		}
		groupBy = append(groupBy, g)
	}
	// Bare columns come from the rows min() and max() pick when there are
	// such aggregates, else from a group's first row.
	minmax := 0
	for _, f := range agg.funcs {
		if (f.def.Name == "min" || f.def.Name == "max") && len(f.call.Args) == 1 {
			minmax++
		}
	}
	srcs := sc.srcs
	// Each source's row is remembered in slots from slotOf[i]: its rowid,
	// or a co-routine's whole row (rowSlots).
	slotOf := make([]int, len(srcs))
	nSlots := 0
	for i, s := range srcs {
		slotOf[i] = nSlots
		nSlots += rowSlots(s)
	}
	saved := c.regs(nSlots + 1)
	firstRow := c.reg()
	c.emit(vdbe.CodeInteger, 1, firstRow, 0)
	for i := 0; i < nSlots; i++ {
		c.emit(vdbe.CodeNull, 0, saved+i, 0)
	}
	// The aggregates in stepping order: min() and max() last, in their
	// order, so that the skip flag after the steps is the last of them's
	// (SQLite resets it before each min/max step).
	var steps, mm []*aggFunc
	for _, f := range agg.funcs {
		if (f.def.Name == "min" || f.def.Name == "max") && len(f.call.Args) == 1 {
			mm = append(mm, f)
		} else {
			steps = append(steps, f)
		}
	}
	steps = append(steps, mm...)
	// argWidth is how many values an aggregate's step needs: its FILTER
	// (when it has one) and its arguments.
	argWidth := func(f *aggFunc) int {
		n := len(f.call.Args)
		if f.call.Filter != nil {
			n++
		}
		return n
	}
	// evalArgs evaluates the FILTER and arguments of every aggregate, in
	// stepping order, into consecutive registers from base.
	evalArgs := func(base int) error {
		r := base
		for _, f := range steps {
			if f.call.Filter != nil {
				if err := c.expr(sc, f.call.Filter, r); err != nil {
					return err
				}
				r++
			}
			for _, a := range f.call.Args {
				if err := c.expr(sc, a, r); err != nil {
					return err
				}
				r++
			}
		}
		return nil
	}
	nArgVals := 0
	for _, f := range steps {
		nArgVals += argWidth(f)
	}
	// stepAggs steps every aggregate with the values in registers from
	// base (laid out by evalArgs), then remembers the row's rowids (in
	// registers rowids.., or read from the cursors when rowids is 0) as
	// the row of the group's bare columns.
	stepAggs := func(base, rowids int) error {
		r := base
		for _, f := range steps {
			skip := c.newLabel()
			if f.call.Filter != nil {
				c.emit(vdbe.CodeIfNot, r, skip, 1)
				r++
			}
			n := len(f.call.Args)
			args := r
			r += n
			if f.distinctCur >= 0 {
				c.emitP4(vdbe.CodeFound, f.distinctCur, skip, args, vdbe.P4{Int: 1})
				rec := c.reg()
				c.emit(vdbe.CodeMakeRecord, args, 1, rec)
				c.emit(vdbe.CodeIdxInsert, f.distinctCur, rec, 0)
			}
			p4 := vdbe.P4{Func: f.def}
			if f.def.Flags&vdbe.FuncNeedsColl != 0 && n > 0 {
				coll, err := c.argsCollation(sc, f.call.Args)
				if err != nil {
					return err
				}
				p4.Coll = coll
			}
			c.emitP4(vdbe.CodeAggStep, args, n, f.slot, p4)
			c.place(skip)
		}
		noSave := c.newLabel()
		if minmax > 0 {
			c.emit(vdbe.CodeSkipLoad, 0, noSave, 0)
		} else {
			c.emit(vdbe.CodeIfNot, firstRow, noSave, 0)
		}
		for i, s := range srcs {
			if rowids > 0 {
				c.emit(vdbe.CodeCopy, rowids+slotOf[i], saved+slotOf[i], rowSlots(s))
			} else {
				c.saveRow(s, saved+slotOf[i])
			}
		}
		c.emit(vdbe.CodeInteger, 0, firstRow, 0)
		c.place(noSave)
		return nil
	}
	output := func() error {
		for _, f := range agg.funcs {
			c.emitP4(vdbe.CodeAggFinal, f.slot, f.result, 0, vdbe.P4{Func: f.def})
		}
		for i, s := range srcs {
			c.restoreRow(s, saved+slotOf[i])
		}
		skip := c.newLabel()
		sc.agg = agg
		agg.active = true
		defer func() { agg.active = false }()
		if core.Having != nil {
			if err := c.jumpIfFalse(sc, core.Having, skip); err != nil {
				return err
			}
		}
		sc.noAlias++
		for i, rc := range rcs[:evaluated] {
			if err := c.expr(sc, rc.expr, base+i); err != nil {
				sc.noAlias--
				return err
			}
		}
		sc.noAlias--
		if err := produce(sc); err != nil {
			return err
		}
		c.place(skip)
		return nil
	}
	if len(groupBy) == 0 {
		// A lone DISTINCT aggregate may be read in distinct order from an
		// index in SQLite, without its temporary table; which it is
		// cannot be told here, so its line is only shown beside others.
		if len(agg.funcs) > 1 {
			c.distinctAggPlan(agg)
		}
		err := c.whereLoops(sc, core.Where, func() error {
			base := c.regs(nArgVals + 1)
			if err := evalArgs(base); err != nil {
				return err
			}
			return stepAggs(base, 0)
		})
		if err != nil {
			return err
		}
		return output()
	}

	startGroup := func(int) {
		c.emit(vdbe.CodeInteger, 1, firstRow, 0)
		for _, f := range agg.funcs {
			c.emit(vdbe.CodeAggReset, f.slot, 0, 0)
			if f.distinctCur >= 0 {
				c.emit(vdbe.CodeClearEphemeral, f.distinctCur, 0, 0)
			}
		}
	}
	if err := c.groupedLoop(sc, core.Where, groupBy, order, nSlots, nArgVals, slotOf, startGroup, evalArgs, stepAggs, output); err != nil {
		return err
	}
	c.distinctAggPlan(agg)
	return nil
}

// distinctAggPlan adds the plan line of each DISTINCT aggregate's
// temporary table of the values seen.
func (c *compiler) distinctAggPlan(agg *aggInfo) {
	for _, f := range agg.funcs {
		if f.distinctCur >= 0 {
			c.addPlan(0, "USE TEMP B-TREE FOR "+f.def.Name+"(DISTINCT)")
		}
	}
}
