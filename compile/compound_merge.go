package compile

import (
	"strconv"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// Compound SELECT with ORDER BY, as a merge.
//
// As SQLite does (its multiSelectOrderBy), a compound with an ORDER BY
// runs each side of its last operator as a co-routine whose rows come out
// sorted on the ORDER BY, and merges the two streams: the left side is
// itself such a merge when it is a compound. For UNION, EXCEPT and
// INTERSECT the sort key is completed with every other result column, so
// that equal keys mean equal rows, and an output row equal to the one
// before is dropped. EXPLAIN QUERY PLAN shows "MERGE (op)" with a LEFT and
// a RIGHT subtree.
//
// Which of two equal rows survives follows SQLite: UNION keeps the right
// side's, INTERSECT and UNION ALL the left's (then the right's).

// mergeKey is one term of a merge's sort key: a result column, its
// direction and collation.
type mergeKey struct {
	col  int
	desc bool
	coll string
}

// completeKey appends to key every result column of n it lacks, ascending
// under the compound's collations colls, unless op is UNION ALL.
func completeKey(key []mergeKey, op ast.CompoundOp, colls []string) []mergeKey {
	if op == ast.UnionAll {
		return key
	}
	out := append([]mergeKey(nil), key...)
	for j := range colls {
		found := false
		for _, k := range key {
			if k.col == j {
				found = true
			}
		}
		if !found {
			out = append(out, mergeKey{col: j, coll: colls[j]})
		}
	}
	return out
}

// mergeParts emits the merge of parts cores[0..last] (ops[i] joins part
// i+1), sorted on key, calling out with the registers of each row.
func (c *compiler) mergeParts(parent *scope, cores []*ast.SelectCore, ops []ast.CompoundOp, last, n int, key []mergeKey, colls []string, out func(r int) error) error {
	op := ops[last-1]
	key = completeKey(key, op, colls)
	var kcolls []string
	var kdesc []bool
	for _, k := range key {
		kcolls = append(kcolls, k.coll)
		kdesc = append(kdesc, k.desc)
	}
	ki, err := c.keyInfo(kcolls, kdesc)
	if err != nil {
		return err
	}
	restore := c.planNode("MERGE (" + op.String() + ")")
	defer restore()

	// side emits a co-routine yielding the rows of the left (parts
	// 0..last-1) or right (part last) side into registers from base.
	side := func(left bool) (reg, base int, err error) {
		reg, base = c.reg(), c.regs(n)
		after := c.newLabel()
		c.emit(vdbe.CodeInitCoroutine, reg, after, c.addr()+1)
		yield := func(r int) error {
			c.emit(vdbe.CodeCopy, r, base, n)
			c.emit(vdbe.CodeYield, reg, 0, 0)
			return nil
		}
		label := "RIGHT"
		if left {
			label = "LEFT"
		}
		if left && last > 1 {
			endLeft := c.planNode(label)
			err = c.mergeParts(parent, cores, ops, last-1, n, key, colls, yield)
			endLeft()
		} else {
			core := cores[last]
			if left {
				core = cores[0]
			}
			var orderBy []ast.OrderingTerm
			for _, k := range key {
				pos := strconv.Itoa(k.col + 1)
				t := ast.OrderingTerm{Expr: &ast.Collate{X: &ast.Literal{Kind: ast.LitInteger, Raw: pos, Value: pos}, Collation: ast.Ident{Name: normColl(k.coll)}}, Order: ast.SortAsc}
				if k.desc {
					t.Order = ast.SortDesc
				}
				orderBy = append(orderBy, t)
			}
			c.partLabel = label
			_, err = c.compilePart(parent, core, orderBy, nil, nil, &dest{kind: destCallback, fn: func(r, _ int) error { return yield(r) }})
		}
		if err != nil {
			return 0, 0, err
		}
		c.emit(vdbe.CodeEndCoroutine, reg, 0, 0)
		c.place(after)
		return reg, base, nil
	}
	regA, baseA, err := side(true)
	if err != nil {
		return err
	}
	regB, baseB, err := side(false)
	if err != nil {
		return err
	}

	nKey := len(key)
	keyA, keyB := c.regs(nKey), c.regs(nKey)
	loadKey := func(base, keys int) {
		for i, k := range key {
			c.emit(vdbe.CodeCopy, base+k.col, keys+i, 1)
		}
	}
	// emit sends a row on, dropping it when it equals the row sent
	// before (but for UNION ALL).
	prev, first := c.regs(nKey), c.reg()
	c.emit(vdbe.CodeInteger, 1, first, 0)
	emit := func(base, keys int) error {
		if op == ast.UnionAll {
			return out(base)
		}
		skip, fresh := c.newLabel(), c.newLabel()
		c.emit(vdbe.CodeIf, first, fresh, 0)
		c.emitP4(vdbe.CodeCompare, prev, keys, nKey, vdbe.P4{KeyInfo: ki})
		c.emit(vdbe.CodeJump, fresh, skip, fresh)
		c.place(fresh)
		c.emit(vdbe.CodeInteger, 0, first, 0)
		c.emit(vdbe.CodeCopy, keys, prev, nKey)
		if err := out(base); err != nil {
			return err
		}
		c.place(skip)
		return nil
	}
	keepA := op != ast.Intersect                         // A < B: A is output
	keepAeq := op == ast.UnionAll || op == ast.Intersect // A = B: A is output
	keepB := op == ast.UnionAll || op == ast.Union       // A > B: B is output
	restOfA := op != ast.Intersect                       // B is done: the rest of A is output
	done := c.newLabel()
	onlyB, onlyA, cmp := c.newLabel(), c.newLabel(), c.newLabel()
	aDone, bDone := c.newLabel(), c.newLabel()

	c.emit(vdbe.CodeYield, regA, onlyB, 0)
	loadKey(baseA, keyA)
	c.emit(vdbe.CodeYield, regB, onlyA, 0)
	loadKey(baseB, keyB)
	c.place(cmp)
	lt, eq, gt := c.newLabel(), c.newLabel(), c.newLabel()
	c.emitP4(vdbe.CodeCompare, keyA, keyB, nKey, vdbe.P4{KeyInfo: ki})
	c.emit(vdbe.CodeJump, lt, eq, gt)
	// nextA takes A's next row and compares again; with none left, B's
	// rest (the pending row first) may still be output.
	nextA := func() {
		c.emit(vdbe.CodeYield, regA, aDone, 0)
		loadKey(baseA, keyA)
		c.emit(vdbe.CodeGoto, 0, cmp, 0)
	}
	c.place(lt)
	if keepA {
		if err := emit(baseA, keyA); err != nil {
			return err
		}
	}
	nextA()
	c.place(eq)
	if keepAeq {
		if err := emit(baseA, keyA); err != nil {
			return err
		}
	}
	nextA()
	c.place(gt)
	if keepB {
		if err := emit(baseB, keyB); err != nil {
			return err
		}
	}
	c.emit(vdbe.CodeYield, regB, bDone, 0)
	loadKey(baseB, keyB)
	c.emit(vdbe.CodeGoto, 0, cmp, 0)

	// A is done, B holds a pending row.
	c.place(aDone)
	if keepB {
		top := c.addr()
		if err := emit(baseB, keyB); err != nil {
			return err
		}
		c.emit(vdbe.CodeYield, regB, done, 0)
		loadKey(baseB, keyB)
		c.emit(vdbe.CodeGoto, 0, top, 0)
	} else {
		c.emit(vdbe.CodeGoto, 0, done, 0)
	}
	// B is done (or empty), A holds a pending row.
	c.place(bDone)
	c.place(onlyA)
	if restOfA {
		top := c.addr()
		if err := emit(baseA, keyA); err != nil {
			return err
		}
		c.emit(vdbe.CodeYield, regA, done, 0)
		loadKey(baseA, keyA)
		c.emit(vdbe.CodeGoto, 0, top, 0)
	} else {
		c.emit(vdbe.CodeGoto, 0, done, 0)
	}
	// A is empty: all of B, or nothing.
	c.place(onlyB)
	if keepB {
		top := c.addr()
		c.emit(vdbe.CodeYield, regB, done, 0)
		loadKey(baseB, keyB)
		if err := emit(baseB, keyB); err != nil {
			return err
		}
		c.emit(vdbe.CodeGoto, 0, top, 0)
	}
	c.place(done)
	return nil
}

// mergeKey returns the sort key of a compound's ORDER BY when the
// compound runs as a merge: nil when it has none.
func (c *compiler) mergeKey(sel *ast.Select, order []orderTerm, colls []string) []mergeKey {
	if len(order) == 0 {
		return nil
	}
	for _, t := range sel.OrderBy {
		if t.Nulls != ast.NullsDefault {
			return nil
		}
	}
	var key []mergeKey
	for _, o := range order {
		if o.result < 0 || o.coll != "" {
			// A COLLATE in the ORDER BY makes SQLite sort the compound's
			// rows as a subquery's instead of merging.
			return nil
		}
		coll := o.coll
		if coll == "" {
			coll = colls[o.result]
		}
		key = append(key, mergeKey{col: o.result, desc: o.desc, coll: coll})
	}
	return key
}
