package compile

import (
	"slices"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// GROUP BY in the order of the loop.
//
// The rows of a group must be stepped together, so an aggregate query
// with GROUP BY either sorts its rows on the group keys first (a sorter,
// "USE TEMP B-TREE FOR GROUP BY") or, as SQLite does, lets the planner
// read its single source in that order already: an index whose leading
// columns are the GROUP BY terms, under the same collations, or the table
// itself for GROUP BY of the rowid (planOrder, with the GROUP BY terms as
// the order hint). Then a group ends when the keys of a row differ from
// the previous row's, and the group is output right there, in the middle
// of the loop.
//
// An ORDER BY naming exactly the GROUP BY terms needs no sorter of its
// own either: the groups are formed in its directions and come out in its
// order.

// groupOrder returns the order the groups of groupBy are formed in: the
// GROUP BY terms under their collations, ascending unless an ORDER BY
// naming the same terms with the same collations (order) asks otherwise,
// and whether it does (the ORDER BY is then satisfied by the groups).
func (c *compiler) groupOrder(sc *scope, groupBy []ast.Expr, order []orderTerm) ([]orderTerm, bool) {
	terms := make([]orderTerm, len(groupBy))
	for i, g := range groupBy {
		coll, _ := c.exprCollation(sc, g)
		terms[i] = orderTerm{expr: g, result: -1, coll: coll}
	}
	if len(order) != len(groupBy) {
		return terms, false
	}
	for i, o := range order {
		if ast.String(o.expr) != ast.String(groupBy[i]) || !strings.EqualFold(normColl(o.coll), normColl(terms[i].coll)) {
			return terms, false
		}
	}
	for i, o := range order {
		terms[i].desc = o.desc
	}
	return terms, true
}

// groupedLoop emits the loops of an aggregate query with GROUP BY and the
// grouping of their rows: in the loop's own order when the planner
// delivers the groups' order, else through a sorter. startGroup(keys)
// emits the start of a new group whose keys are in registers from keys;
// evalArgs and stepAggs are aggregateQuery's (stepAggs with rowids 0
// reads the rows to remember from the cursors); output is the subroutine
// body that outputs a group.
func (c *compiler) groupedLoop(sc *scope, where ast.Expr, groupBy []ast.Expr, order []orderTerm, nSlots, nArgVals int, slotOf []int,
	startGroup func(keys int), evalArgs func(base int) error, stepAggs func(base, rowids int) error, output func() error) error {
	srcs := sc.srcs
	nKey, nSrc := len(groupBy), nSlots
	groupTerms, orderByGroup := c.groupOrder(sc, groupBy, order)
	var colls []string
	var desc []bool
	for _, o := range groupTerms {
		colls = append(colls, o.coll)
		desc = append(desc, o.desc)
	}
	ki, err := c.keyInfo(colls, desc)
	if err != nil {
		return err
	}
	gsort := c.cursor()
	sorterOpen := c.emitP4(vdbe.CodeSorterOpen, gsort, 0, 0, vdbe.P4{KeyInfo: ki})
	prev := c.regs(nKey)
	first, ret := c.reg(), c.reg()
	outSub, tail, finish, done := c.newLabel(), c.newLabel(), c.newLabel(), c.newLabel()
	c.emit(vdbe.CodeInteger, 1, first, 0)
	// nextRow emits the grouping of the row whose keys are in registers
	// from cur: the previous group is output when they differ from its
	// keys, and a new group started. keep and back save and restore the
	// loop's position around the output, which moves the cursors.
	nextRow := func(cur int, keep, back func()) {
		newGroup, same, emitGroup := c.newLabel(), c.newLabel(), c.newLabel()
		c.emit(vdbe.CodeIf, first, newGroup, 0)
		c.emitP4(vdbe.CodeCompare, prev, cur, 0, vdbe.P4{KeyInfo: ki})
		c.emit(vdbe.CodeJump, emitGroup, same, emitGroup)
		c.place(emitGroup)
		keep()
		c.emit(vdbe.CodeGosub, ret, outSub, 0)
		back()
		c.place(newGroup)
		c.emit(vdbe.CodeCopy, cur, prev, nKey)
		c.emit(vdbe.CodeInteger, 0, first, 0)
		startGroup(cur)
		c.place(same)
	}

	// The sorter rows: the group keys, each source's rowid (for the bare
	// columns), then the aggregates' FILTER and argument values.
	width := nKey + nSrc + nArgVals
	groupOrdered, loose := false, false
	sc.orderHint, sc.groupHint, sc.groupSorted, sc.orderLoose = groupTerms, true, orderByGroup, false
	err = c.whereLoops(sc, where, func() error {
		groupOrdered, loose = sc.ordered, sc.orderLoose
		keys := c.regs(width)
		for i, g := range groupBy {
			if err := c.expr(sc, g, keys+i); err != nil {
				return err
			}
		}
		if groupOrdered {
			// The output repositions the table cursors on the group's
			// remembered rows; put back the ones the loop reads.
			here := c.regs(nSlots + 1)
			keep := func() {
				for i, s := range srcs {
					if s.cover == nil {
						c.saveRow(s, here+slotOf[i])
					}
				}
			}
			back := func() {
				for i, s := range srcs {
					if s.cover == nil {
						c.restoreRow(s, here+slotOf[i])
					}
				}
			}
			nextRow(keys, keep, back)
			args := c.regs(nArgVals + 1)
			if err := evalArgs(args); err != nil {
				return err
			}
			return stepAggs(args, 0)
		}
		for i, s := range srcs {
			c.saveRow(s, keys+nKey+slotOf[i])
		}
		if err := evalArgs(keys + nKey + nSrc); err != nil {
			return err
		}
		c.emit(vdbe.CodeSorterInsert, gsort, keys, width)
		return nil
	})
	sc.orderHint, sc.groupHint, sc.groupSorted, sc.orderLoose = nil, false, false, false
	if err != nil {
		return err
	}
	if groupOrdered {
		c.ops[sorterOpen] = vdbe.Op{Code: vdbe.CodeNoop}
	} else {
		c.addPlan(0, "USE TEMP B-TREE FOR GROUP BY")
		cur := c.regs(nKey)
		c.emit(vdbe.CodeSorterSort, gsort, tail, 0)
		top := c.addr()
		for i := 0; i < nKey; i++ {
			c.emit(vdbe.CodeColumn, gsort, i, cur+i)
		}
		nextRow(cur, func() {}, func() {})
		vals := c.regs(nSrc + nArgVals + 1)
		for i := 0; i < nSrc+nArgVals; i++ {
			c.emit(vdbe.CodeColumn, gsort, nKey+i, vals+i)
		}
		if err := stepAggs(vals+nSrc, vals); err != nil {
			return err
		}
		c.emit(vdbe.CodeSorterNext, gsort, top, 0)
	}
	c.place(tail)
	c.emit(vdbe.CodeIf, first, finish, 0)
	c.emit(vdbe.CodeGosub, ret, outSub, 0)
	c.place(finish)
	c.emit(vdbe.CodeGoto, 0, done, 0)
	c.place(outSub)
	// The groups come out in the ORDER BY order when it names the GROUP
	// BY terms, unless the loops deliver them in another permutation or
	// direction: the query's sorter is then dropped.
	sc.ordered = orderByGroup && !(groupOrdered && loose)
	if err := output(); err != nil {
		return err
	}
	c.emit(vdbe.CodeReturn, ret, 0, 0)
	c.place(done)
	return nil
}

// deliversOrder reports whether reading ix (nil: the table, in rowid
// order) with equality constraints on the columns eqCols delivers the
// order of sc.orderHint, and whether backwards. For a GROUP BY hint any
// permutation of the terms in any directions will do, read forwards, as
// in SQLite: loose then says that only such an order is delivered, not
// the hint's own, which is tried first when an ORDER BY asks for it.
func (c *compiler) deliversOrder(sc *scope, s *source, ix *schema.Index, eqCols []int) (ok, reverse, loose bool) {
	if !sc.groupHint || sc.groupSorted {
		if ok, rev := c.orderedBy(sc, s, ix, eqCols, sc.orderHint); ok || !sc.groupHint {
			return ok, rev, false
		}
	}
	perm := c.groupPermutation(sc, s, ix, eqCols, sc.orderHint)
	if perm == nil {
		return false, false, false
	}
	ok, rev := c.orderedBy(sc, s, ix, eqCols, perm)
	return ok, rev, ok
}

// groupPermutation reorders GROUP BY terms into the order of ix's key
// columns after the equality-constrained ones eqCols (then the rowid),
// each in the direction of its key column, or returns nil when some term
// is not one of those columns.
func (c *compiler) groupPermutation(sc *scope, s *source, ix *schema.Index, eqCols []int, terms []orderTerm) []orderTerm {
	cols := make([]int, len(terms))
	for i, t := range terms {
		col, ok := c.orderColumn(sc, s, t)
		if !ok {
			return nil
		}
		cols[i] = col
	}
	used := make([]bool, len(terms))
	var out []orderTerm
	for i := range terms {
		if slices.Contains(eqCols, cols[i]) {
			used[i] = true
			out = append(out, terms[i])
		}
	}
	type keyCol struct {
		col  int
		desc bool
	}
	var keys []keyCol
	if ix != nil {
		for _, ic := range ix.Columns[min(len(eqCols), len(ix.Columns)):] {
			keys = append(keys, keyCol{ic.Column, ic.Desc})
		}
	}
	keys = append(keys, keyCol{col: -1})
	for _, k := range keys {
		if len(out) == len(terms) {
			break
		}
		found := false
		for i, t := range terms {
			if !used[i] && cols[i] == k.col {
				used[i], found = true, true
				t.desc = k.desc
				out = append(out, t)
			}
		}
		if !found {
			return nil
		}
	}
	if len(out) != len(terms) {
		return nil
	}
	return out
}
