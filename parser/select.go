package parser

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
)

// parseSelect parses [WITH ...] select-core [compound ...] [ORDER BY]
// [LIMIT].
func (p *parser) parseSelect() *ast.Select {
	s := p.newSelect()
	if p.is(kwWith) {
		s.With = p.with()
	}
	p.selectBody(s)
	return s
}

// selectAndCore lets a Select and its first core share one allocation.
type selectAndCore struct {
	s ast.Select
	c ast.SelectCore
}

// newSelect returns a Select at the current token whose Core is allocated
// with it, ready for oneSelect to fill.
func (p *parser) newSelect() *ast.Select {
	both := &selectAndCore{}
	both.s.Position = p.tok.start
	both.s.Core = &both.c
	return &both.s
}

// selectBody parses the part of a SELECT after its WITH clause.
func (p *parser) selectBody(s *ast.Select) {
	p.push(4)
	defer p.pop(4)
	core, tailed := p.oneSelect(s, s.Core)
	s.Core = core
	terms := 1
	var misplaced string
	misplacedAt := 0
	for {
		var op ast.CompoundOp
		switch p.tok.kind {
		case kwUnion:
			op = ast.Union
			if p.peek() == kwAll {
				p.advance()
				op = ast.UnionAll
			}
		case kwIntersect:
			op = ast.Intersect
		case kwExcept:
			op = ast.Except
		default:
			if misplaced != "" {
				p.failAtReduce(misplaced, misplacedAt, selectFollowers...)
			}
			if terms > maxCompoundSelect && core.Values == nil {
				p.failAtReduce("too many terms in compound SELECT", p.tok.start, selectFollowers...)
			}
			return
		}
		if tailed {
			clause := "LIMIT"
			if s.OrderBy != nil {
				clause = "ORDER BY"
			}
			misplaced = clause + " clause should come after " + op.String() + " not before"
			misplacedAt = p.tok.start
			s.OrderBy, s.Limit, s.Offset = nil, nil, nil
		}
		p.advance()
		core, tailed = p.oneSelect(s, nil)
		s.Compounds = append(s.Compounds, ast.Compound{Op: op, Core: core})
		terms++
	}
}

// selectFollowers are the tokens that can follow a complete SELECT.
var selectFollowers = []tokKind{tkSemi, tkEOF, tkRP, kwOn, kwReturning}

// oneSelect parses SELECT ... or VALUES ...; for a SELECT it also parses
// ORDER BY and LIMIT into s and reports whether it found either.
func (p *parser) oneSelect(s *ast.Select, core *ast.SelectCore) (*ast.SelectCore, bool) {
	if core == nil {
		core = &ast.SelectCore{}
	}
	core.Position = p.tok.start
	if p.accept(kwValues) {
		for {
			p.expect(tkLP)
			row, _ := p.exprList()
			p.expect(tkRP)
			core.Values = append(core.Values, row)
			if !p.accept(tkComma) {
				break
			}
		}
		return core, false
	}
	p.expect(kwSelect)
	if p.accept(kwDistinct) {
		core.Distinct = true
	} else if p.accept(kwAll) {
		core.All = true
	}
	core.Columns = p.resultColumns()
	if p.accept(kwFrom) {
		core.From = p.from()
	}
	if p.accept(kwWhere) {
		core.Where = p.parseExpr()
	}
	if p.is(kwGroup) {
		p.advance()
		p.expect(kwBy)
		core.GroupBy, _ = p.exprList()
	}
	if p.accept(kwHaving) {
		core.Having = p.parseExpr()
	}
	if p.is(kwWindow) {
		p.advance()
		for {
			name := p.nm()
			p.expect(kwAs)
			p.expect(tkLP)
			def := p.windowDef()
			p.expect(tkRP)
			core.Windows = append(core.Windows, ast.NamedWindow{Name: name, Def: def})
			if !p.accept(tkComma) {
				break
			}
		}
	}
	tailed := false
	if p.is(kwOrder) {
		p.advance()
		p.expect(kwBy)
		s.OrderBy = p.sortList()
		tailed = true
	}
	if p.is(kwLimit) {
		s.Limit, s.Offset = p.limit()
		tailed = true
	}
	return core, tailed
}

// limit parses LIMIT x [OFFSET y | , y].
func (p *parser) limit() (limit, offset ast.Expr) {
	p.expect(kwLimit)
	limit = p.parseExpr()
	if p.accept(kwOffset) {
		offset = p.parseExpr()
	} else if p.accept(tkComma) {
		// LIMIT offset, count
		offset = limit
		limit = p.parseExpr()
	}
	return limit, offset
}

// with parses WITH [RECURSIVE] cte, ...
func (p *parser) with() *ast.With {
	w := &ast.With{Position: p.tok.start}
	p.expect(kwWith)
	if p.accept(kwRecursive) {
		w.Recursive = true
	}
	for {
		cte := ast.CTE{Name: p.nm()}
		if p.is(tkLP) {
			cte.Columns = p.eidlist()
		}
		p.expect(kwAs)
		if p.accept(kwMaterialized) {
			cte.Materialized = ast.Materialized
		} else if p.is(kwNot) {
			p.advance()
			p.expect(kwMaterialized)
			cte.Materialized = ast.NotMaterialized
		}
		p.push(2)
		p.expect(tkLP)
		cte.Select = p.parseSelect()
		p.expect(tkRP)
		p.pop(2)
		w.CTEs = append(w.CTEs, cte)
		if !p.accept(tkComma) {
			return w
		}
	}
}

// resultColumns parses a select list or RETURNING list.
func (p *parser) resultColumns() []ast.ResultColumn {
	cols := make([]ast.ResultColumn, 0, 2)
	for {
		cols = append(cols, p.resultColumn())
		if !p.accept(tkComma) {
			return cols
		}
	}
}

func (p *parser) resultColumn() ast.ResultColumn {
	t := p.tok
	rc := ast.ResultColumn{Position: t.start}
	if p.accept(tkStar) {
		rc.Star = true
		return rc
	}
	if isNm(t.kind) && p.peek() == tkDot && p.peek2() == tkStar {
		rc.Star = true
		rc.Table = p.ident(t)
		p.advance()
		p.advance()
		p.advance()
		return rc
	}
	rc.Expr = p.parseExpr()
	rc.Text = p.src[t.start:p.lastEnd]
	rc.Alias, rc.AliasedAs = p.alias()
	return rc
}

// alias parses [AS] name after a result column or a FROM source.
func (p *parser) alias() (ast.Ident, bool) {
	if p.accept(kwAs) {
		return p.nm(), true
	}
	if isIds(p.tok.kind) {
		return p.ids(), false
	}
	return ast.Ident{}, false
}

// from parses the sources of a FROM clause.
func (p *parser) from() *ast.From {
	both := &struct {
		f     ast.From
		first [1]ast.JoinItem
	}{}
	f := &both.f
	f.Position = p.tok.start
	f.Items = both.first[:0]
	var join ast.JoinOp
	for {
		item := ast.JoinItem{Join: join, Source: p.tableSource()}
		if p.accept(kwOn) {
			item.On = p.parseExpr()
		} else if p.accept(kwUsing) {
			p.expect(tkLP)
			item.Using = p.idlist()
			p.expect(tkRP)
		}
		f.Items = append(f.Items, item)
		var ok bool
		join, ok = p.joinOp()
		if !ok {
			return f
		}
	}
}

// joinOp parses a comma or [JOIN_KW [nm [nm]]] JOIN and checks the
// combination as sqlite3JoinType does.
func (p *parser) joinOp() (ast.JoinOp, bool) {
	var j ast.JoinOp
	switch {
	case p.is(tkComma):
		p.advance()
		j.Comma = true
		return j, true
	case p.is(kwJoin):
		p.advance()
		return j, true
	case !isJoinKW(p.tok.kind):
		return j, false
	}
	first := p.tok
	var words [3]token
	n := 0
	for n < 3 && !p.is(kwJoin) {
		if n > 0 && !isNm(p.tok.kind) {
			p.syntaxError()
		}
		words[n] = p.tok
		n++
		p.advance()
	}
	last := p.lastEnd
	p.expect(kwJoin)
	bad := false
	for _, w := range words[:n] {
		switch strings.ToUpper(p.text(w)) {
		case "NATURAL":
			j.Natural = true
		case "LEFT":
			j.Left = true
		case "RIGHT":
			j.Right = true
		case "FULL":
			j.Left, j.Right = true, true
		case "OUTER":
			j.Outer = true
		case "INNER":
			j.Inner = true
		case "CROSS":
			j.Cross = true
		default:
			bad = true
		}
	}
	outer := j.Outer || j.Left || j.Right
	inner := j.Inner || j.Cross
	if bad || (inner && outer) || (j.Outer && !j.Left && !j.Right) {
		msg := "unknown join type: " + strings.Join(strings.Fields(p.src[first.start:last]), " ")
		if isNm(p.tok.kind) || p.is(tkLP) {
			p.fail(msg, first.start)
		}
		p.syntaxError()
	}
	return j, true
}

// tableSource parses one source of a FROM clause.
func (p *parser) tableSource() ast.TableSource {
	if p.is(tkLP) {
		pos := p.tok.start
		p.push(2)
		p.advance()
		var src ast.TableSource
		if p.startsSelect() {
			sel := p.parseSelect()
			p.expect(tkRP)
			sq := &ast.SubquerySource{Position: pos, Select: sel}
			sq.Alias, sq.AliasedAs = p.alias()
			src = sq
		} else {
			from := p.from()
			p.expect(tkRP)
			pj := &ast.ParenJoin{Position: pos, From: from}
			pj.Alias, pj.AliasedAs = p.alias()
			src = pj
		}
		p.pop(2)
		return src
	}
	t := &ast.TableName{Name: p.fullname()}
	if p.is(tkLP) {
		p.push(2)
		p.advance()
		t.HasArgs = true
		if !p.is(tkRP) {
			t.Args, _ = p.exprList()
		}
		p.expect(tkRP)
		p.pop(2)
		t.Alias, t.AliasedAs = p.alias()
		return t
	}
	t.Alias, t.AliasedAs = p.alias()
	t.IndexedBy, t.NotIndexed = p.indexedBy()
	return t
}

// indexedBy parses [INDEXED BY name | NOT INDEXED].
func (p *parser) indexedBy() (ast.Ident, bool) {
	if p.is(kwIndexed) {
		p.advance()
		p.expect(kwBy)
		return p.nm(), false
	}
	if p.is(kwNot) {
		p.advance()
		p.expect(kwIndexed)
		return ast.Ident{}, true
	}
	return ast.Ident{}, false
}

// windowDef parses the inside of OVER (...) or WINDOW name AS (...).
func (p *parser) windowDef() *ast.WindowDef {
	w := &ast.WindowDef{Position: p.tok.start}
	switch p.tok.kind {
	case kwPartition, kwOrder, kwRange, kwRows, kwGroups, tkRP:
	default:
		w.Base = p.nm()
	}
	if p.is(kwPartition) {
		p.advance()
		p.expect(kwBy)
		w.PartitionBy, _ = p.exprList()
	}
	if p.is(kwOrder) {
		p.advance()
		p.expect(kwBy)
		w.OrderBy = p.sortList()
	}
	switch p.tok.kind {
	case kwRange, kwRows, kwGroups:
		w.Frame = p.frame()
	}
	return w
}

// frame parses ROWS|RANGE|GROUPS bounds [EXCLUDE ...].
func (p *parser) frame() *ast.Frame {
	f := &ast.Frame{}
	switch p.tok.kind {
	case kwRange:
		f.Unit = ast.FrameRange
	case kwGroups:
		f.Unit = ast.FrameGroups
	}
	p.advance()
	errAt := p.tok.start
	if p.accept(kwBetween) {
		f.Between = true
		f.Start = p.frameBound(true)
		p.expect(kwAnd)
		f.End = p.frameBound(false)
	} else {
		f.Start = p.frameBound(true)
		f.End = ast.FrameBound{Kind: ast.CurrentRow}
	}
	if p.accept(kwExclude) {
		switch p.tok.kind {
		case kwNo:
			p.advance()
			p.expect(kwOthers)
			f.Exclude = ast.ExcludeNoOthers
		case kwCurrent:
			p.advance()
			p.expect(kwRow)
			f.Exclude = ast.ExcludeCurrentRow
		case kwGroup:
			p.advance()
			f.Exclude = ast.ExcludeGroup
		case kwTies:
			p.advance()
			f.Exclude = ast.ExcludeTies
		default:
			p.syntaxError()
		}
	}
	s, e := f.Start.Kind, f.End.Kind
	if (s == ast.CurrentRow && e == ast.Preceding) ||
		(s == ast.Following && (e == ast.Preceding || e == ast.CurrentRow)) {
		p.failAtReduce("unsupported frame specification", errAt, tkRP)
	}
	return f
}

// frameBound parses one frame boundary; start says which end it is.
func (p *parser) frameBound(start bool) ast.FrameBound {
	switch p.tok.kind {
	case kwUnbounded:
		p.advance()
		if start {
			p.expect(kwPreceding)
			return ast.FrameBound{Kind: ast.UnboundedPreceding}
		}
		p.expect(kwFollowing)
		return ast.FrameBound{Kind: ast.UnboundedFollowing}
	case kwCurrent:
		p.advance()
		p.expect(kwRow)
		return ast.FrameBound{Kind: ast.CurrentRow}
	}
	e := p.parseExpr()
	switch p.tok.kind {
	case kwPreceding:
		p.advance()
		return ast.FrameBound{Kind: ast.Preceding, Expr: e}
	case kwFollowing:
		p.advance()
		return ast.FrameBound{Kind: ast.Following, Expr: e}
	}
	p.syntaxError()
	return ast.FrameBound{}
}
