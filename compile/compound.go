package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// compileCompound compiles UNION, UNION ALL, INTERSECT and EXCEPT. A chain
// of UNION ALL without ORDER BY streams its parts to the destination;
// otherwise the parts are combined left to right in temporary indexes (a
// set for UNION, EXCEPT and INTERSECT; a multiset, with a sequence number
// in each key, for UNION ALL) and the result is read back in index order
// or through a sorter for ORDER BY.
func (c *compiler) compileCompound(parent *scope, sel *ast.Select, d *dest) (*selectInfo, error) {
	cores := []*ast.SelectCore{sel.Core}
	ops := []ast.CompoundOp{}
	// A VALUES of several rows on the left of a compound is, as SQLite's
	// parser builds it, a UNION ALL of one-row VALUES: nValues parts.
	nValues := 0
	if rows := sel.Core.Values; len(rows) > 1 {
		cores, nValues = nil, len(rows)
		for i, row := range rows {
			cores = append(cores, &ast.SelectCore{Values: [][]ast.Expr{row}})
			if i > 0 {
				ops = append(ops, ast.UnionAll)
			}
		}
	}
	for _, cp := range sel.Compounds {
		core := cp.Core
		if len(core.Values) > 1 {
			var err error
			if core, err = c.valuesSubquery(core); err != nil {
				return nil, err
			}
		}
		cores = append(cores, core)
		ops = append(ops, cp.Op)
	}
	// The shape comes from the first part.
	shapes := make([][]colInfo, len(cores))
	for i, core := range cores {
		cols, err := c.selectShape(parent, &ast.Select{Core: core})
		if err != nil {
			return nil, err
		}
		shapes[i] = cols
	}
	// Each part must have as many columns as the one to its left; SQLite
	// checks from the right, and names the part that differs.
	for i := len(cores) - 1; i > 0; i-- {
		if len(shapes[i]) == len(shapes[i-1]) {
			continue
		}
		if i < nValues {
			return nil, errorf("all VALUES must have the same number of terms")
		}
		return nil, errorf("SELECTs to the left and right of %s do not have the same number of result columns", ops[i-1])
	}
	n := len(shapes[0])
	info := &selectInfo{}
	firstNames, err := c.coreNames(parent, cores[0])
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		info.names = append(info.names, firstNames[i])
		info.declTypes = append(info.declTypes, shapes[0][i].declType)
		info.notNull = append(info.notNull, false)
		info.affs = append(info.affs, shapes[0][i].aff)
		info.colls = append(info.colls, compoundCollation(shapes, i))
	}
	if d.kind == destScalar && n != 1 {
		return nil, errorf("sub-select returns %d columns - expected 1", n)
	}
	order, err := c.compoundOrderBy(parent, sel, cores, n)
	if err != nil {
		return nil, err
	}
	if d.kind == destExists {
		order = nil // EXISTS only asks whether a row comes out
	}
	end := c.newLabel()
	lsc := &scope{parent: parent}
	lc, err := c.setupLimit(lsc, sel.Limit, sel.Offset, end)
	if err != nil {
		return nil, err
	}
	if d.kind == destScalar || d.kind == destExists {
		lc.end = d.done
	}
	if merge := c.mergeKey(sel, order, info.colls); merge != nil {
		err := c.mergeParts(parent, cores, ops, len(cores)-1, n, merge, info.colls, func(r int) error {
			return c.emitRow(d, r, n, lc)
		})
		if err != nil {
			return nil, err
		}
		c.place(end)
		return info, nil
	}
	allUnionAll := true
	for _, op := range ops {
		if op != ast.UnionAll {
			allUnionAll = false
		}
	}
	base := c.regs(n)
	var sorterCur int = -1
	if len(order) > 0 {
		sorterCur = c.cursor()
		var colls []string
		var desc []bool
		for _, o := range order {
			coll := o.coll
			if coll == "" {
				coll = info.colls[o.result]
			}
			colls = append(colls, coll)
			desc = append(desc, o.desc)
		}
		ki, err := c.keyInfo(colls, desc)
		if err != nil {
			return nil, err
		}
		c.emitP4(vdbe.CodeSorterOpen, sorterCur, 0, 0, vdbe.P4{KeyInfo: ki})
	}
	// final sends a result row, in registers r..r+n-1, onward.
	final := func(r int) error {
		if sorterCur >= 0 {
			keys := c.regs(len(order) + n)
			for i, o := range order {
				c.emit(vdbe.CodeCopy, r+o.result, keys+i, 1)
			}
			c.emit(vdbe.CodeCopy, r, keys+len(order), n)
			c.emit(vdbe.CodeSorterInsert, sorterCur, keys, len(order)+n)
			return nil
		}
		return c.emitRow(d, r, n, lc)
	}
	restorePlan := c.planNode("COMPOUND QUERY")
	if allUnionAll {
		partDest := &dest{kind: destCallback, fn: func(r, _ int) error { return final(r) }}
		if d.kind == destExists && sel.Limit == nil {
			// Each part answers EXISTS itself, without its values.
			partDest = d
		}
		for i, core := range cores {
			c.partLabel = compoundPartLabel(i, ops)
			if _, err := c.compilePart(parent, core, nil, nil, nil, partDest); err != nil {
				return nil, err
			}
		}
	} else {
		ki, err := c.keyInfo(info.colls, nil)
		if err != nil {
			return nil, err
		}
		kiSeq, err := c.keyInfo(append(append([]string(nil), info.colls...), ""), nil)
		if err != nil {
			return nil, err
		}
		open := func(multiset bool) int {
			cur := c.cursor()
			k := ki
			if multiset {
				k = kiSeq
			}
			c.emitP4(vdbe.CodeOpenEphemeral, cur, n, 0, vdbe.P4{KeyInfo: k})
			return cur
		}
		// copyInto re-inserts every row of from into the set to.
		copyInto := func(from, to int) {
			done := c.newLabel()
			c.emit(vdbe.CodeRewind, from, done, 0)
			top := c.addr()
			r := c.regs(n)
			for i := 0; i < n; i++ {
				c.emit(vdbe.CodeColumn, from, i, r+i)
			}
			rec := c.reg()
			c.emit(vdbe.CodeMakeRecord, r, n, rec)
			c.emit(vdbe.CodeIdxInsert, to, rec, 0)
			c.emit(vdbe.CodeNext, from, top, 0)
			c.place(done)
		}
		multiset := len(ops) > 0 && ops[0] == ast.UnionAll
		cur := open(multiset)
		kind := destIndex
		if multiset {
			kind = destIndexSeq
		}
		c.partLabel = compoundPartLabel(0, ops)
		if _, err := c.compilePart(parent, cores[0], nil, nil, nil, &dest{kind: kind, cursor: cur}); err != nil {
			return nil, err
		}
		for i, op := range ops {
			core := cores[i+1]
			c.partLabel = compoundPartLabel(i+1, ops)
			switch op {
			case ast.UnionAll:
				if !multiset {
					nc := open(true)
					copySeq(c, cur, nc, n)
					cur, multiset = nc, true
				}
				if _, err := c.compilePart(parent, core, nil, nil, nil, &dest{kind: destIndexSeq, cursor: cur}); err != nil {
					return nil, err
				}
			case ast.Union:
				if multiset {
					nc := open(false)
					copyInto(cur, nc)
					cur, multiset = nc, false
				}
				if _, err := c.compilePart(parent, core, nil, nil, nil, &dest{kind: destIndex, cursor: cur}); err != nil {
					return nil, err
				}
			case ast.Except:
				if multiset {
					nc := open(false)
					copyInto(cur, nc)
					cur, multiset = nc, false
				}
				if _, err := c.compilePart(parent, core, nil, nil, nil, &dest{kind: destExcept, cursor: cur}); err != nil {
					return nil, err
				}
			case ast.Intersect:
				if multiset {
					// Equal rows collapse first, the last one winning, so
					// the row an INTERSECT keeps is the left side's, as in
					// SQLite (SELECT 0 INTERSECT SELECT 0.0 is 0).
					sc := open(false)
					copyInto(cur, sc)
					cur, multiset = sc, false
				}
				nc := open(false)
				if _, err := c.compilePart(parent, core, nil, nil, nil, &dest{kind: destIntersect, cursor: cur, cursor2: nc}); err != nil {
					return nil, err
				}
				cur, multiset = nc, false
			}
		}
		done := c.newLabel()
		c.emit(vdbe.CodeRewind, cur, done, 0)
		top := c.addr()
		for i := 0; i < n; i++ {
			c.emit(vdbe.CodeColumn, cur, i, base+i)
		}
		if err := final(base); err != nil {
			return nil, err
		}
		c.emit(vdbe.CodeNext, cur, top, 0)
		c.place(done)
	}
	restorePlan()
	if sorterCur >= 0 {
		c.addPlan(0, "USE TEMP B-TREE FOR ORDER BY")
		if err := c.outputSorter(sorterCur, len(order), base, n, d, lc); err != nil {
			return nil, err
		}
	}
	c.place(end)
	return info, nil
}

// copySeq copies a set into a multiset, numbering the rows.
func copySeq(c *compiler, from, to, n int) {
	done := c.newLabel()
	c.emit(vdbe.CodeRewind, from, done, 0)
	top := c.addr()
	r := c.regs(n + 1)
	for i := 0; i < n; i++ {
		c.emit(vdbe.CodeColumn, from, i, r+i)
	}
	c.emit(vdbe.CodeSequence, to, r+n, 0)
	rec := c.reg()
	c.emit(vdbe.CodeMakeRecord, r, n+1, rec)
	c.emit(vdbe.CodeIdxInsert, to, rec, 0)
	c.emit(vdbe.CodeNext, from, top, 0)
	c.place(done)
}

// coreNames returns the result column names of a core.
func (c *compiler) coreNames(parent *scope, core *ast.SelectCore) ([]string, error) {
	if core.Values != nil {
		cols, err := c.selectShape(parent, &ast.Select{Core: core})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, col := range cols {
			out = append(out, col.name)
		}
		return out, nil
	}
	sc := &scope{parent: parent}
	if core.From != nil {
		srcs, err := c.buildSources(sc, core.From, nil)
		if err != nil {
			return nil, err
		}
		sc.srcs = srcs
	}
	rcs, err := c.expandColumns(sc, core)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rc := range rcs {
		out = append(out, rc.name)
	}
	return out, nil
}

// compoundCollation is the collation of a compound's column i, which its
// parts compare and sort with: that of the left-most part whose column has
// one, so that "SELECT 0 UNION SELECT nocase_col" is NOCASE.
func compoundCollation(shapes [][]colInfo, i int) string {
	for _, cols := range shapes {
		if cols[i].hasColl {
			return cols[i].coll
		}
	}
	return ""
}

// compoundOrderBy resolves the ORDER BY of a compound SELECT: each term
// must name a result column, by ordinal, by an alias of some part (the
// leftmost first), or by matching a part's result expression.
func (c *compiler) compoundOrderBy(parent *scope, sel *ast.Select, cores []*ast.SelectCore, n int) ([]orderTerm, error) {
	var out []orderTerm
	for i, t := range sel.OrderBy {
		ot := orderTerm{result: -1, desc: t.Order == ast.SortDesc}
		e := t.Expr
		if col, ok := e.(*ast.Collate); ok {
			ot.coll = col.Collation.Name
			if _, err := collation(ot.coll); err != nil {
				return nil, err
			}
			e = col.X
		}
		if k, ok := intLiteral(e); ok {
			if k < 1 || k > int64(n) {
				return nil, errorf("%s ORDER BY term out of range - should be between 1 and %d", ordinal(i+1), n)
			}
			ot.result = int(k - 1)
		} else {
			for _, core := range cores {
				if core.Values != nil {
					continue
				}
				for j, rc := range core.Columns {
					if rc.Star {
						break
					}
					if ref, ok := e.(*ast.ColumnRef); ok && ref.Table.Name == "" && rc.Alias.Name != "" && strings.EqualFold(rc.Alias.Name, ref.Column.Name) {
						ot.result = j
						break
					}
					if ast.String(rc.Expr) == ast.String(e) {
						ot.result = j
						break
					}
				}
				if ot.result >= 0 {
					break
				}
			}
			if ot.result < 0 {
				// A bare name may match an unaliased column's name.
				if ref, ok := e.(*ast.ColumnRef); ok {
					names, err := c.coreNames(parent, cores[0])
					if err == nil {
						for j, nm := range names {
							if strings.EqualFold(nm, ref.Column.Name) {
								ot.result = j
								break
							}
						}
					}
				}
			}
			if ot.result < 0 {
				return nil, errorf("%s ORDER BY term does not match any column in the result set", ordinal(i+1))
			}
		}
		out = append(out, ot)
	}
	return out, nil
}

// compilePart compiles one part of a compound SELECT (which flattening
// needs to know: a part may not take a subquery's LIMIT).
// Its plan steps hang under a node named by c.partLabel.
func (c *compiler) compilePart(parent *scope, core *ast.SelectCore, orderBy []ast.OrderingTerm, limit, offset ast.Expr, d *dest) (*selectInfo, error) {
	restore := c.planNode(c.partLabel)
	defer restore()
	c.compoundPart = true
	return c.compileCore(parent, core, orderBy, limit, offset, d)
}

// compoundPartLabel is SQLite's plan node for part i of a compound: the
// first is the LEFT-MOST SUBQUERY, the others are named by their
// operator and, but for UNION ALL, the temporary b-tree it uses.
func compoundPartLabel(i int, ops []ast.CompoundOp) string {
	if i == 0 {
		return "LEFT-MOST SUBQUERY"
	}
	if ops[i-1] == ast.UnionAll {
		return "UNION ALL"
	}
	return ops[i-1].String() + " USING TEMP B-TREE"
}

// valuesSubquery turns a VALUES of several rows, a part of a compound
// other than the first, into SELECT * FROM (VALUES ...), as SQLite's
// parser does: the subquery runs as a co-routine.
func (c *compiler) valuesSubquery(core *ast.SelectCore) (*ast.SelectCore, error) {
	for _, row := range core.Values {
		if len(row) != len(core.Values[0]) {
			return nil, errorf("all VALUES must have the same number of terms")
		}
	}
	sub := &ast.Select{Core: core}
	if c.selIDs != nil {
		c.selIDs[sub] = c.valuesIDs[core]
	}
	return &ast.SelectCore{
		Columns: []ast.ResultColumn{{Star: true}},
		From:    &ast.From{Items: []ast.JoinItem{{Source: &ast.SubquerySource{Select: sub}}}},
	}, nil
}
