package compile

import (
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// Rowid ranges.
//
// rowid > x AND rowid < y (and the INTEGER PRIMARY KEY column's) reads
// only the table rows between the bounds. A bound that is not an integer
// once converted as the comparison converts it (5.5, 'abc', a blob) is
// simply not used: the loop then starts at the table's first row or
// runs to its last, and the term itself, still checked on every row,
// keeps the answer right.

// rowidRange is the rowid range access the constraints cands offer.
func (c *compiler) rowidRange(sc *scope, src *source, cands []cons) (access, bool) {
	a := access{kind: accessRowidRange}
	for i := range cands {
		k := cands[i]
		if k.col != -1 || k.in != nil || k.isNull || !c.usable(sc, k, vdbe.AffinityInteger, "") {
			continue
		}
		switch k.op {
		case ast.OpGt, ast.OpGe:
			if a.lo == nil {
				a.lo = &cands[i]
			}
		case ast.OpLt, ast.OpLe:
			if a.hi == nil {
				a.hi = &cands[i]
			}
		}
	}
	switch {
	case a.lo != nil && a.hi != nil:
		a.cost = scanCost / 80
	case a.lo != nil || a.hi != nil:
		a.cost = scanCost / 5
	default:
		return a, false
	}
	return a, true
}

// rowidRangeLoop emits the start of a rowid range loop over s and
// returns the emitter of its step.
func (c *compiler) rowidRangeLoop(sc *scope, s *source, a access, nomore int) (func(), error) {
	// The upper bound, evaluated once; hiOK is 0 when it is unusable.
	hi, hiOK := 0, 0
	if a.hi != nil {
		hi, hiOK = c.reg(), c.reg()
		if err := c.expr(sc, a.hi.other, hi); err != nil {
			return nil, err
		}
		c.emit(vdbe.CodeIsNull, hi, nomore, 0)
		noHi, done := c.newLabel(), c.newLabel()
		c.emit(vdbe.CodeMustBeInt, hi, noHi, 0)
		c.emit(vdbe.CodeInteger, 1, hiOK, 0)
		c.emit(vdbe.CodeGoto, 0, done, 0)
		c.place(noHi)
		c.emit(vdbe.CodeInteger, 0, hiOK, 0)
		c.place(done)
	}
	start := c.newLabel()
	if a.lo != nil {
		lo := c.reg()
		if err := c.expr(sc, a.lo.other, lo); err != nil {
			return nil, err
		}
		c.emit(vdbe.CodeIsNull, lo, nomore, 0)
		noLo := c.newLabel()
		c.emit(vdbe.CodeMustBeInt, lo, noLo, 0)
		code := vdbe.CodeSeekGE
		if a.lo.op == ast.OpGt {
			code = vdbe.CodeSeekGT
		}
		c.emit(code, s.cursor, nomore, lo)
		c.emit(vdbe.CodeGoto, 0, start, 0)
		c.place(noLo)
	}
	c.emit(vdbe.CodeRewind, s.cursor, nomore, 0)
	c.place(start)
	top := c.addr()
	if a.hi != nil {
		skip := c.newLabel()
		c.emit(vdbe.CodeIfNot, hiOK, skip, 0)
		rid := c.reg()
		c.emit(vdbe.CodeRowid, s.cursor, rid, 0)
		code := vdbe.CodeGt
		if a.hi.op == ast.OpLt {
			code = vdbe.CodeGe
		}
		c.emit(code, rid, nomore, hi)
		c.place(skip)
	}
	return func() { c.emit(vdbe.CodeNext, s.cursor, top, 0) }, nil
}

// rangeDetail is the EXPLAIN QUERY PLAN text of a range on col.
func rangeDetail(col string, lo, hi *cons) string {
	switch {
	case lo != nil && hi != nil:
		return col + ">? AND " + col + "<?"
	case lo != nil:
		return col + ">?"
	}
	return col + "<?"
}
