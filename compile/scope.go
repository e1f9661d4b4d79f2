package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// colInfo describes one column a source offers.
type colInfo struct {
	name     string
	aff      vdbe.Affinity
	coll     string
	declType string
	notNull  bool
	// hasColl says the column has a collation at all, as SQLite sees it:
	// a table column or an explicit COLLATE, not a constant or most
	// expressions. A compound takes each column's collation from the
	// left-most part that has one.
	hasColl bool
	// merged marks the right-hand copy of a USING/NATURAL join column:
	// unqualified references and * skip it.
	merged bool
}

// source is one item of a FROM clause: a table read through a b-tree
// cursor, or a subquery or view materialized into a temporary table.
type source struct {
	name   string // the alias, or the table's name
	table  *schema.Table
	cols   []colInfo
	cursor int
	sub    *ast.Select // subquery or view body, materialized before the loops
	subCTE *cteDef

	left     bool // right-hand side of a LEFT JOIN
	on       ast.Expr
	matchReg int
	using    []string

	// right marks the right operand of a RIGHT or FULL join, whose
	// matched rowids are kept in matchedCur; rightNulled marks a source
	// to the left of one, which it may replace by NULLs (join_right.go).
	// coalesce holds, by column, the value of an unqualified USING column
	// that a RIGHT or FULL join merged.
	right       bool
	rightNulled bool
	matchedCur  int
	coalesce    map[int]*ast.FuncCall

	// sorterRowid is the position of this source's rowid in a GROUP BY
	// sorter record, or in saved-row registers.
	savedRowid int

	// regBase > 0 makes the source read its columns from registers
	// regBase.. and its rowid from rowidReg (the new row of an INSERT or
	// UPDATE, for CHECK constraints and index expressions).
	regBase  int
	rowidReg int

	// cover, while the loops are emitted, says the source is read through
	// a covering index: its columns come from that index (plan_cover.go).
	cover *coverReads

	// NOT INDEXED and INDEXED BY of the FROM item limit the indexes the
	// planner may use (usableIndexes).
	notIndexed bool
	indexedBy  string

	// hidden marks a source of a flattened subquery: it joins the loops of
	// the outer query, but only the subquery's bound references name it.
	// flat, on the flattened subquery's own source, holds its result
	// expressions: that source has no loop of its own (flatten.go).
	hidden bool
	flat   []ast.Expr
	// flatNull is the source whose NULL row (a LEFT JOIN that matched
	// nothing) makes every expression of flat NULL.
	flatNull *source
	// nested, for a parenthesized join read as one materialized source
	// (the right operand of a RIGHT or FULL JOIN), names the table of
	// each column (join_right.go).
	nested []string
	// co is set while a subquery runs as a co-routine (coroutine.go).
	co *coroutine
	// cross marks the right operand of a CROSS JOIN, which keeps the
	// FROM order.
	cross bool
}

func (s *source) hasRowid() bool { return s.table != nil || s.sub != nil }

// scope is the naming context of one SELECT: its FROM sources and the
// enclosing query's scope, for correlated references.
type scope struct {
	parent     *scope
	srcs       []*source
	correlated bool // a name resolved in an enclosing scope
	// aliases are the result columns, for references by alias in WHERE,
	// GROUP BY, HAVING and ORDER BY.
	aliases []resultCol
	// agg maps aggregate calls to their result registers while the output
	// expressions of an aggregate query are compiled.
	agg *aggInfo
	// inAlias guards against an alias referring to itself.
	inAlias map[int]bool
	// noAlias > 0 while a result column's own expression is compiled:
	// result columns cannot refer to aliases, only WHERE, GROUP BY,
	// HAVING and ORDER BY can.
	noAlias int

	// The planner's inputs and output for a simple SELECT (plan_cover.go):
	// the names the query reads (nil: unknown, no covering index), the
	// ORDER BY it would like its loops to deliver, and whether they do.
	usedCols  map[string]bool
	orderHint []orderTerm
	ordered   bool
	// groupHint says orderHint is a GROUP BY's (group_order.go): any
	// permutation of its terms in any directions groups the rows, read
	// forwards, unless groupSorted (an ORDER BY names the terms) and the
	// loops can deliver the hint's own order; orderLoose tells that they
	// deliver only a permutation.
	groupHint   bool
	groupSorted bool
	orderLoose  bool

	// visible, when set, are the sources names can see, in FROM order:
	// srcs then also holds the hidden sources of flattened subqueries in
	// their place, and flats lists those subqueries (flatten.go).
	visible []*source
	flats   []*source
}

// named returns the sources names can see.
func (s *scope) named() []*source {
	if s.visible != nil {
		return s.visible
	}
	return s.srcs
}

type resultCol struct {
	name  string
	expr  ast.Expr
	alias bool // name was given with AS (or without it, after the expression)
}

// resolved is what a column reference names.
type resolved struct {
	src   *source
	col   int // -1 for the rowid
	outer bool
	// alias is set when the name is a result column alias.
	alias ast.Expr
	// literal is set for the double-quoted-string fallback.
	literal *ast.Literal
	// flat is set, with col, when the name is a column of a flattened
	// subquery: alias is then its expression.
	flat *source
	// pushed is set when alias is a subquery's column expression that an
	// outer WHERE term pushed into the subquery reads (pushdown.go).
	pushed bool
}

func (s *source) columnIndex(name string) int {
	for i := range s.cols {
		if strings.EqualFold(s.cols[i].name, name) {
			return i
		}
	}
	return -1
}

func (s *source) rowidColumn() int {
	if s.table != nil {
		return s.table.RowidAlias
	}
	return -1
}

// resolve finds what ref names, searching sc, then the result aliases,
// then enclosing scopes.
func (c *compiler) resolve(sc *scope, ref *ast.ColumnRef, allowAlias bool) (resolved, error) {
	if b, ok := c.bound[ref]; ok {
		return c.resolveBound(sc, b), nil
	}
	name := ref.Column.Name
	tbl := ref.Table.Name
	for s := sc; s != nil; s = s.parent {
		var found *source
		col := 0
		matches := 0
		tableMatched := false
		for _, src := range s.named() {
			if src.hidden {
				continue
			}
			if src.nested != nil {
				// A parenthesized join: its columns keep their tables' names.
				for ci := range src.cols {
					if !strings.EqualFold(src.cols[ci].name, name) || src.cols[ci].merged && tbl == "" {
						continue
					}
					if tbl != "" && !strings.EqualFold(src.name, tbl) && !strings.EqualFold(src.nested[ci], tbl) {
						continue
					}
					tableMatched = true
					matches++
					if found == nil {
						found, col = src, ci
					}
				}
				continue
			}
			if tbl != "" && !strings.EqualFold(src.name, tbl) {
				continue
			}
			tableMatched = true
			i := src.columnIndex(name)
			if i >= 0 {
				if tbl == "" && src.cols[i].merged {
					continue
				}
				matches++
				if found == nil {
					found, col = src, i
				}
			}
		}
		if matches > 1 {
			if tbl != "" {
				return resolved{}, errorf("ambiguous column name: %s.%s", tbl, name)
			}
			return resolved{}, errorf("ambiguous column name: %s", name)
		}
		if found != nil {
			if found.flat != nil {
				return resolved{alias: found.flat[col], flat: found, col: col}, nil
			}
			if e := found.coalesce[col]; e != nil && tbl == "" {
				return resolved{alias: e}, nil
			}
			if s != sc {
				markCorrelated(sc, s)
			}
			if found.table != nil && col == found.table.RowidAlias {
				col = -1
			}
			return resolved{src: found, col: col, outer: s != sc}, nil
		}
		if schema.IsRowidName(name) {
			var rs *source
			n := 0
			for _, src := range s.named() {
				if (tbl == "" || strings.EqualFold(src.name, tbl)) && src.table != nil && !src.hidden {
					if rs == nil {
						rs = src
					}
					n++
				}
			}
			if rs != nil && (n == 1 || tbl != "") {
				if s != sc {
					markCorrelated(sc, s)
				}
				return resolved{src: rs, col: -1, outer: s != sc}, nil
			}
			if n > 1 {
				return resolved{}, errorf("ambiguous column name: %s", name)
			}
		}
		if tbl == "" && allowAlias && s == sc && sc.noAlias == 0 {
			for i, a := range s.aliases {
				if a.alias && strings.EqualFold(a.name, name) {
					if s.inAlias[i] {
						continue
					}
					return resolved{alias: a.expr}, nil
				}
			}
		}
		_ = tableMatched
	}
	if res, ok := c.resolveTrigger(ref); ok {
		markCorrelated(sc, nil)
		return res, nil
	}
	if ref.Column.Quote == '"' && tbl == "" {
		return resolved{literal: &ast.Literal{Kind: ast.LitString, Raw: "'" + name + "'", Value: name}}, nil
	}
	if tbl != "" {
		return resolved{}, errorf("no such column: %s.%s", tbl, name)
	}
	return resolved{}, errorf("no such column: %s", name)
}

func markCorrelated(from, to *scope) {
	for s := from; s != nil && s != to; s = s.parent {
		s.correlated = true
	}
}

// tableSource makes the source for a table.
func tableSource(t *schema.Table, alias string) *source {
	src := &source{name: t.Name, table: t}
	if alias != "" {
		src.name = alias
	}
	for _, col := range t.Columns {
		coll := col.Collation
		src.cols = append(src.cols, colInfo{name: col.Name, aff: col.Affinity, coll: coll, declType: col.DeclType, notNull: col.NotNull})
	}
	return src
}
