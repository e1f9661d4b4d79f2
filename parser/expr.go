package parser

import (
	"strconv"

	"github.com/wrendb/wren/parser/ast"
)

// Operator precedence, lowest first, as in SQLite's grammar.
const (
	precOr = iota + 1
	precAnd
	precNot
	precEq // IS MATCH LIKE BETWEEN IN ISNULL NOTNULL NE EQ
	precCmp
	precEscape
	precBit
	precAdd
	precMul
	precConcat
	precCollate
	precUnary
)

// parseExpr parses an expression.
func (p *parser) parseExpr() ast.Expr {
	e, _ := p.binary(precOr)
	return e
}

// exprH parses an expression and returns its height as SQLite counts it.
func (p *parser) exprH() (ast.Expr, int) { return p.binary(precOr) }

func (p *parser) checkHeight(h int) {
	if h > maxExprDepth {
		p.fail("Expression tree is too large (maximum depth 1000)", p.tok.start)
	}
}

// binaryOp returns the operator and precedence of the current token when
// it continues an expression, or precedence 0.
func (p *parser) infixPrec() int {
	switch p.tok.kind {
	case kwOr:
		return precOr
	case kwAnd:
		return precAnd
	case kwIs, kwMatch, kwLike, kwGlob, kwRegexp, kwBetween, kwIn, kwIsnull, kwNotnull, tkNe, tkEq:
		return precEq
	case kwNot:
		// After an expression SQLite always takes NOT as the start of
		// NOT NULL/LIKE/BETWEEN/IN, so what follows is judged there.
		return precEq
	case tkLt, tkLe, tkGt, tkGe:
		return precCmp
	case tkBitAnd, tkBitOr, tkLShift, tkRShift:
		return precBit
	case tkPlus, tkMinus:
		return precAdd
	case tkStar, tkSlash, tkRem:
		return precMul
	case tkConcat, tkPtr:
		return precConcat
	case kwCollate:
		return precCollate
	}
	return 0
}

var simpleBinary = [numTokKinds]ast.BinaryOp{
	kwOr: ast.OpOr, kwAnd: ast.OpAnd, tkEq: ast.OpEq, tkNe: ast.OpNe,
	tkLt: ast.OpLt, tkLe: ast.OpLe, tkGt: ast.OpGt, tkGe: ast.OpGe,
	tkBitAnd: ast.OpBitAnd, tkBitOr: ast.OpBitOr, tkLShift: ast.OpLShift,
	tkRShift: ast.OpRShift, tkPlus: ast.OpAdd, tkMinus: ast.OpSub,
	tkStar: ast.OpMul, tkSlash: ast.OpDiv, tkRem: ast.OpRem, tkConcat: ast.OpConcat,
}

// binary parses an expression whose operators bind at least as tightly as
// minPrec (precedence climbing over SQLite's left-associative operators).
func (p *parser) binary(minPrec int) (ast.Expr, int) {
	left, h := p.unary()
	for {
		prec := p.infixPrec()
		if prec == 0 || prec < minPrec {
			return left, h
		}
		opTok := p.tok
		switch opTok.kind {
		case kwCollate:
			p.advance()
			left = &ast.Collate{X: left, Collation: p.ids()}
			continue
		case kwIsnull, kwNotnull:
			p.advance()
			left = &ast.IsNull{X: left, Not: opTok.kind == kwNotnull}
			h++
			p.checkHeight(h)
			continue
		case tkPtr:
			p.advance()
			p.push(2)
			right, rh := p.binary(prec + 1)
			p.pop(2)
			op := ast.OpJSON
			if opTok.end-opTok.start == 3 {
				op = ast.OpJSONText
			}
			left = &ast.Binary{Op: op, X: left, Y: right}
			h = max(h, rh) + 1
			p.checkHeight(h)
			continue
		case kwIs:
			p.advance()
			op := ast.OpIs
			if p.accept(kwNot) {
				op = ast.OpIsNot
			}
			if p.accept(kwDistinct) {
				p.expect(kwFrom)
				if op == ast.OpIs {
					op = ast.OpIsNot
				} else {
					op = ast.OpIs
				}
			}
			p.push(2)
			right, rh := p.binary(prec + 1)
			p.pop(2)
			left = &ast.Binary{Op: op, X: left, Y: right}
			h = max(h, rh) + 1
			p.checkHeight(h)
			continue
		}
		not := false
		if opTok.kind == kwNot {
			p.advance()
			not = true
			if p.accept(kwNull) {
				left = &ast.IsNull{X: left, Not: true}
				h++
				p.checkHeight(h)
				continue
			}
		}
		switch p.tok.kind {
		case kwLike, kwGlob, kwRegexp, kwMatch:
			var op ast.LikeOp
			switch p.tok.kind {
			case kwGlob:
				op = ast.OpGlob
			case kwRegexp:
				op = ast.OpRegexp
			case kwMatch:
				op = ast.OpMatch
			}
			p.advance()
			p.push(2)
			pat, ph := p.binary(precEq + 1)
			like := &ast.Like{Not: not, Op: op, X: left, Pattern: pat}
			h = max(h, ph)
			if p.accept(kwEscape) {
				esc, eh := p.binary(precEq + 1)
				like.Escape = esc
				h = max(h, eh)
			}
			p.pop(2)
			left = like
			h++
		case kwBetween:
			p.advance()
			p.push(2)
			lo, lh := p.binary(precNot)
			// SQLite's grammar lets the lower bound contain OR (whose
			// right side then binds AND): a BETWEEN x OR y AND z AND w.
			for p.is(kwOr) {
				p.advance()
				r, rh := p.binary(precAnd)
				lo = &ast.Binary{Op: ast.OpOr, X: lo, Y: r}
				lh = max(lh, rh) + 1
			}
			p.expect(kwAnd)
			hi, hh := p.binary(precEq + 1)
			p.pop(2)
			left = &ast.Between{Not: not, X: left, Low: lo, High: hi}
			h = max(h, lh, hh) + 1
		case kwIn:
			p.advance()
			var ih int
			left, ih = p.inRHS(left, not)
			h = max(h, ih) + 1
		default:
			if not {
				p.syntaxError()
			}
			p.advance()
			p.push(2)
			right, rh := p.binary(prec + 1)
			p.pop(2)
			left = &ast.Binary{Op: simpleBinary[opTok.kind], X: left, Y: right}
			h = max(h, rh) + 1
		}
		p.checkHeight(h)
	}
}

// inRHS parses what follows IN.
func (p *parser) inRHS(left ast.Expr, not bool) (ast.Expr, int) {
	in := &ast.In{Not: not, X: left}
	h := 1
	if p.is(tkLP) {
		p.push(3)
		p.advance()
		if p.startsSelect() {
			in.Select = p.parseSelect()
		} else if !p.is(tkRP) {
			in.List, h = p.exprList()
			if in.List == nil {
				in.List = []ast.Expr{}
			}
		} else {
			in.List = []ast.Expr{}
		}
		p.expect(tkRP)
		p.pop(3)
		return in, h
	}
	name := p.fullname()
	in.Table = &name
	if p.is(tkLP) {
		p.push(3)
		p.advance()
		in.HasArgs = true
		if !p.is(tkRP) {
			in.Args, h = p.exprList()
		}
		p.expect(tkRP)
		p.pop(3)
	}
	return in, h
}

// startsSelect reports whether the current token can begin a SELECT.
func (p *parser) startsSelect() bool {
	switch p.tok.kind {
	case kwSelect, kwValues, kwWith:
		return true
	}
	return false
}

// exprList parses expr, expr, ... and returns the largest height.
func (p *parser) exprList() ([]ast.Expr, int) {
	var list []ast.Expr
	h := 0
	for {
		e, eh := p.exprH()
		list = append(list, e)
		h = max(h, eh)
		if !p.accept(tkComma) {
			return list, h
		}
	}
}

// unary parses the prefix operators and then a primary expression.
func (p *parser) unary() (ast.Expr, int) {
	var op ast.UnaryOp
	var prec int
	switch p.tok.kind {
	case tkMinus:
		op, prec = ast.OpNeg, precUnary
	case tkPlus:
		op, prec = ast.OpPlus, precUnary
	case tkBitNot:
		op, prec = ast.OpBitNot, precUnary
	case kwNot:
		op, prec = ast.OpNot, precNot
	default:
		return p.primary()
	}
	pos := p.tok.start
	p.push(1)
	p.advance()
	var x ast.Expr
	var h int
	if prec == precUnary {
		x, h = p.unary()
	} else {
		x, h = p.binary(precNot)
	}
	p.pop(1)
	h++
	p.checkHeight(h)
	return &ast.Unary{Position: pos, Op: op, X: x}, h
}

// primary parses a term: a literal, a name, a call, a parenthesized
// expression, a subquery, CAST, CASE, EXISTS or RAISE.
func (p *parser) primary() (ast.Expr, int) {
	t := p.tok
	switch t.kind {
	case tkInteger, tkFloat:
		p.advance()
		kind := ast.LitInteger
		if t.kind == tkFloat {
			kind = ast.LitFloat
		}
		raw := p.text(t)
		return &ast.Literal{Position: t.start, Kind: kind, Raw: raw, Value: raw}, 1
	case tkString:
		if p.peek() == tkDot {
			return p.columnRef(), 1
		}
		p.advance()
		raw := p.text(t)
		return &ast.Literal{Position: t.start, Kind: ast.LitString, Raw: raw, Value: dequote(raw, '\'')}, 1
	case tkBlob:
		p.advance()
		raw := p.text(t)
		return &ast.Literal{Position: t.start, Kind: ast.LitBlob, Raw: raw, Value: raw[2 : len(raw)-1]}, 1
	case kwNull:
		p.advance()
		return &ast.Literal{Position: t.start, Kind: ast.LitNull, Raw: p.text(t), Value: p.text(t)}, 1
	case kwCurrentTime, kwCurrentDate, kwCurrentTimestamp:
		p.advance()
		kind := ast.LitCurrentTime
		if t.kind == kwCurrentDate {
			kind = ast.LitCurrentDate
		} else if t.kind == kwCurrentTimestamp {
			kind = ast.LitCurrentTimestamp
		}
		return &ast.Literal{Position: t.start, Kind: kind, Raw: p.text(t), Value: p.text(t)}, 1
	case tkVariable:
		p.variable(t)
		p.advance()
		return &ast.Variable{Position: t.start, Raw: p.text(t)}, 1
	case tkLP:
		return p.parenExpr()
	case kwCast:
		p.push(2)
		p.advance()
		p.expect(tkLP)
		x, h := p.exprH()
		p.expect(kwAs)
		typ := p.typeToken()
		p.expect(tkRP)
		p.pop(2)
		return &ast.Cast{Position: t.start, X: x, Type: typ}, h + 1
	case kwCase:
		return p.caseExpr()
	case kwExists:
		p.push(2)
		p.advance()
		p.expect(tkLP)
		sel := p.parseSelect()
		p.expect(tkRP)
		p.pop(2)
		return &ast.Exists{Position: t.start, Select: sel}, 1
	case kwRaise:
		return p.raise()
	}
	if isID(t.kind) || isJoinKW(t.kind) {
		if p.peek() == tkLP {
			return p.funcCall()
		}
		return p.columnRef(), 1
	}
	p.syntaxError()
	return nil, 0
}

// variable checks a parameter token the way SQLite's parser does.
func (p *parser) variable(t token) {
	s := p.text(t)
	switch s[0] {
	case '#':
		if len(s) > 1 && isDigit(s[1]) {
			p.syntaxErrorAt(t)
		}
	case '?':
		if len(s) > 1 {
			n, err := strconv.ParseInt(s[1:], 10, 64)
			if err != nil || n < 1 || n > maxVariableNumber {
				p.fail("variable number must be between ?1 and ?"+strconv.Itoa(maxVariableNumber), t.start)
			}
		}
	}
}

// columnRef parses nm [. nm [. nm]].
func (p *parser) columnRef() ast.Expr {
	first := p.ident(p.tok)
	p.advance()
	if !p.accept(tkDot) {
		return &ast.ColumnRef{Column: first}
	}
	second := p.nm()
	if !p.accept(tkDot) {
		return &ast.ColumnRef{Table: first, Column: second}
	}
	third := p.nm()
	return &ast.ColumnRef{Schema: first, Table: second, Column: third}
}

// parenExpr parses ( expr ), a row value ( expr, expr, ... ) or a subquery.
func (p *parser) parenExpr() (ast.Expr, int) {
	pos := p.tok.start
	p.push(1)
	p.advance()
	if p.startsSelect() {
		sel := p.parseSelect()
		p.expect(tkRP)
		p.pop(1)
		return &ast.Subquery{Position: pos, Select: sel}, 1
	}
	e, h := p.exprH()
	if p.is(tkComma) {
		row := &ast.Row{Position: pos, Exprs: []ast.Expr{e}}
		p.push(2)
		for p.accept(tkComma) {
			e, eh := p.exprH()
			row.Exprs = append(row.Exprs, e)
			h = max(h, eh)
		}
		p.pop(2)
		p.expect(tkRP)
		p.pop(1)
		return row, h + 1
	}
	p.expect(tkRP)
	p.pop(1)
	return e, h
}

// caseExpr parses CASE [x] WHEN ... THEN ... [ELSE ...] END.
func (p *parser) caseExpr() (ast.Expr, int) {
	c := &ast.Case{Position: p.tok.start}
	p.push(5)
	p.advance()
	h := 0
	if !p.is(kwWhen) {
		var oh int
		c.Operand, oh = p.exprH()
		h = oh
	}
	if !p.is(kwWhen) {
		p.syntaxError()
	}
	for p.accept(kwWhen) {
		cond, ch := p.exprH()
		p.expect(kwThen)
		res, rh := p.exprH()
		c.Whens = append(c.Whens, ast.When{Cond: cond, Result: res})
		h = max(h, ch, rh)
	}
	if p.accept(kwElse) {
		var eh int
		c.Else, eh = p.exprH()
		h = max(h, eh)
	}
	p.expect(kwEnd)
	p.pop(5)
	h++
	p.checkHeight(h)
	return c, h
}

// raise parses RAISE(IGNORE) or RAISE(ROLLBACK|ABORT|FAIL, message).
func (p *parser) raise() (ast.Expr, int) {
	r := &ast.Raise{Position: p.tok.start}
	p.push(3)
	defer p.pop(3)
	p.advance()
	p.expect(tkLP)
	switch p.tok.kind {
	case kwIgnore:
		p.advance()
		r.Action = ast.RaiseIgnore
		p.expect(tkRP)
		return r, 1
	case kwRollback:
		r.Action = ast.RaiseRollback
	case kwAbort:
		r.Action = ast.RaiseAbort
	case kwFail:
		r.Action = ast.RaiseFail
	default:
		p.syntaxError()
	}
	p.advance()
	p.expect(tkComma)
	msg, h := p.exprH()
	r.Message = msg
	p.expect(tkRP)
	return r, h + 1
}

// funcCall parses name( [DISTINCT|ALL] args [ORDER BY ...] | * ) with an
// optional FILTER and OVER.
func (p *parser) funcCall() (ast.Expr, int) {
	nameTok := p.tok
	f := &ast.FuncCall{Name: p.ident(nameTok)}
	p.push(3)
	p.advance()
	p.expect(tkLP)
	h := 0
	if p.accept(tkStar) {
		f.Star = true
	} else {
		if p.accept(kwDistinct) {
			f.Distinct = true
		} else {
			p.accept(kwAll)
		}
		if !p.is(tkRP) {
			if !p.is(kwOrder) {
				f.Args, h = p.exprList()
				if len(f.Args) > maxFunctionArgs {
					p.fail("too many arguments on function "+p.text(nameTok), nameTok.start)
				}
			}
			if p.is(kwOrder) {
				p.advance()
				p.expect(kwBy)
				f.OrderBy = p.sortList()
			}
		}
	}
	p.expect(tkRP)
	defer p.pop(3)
	if p.is(kwFilter) {
		p.advance()
		p.expect(tkLP)
		p.expect(kwWhere)
		f.Filter = p.parseExpr()
		p.expect(tkRP)
	}
	if p.is(kwOver) {
		p.advance()
		if p.is(tkLP) {
			p.advance()
			f.Over = p.windowDef()
			p.expect(tkRP)
		} else {
			id := p.nm()
			f.OverName = &id
		}
	}
	return f, h + 1
}

// sortList parses expr [ASC|DESC] [NULLS FIRST|LAST], ...
func (p *parser) sortList() []ast.OrderingTerm {
	var list []ast.OrderingTerm
	for {
		term := ast.OrderingTerm{Expr: p.parseExpr()}
		if p.accept(kwAsc) {
			term.Order = ast.SortAsc
		} else if p.accept(kwDesc) {
			term.Order = ast.SortDesc
		}
		if p.accept(kwNulls) {
			if p.accept(kwFirst) {
				term.Nulls = ast.NullsFirst
			} else if p.accept(kwLast) {
				term.Nulls = ast.NullsLast
			} else {
				p.syntaxError()
			}
		}
		list = append(list, term)
		if !p.accept(tkComma) {
			return list
		}
	}
}

// typeToken parses a type name: names followed by an optional (n) or
// (n, m), and returns its text as written.
func (p *parser) typeToken() string {
	if !isIds(p.tok.kind) {
		return ""
	}
	start := p.tok.start
	for isIds(p.tok.kind) {
		p.advance()
	}
	if p.is(tkLP) {
		p.advance()
		p.signedNumber()
		if p.accept(tkComma) {
			p.signedNumber()
		}
		p.expect(tkRP)
	}
	return p.src[start:p.lastEnd]
}

// signedNumber parses [+|-] number and returns its text.
func (p *parser) signedNumber() string {
	start := p.tok.start
	if !p.accept(tkPlus) {
		p.accept(tkMinus)
	}
	if !p.is(tkInteger) && !p.is(tkFloat) {
		p.syntaxError()
	}
	p.advance()
	return p.src[start:p.lastEnd]
}
