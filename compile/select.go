package compile

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/vdbe"
)

// destKind says where a SELECT's rows go.
type destKind uint8

const (
	destOutput    destKind = iota // result rows of the statement
	destTable                     // append to ephemeral table cursor (materialized subquery)
	destIndex                     // insert into ephemeral index cursor (a set: IN, UNION)
	destIndexSeq                  // insert with a trailing sequence number (a multiset: UNION ALL)
	destExcept                    // delete matching entries from cursor
	destIntersect                 // insert into cursor2 when cursor has the row
	destScalar                    // copy column 0 into reg, then jump to done
	destExists                    // set reg to 1, then jump to done
	destCallback                  // hand the row registers to fn
)

type dest struct {
	kind     destKind
	cursor   int
	cursor2  int
	reg      int
	done     int
	affinity string
	fn       func(base, n int) error
}

// limitCtl counts LIMIT and OFFSET at the point rows are produced.
type limitCtl struct {
	limit, offset int // registers, 0 when absent
	end           int // label: the query is finished
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// compileSelectStmt compiles a top-level SELECT that returns rows.
func (c *compiler) compileSelectStmt(sel *ast.Select) error {
	c.selIDs, c.joinIDs, c.valuesIDs = numberSelects(sel)
	info, err := c.compileSelect(nil, sel, &dest{kind: destOutput})
	if err != nil {
		return err
	}
	c.prog.ColumnNames = info.names
	c.prog.DeclTypes = info.declTypes
	c.prog.NotNull = info.notNull
	return nil
}

// selectInfo describes the result columns of a compiled SELECT.
type selectInfo struct {
	names     []string
	declTypes []string
	notNull   []bool
	affs      []vdbe.Affinity
	colls     []string
}

// compileSelect compiles sel in the enclosing scope parent, sending its
// rows to d.
func (c *compiler) compileSelect(parent *scope, sel *ast.Select, d *dest) (*selectInfo, error) {
	pop, err := c.pushWith(sel.With)
	if err != nil {
		return nil, err
	}
	defer pop()
	if flat := c.flattenCompoundSubquery(parent, sel); flat != nil {
		sel = flat
	}
	if len(sel.Compounds) > 0 {
		return c.compileCompound(parent, sel, d)
	}
	return c.compileCore(parent, sel.Core, sel.OrderBy, sel.Limit, sel.Offset, d)
}

// setupLimit evaluates LIMIT and OFFSET once, before the query runs.
func (c *compiler) setupLimit(sc *scope, limit, offset ast.Expr, end int) (*limitCtl, error) {
	lc := &limitCtl{end: end}
	if limit == nil {
		return lc, nil
	}
	lc.limit = c.reg()
	if err := c.expr(sc, limit, lc.limit); err != nil {
		return nil, err
	}
	c.emit(vdbe.CodeMustBeInt, lc.limit, 0, 0)
	if offset != nil {
		lc.offset = c.reg()
		if err := c.expr(sc, offset, lc.offset); err != nil {
			return nil, err
		}
		c.emit(vdbe.CodeMustBeInt, lc.offset, 0, 0)
	}
	c.emit(vdbe.CodeIfNot, lc.limit, end, 0)
	return lc, nil
}

// emitRow sends the row in registers base..base+n-1 to d, counting
// LIMIT/OFFSET with lc. skip is where to continue when OFFSET swallows
// the row.
func (c *compiler) emitRow(d *dest, base, n int, lc *limitCtl) error {
	next := c.newLabel()
	if lc != nil && lc.offset != 0 {
		c.emit(vdbe.CodeIfPos, lc.offset, next, 1)
	}
	switch d.kind {
	case destOutput:
		c.emit(vdbe.CodeResultRow, base, n, 0)
	case destTable:
		rec, id := c.reg(), c.reg()
		c.emit(vdbe.CodeMakeRecord, base, n, rec)
		c.emit(vdbe.CodeNewRowid, d.cursor, id, 0)
		c.emit(vdbe.CodeInsert, d.cursor, rec, id)
	case destIndex:
		rec := c.reg()
		c.emitP4(vdbe.CodeMakeRecord, base, n, rec, vdbe.P4{Str: d.affinity})
		c.emit(vdbe.CodeIdxInsert, d.cursor, rec, 0)
	case destIndexSeq:
		tmp := c.regs(n + 1)
		c.emit(vdbe.CodeCopy, base, tmp, n)
		c.emit(vdbe.CodeSequence, d.cursor, tmp+n, 0)
		rec := c.reg()
		c.emit(vdbe.CodeMakeRecord, tmp, n+1, rec)
		c.emit(vdbe.CodeIdxInsert, d.cursor, rec, 0)
	case destExcept:
		loop := c.addr()
		c.emitP4(vdbe.CodeNotFound, d.cursor, next, base, vdbe.P4{Int: int64(n)})
		c.emit(vdbe.CodeDelete, d.cursor, 0, 0)
		c.emit(vdbe.CodeGoto, 0, loop, 0)
	case destIntersect:
		// The row kept is the left side's (where the cursor now stands):
		// values equal under comparison can differ in type (0 and 0.0).
		c.emitP4(vdbe.CodeNotFound, d.cursor, next, base, vdbe.P4{Int: int64(n)})
		left := c.regs(n)
		for i := 0; i < n; i++ {
			c.emit(vdbe.CodeColumn, d.cursor, i, left+i)
		}
		rec := c.reg()
		c.emit(vdbe.CodeMakeRecord, left, n, rec)
		c.emit(vdbe.CodeIdxInsert, d.cursor2, rec, 0)
	case destScalar:
		c.emit(vdbe.CodeCopy, base, d.reg, 1)
		c.emit(vdbe.CodeGoto, 0, d.done, 0)
	case destExists:
		c.emit(vdbe.CodeInteger, 1, d.reg, 0)
		c.emit(vdbe.CodeGoto, 0, d.done, 0)
	case destCallback:
		if err := d.fn(base, n); err != nil {
			return err
		}
	}
	if lc != nil && lc.limit != 0 {
		c.emit(vdbe.CodeDecrJumpZero, lc.limit, lc.end, 0)
	}
	c.place(next)
	return nil
}

// orderTerm is one resolved ORDER BY term.
type orderTerm struct {
	expr   ast.Expr
	result int // the result column it names, or -1
	desc   bool
	coll   string
}

// resolveOrderBy resolves ORDER BY terms of a simple SELECT: an ordinal or
// an alias names a result column; anything else is an expression.
func (c *compiler) resolveOrderBy(sc *scope, terms []ast.OrderingTerm, rcs []resultCol, clause string) ([]orderTerm, error) {
	var out []orderTerm
	for i, t := range terms {
		ot := orderTerm{result: -1, desc: t.Order == ast.SortDesc}
		e := t.Expr
		var explicitColl string
		if col, ok := e.(*ast.Collate); ok {
			explicitColl = col.Collation.Name
			if _, err := collation(explicitColl); err != nil {
				return nil, err
			}
			e = col.X
		}
		if k, ok := intLiteral(e); ok {
			if k < 1 || k > int64(len(rcs)) {
				return nil, errorf("%s %s BY term out of range - should be between 1 and %d", ordinal(i+1), clause, len(rcs))
			}
			ot.result = int(k - 1)
		} else if ref, ok := e.(*ast.ColumnRef); ok && ref.Table.Name == "" && !c.hasBoundRef(ref) {
			for j, rc := range rcs {
				if strings.EqualFold(rc.name, ref.Column.Name) && isAliasOf(rc, ref) {
					ot.result = j
					break
				}
			}
		}
		if ot.result >= 0 {
			ot.expr = rcs[ot.result].expr
		} else {
			ot.expr = e
			for j, rc := range rcs {
				if ast.String(rc.expr) == ast.String(e) && !c.hasBoundRef(e) {
					ot.result = j
					break
				}
			}
			if ot.result < 0 && hasAggregate(c, e) && sc.agg == nil {
				// resolved later as an aggregate query
			}
		}
		if explicitColl != "" {
			ot.coll = explicitColl
		} else {
			ot.coll, _ = c.exprCollation(sc, ot.expr)
		}
		out = append(out, ot)
	}
	return out, nil
}

// isAliasOf reports whether ref, a bare name in ORDER BY, should be taken
// as the alias of rc: SQLite prefers an alias (an AS name, or the name of
// a result column) over a table column.
func isAliasOf(rc resultCol, ref *ast.ColumnRef) bool { return rc.alias }

// intLiteral reports whether e reads as an ordinal in ORDER BY or GROUP
// BY, and its value. As in SQLite, that is an integer literal (decimal or
// hex) that fits in 31 bits, under any number of unary + and - signs, so
// that "-1" is an ordinal (out of range) while "99999999999" and "1.0"
// are constant expressions.
func intLiteral(e ast.Expr) (int64, bool) {
	switch e := e.(type) {
	case *ast.Literal:
		if e.Kind != ast.LitInteger {
			return 0, false
		}
		v, err := literalValue(e)
		if err != nil || v.Kind != record.Integer || v.Int < 0 || v.Int > math.MaxInt32 {
			return 0, false
		}
		return v.Int, true
	case *ast.Unary:
		switch e.Op {
		case ast.OpPlus:
			return intLiteral(e.X)
		case ast.OpNeg:
			v, ok := intLiteral(e.X)
			return -v, ok
		}
	}
	return 0, false
}

// compileCore compiles one SELECT core with its ORDER BY and LIMIT.
func (c *compiler) compileCore(parent *scope, core *ast.SelectCore, orderBy []ast.OrderingTerm, limit, offset ast.Expr, d *dest) (*selectInfo, error) {
	sc := &scope{parent: parent}
	inCompound := c.compoundPart
	c.compoundPart = false
	if core.Values != nil {
		return c.compileValues(sc, core, orderBy, limit, offset, d)
	}
	if core.From != nil {
		srcs, err := c.buildSources(sc, core.From, nil)
		if err != nil {
			return nil, err
		}
		sc.srcs = srcs
		q := &outerQuery{where: core.Where, orderBy: orderBy, limit: limit, offset: offset,
			agg: c.coreIsAggregate(core, orderBy), distinct: core.Distinct, compound: inCompound,
			complexResult: c.complexResult(core)}
		flattened, err := c.flattenSources(sc, q)
		if err != nil {
			return nil, err
		}
		if flattened {
			merged := *core
			merged.Where = q.where
			core = &merged
			orderBy, limit = q.orderBy, q.limit
		}
	}
	rcs, err := c.expandColumns(sc, core)
	if err != nil {
		return nil, err
	}
	sc.aliases = rcs
	info := &selectInfo{}
	for _, rc := range rcs {
		info.names = append(info.names, rc.name)
		info.declTypes = append(info.declTypes, c.declType(sc, rc.expr))
		info.notNull = append(info.notNull, c.notNull(sc, rc.expr))
		info.affs = append(info.affs, c.exprAffinity(sc, rc.expr))
		coll, _ := c.exprCollation(sc, rc.expr)
		info.colls = append(info.colls, coll)
	}
	if d.kind == destScalar && len(rcs) != 1 {
		return nil, errorf("sub-select returns %d columns - expected 1", len(rcs))
	}

	order, err := c.resolveOrderBy(sc, orderBy, rcs, "ORDER")
	if err != nil {
		return nil, err
	}
	if d.kind == destScalar || d.kind == destExists {
		if limit == nil {
			order = nil
		}
	}

	// Aggregate query?
	var exprs []ast.Expr
	for _, rc := range rcs {
		exprs = append(exprs, rc.expr)
	}
	exprs = append(exprs, core.Having)
	for _, o := range order {
		exprs = append(exprs, o.expr)
	}
	isAgg := core.GroupBy != nil
	for _, e := range exprs {
		if hasAggregate(c, e) {
			isAgg = true
		}
	}
	if core.Having != nil && core.GroupBy == nil && !isAgg {
		return nil, errorf("a GROUP BY clause is required before HAVING")
	}
	// A query of one row at most (no FROM, or an aggregate without GROUP
	// BY) needs no sort, and SQLite plans none; terms that are not result
	// columns are still compiled, for their errors.
	if !core.Distinct && (core.From == nil || (isAgg && core.GroupBy == nil)) && orderNamesResults(order) {
		order = nil
	}
	// EXISTS only asks whether a row comes out: as in SQLite, its ORDER BY
	// and DISTINCT are dropped and its result columns never evaluated
	// (aggregates still make it one row, and are still stepped).
	exists := d.kind == destExists
	evaluated := rcs
	if exists {
		order, evaluated = nil, nil
	}
	if core.Where != nil && hasAggregate(c, core.Where) {
		return nil, errorf("misuse of aggregate: %s()", firstAggregateName(c, core.Where))
	}

	end := c.newLabel()
	// A WHERE term that reads none of the sources is checked before the
	// subqueries are materialized, as SQLite checks it before its loops:
	// when it is false they never run. An aggregate query still produces
	// its row, so it only skips the materializations.
	// The ON terms of inner joins are WHERE terms too, unless a RIGHT or
	// FULL JOIN can bring rows back that an inner join dropped.
	whereTerms := splitAnd(core.Where, nil)
	if !hasRightJoin(sc) {
		for _, s := range sc.srcs {
			if !s.left && !s.right {
				whereTerms = splitAnd(s.on, whereTerms)
			}
		}
	}
	var constTerms []ast.Expr
	for _, term := range whereTerms {
		if !hasSubquery(term) && c.termMask(sc, term) == 0 {
			constTerms = append(constTerms, term)
		}
	}
	var guard func(int) error
	if !isAgg {
		for _, term := range constTerms {
			if err := c.jumpIfFalse(sc, term, end); err != nil {
				return nil, err
			}
		}
	} else if len(constTerms) > 0 {
		guard = func(skip int) error {
			for _, term := range constTerms {
				if err := c.jumpIfFalse(sc, term, skip); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if err := c.prepareSubqueries(sc, core.Where, len(orderBy) > 0, guard); err != nil {
		return nil, err
	}
	lc, err := c.setupLimit(sc, limit, offset, end)
	if err != nil {
		return nil, err
	}
	if d.kind == destScalar || d.kind == destExists {
		lc.end = d.done
	}

	// DISTINCT uses an ephemeral index of the rows seen, unless the loops
	// deliver the rows in the order of the result columns: then a row is
	// a duplicate when it equals the one before (distinctOrdered).
	distinctCur, distinctOpen := -1, -1
	var distinctHint []orderTerm
	var distinctKI *record.KeyInfo
	distinctPrev, distinctFirst := 0, 0
	if core.Distinct && !exists {
		distinctCur = c.cursor()
		ki, err := c.keyInfo(info.colls, nil)
		if err != nil {
			return nil, err
		}
		distinctKI = ki
		distinctOpen = c.emitP4(vdbe.CodeOpenEphemeral, distinctCur, len(rcs), 0, vdbe.P4{KeyInfo: ki})
		if !isAgg && len(sc.srcs) == 1 && (len(order) == 0 || orderCoversResult(order, info.colls)) {
			for j, rc := range rcs {
				distinctHint = append(distinctHint, orderTerm{expr: rc.expr, result: j, coll: info.colls[j]})
			}
			if len(order) > 0 {
				// Rows sorted on every result column: duplicates are
				// adjacent when the loops deliver that order.
				distinctHint = order
			}
			distinctPrev, distinctFirst = c.regs(len(rcs)), c.reg()
			c.emit(vdbe.CodeInteger, 1, distinctFirst, 0)
		}
	}
	// ORDER BY uses a sorter, unless the loops deliver the order
	// (sc.ordered, decided by the planner; the SorterOpen is then dropped).
	sc.usedCols = coreNames(sc, core, rcs, order)
	if len(sc.flats) > 0 {
		sc.usedCols = c.resolvedNames(sc, core, rcs, order)
		// Resolved names carry no qualifiers: covers goes by bare names.
		delete(sc.usedCols, qualifiedKey)
	}
	if !isAgg {
		sc.orderHint = order
		if distinctHint != nil {
			sc.orderHint = distinctHint
		}
	}
	sorterCur, sorterOpen := -1, -1
	if len(order) > 0 {
		sorterCur = c.cursor()
		var colls []string
		var desc []bool
		for _, o := range order {
			colls = append(colls, o.coll)
			desc = append(desc, o.desc)
		}
		ki, err := c.keyInfo(colls, desc)
		if err != nil {
			return nil, err
		}
		sorterOpen = c.emitP4(vdbe.CodeSorterOpen, sorterCur, 0, 0, vdbe.P4{KeyInfo: ki})
	}
	base := c.regs(len(rcs))

	// rowLC is the LIMIT counter of the rows produced by the loops: none
	// when they go to a sorter, whose output counts them instead.
	sortLC := lc
	rowLC := func() *limitCtl {
		if sorterCur >= 0 && !sc.ordered {
			return nil
		}
		return lc
	}

	// produce is called with the result registers filled: it filters
	// DISTINCT and sends the row to the sorter or to the destination.
	produce := func(osc *scope) error {
		skip := c.newLabel()
		if distinctCur >= 0 && distinctHint != nil && sc.ordered {
			fresh := c.newLabel()
			c.emit(vdbe.CodeIf, distinctFirst, fresh, 0)
			c.emitP4(vdbe.CodeCompare, distinctPrev, base, 0, vdbe.P4{KeyInfo: distinctKI})
			c.emit(vdbe.CodeJump, fresh, skip, fresh)
			c.place(fresh)
			c.emit(vdbe.CodeInteger, 0, distinctFirst, 0)
			c.emit(vdbe.CodeCopy, base, distinctPrev, len(rcs))
		} else if distinctCur >= 0 {
			c.emitP4(vdbe.CodeFound, distinctCur, skip, base, vdbe.P4{Int: int64(len(rcs))})
			rec := c.reg()
			c.emit(vdbe.CodeMakeRecord, base, len(rcs), rec)
			c.emit(vdbe.CodeIdxInsert, distinctCur, rec, 0)
		}
		if sorterCur >= 0 && !sc.ordered {
			keys := c.regs(len(order) + len(rcs))
			for i, o := range order {
				if o.result >= 0 {
					c.emit(vdbe.CodeCopy, base+o.result, keys+i, 1)
				} else if err := c.expr(osc, o.expr, keys+i); err != nil {
					return err
				}
			}
			c.emit(vdbe.CodeCopy, base, keys+len(order), len(rcs))
			c.emit(vdbe.CodeSorterInsert, sorterCur, keys, len(order)+len(rcs))
		} else if err := c.emitRow(d, base, len(rcs), rowLC()); err != nil {
			return err
		}
		c.place(skip)
		return nil
	}
	if isAgg {
		if err := c.aggregateQuery(sc, core, rcs, order, base, len(evaluated), produce); err != nil {
			return nil, err
		}
	} else {
		if core.GroupBy != nil {
			return nil, errorf("GROUP BY requires aggregate")
		}
		err := c.whereLoops(sc, core.Where, func() error {
			sc.noAlias++
			for i, rc := range evaluated {
				if err := c.expr(sc, rc.expr, base+i); err != nil {
					sc.noAlias--
					return err
				}
			}
			sc.noAlias--
			return produce(sc)
		})
		if err != nil {
			return nil, err
		}
	}
	if distinctCur >= 0 && distinctHint != nil && sc.ordered {
		c.ops[distinctOpen] = vdbe.Op{Code: vdbe.CodeNoop}
	} else if distinctCur >= 0 {
		c.addPlan(0, "USE TEMP B-TREE FOR DISTINCT")
	}
	if sorterCur >= 0 && sc.ordered {
		c.ops[sorterOpen] = vdbe.Op{Code: vdbe.CodeNoop}
		sorterCur = -1
	}
	if sorterCur >= 0 {
		c.addPlan(0, "USE TEMP B-TREE FOR ORDER BY")
		if err := c.outputSorter(sorterCur, len(order), base, len(rcs), d, sortLC); err != nil {
			return nil, err
		}
	}
	c.place(end)
	_ = lc
	return info, nil
}

// outputSorter reads the sorted rows back and sends them to d.
func (c *compiler) outputSorter(cur, nKey, base, n int, d *dest, lc *limitCtl) error {
	done := c.newLabel()
	c.emit(vdbe.CodeSorterSort, cur, done, 0)
	top := c.addr()
	for i := 0; i < n; i++ {
		c.emit(vdbe.CodeColumn, cur, nKey+i, base+i)
	}
	if err := c.emitRow(d, base, n, lc); err != nil {
		return err
	}
	c.emit(vdbe.CodeSorterNext, cur, top, 0)
	c.place(done)
	return nil
}

// compileValues compiles a VALUES list: each row is a SELECT of constants.
func (c *compiler) compileValues(sc *scope, core *ast.SelectCore, orderBy []ast.OrderingTerm, limit, offset ast.Expr, d *dest) (*selectInfo, error) {
	n := len(core.Values[0])
	info := &selectInfo{}
	var rcs []resultCol
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("column%d", i+1)
		info.names = append(info.names, name)
		info.declTypes = append(info.declTypes, "")
		info.notNull = append(info.notNull, false)
		info.affs = append(info.affs, vdbe.AffinityNone)
		info.colls = append(info.colls, "")
		rcs = append(rcs, resultCol{name: name, expr: core.Values[0][i]})
	}
	for _, row := range core.Values {
		if len(row) != n {
			return nil, errorf("all VALUES must have the same number of terms")
		}
	}
	if len(core.Values) == 1 {
		c.addPlan(0, "SCAN CONSTANT ROW")
	} else {
		c.addPlan(0, fmt.Sprintf("SCAN %d CONSTANT ROWS", len(core.Values)))
	}
	order, err := c.resolveOrderBy(sc, orderBy, rcs, "ORDER")
	if err != nil {
		return nil, err
	}
	end := c.newLabel()
	lc, err := c.setupLimit(sc, limit, offset, end)
	if err != nil {
		return nil, err
	}
	if d.kind == destScalar || d.kind == destExists {
		lc.end = d.done
	}
	if len(core.Values) == 1 && orderNamesResults(order) {
		order = nil // one row needs no sort
	}
	base := c.regs(n)
	sorterCur := -1
	if len(order) > 0 {
		sorterCur = c.cursor()
		var colls []string
		var desc []bool
		for _, o := range order {
			colls = append(colls, o.coll)
			desc = append(desc, o.desc)
		}
		ki, err := c.keyInfo(colls, desc)
		if err != nil {
			return nil, err
		}
		c.emitP4(vdbe.CodeSorterOpen, sorterCur, 0, 0, vdbe.P4{KeyInfo: ki})
	}
	if d.kind == destExists {
		order = nil // EXISTS needs neither the order nor the values
	}
	for _, row := range core.Values {
		for i, e := range row {
			if d.kind == destExists {
				break
			}
			if err := c.expr(sc, e, base+i); err != nil {
				return nil, err
			}
		}
		if sorterCur >= 0 {
			keys := c.regs(len(order) + n)
			for i, o := range order {
				if o.result >= 0 {
					c.emit(vdbe.CodeCopy, base+o.result, keys+i, 1)
				} else if err := c.expr(sc, o.expr, keys+i); err != nil {
					return nil, err
				}
			}
			c.emit(vdbe.CodeCopy, base, keys+len(order), n)
			c.emit(vdbe.CodeSorterInsert, sorterCur, keys, len(order)+n)
		} else if err := c.emitRow(d, base, n, lc); err != nil {
			return nil, err
		}
	}
	if sorterCur >= 0 {
		if err := c.outputSorter(sorterCur, len(order), base, n, d, lc); err != nil {
			return nil, err
		}
	}
	c.place(end)
	return info, nil
}

// orderCoversResult reports whether every ORDER BY term is a result column
// sorted under that column's collation (colls, by result column), and
// every result column is among them: then equal rows sort together.
func orderCoversResult(order []orderTerm, colls []string) bool {
	seen := make([]bool, len(colls))
	for _, o := range order {
		if o.result < 0 || !strings.EqualFold(normColl(o.coll), normColl(colls[o.result])) {
			return false
		}
		seen[o.result] = true
	}
	for _, ok := range seen {
		if !ok {
			return false
		}
	}
	return true
}

// orderNamesResults reports whether every ORDER BY term is a result
// column.
func orderNamesResults(order []orderTerm) bool {
	for _, o := range order {
		if o.result < 0 {
			return false
		}
	}
	return true
}
