package compile

import (
	"fmt"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// RIGHT and FULL OUTER JOIN, as SQLite (3.39 and later) runs them.
//
// The right operand of a RIGHT or FULL join (a "right source") is looped
// over like the partner of an inner join (of a LEFT JOIN for FULL, which
// also null-extends the unmatched rows on its left). Each time one of its
// rows satisfies the ON clause, its rowid is recorded in an ephemeral
// index. Once the main loops are done, a second loop scans the right
// source again and, for each row not recorded, sets every source to its
// left to its NULL row and runs the rest of the join and the WHERE clause
// from there: those are the rows the join makes up for the unmatched
// right-hand rows.
//
// The sources to the left of a right source can thus be replaced by NULLs,
// like the right-hand side of a LEFT JOIN: the terms that filter the
// joined rows (WHERE, and the ON clauses of the joins after the right
// source) must not narrow them before the match is recorded. Such a term
// is checked no earlier than the right source's loop, and never chooses
// how the sources to its left are read (wterm.minSrc).
//
// The loops run in FROM order whenever a right source is present.

// markRightJoin records that right, the first source of FROM item out[first:],
// is the right operand of a RIGHT (full: FULL) join.
func markRightJoin(out []*source, first int, full bool) error {
	if len(out)-first != 1 {
		return errorf("a parenthesized join as the right operand of a RIGHT or FULL JOIN is not supported yet")
	}
	right := out[first]
	right.right = true
	right.left = full
	for _, s := range out[:first+1] {
		if s.regBase > 0 {
			return errorf("a recursive reference in a RIGHT or FULL JOIN is not supported")
		}
	}
	for _, s := range out[:first] {
		s.rightNulled = true
	}
	return nil
}

// usingLeftExpr is the left-hand value of the USING column name whose
// left copy is column li of ls: the column itself, or, once a RIGHT or
// FULL join has merged it, the coalesce of the copies.
func usingLeftExpr(ls *source, li int, name string) ast.Expr {
	if e := ls.coalesce[li]; e != nil {
		return e
	}
	return &ast.ColumnRef{Table: ast.Ident{Name: ls.name}, Column: ast.Ident{Name: name}}
}

// mergeUsingRight makes the unqualified USING column (left copy: column
// li of ls) of a RIGHT or FULL join read the first non-NULL of its
// copies, as SQLite does.
func mergeUsingRight(ls *source, li int, right *source, name string) {
	rref := &ast.ColumnRef{Table: ast.Ident{Name: right.name}, Column: ast.Ident{Name: name}}
	if ls.coalesce == nil {
		ls.coalesce = map[int]*ast.FuncCall{}
	}
	if e := ls.coalesce[li]; e != nil {
		// A new call: the ON clauses already made hold the old one.
		args := append(append([]ast.Expr(nil), e.Args...), rref)
		ls.coalesce[li] = &ast.FuncCall{Name: e.Name, Args: args}
		return
	}
	lref := &ast.ColumnRef{Table: ast.Ident{Name: ls.name}, Column: ast.Ident{Name: name}}
	ls.coalesce[li] = &ast.FuncCall{Name: ast.Ident{Name: "coalesce"}, Args: []ast.Expr{lref, rref}}
}

// hasRightJoin reports whether one of sc's sources is the right operand
// of a RIGHT or FULL join.
func hasRightJoin(sc *scope) bool {
	for _, s := range sc.srcs {
		if s.right {
			return true
		}
	}
	return false
}

// limitRightJoinTerms sets each term's minSrc: a WHERE term, or an ON
// term of an inner join after a right source, filters rows the join may
// have made up, so it may not narrow the sources left of that right
// source. owner is the source whose ON clause the term belongs to
// (len(srcs) for WHERE).
func limitRightJoinTerms(sc *scope, terms []*wterm, owner []int) {
	for i, t := range terms {
		if t.onSrc >= 0 {
			continue
		}
		for si := owner[i]; si >= 0; si-- {
			if si < len(sc.srcs) && sc.srcs[si].right {
				t.minSrc = si
				break
			}
		}
	}
}

// delayRightJoinTerms moves each term limited by minSrc to the loop level
// of that source, or later.
func delayRightJoinTerms(levels []planLevel, terms []*wterm) {
	for _, t := range terms {
		if t.minSrc == 0 || t.level < 0 {
			continue
		}
		for li, l := range levels {
			if l.src == t.minSrc && li > t.level {
				t.level = li
			}
		}
	}
}

// openRightMatches opens the ephemeral index of matched rowids of a
// right source.
func (c *compiler) openRightMatches(s *source) error {
	ki, err := c.keyInfo([]string{""}, nil)
	if err != nil {
		return err
	}
	s.matchedCur = c.cursor()
	c.emitP4(vdbe.CodeOpenEphemeral, s.matchedCur, 1, 0, vdbe.P4{KeyInfo: ki})
	return nil
}

// recordRightMatch records the current row of right source s as matched.
func (c *compiler) recordRightMatch(s *source) {
	skip := c.newLabel()
	r := c.reg()
	c.emit(vdbe.CodeRowid, s.cursor, r, 0)
	c.emitP4(vdbe.CodeFound, s.matchedCur, skip, r, vdbe.P4{Int: 1})
	rec := c.reg()
	c.emit(vdbe.CodeMakeRecord, r, 1, rec)
	c.emit(vdbe.CodeIdxInsert, s.matchedCur, rec, 0)
	c.place(skip)
}

// unmatchedRightRows emits, after the main loops, the loop of each right
// source (in loop order) over its rows that matched nothing, with the
// sources to its left on their NULL rows.
func (c *compiler) unmatchedRightRows(sc *scope, levels []planLevel, terms []*wterm, body func() error) error {
	for li, l := range levels {
		s := sc.srcs[l.src]
		if !s.right {
			continue
		}
		saved := s.cover
		s.cover = nil
		restore := c.planNode("RIGHT-JOIN " + s.name)
		c.addPlan(0, "SCAN "+s.name)
		restore()
		done, next := c.newLabel(), c.newLabel()
		c.emit(vdbe.CodeRewind, s.cursor, done, 0)
		top := c.addr()
		r := c.reg()
		c.emit(vdbe.CodeRowid, s.cursor, r, 0)
		c.emitP4(vdbe.CodeFound, s.matchedCur, next, r, vdbe.P4{Int: 1})
		for _, ol := range levels[:li] {
			o := sc.srcs[ol.src]
			c.emit(vdbe.CodeNullRow, o.cursor, 0, 0)
			if ol.acc.covering {
				c.emit(vdbe.CodeNullRow, ol.acc.idxCur, 0, 0)
			}
		}
		for _, t := range terms {
			if t.level == li && t.onSrc < 0 {
				if err := c.jumpIfFalse(sc, t.e, next); err != nil {
					return err
				}
			}
		}
		if err := c.emitLevel(sc, levels, li+1, terms, body); err != nil {
			return err
		}
		c.place(next)
		c.emit(vdbe.CodeNext, s.cursor, top, 0)
		c.place(done)
		s.cover = saved
	}
	return nil
}

// nestedJoinSource makes a parenthesized join that is the right operand of
// a RIGHT or FULL JOIN one source, as SQLite does: a subquery of all its
// columns, materialized and named "(join-N)" (or by its alias), whose
// columns its tables' names still reach.
func (c *compiler) nestedJoinSource(sc *scope, pj *ast.ParenJoin) (*source, error) {
	isc := &scope{parent: sc.parent}
	inner, err := c.buildSources(isc, pj.From, nil)
	if err != nil {
		return nil, err
	}
	name := pj.Alias.Name
	if name == "" {
		name = fmt.Sprintf("(join-%d)", c.joinIDs[pj])
	}
	src := &source{name: name}
	for _, is := range inner {
		for _, col := range is.cols {
			if col.merged {
				continue // SELECT * shows a USING column once
			}
			src.cols = append(src.cols, colInfo{name: col.name, aff: col.aff, coll: col.coll, declType: col.declType})
			src.nested = append(src.nested, is.name)
		}
	}
	src.sub = &ast.Select{Core: &ast.SelectCore{Columns: []ast.ResultColumn{{Star: true}}, From: pj.From}}
	return src, nil
}

// expandNested appends the columns of nested-join source src that a * or
// table.* (table: the name written, or "") selects.
func (c *compiler) expandNested(src *source, table string, out *[]resultCol) bool {
	matched := false
	for ci, col := range src.cols {
		if table != "" && !strings.EqualFold(table, src.name) && !strings.EqualFold(table, src.nested[ci]) {
			continue
		}
		if col.merged && table == "" {
			continue
		}
		matched = true
		var e ast.Expr = &ast.ColumnRef{Table: ast.Ident{Name: src.nested[ci]}, Column: ast.Ident{Name: col.name}}
		if strings.EqualFold(table, src.name) {
			e = &ast.ColumnRef{Table: ast.Ident{Name: src.name}, Column: ast.Ident{Name: col.name}}
		}
		if co := src.coalesce[ci]; co != nil {
			e = co
		}
		*out = append(*out, resultCol{name: col.name, expr: e})
	}
	return matched
}
