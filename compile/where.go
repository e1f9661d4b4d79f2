package compile

import (
	"fmt"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// wterm is one AND-term of a WHERE clause or of a LEFT JOIN's ON clause.
type wterm struct {
	e     ast.Expr
	mask  uint64 // the sources of this scope it reads
	onSrc int    // the left-joined source whose ON clause it belongs to, or -1
	level int    // the loop level it is checked at (-1: before the loops)
	cons  []cons
	// minSrc is the first source the term may narrow (join_right.go).
	minSrc int
}

// cons is a term seen as a constraint on one column: col op other.
type cons struct {
	src   int
	col   int // -1: the rowid
	op    ast.BinaryOp
	other ast.Expr
	omask uint64
	term  ast.Expr // the comparison, for its affinity and collation
	left  ast.Expr // the column side

	// in is set for col IN (list): an equality on each value of the list
	// in turn (plan_in.go). inReg holds the current value while the
	// lookups are emitted.
	in    *ast.In
	inReg int
	// isNull is set for col IS NULL: an equality with NULL, which
	// only IS can ask of an index.
	isNull bool
	// inOne is set for col IN (y), y reading other sources: an
	// equality that compares under col's own affinity and collation
	// (plan_in.go), and, as in SQLite, builds no automatic index.
	inOne bool
}

// accessKind is how a loop level reaches its rows.
type accessKind uint8

const (
	accessScan accessKind = iota
	accessRowidEq
	accessIndex
	accessAutoIndex
	accessRowidRange // lo and/or hi bound the rowid (plan_rowid.go)
)

// access is the plan of one loop level.
type access struct {
	kind   accessKind
	ix     *schema.Index
	idxCur int
	eq     []cons // equality constraints on the leading index columns
	lo, hi *cons  // range bounds on the next column
	desc   bool   // the range column is DESC in the index
	auto   []cons // automatic index key columns
	cost   float64

	covering bool // the index holds every column read: no table lookup
	ordered  bool // the rows come out in the ORDER BY order
	reverse  bool // read backwards (Last/Prev) for a descending order
}

// planLevel is one level of the nested loop.
type planLevel struct {
	src int
	acc access
}

const scanCost = 1e6

// termMask computes which of sc's sources e reads.
func (c *compiler) termMask(sc *scope, e ast.Expr) uint64 {
	var m uint64
	all := uint64(1)<<uint(len(sc.srcs)) - 1
	walkExpr(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.ColumnRef:
			res, err := c.resolve(sc, x, true)
			if err != nil {
				return false
			}
			if res.alias != nil {
				sc.noAlias++
				m |= c.termMask(sc, res.alias)
				sc.noAlias--
				if res.flat != nil && res.flat.flatNull != nil {
					// NULL on the LEFT JOIN's NULL row: read after that join.
					for i, s := range sc.srcs {
						if s == res.flat.flatNull {
							m |= 1 << uint(i)
						}
					}
				}
				return false
			}
			if res.src != nil && !res.outer {
				for i, s := range sc.srcs {
					if s == res.src {
						m |= 1 << uint(i)
					}
				}
			}
		case *ast.Subquery:
			// A subquery that reads nothing outside itself is a
			// constant; any other may read any source.
			if !c.selfContained(x.Select) {
				m |= all
			}
			return false
		case *ast.Exists:
			if !c.selfContained(x.Select) {
				m |= all
			}
			return false
		case *ast.In:
			if x.Select != nil && !c.selfContained(x.Select) {
				m |= all
			}
		}
		return true
	})
	return m
}

func (c *compiler) srcIndex(sc *scope, s *source) int {
	for i, x := range sc.srcs {
		if x == s {
			return i
		}
	}
	return -1
}

// analyze finds the column constraints a term offers.
func (c *compiler) analyze(sc *scope, t *wterm) {
	colOf := func(e ast.Expr) (int, int, bool) {
		x := e
		if col, ok := x.(*ast.Collate); ok {
			x = col.X
		}
		ref, ok := x.(*ast.ColumnRef)
		if !ok {
			return 0, 0, false
		}
		res, err := c.resolveColumn(sc, ref, true)
		if err != nil || res.src == nil || res.outer {
			return 0, 0, false
		}
		return c.srcIndex(sc, res.src), res.col, true
	}
	add := func(x, y ast.Expr, op ast.BinaryOp, term ast.Expr) {
		if s, col, ok := colOf(x); ok {
			om := c.termMask(sc, y)
			if om&(1<<uint(s)) == 0 && !hasSubqueryCorrelatedTo(y) {
				t.cons = append(t.cons, cons{src: s, col: col, op: op, other: y, omask: om, term: term, left: x})
			}
		}
	}
	swap := map[ast.BinaryOp]ast.BinaryOp{ast.OpEq: ast.OpEq, ast.OpLt: ast.OpGt, ast.OpLe: ast.OpGe, ast.OpGt: ast.OpLt, ast.OpGe: ast.OpLe}
	switch e := t.e.(type) {
	case *ast.Binary:
		if e.Op == ast.OpIs {
			if isNullLiteral(e.Y) {
				c.analyzeIsNull(sc, t, e, e.X, colOf)
			} else if isNullLiteral(e.X) {
				c.analyzeIsNull(sc, t, e, e.Y, colOf)
			}
		}
		if _, ok := swap[e.Op]; ok {
			add(e.X, e.Y, e.Op, e)
			// The swapped form keeps the collation the written order picks
			// (a left column's own collation wins), made explicit.
			name := c.binaryCollationName(sc, e.X, e.Y)
			if name == "" {
				name = "BINARY"
			}
			y := &ast.Collate{X: e.Y, Collation: ast.Ident{Name: name}}
			add(e.Y, e.X, swap[e.Op], &ast.Binary{Op: swap[e.Op], X: y, Y: e.X})
		}
	case *ast.In:
		c.analyzeIn(sc, t, e, colOf)
	case *ast.IsNull:
		if !e.Not {
			c.analyzeIsNull(sc, t, e, e.X, colOf)
		}
	case *ast.Between:
		if !e.Not {
			add(e.X, e.Low, ast.OpGe, &ast.Binary{Op: ast.OpGe, X: e.X, Y: e.Low})
			add(e.X, e.High, ast.OpLe, &ast.Binary{Op: ast.OpLe, X: e.X, Y: e.High})
		}
	}
}

func hasSubqueryCorrelatedTo(e ast.Expr) bool { return hasSubquery(e) }

// usable reports whether constraint k can drive a lookup on a column of
// affinity colAff under collation idxColl (SQLite's IndexAffinityOk and
// collation match).
func (c *compiler) usable(sc *scope, k cons, colAff vdbe.Affinity, idxColl string) bool {
	if k.isNull {
		return true
	}
	if k.in != nil && k.in.Select != nil {
		_, _, ok := c.inSubqueryKey(sc, sc.srcs[k.src], k, idxColl)
		return ok
	}
	if k.in != nil || k.inOne {
		// IN compares under the left operand's own affinity (the column's)
		// and collation, which must be the index's.
		coll, _ := c.exprCollation(sc, k.left)
		return strings.EqualFold(normColl(coll), normColl(idxColl))
	}
	b := k.term.(*ast.Binary)
	aff := vdbe.ComparisonAffinity(c.exprAffinity(sc, b.X), c.exprAffinity(sc, b.Y))
	switch {
	case aff == vdbe.AffinityNone || aff == vdbe.AffinityBlob:
	case aff == vdbe.AffinityText:
		if colAff != vdbe.AffinityText {
			return false
		}
	default:
		if !colAff.IsNumeric() {
			return false
		}
	}
	coll := c.binaryCollationName(sc, b.X, b.Y)
	norm := func(s string) string {
		if s == "" {
			return "binary"
		}
		return strings.ToLower(s)
	}
	return norm(coll) == norm(idxColl)
}

// chooseAccess picks the cheapest way to loop over source si given the
// sources in avail.
func (c *compiler) chooseAccess(sc *scope, si int, avail uint64, terms []*wterm, allowAuto bool) access {
	src := sc.srcs[si]
	best := access{kind: accessScan, cost: scanCost}
	var cands []cons
	for _, t := range terms {
		if t.onSrc >= 0 && t.onSrc != si {
			// A LEFT JOIN's ON clause may only narrow its right-hand table.
			continue
		}
		if si < t.minSrc {
			continue
		}
		for _, k := range t.cons {
			if k.src == si && k.omask&^avail == 0 {
				cands = append(cands, k)
			}
		}
	}
	if len(cands) == 0 {
		return best
	}
	if src.table != nil {
		if a, ok := c.rowidRange(sc, src, cands); ok {
			best = a
		}
		var rowidIn *access
		for _, k := range cands {
			if k.col == -1 && k.op == ast.OpEq && k.in == nil {
				return access{kind: accessRowidEq, eq: []cons{k}, cost: 1}
			}
			if k.col == -1 && k.in != nil && rowidIn == nil && inCost(k) < best.cost {
				rowidIn = &access{kind: accessRowidEq, eq: []cons{k}, cost: inCost(k)}
				best = *rowidIn
			}
		}
		for _, ix := range src.usableIndexes() {
			if ix.Partial != nil {
				continue
			}
			a := access{kind: accessIndex, ix: ix}
			inUsed := false
			for _, ic := range ix.Columns {
				if ic.Column < -1 {
					break
				}
				found := false
				for _, k := range cands {
					if k.in != nil && inUsed {
						continue
					}
					if k.col == ic.Column && k.op == ast.OpEq && c.usable(sc, k, c.colAff(src, ic.Column), ic.Collation) {
						a.eq = append(a.eq, k)
						found = true
						inUsed = inUsed || k.in != nil
						break
					}
				}
				if !found {
					break
				}
			}
			if len(a.eq) < len(ix.Columns) {
				ic := ix.Columns[len(a.eq)]
				if ic.Column >= -1 {
					for i := range cands {
						k := cands[i]
						if k.col != ic.Column || !c.usable(sc, k, c.colAff(src, ic.Column), ic.Collation) {
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
					a.desc = ic.Desc
				}
			}
			switch {
			case len(a.eq) == len(ix.Columns) && ix.Unique:
				a.cost = 1
			case len(a.eq) > 0:
				a.cost = 10 / float64(len(a.eq))
				if a.lo != nil || a.hi != nil {
					a.cost /= 3
				}
			case a.lo != nil && a.hi != nil:
				a.cost = scanCost / 64
			case a.lo != nil || a.hi != nil:
				a.cost = scanCost / 4
			default:
				continue
			}
			for _, k := range a.eq {
				if k.in != nil {
					a.cost *= inCost(k)
				}
			}
			if a.cost < best.cost {
				best = a
			}
		}
	}
	// No automatic index for the right operand of a RIGHT JOIN, as in
	// SQLite: its rows are scanned once more for those that matched nothing.
	if best.kind == accessScan && allowAuto && (src.table != nil || src.materialized()) && !src.right {
		var auto []cons
		seen := map[int]bool{}
		for _, k := range cands {
			if k.op == ast.OpEq && k.in == nil && !k.inOne && k.omask != 0 && !seen[k.col] && k.col >= 0 && c.usable(sc, k, c.colAff(src, k.col), c.binaryCollationName(sc, k.term.(*ast.Binary).X, k.term.(*ast.Binary).Y)) {
				seen[k.col] = true
				auto = append(auto, k)
			}
		}
		if len(auto) > 0 {
			return access{kind: accessAutoIndex, auto: auto, cost: 20}
		}
	}
	return best
}

func (c *compiler) colAff(src *source, col int) vdbe.Affinity {
	if col < 0 {
		return vdbe.AffinityInteger
	}
	return src.cols[col].aff
}

// whereLoops emits the nested loops over sc's sources that visit every
// combination satisfying where, calling body (which emits code) at the
// innermost point.
func (c *compiler) whereLoops(sc *scope, where ast.Expr, body func() error) error {
	srcs := sc.srcs
	if len(srcs) == 0 {
		c.addPlan(0, "SCAN CONSTANT ROW")
	}
	var terms []*wterm
	var owner []int
	for _, e := range splitAnd(where, nil) {
		terms = append(terms, &wterm{e: e, onSrc: -1})
		owner = append(owner, len(srcs))
	}
	hasLeft := false
	for i, s := range srcs {
		if s.cross {
			hasLeft = true // a CROSS JOIN keeps the FROM order
		}
		for _, e := range splitAnd(s.on, nil) {
			t := &wterm{e: e, onSrc: -1}
			if s.left || s.right {
				t.onSrc = i
				hasLeft = true
			}
			terms = append(terms, t)
			owner = append(owner, i)
		}
	}
	hasRight := hasRightJoin(sc)
	if hasRight {
		hasLeft = true
		limitRightJoinTerms(sc, terms, owner)
	}
	for _, t := range terms {
		t.mask = c.termMask(sc, t.e)
		c.analyze(sc, t)
	}
	levels := c.joinOrder(sc, terms, hasLeft)
	// Deliver the ORDER BY from an index where that spares a sort, then
	// read from indexes alone where they hold every column needed.
	sc.ordered = false
	if len(levels) == 1 && c.planOrder(sc, &levels[0]) {
		levels[0].acc.ordered = true
		sc.ordered = true
	}
	for li := range levels {
		if !hasRight {
			c.planCovering(sc, &levels[li], terms)
		}
	}
	defer func() {
		for _, s := range srcs {
			s.cover = nil
		}
	}()
	// Place each term at the first level where it can be evaluated.
	for _, t := range terms {
		t.level = -1
		var m uint64
		for li, l := range levels {
			if t.mask&^m == 0 && t.onSrc < 0 {
				break
			}
			m |= 1 << uint(l.src)
			t.level = li
			if t.mask&^m == 0 && (t.onSrc < 0 || t.onSrc == l.src) {
				break
			}
		}
		if t.onSrc >= 0 {
			for li, l := range levels {
				if l.src == t.onSrc && li > t.level {
					t.level = li
				}
			}
		}
		if t.level < 0 && len(levels) > 0 && hasSubquery(t.e) {
			// SQLite checks a constant term before the loops only when
			// it holds no subquery; one that does (uncorrelated, or its
			// mask would not be empty) runs in the outermost loop.
			t.level = 0
		}
	}
	delayRightJoinTerms(levels, terms)
	// Open the cursors and build automatic indexes.
	for li := range levels {
		l := &levels[li]
		s := srcs[l.src]
		if s.table != nil {
			c.emit(vdbe.CodeOpenRead, s.cursor, int(s.table.Root), len(s.cols))
		}
		switch l.acc.kind {
		case accessIndex:
			l.acc.idxCur = c.cursor()
			ki, err := c.indexKeyInfo(l.acc.ix)
			if err != nil {
				return err
			}
			c.emitP4(vdbe.CodeOpenRead, l.acc.idxCur, int(l.acc.ix.Root), len(l.acc.ix.Columns)+1, vdbe.P4{KeyInfo: ki})
			if l.acc.covering {
				s.cover = &coverReads{cur: l.acc.idxCur, ix: l.acc.ix}
			}
		case accessAutoIndex:
			if err := c.buildAutoIndex(sc, s, &l.acc); err != nil {
				return err
			}
		}
		if s.right {
			if err := c.openRightMatches(s); err != nil {
				return err
			}
		}
		c.addPlan(0, c.planLine(s, l.acc))
	}
	end := c.newLabel()
	for _, t := range terms {
		if t.level < 0 {
			if err := c.jumpIfFalse(sc, t.e, end); err != nil {
				return err
			}
		}
	}
	if err := c.emitLevel(sc, levels, 0, terms, body); err != nil {
		return err
	}
	if err := c.unmatchedRightRows(sc, levels, terms, body); err != nil {
		return err
	}
	c.place(end)
	return nil
}

func (c *compiler) planDetail(s *source, a access) string {
	name := s.name
	using := "INDEX "
	if a.covering {
		using = "COVERING INDEX "
	}
	switch a.kind {
	case accessRowidEq:
		return "SEARCH " + name + " USING INTEGER PRIMARY KEY (rowid=?)"
	case accessRowidRange:
		return "SEARCH " + name + " USING INTEGER PRIMARY KEY (" + rangeDetail("rowid", a.lo, a.hi) + ")"
	case accessIndex:
		var parts []string
		for _, k := range a.eq {
			parts = append(parts, c.consColName(s, k.col)+"=?")
		}
		if a.lo != nil || a.hi != nil {
			k := a.lo
			if k == nil {
				k = a.hi
			}
			col := c.consColName(s, k.col)
			switch {
			case a.lo != nil && a.hi != nil:
				parts = append(parts, col+">? AND "+col+"<?")
			case a.lo != nil:
				parts = append(parts, col+">?")
			default:
				parts = append(parts, col+"<?")
			}
		}
		if len(parts) == 0 {
			return "SCAN " + name + " USING " + using + a.ix.Name
		}
		return fmt.Sprintf("SEARCH %s USING %s%s (%s)", name, using, a.ix.Name, strings.Join(parts, " AND "))
	case accessAutoIndex:
		var parts []string
		for _, k := range a.auto {
			parts = append(parts, c.consColName(s, k.col)+"=?")
		}
		return fmt.Sprintf("SEARCH %s USING AUTOMATIC COVERING INDEX (%s)", name, strings.Join(parts, " AND "))
	}
	return "SCAN " + name
}

// planLine is the EXPLAIN QUERY PLAN line of a loop level: SQLite marks
// the right operand of a LEFT JOIN.
func (c *compiler) planLine(s *source, a access) string {
	d := c.planDetail(s, a)
	if s.left {
		d += " LEFT-JOIN"
	}
	return d
}

func (c *compiler) consColName(s *source, col int) string {
	if col < 0 {
		return "rowid"
	}
	return s.cols[col].name
}

// indexKeyInfo is the KeyInfo of an index: its columns' collations and
// orders, then the rowid.
func (c *compiler) indexKeyInfo(ix *schema.Index) (*record.KeyInfo, error) {
	var colls []string
	var desc []bool
	for _, ic := range ix.Columns {
		colls = append(colls, ic.Collation)
		desc = append(desc, ic.Desc)
	}
	colls = append(colls, "")
	desc = append(desc, false)
	return c.keyInfo(colls, desc)
}

// buildAutoIndex fills a temporary index on the constrained columns of s
// (then the rowid), once per execution.
func (c *compiler) buildAutoIndex(sc *scope, s *source, a *access) error {
	a.idxCur = c.cursor()
	var colls []string
	for _, k := range a.auto {
		b := k.term.(*ast.Binary)
		colls = append(colls, c.binaryCollationName(sc, b.X, b.Y))
	}
	colls = append(colls, "")
	ki, err := c.keyInfo(colls, nil)
	if err != nil {
		return err
	}
	done := c.newLabel()
	if s.table != nil {
		// A table cannot change while the statement runs; a materialized
		// subquery is filled again each time its query runs (it may be
		// correlated), and so is its index.
		c.emit(vdbe.CodeOnce, 0, done, 0)
	}
	c.emitP4(vdbe.CodeOpenEphemeral, a.idxCur, len(a.auto)+1, 0, vdbe.P4{KeyInfo: ki})
	c.emit(vdbe.CodeRewind, s.cursor, done, 0)
	top := c.addr()
	n := len(a.auto)
	regs := c.regs(n + 1)
	for i, k := range a.auto {
		c.loadColumn(s, k.col, regs+i)
	}
	c.emit(vdbe.CodeRowid, s.cursor, regs+n, 0)
	rec := c.reg()
	c.emit(vdbe.CodeMakeRecord, regs, n+1, rec)
	c.emit(vdbe.CodeIdxInsert, a.idxCur, rec, 0)
	c.emit(vdbe.CodeNext, s.cursor, top, 0)
	c.place(done)
	return nil
}

// seekKey evaluates the constraint values into consecutive registers,
// converted as the comparison would convert them, and jumps to nomore
// when one is NULL (a comparison with NULL is never true).
func (c *compiler) seekKey(sc *scope, s *source, ks []cons, nomore int) int {
	base := c.regs(len(ks))
	for i, k := range ks {
		if k.in != nil {
			c.emit(vdbe.CodeCopy, k.inReg, base+i, 1)
			continue
		}
		if k.isNull {
			c.emit(vdbe.CodeNull, 0, base+i, 0)
			continue
		}
		if err := c.expr(sc, k.other, base+i); err != nil {
			c.err = err
			return base
		}
		b := k.term.(*ast.Binary)
		aff := vdbe.ComparisonAffinity(c.exprAffinity(sc, b.X), c.exprAffinity(sc, b.Y))
		if k.inOne {
			aff = c.colAff(s, k.col) // IN converts to the column's affinity
		}
		if aff != vdbe.AffinityNone && aff != vdbe.AffinityBlob {
			c.emitP4(vdbe.CodeAffinity, base+i, 1, 0, vdbe.P4{Str: string(rune(c.colAff(s, k.col)))})
		}
		c.emit(vdbe.CodeIsNull, base+i, nomore, 0)
	}
	return base
}

// emitLevel emits loop level li and, inside it, the deeper levels.
func (c *compiler) emitLevel(sc *scope, levels []planLevel, li int, terms []*wterm, body func() error) error {
	if li == len(levels) {
		return body()
	}
	l := levels[li]
	s := sc.srcs[l.src]
	a := l.acc
	cont, nomore := c.newLabel(), c.newLabel()
	if s.left {
		if s.matchReg == 0 {
			s.matchReg = c.reg()
		}
		c.emit(vdbe.CodeInteger, 0, s.matchReg, 0)
	}
	// An IN constraint loops over its values around the lookups: the
	// lookups' end moves on to the next value.
	var inDone func()
	if a.kind == accessRowidEq || a.kind == accessIndex {
		a.eq = append([]cons(nil), a.eq...)
		for i := range a.eq {
			if a.eq[i].in != nil {
				outer := nomore
				nomore = c.newLabel()
				var err error
				if inDone, err = c.inLoop(sc, s, &a.eq[i], a, outer, nomore); err != nil {
					return err
				}
			}
		}
	}
	var next func()
	switch {
	case s.co != nil:
		next = c.loopCoroutine(s, nomore)
	case s.regBase > 0:
		// One row, held in registers (a recursive CTE's current row).
		next = func() {}
	case a.kind == accessScan && a.reverse:
		c.emit(vdbe.CodeLast, s.cursor, nomore, 0)
		top := c.addr()
		next = func() { c.emit(vdbe.CodePrev, s.cursor, top, 0) }
	case a.kind == accessScan:
		c.emit(vdbe.CodeRewind, s.cursor, nomore, 0)
		top := c.addr()
		next = func() { c.emit(vdbe.CodeNext, s.cursor, top, 0) }
	case a.kind == accessRowidRange:
		var err error
		if next, err = c.rowidRangeLoop(sc, s, a, nomore); err != nil {
			return err
		}
	case a.kind == accessRowidEq && a.eq[0].in != nil:
		c.emit(vdbe.CodeSeekRowid, s.cursor, cont, a.eq[0].inReg)
		next = func() {}
	case a.kind == accessRowidEq:
		r, err := c.exprReg(sc, a.eq[0].other)
		if err != nil {
			return err
		}
		c.emit(vdbe.CodeSeekRowid, s.cursor, nomore, r)
		next = func() {}
	case a.kind == accessIndex || a.kind == accessAutoIndex:
		eq := a.eq
		if a.kind == accessAutoIndex {
			eq = a.auto
		}
		n := len(eq)
		key := c.seekKey(sc, s, eq, nomore)
		if c.err != nil {
			return c.err
		}
		// Index order bounds: with a DESC column the value bounds swap.
		lo, hi := a.lo, a.hi
		if a.desc {
			lo, hi = hi, lo
		}
		if a.reverse {
			// Backwards over the entries that match the equality prefix
			// (planOrder allows no range here).
			if n > 0 {
				c.emitP4(vdbe.CodeSeekLE, a.idxCur, nomore, key, vdbe.P4{Int: int64(n)})
			} else {
				c.emit(vdbe.CodeLast, a.idxCur, nomore, 0)
			}
			top := c.addr()
			if n > 0 {
				c.emitP4(vdbe.CodeIdxLT, a.idxCur, nomore, key, vdbe.P4{Int: int64(n)})
			}
			if !a.covering {
				rid := c.reg()
				c.emit(vdbe.CodeIdxRowid, a.idxCur, rid, 0)
				c.emit(vdbe.CodeSeekRowid, s.cursor, cont, rid)
			}
			next = func() { c.emit(vdbe.CodePrev, a.idxCur, top, 0) }
			break
		}
		var hiKey int
		if hi != nil {
			hiKey = c.regs(n + 1)
			if n > 0 {
				c.emit(vdbe.CodeCopy, key, hiKey, n)
			}
			k := c.seekKey(sc, s, []cons{*hi}, nomore)
			if c.err != nil {
				return c.err
			}
			c.emit(vdbe.CodeCopy, k, hiKey+n, 1)
		}
		if lo != nil {
			loKey := c.regs(n + 1)
			if n > 0 {
				c.emit(vdbe.CodeCopy, key, loKey, n)
			}
			k := c.seekKey(sc, s, []cons{*lo}, nomore)
			if c.err != nil {
				return c.err
			}
			c.emit(vdbe.CodeCopy, k, loKey+n, 1)
			strict := lo.op == ast.OpGt || lo.op == ast.OpLt
			code := vdbe.CodeSeekGE
			if strict {
				code = vdbe.CodeSeekGT
			}
			c.emitP4(code, a.idxCur, nomore, loKey, vdbe.P4{Int: int64(n + 1)})
		} else if n > 0 {
			c.emitP4(vdbe.CodeSeekGE, a.idxCur, nomore, key, vdbe.P4{Int: int64(n)})
		} else {
			c.emit(vdbe.CodeRewind, a.idxCur, nomore, 0)
		}
		top := c.addr()
		if hi != nil {
			strict := hi.op == ast.OpLt || hi.op == ast.OpGt
			code := vdbe.CodeIdxGT
			if strict {
				code = vdbe.CodeIdxGE
			}
			c.emitP4(code, a.idxCur, nomore, hiKey, vdbe.P4{Int: int64(n + 1)})
		} else if n > 0 {
			c.emitP4(vdbe.CodeIdxGT, a.idxCur, nomore, key, vdbe.P4{Int: int64(n)})
		}
		if !a.covering {
			rid := c.reg()
			c.emit(vdbe.CodeIdxRowid, a.idxCur, rid, 0)
			c.emit(vdbe.CodeSeekRowid, s.cursor, cont, rid)
		}
		next = func() { c.emit(vdbe.CodeNext, a.idxCur, top, 0) }
	}
	// ON terms of a LEFT JOIN decide the match; WHERE terms filter after.
	for _, t := range terms {
		if t.level == li && t.onSrc >= 0 {
			if err := c.jumpIfFalse(sc, t.e, cont); err != nil {
				return err
			}
		}
	}
	if s.left {
		c.emit(vdbe.CodeInteger, 1, s.matchReg, 0)
	}
	if s.right {
		c.recordRightMatch(s)
	}
	for _, t := range terms {
		if t.level == li && t.onSrc < 0 {
			if err := c.jumpIfFalse(sc, t.e, cont); err != nil {
				return err
			}
		}
	}
	if err := c.emitLevel(sc, levels, li+1, terms, body); err != nil {
		return err
	}
	c.place(cont)
	next()
	c.place(nomore)
	if inDone != nil {
		inDone()
	}
	if s.left {
		done := c.newLabel()
		c.emit(vdbe.CodeIfPos, s.matchReg, done, 0)
		c.emit(vdbe.CodeNullRow, s.cursor, 0, 0)
		if a.covering {
			c.emit(vdbe.CodeNullRow, a.idxCur, 0, 0)
		}
		for _, t := range terms {
			if t.level == li && t.onSrc < 0 {
				if err := c.jumpIfFalse(sc, t.e, done); err != nil {
					return err
				}
			}
		}
		if err := c.emitLevel(sc, levels, li+1, terms, body); err != nil {
			return err
		}
		c.place(done)
	}
	return nil
}
