package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// Covering indexes and index order.
//
// An index covers a query's use of a table when every column the query
// reads from it is one of the index's columns (the rowid always is: it is
// the last field of every index entry). The loop then reads the index
// alone and never visits the table, which SQLite reports as "USING
// COVERING INDEX".
//
// Which columns a query reads is over-approximated by name: every
// identifier written anywhere in the SELECT (its result columns, WHERE,
// GROUP BY, HAVING, ORDER BY, ON clauses and all their subqueries) that
// names a column of the table counts as read. An extra name only costs a
// table lookup; a missed one would read the wrong cursor, so the rule
// errs on the side of the table.

// usedNames collects the lower-cased identifiers that appear in exprs.
//
// It also records how each name is written, so that a join's sources can
// tell their columns apart: "q.name" for a name qualified by q (the last
// qualifier of schema.table.column), ".name" for a bare one, and the
// qualifiedKey marker. covers reads a column of source s as used when it
// appears bare or qualified by s's name.
func usedNames(exprs []ast.Expr) map[string]bool {
	names := map[string]bool{qualifiedKey: true}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		text := ast.String(e)
		start := -1
		// qualifier is the word written just before a ".", which
		// qualifies the word right after it.
		qualifier, last, lastEnd := "", "", -1
		record := func(name string, begin, end int) {
			name = strings.ToLower(name)
			names[name] = true
			if qualifier != "" && begin == lastEnd+1 && text[lastEnd] == '.' {
				names[qualifier+"."+name] = true
			} else {
				names["."+name] = true
			}
			qualifier, last, lastEnd = "", name, end
			if end < len(text) && text[end] == '.' {
				qualifier = last
			}
		}
		flush := func(end int) {
			if start >= 0 {
				record(text[start:end], start, end)
				start = -1
			}
		}
		for i := 0; i < len(text); i++ {
			ch := text[i]
			if closer, quoted := identQuotes[ch]; quoted {
				// A quoted identifier names a column whatever it holds:
				// "c""q", [with space], `x`.
				flush(i)
				name, end := quotedIdent(text, i+1, closer)
				record(name, i, end+1)
				i = end
				continue
			}
			word := ch == '_' || ch == '$' || ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch|0x20 >= 'a' && ch|0x20 <= 'z')
			if word {
				if start < 0 {
					start = i
				}
				continue
			}
			flush(i)
		}
		flush(len(text))
	}
	return names
}

// qualifiedKey marks a usedNames map that also records how each name is
// qualified; without it (a map of resolved column names) covers goes by
// the bare names alone.
const qualifiedKey = "\x00qualified"

// identQuotes maps the characters that open a quoted identifier to the
// ones that close it.
var identQuotes = map[byte]byte{'"': '"', '[': ']', '`': '`'}

// quotedIdent reads a quoted identifier whose text starts at text[i] and
// ends at closer (doubled, it stands for itself), returning its name and
// the index of the closing character.
func quotedIdent(text string, i int, closer byte) (string, int) {
	var b strings.Builder
	for ; i < len(text); i++ {
		if text[i] != closer {
			b.WriteByte(text[i])
			continue
		}
		if closer != ']' && i+1 < len(text) && text[i+1] == closer {
			b.WriteByte(closer)
			i++
			continue
		}
		break
	}
	return b.String(), i
}

// coreExprs lists every expression of a SELECT core that can read a
// column: result columns, WHERE, HAVING, GROUP BY, ORDER BY and the ON
// clauses of its sources.
func coreExprs(sc *scope, core *ast.SelectCore, rcs []resultCol, order []orderTerm) []ast.Expr {
	var exprs []ast.Expr
	for _, rc := range rcs {
		exprs = append(exprs, rc.expr)
	}
	exprs = append(exprs, core.Where, core.Having)
	exprs = append(exprs, core.GroupBy...)
	for _, o := range order {
		exprs = append(exprs, o.expr)
	}
	for _, s := range sc.srcs {
		exprs = append(exprs, s.on)
	}
	return exprs
}

// coreNames is usedNames over every expression of a SELECT core, with its
// already expanded result columns rcs and resolved ORDER BY terms.
func coreNames(sc *scope, core *ast.SelectCore, rcs []resultCol, order []orderTerm) map[string]bool {
	exprs := coreExprs(sc, core, rcs, order)
	for _, s := range sc.flats {
		exprs = append(exprs, s.flat...)
	}
	if len(core.Windows) > 0 {
		// Named window definitions read columns too; they are not
		// expressions to print, so give up covering.
		return nil
	}
	return usedNames(exprs)
}

// covers reports whether ix holds every column of s named in names, and
// holds every row (it is not a partial index).
func covers(s *source, ix *schema.Index, names map[string]bool) bool {
	return ix.Partial == nil && coversColumns(s, ix, names)
}

// coversColumns reports whether ix holds every column of s named in names.
func coversColumns(s *source, ix *schema.Index, names map[string]bool) bool {
	if names == nil || s.table == nil {
		return false
	}
	qualified := names[qualifiedKey]
	for ci, col := range s.cols {
		name := strings.ToLower(col.name)
		if ci == s.table.RowidAlias || !names[name] {
			continue
		}
		if qualified && !names["."+name] && !names[strings.ToLower(s.name)+"."+name] {
			continue // only another source's column of that name is read
		}
		if indexPos(ix, ci) < 0 {
			return false
		}
	}
	for _, ic := range ix.Columns {
		if ic.Column < -1 {
			// An expression index: its entries hold computed values.
			return false
		}
	}
	return true
}

// indexPos is the field of ix's entries that holds table column col, or -1.
func indexPos(ix *schema.Index, col int) int {
	for i, ic := range ix.Columns {
		if ic.Column == col {
			return i
		}
	}
	return -1
}

// coverReads redirects s's column reads to index cursor cur over ix while
// the loops over a covering index are emitted.
type coverReads struct {
	cur int
	ix  *schema.Index
}

// loadCovered emits the read of column col (-1: the rowid) of s from the
// covering index it is being read through.
func (c *compiler) loadCovered(s *source, col int, target int) {
	cv := s.cover
	if col < 0 || col == s.table.RowidAlias {
		c.emit(vdbe.CodeIdxRowid, cv.cur, target, 0)
		return
	}
	pos := indexPos(cv.ix, col)
	if pos < 0 {
		// Not reached when covers approved the index; read NULL rather
		// than a wrong field.
		c.emit(vdbe.CodeNull, 0, target, 0)
		return
	}
	c.emit(vdbe.CodeColumn, cv.cur, pos, target)
	if s.cols[col].aff == vdbe.AffinityReal {
		c.emitP4(vdbe.CodeAffinity, target, 1, 0, vdbe.P4{Str: "E"})
	}
}

// loadRowid emits the read of s's rowid, from the covering index when s
// is read through one.
func (c *compiler) loadRowid(s *source, target int) {
	if s.cover != nil {
		c.emit(vdbe.CodeIdxRowid, s.cover.cur, target, 0)
		return
	}
	c.emit(vdbe.CodeRowid, s.cursor, target, 0)
}

// orderColumn returns the table column (-1: the rowid) an ORDER BY term
// of the single source s reads, or false when the term is anything else.
func (c *compiler) orderColumn(sc *scope, s *source, o orderTerm) (int, bool) {
	ref, ok := o.expr.(*ast.ColumnRef)
	if !ok {
		return 0, false
	}
	res, err := c.resolveColumn(sc, ref, false)
	if err != nil || res.src != s || res.outer || res.alias != nil || res.literal != nil {
		return 0, false
	}
	return res.col, true
}

// orderedBy reports whether reading ix with equality constraints on its
// first nEq columns (held in eqCols) yields rows in the order the ORDER BY
// terms ask, and whether the index must be read backwards for it.
func (c *compiler) orderedBy(sc *scope, s *source, ix *schema.Index, eqCols []int, order []orderTerm) (ok, reverse bool) {
	j := len(eqCols)
	dirSet := false
	for _, o := range order {
		col, isCol := c.orderColumn(sc, s, o)
		if !isCol {
			return false, false
		}
		constant := false
		for _, e := range eqCols {
			if e == col {
				constant = true
			}
		}
		if constant {
			continue
		}
		var desc bool
		switch {
		case ix == nil || j == len(ix.Columns):
			// Past the index columns comes the rowid, in ascending order;
			// for a plain table scan the rowid is the only key.
			if col != -1 {
				return false, false
			}
			j = -1
		case ix.Columns[j].Column == col && col >= 0:
			if !strings.EqualFold(normColl(o.coll), normColl(ix.Columns[j].Collation)) {
				return false, false
			}
			desc = ix.Columns[j].Desc
			j++
		default:
			return false, false
		}
		rev := o.desc != desc
		if dirSet && rev != reverse {
			return false, false
		}
		reverse, dirSet = rev, true
		if j < 0 {
			break
		}
	}
	return true, reverse
}

func normColl(s string) string {
	if s == "" {
		return "binary"
	}
	return s
}

// planOrder lets the single-source plan of sc deliver the ORDER BY order,
// so that no sorter is needed: it keeps the chosen access when that
// already reads rows in order, and otherwise trades a full table scan for
// a scan of an index (or of the table, for ORDER BY rowid) in order.
func (c *compiler) planOrder(sc *scope, l *planLevel) bool {
	order := sc.orderHint
	if len(order) == 0 || len(sc.srcs) != 1 {
		return false
	}
	s := sc.srcs[l.src]
	if s.table == nil || s.regBase > 0 {
		return false
	}
	a := &l.acc
	switch a.kind {
	case accessRowidEq:
		return false
	case accessIndex:
		var eqCols []int
		for _, k := range a.eq {
			if k.in != nil {
				// One run per IN value: the runs are not merged in order.
				return false
			}
			eqCols = append(eqCols, k.col)
		}
		ok, rev, loose := c.deliversOrder(sc, s, a.ix, eqCols)
		if !ok || (rev && (a.lo != nil || a.hi != nil)) {
			return false
		}
		a.reverse, sc.orderLoose = rev, loose
		return true
	case accessScan:
		if ok, rev, loose := c.deliversOrder(sc, s, nil, nil); ok {
			a.reverse, sc.orderLoose = rev, loose
			return true
		}
		var best *schema.Index
		bestRev, bestLoose := false, false
		for _, ix := range s.usableIndexes() {
			if ix.Partial != nil {
				continue
			}
			ok, rev, loose := c.deliversOrder(sc, s, ix, nil)
			if !ok {
				continue
			}
			if best == nil || (covers(s, ix, sc.usedCols) && !covers(s, best, sc.usedCols)) {
				best, bestRev, bestLoose = ix, rev, loose
			}
		}
		if best == nil {
			return false
		}
		*a = access{kind: accessIndex, ix: best, reverse: bestRev, cost: a.cost}
		sc.orderLoose = bestLoose
		return true
	}
	return false
}

// planCovering marks an index access covering when the index holds every
// column the query reads, and turns a full table scan into a scan of the
// covering index SQLite would find cheaper (plan_width.go): one with
// narrower rows, or a partial index whose WHERE the terms imply.
func (c *compiler) planCovering(sc *scope, l *planLevel, terms []*wterm) {
	s := sc.srcs[l.src]
	if s.table == nil || s.regBase > 0 || sc.usedCols == nil {
		return
	}
	a := &l.acc
	switch a.kind {
	case accessIndex:
		a.covering = covers(s, a.ix, sc.usedCols)
	case accessScan:
		if a.reverse || a.ordered {
			return
		}
		if best, _ := c.bestCoveringScan(sc, l.src, terms); best != nil {
			*a = access{kind: accessIndex, ix: best, covering: true, cost: a.cost}
		}
	}
}

// usableIndexes are the indexes of s's table the planner may read: none
// under NOT INDEXED, only the named one under INDEXED BY.
func (s *source) usableIndexes() []*schema.Index {
	if s.table == nil || s.notIndexed {
		return nil
	}
	if s.indexedBy == "" {
		return s.table.Indexes
	}
	for _, ix := range s.table.Indexes {
		if strings.EqualFold(ix.Name, s.indexedBy) {
			return []*schema.Index{ix}
		}
	}
	return nil
}
