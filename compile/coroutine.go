package compile

import (
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// FROM subqueries that are not flattened (flatten.go) run in one of two
// ways, as in SQLite (select.c, "Generate code to implement the
// subquery"):
//
//   - as a co-routine, when the subquery is the outer loop of its query
//     (the first source, alone or followed by a LEFT or CROSS JOIN, which
//     keep the FROM order) and so is read once: its rows are made one at
//     a time, when the loop asks for the next, and a query that stops
//     early (LIMIT, an error, a constant false WHERE) never computes the
//     rest. EXPLAIN QUERY PLAN shows "CO-ROUTINE name".
//   - otherwise it is materialized into a temporary table before the
//     loops run: "MATERIALIZE name". A CTE used more than once (or AS
//     MATERIALIZED) is always materialized.
//
// The aggregate code, which revisits a group's rows to compute its output
// by repositioning the sources on saved rowids, saves a co-routine's
// whole row instead, and restores it into the co-routine's registers
// (rowSlots, saveRow, restoreRow).

// coroutine is a subquery running as a co-routine.
type coroutine struct {
	reg   int // the resume address register of InitCoroutine and Yield
	entry int // the address of the co-routine's first instruction
}

// sharedMat is the materialization of a CTE that several FROM items read.
type sharedMat struct {
	planned bool // its MATERIALIZE node is in the plan
}

// coroutineCandidate reports whether sc.srcs[i] is where SQLite runs a
// subquery as a co-routine: the first source, followed by nothing or by a
// LEFT or CROSS JOIN, not a materialized CTE, not the left side of a RIGHT
// JOIN.
func (c *compiler) coroutineCandidate(sc *scope, i int) bool {
	if i != 0 {
		return false
	}
	src := sc.srcs[0]
	if src.sub == nil || src.rightNulled || src.right {
		return false
	}
	if d := src.subCTE; d != nil && d.materialize {
		return false
	}
	if len(sc.srcs) > 1 && !sc.srcs[1].left && !sc.srcs[1].cross {
		return false
	}
	return true
}

// prepareSubqueries sets up the scope's subqueries before the loops,
// after pushing where's terms into them: a co-routine for the one that
// qualifies, a filled temporary table for the others. guard, when set,
// emits jumps to its argument label when the query is known to produce
// nothing: the materializations are then skipped. outerOrdered says the outer query has an ORDER BY: a subquery's own
// ORDER BY without a LIMIT is then dropped, as it is when the outer query
// is a join (SQLite's omit-ORDER-BY rule; subOrderBy).
func (c *compiler) prepareSubqueries(sc *scope, where ast.Expr, outerOrdered bool, guard func(skip int) error) error {
	for i, src := range sc.srcs {
		if src.sub == nil {
			continue
		}
		if len(src.sub.OrderBy) > 0 && subOrderBy(src.sub, outerOrdered, len(sc.srcs)) == nil &&
			(src.subCTE == nil || !src.subCTE.recursive) {
			unordered := *src.sub
			unordered.OrderBy = nil
			src.sub = &unordered
		}
		if err := c.pushDown(sc, i, where); err != nil {
			return err
		}
		if c.coroutineCandidate(sc, i) {
			if err := c.startCoroutine(sc, src); err != nil {
				return err
			}
			continue
		}
		if err := c.materializeSub(sc, src, guard); err != nil {
			return err
		}
	}
	return nil
}

// startCoroutine emits the co-routine of src: InitCoroutine jumps over
// it; the loop over src (emitLevel) restarts and resumes it.
func (c *compiler) startCoroutine(sc *scope, src *source) error {
	co := &coroutine{reg: c.reg()}
	n := len(src.cols)
	base := c.regs(n)
	after := c.newLabel()
	c.emit(vdbe.CodeInitCoroutine, co.reg, after, c.addr()+1)
	co.entry = c.addr()
	restore := c.planNode("CO-ROUTINE " + src.name)
	yield := func(r int) {
		c.emit(vdbe.CodeCopy, r, base, n)
		c.emit(vdbe.CodeYield, co.reg, 0, 0)
	}
	var err error
	if src.subCTE != nil && src.subCTE.recursive {
		err = c.recursiveCTE(src, yield)
	} else {
		_, err = c.compileSelect(sc.parent, src.sub, &dest{kind: destCallback, fn: func(r, _ int) error {
			yield(r)
			return nil
		}})
	}
	restore()
	if err != nil {
		return err
	}
	c.emit(vdbe.CodeEndCoroutine, co.reg, 0, 0)
	c.place(after)
	src.co = co
	src.regBase = base
	return nil
}

// loopCoroutine emits the head of a loop over co-routine s: restart the
// co-routine and take its next row, leaving for nomore when it has none.
// It returns the end of one iteration.
func (c *compiler) loopCoroutine(s *source, nomore int) func() {
	c.emit(vdbe.CodeInitCoroutine, s.co.reg, 0, s.co.entry)
	top := c.emit(vdbe.CodeYield, s.co.reg, nomore, 0)
	return func() { c.emit(vdbe.CodeGoto, 0, top, 0) }
}

// materializeSub fills src's temporary table with its subquery's rows.
func (c *compiler) materializeSub(sc *scope, src *source, guard func(int) error) error {
	c.emit(vdbe.CodeOpenEphemeral, src.cursor, len(src.cols), 0)
	skip := c.newLabel()
	if guard != nil {
		if err := guard(skip); err != nil {
			return err
		}
	}
	d := src.subCTE
	hide := -1
	if d != nil && d.materialize {
		if d.mat == nil {
			d.mat = &sharedMat{}
		}
		if d.mat.planned {
			// SQLite fills a shared CTE once and shows it once; Wren
			// fills it for each use, and shows only the first.
			hide = len(c.plan)
		}
		d.mat.planned = true
	}
	label := src.name
	if d != nil && d.materialize {
		label = d.name // a shared CTE is named as the WITH clause names it
	}
	restore := c.planNode("MATERIALIZE " + label)
	var err error
	if d != nil && d.recursive {
		err = c.recursiveCTE(src, func(r int) {
			rec, id := c.reg(), c.reg()
			c.emit(vdbe.CodeMakeRecord, r, len(src.cols), rec)
			c.emit(vdbe.CodeNewRowid, src.cursor, id, 0)
			c.emit(vdbe.CodeInsert, src.cursor, rec, id)
		})
	} else {
		if d != nil {
			d.building = true
		}
		_, err = c.compileSelect(sc.parent, src.sub, &dest{kind: destTable, cursor: src.cursor})
		if d != nil {
			d.building = false
		}
	}
	restore()
	if hide >= 0 {
		c.plan = c.plan[:hide]
	}
	c.place(skip)
	return err
}

// planNode adds a plan node and makes it the parent of the steps that
// follow, until the returned function restores the previous parent.
func (c *compiler) planNode(detail string) func() {
	saved := c.planParent
	c.planParent = c.addPlan(0, detail)
	return func() { c.planParent = saved }
}

// rowSlots is how many registers remember a source's current row for
// the aggregate code: its rowid, or all of a co-routine's row.
func rowSlots(s *source) int {
	if s.co != nil {
		return len(s.cols)
	}
	return 1
}

// saveRow remembers s's current row in registers from target.
func (c *compiler) saveRow(s *source, target int) {
	if s.co != nil {
		c.emit(vdbe.CodeCopy, s.regBase, target, len(s.cols))
		return
	}
	c.loadRowid(s, target)
}

// restoreRow makes s's current row the one saveRow remembered at from.
func (c *compiler) restoreRow(s *source, from int) {
	if s.co != nil {
		c.emit(vdbe.CodeCopy, from, s.regBase, len(s.cols))
		return
	}
	c.positionSource(s, from)
}

// materialized reports whether s is a subquery filled into a temporary
// table (which an automatic index can serve).
func (s *source) materialized() bool {
	return s.sub != nil && s.co == nil && s.flat == nil && s.regBase == 0
}
