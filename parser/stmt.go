package parser

import "github.com/wrendb/wren/parser/ast"

// parseCmd parses one statement, with an optional EXPLAIN prefix.
func (p *parser) parseCmd() ast.Stmt {
	p.depth = 2
	if p.is(kwExplain) {
		e := &ast.Explain{Position: p.tok.start}
		p.advance()
		if p.is(kwQuery) {
			p.advance()
			p.expect(kwPlan)
			e.QueryPlan = true
		}
		e.Stmt = p.cmd()
		return e
	}
	return p.cmd()
}

// cmd parses one statement without EXPLAIN.
func (p *parser) cmd() ast.Stmt {
	start := p.tok.start
	switch p.tok.kind {
	case kwSelect, kwValues:
		return p.parseSelect()
	case kwWith:
		w := p.with()
		switch p.tok.kind {
		case kwSelect, kwValues:
			s := p.newSelect()
			s.Position, s.With = start, w
			p.selectBody(s)
			return s
		case kwInsert, kwReplace:
			return p.insert(start, w)
		case kwUpdate:
			return p.update(start, w)
		case kwDelete:
			return p.delete(start, w)
		}
		p.syntaxError()
	case kwInsert, kwReplace:
		return p.insert(start, nil)
	case kwUpdate:
		return p.update(start, nil)
	case kwDelete:
		return p.delete(start, nil)
	case kwCreate:
		return p.create()
	case kwDrop:
		return p.drop()
	case kwAlter:
		return p.alter()
	case kwBegin:
		return p.begin()
	case kwCommit, kwEnd:
		p.advance()
		p.transOpt()
		return &ast.Commit{Position: start}
	case kwRollback:
		p.advance()
		p.transOpt()
		r := &ast.Rollback{Position: start}
		if p.accept(kwTo) {
			p.accept(kwSavepoint)
			r.Savepoint = p.nm()
		}
		return r
	case kwSavepoint:
		p.advance()
		return &ast.Savepoint{Position: start, Name: p.nm()}
	case kwRelease:
		p.advance()
		p.accept(kwSavepoint)
		return &ast.Release{Position: start, Name: p.nm()}
	case kwPragma:
		return p.pragma()
	case kwAttach:
		p.advance()
		p.accept(kwDatabase)
		a := &ast.Attach{Position: start, File: p.parseExpr()}
		p.expect(kwAs)
		a.Schema = p.parseExpr()
		if p.accept(kwKey) {
			a.Key = p.parseExpr()
		}
		return a
	case kwDetach:
		p.advance()
		p.accept(kwDatabase)
		return &ast.Detach{Position: start, Schema: p.parseExpr()}
	case kwVacuum:
		p.advance()
		v := &ast.Vacuum{Position: start}
		if isNm(p.tok.kind) {
			v.Schema = p.nm()
		}
		if p.accept(kwInto) {
			v.Into = p.parseExpr()
		}
		return v
	case kwAnalyze:
		p.advance()
		a := &ast.Analyze{Position: start}
		if isNm(p.tok.kind) {
			a.Name = p.fullname()
		}
		return a
	case kwReindex:
		p.advance()
		r := &ast.Reindex{Position: start}
		if isNm(p.tok.kind) {
			r.Name = p.fullname()
		}
		return r
	}
	p.syntaxError()
	return nil
}

// transOpt parses [TRANSACTION [name]].
func (p *parser) transOpt() {
	if p.accept(kwTransaction) && isNm(p.tok.kind) {
		p.nm()
	}
}

func (p *parser) begin() ast.Stmt {
	b := &ast.Begin{Position: p.tok.start}
	p.advance()
	switch p.tok.kind {
	case kwDeferred:
		b.Mode = ast.TxDeferred
	case kwImmediate:
		b.Mode = ast.TxImmediate
	case kwExclusive:
		b.Mode = ast.TxExclusive
	}
	if b.Mode != ast.TxDefault {
		p.advance()
	}
	p.transOpt()
	return b
}

func (p *parser) pragma() ast.Stmt {
	pr := &ast.Pragma{Position: p.tok.start}
	p.advance()
	pr.Name = p.fullname()
	if p.accept(tkEq) {
		pr.Value = p.pragmaValue()
	} else if p.accept(tkLP) {
		pr.Paren = true
		pr.Value = p.pragmaValue()
		p.expect(tkRP)
	}
	return pr
}

// pragmaValue parses [+|-] number, a name, ON, DELETE or DEFAULT.
func (p *parser) pragmaValue() *ast.PragmaValue {
	v := &ast.PragmaValue{Position: p.tok.start}
	switch p.tok.kind {
	case tkPlus, tkMinus, tkInteger, tkFloat:
		v.Number = p.signedNumber()
	case kwOn, kwDelete, kwDefault:
		v.Name = p.ident(p.tok)
		p.advance()
	default:
		v.Name = p.nm()
	}
	return v
}

// xfullname parses fullname [AS alias].
func (p *parser) xfullname() (ast.QualifiedName, ast.Ident) {
	q := p.fullname()
	if p.trigger && !q.Schema.IsZero() {
		p.fail("qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers", q.Schema.Position)
	}
	if p.accept(kwAs) {
		return q, p.nm()
	}
	return q, ast.Ident{}
}

// orConflict parses [OR resolve-type].
func (p *parser) orConflict() ast.ConflictAction {
	if p.accept(kwOr) {
		return p.resolveType()
	}
	return ast.ConflictDefault
}

func (p *parser) insert(start int, w *ast.With) ast.Stmt {
	ins := &ast.Insert{Position: start, With: w}
	if p.accept(kwReplace) {
		ins.Verb = ast.VerbReplace
	} else {
		p.expect(kwInsert)
		ins.Or = p.orConflict()
	}
	p.expect(kwInto)
	ins.Table, ins.Alias = p.xfullname()
	if p.is(tkLP) {
		p.advance()
		ins.Columns = p.idlist()
		p.expect(tkRP)
	}
	if p.is(kwDefault) {
		p.advance()
		p.expect(kwValues)
		ins.DefaultValues = true
		ins.Returning = p.returning()
		return ins
	}
	ins.Select = p.parseSelect()
	for p.is(kwOn) {
		u := p.upsert()
		ins.Upserts = append(ins.Upserts, u)
		if u.Target == nil {
			break
		}
	}
	ins.Returning = p.returning()
	return ins
}

// upsert parses ON CONFLICT [(target) [WHERE]] DO NOTHING|UPDATE SET ...
func (p *parser) upsert() ast.Upsert {
	u := ast.Upsert{Position: p.tok.start}
	p.expect(kwOn)
	p.expect(kwConflict)
	if p.accept(tkLP) {
		u.Target = p.sortList()
		p.expect(tkRP)
		if p.accept(kwWhere) {
			u.TargetWhere = p.parseExpr()
		}
	}
	p.expect(kwDo)
	if p.accept(kwNothing) {
		u.DoNothing = true
		return u
	}
	p.expect(kwUpdate)
	p.expect(kwSet)
	u.Set = p.setList()
	if p.accept(kwWhere) {
		u.Where = p.parseExpr()
	}
	return u
}

// returning parses [RETURNING result-columns].
func (p *parser) returning() []ast.ResultColumn {
	if p.accept(kwReturning) {
		return p.resultColumns()
	}
	return nil
}

// setList parses col = expr | (col, ...) = expr, ...
func (p *parser) setList() []ast.SetClause {
	var list []ast.SetClause
	for {
		var sc ast.SetClause
		if p.accept(tkLP) {
			sc.Paren = true
			sc.Columns = p.idlist()
			p.expect(tkRP)
		} else {
			sc.Columns = []ast.Ident{p.nm()}
		}
		p.expect(tkEq)
		sc.Value = p.parseExpr()
		list = append(list, sc)
		if !p.accept(tkComma) {
			return list
		}
	}
}

// triggerIndexedBy rejects INDEXED BY and NOT INDEXED inside a trigger.
func (p *parser) tableIndexedBy() (ast.Ident, bool) {
	if p.trigger {
		if p.is(kwIndexed) {
			p.fail("the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers", p.tok.start)
		}
		if p.is(kwNot) {
			p.fail("the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers", p.tok.start)
		}
	}
	return p.indexedBy()
}

func (p *parser) update(start int, w *ast.With) ast.Stmt {
	u := &ast.Update{Position: start, With: w}
	p.expect(kwUpdate)
	u.Or = p.orConflict()
	u.Table, u.Alias = p.xfullname()
	u.IndexedBy, u.NotIndexed = p.tableIndexedBy()
	p.expect(kwSet)
	u.Set = p.setList()
	if p.accept(kwFrom) {
		u.From = p.from()
	}
	if p.accept(kwWhere) {
		u.Where = p.parseExpr()
	}
	if p.trigger {
		return u
	}
	u.Returning = p.returning()
	if p.is(kwOrder) {
		p.advance()
		p.expect(kwBy)
		u.OrderBy = p.sortList()
	}
	if p.is(kwLimit) {
		u.Limit, u.Offset = p.limit()
	}
	return u
}

func (p *parser) delete(start int, w *ast.With) ast.Stmt {
	d := &ast.Delete{Position: start, With: w}
	p.expect(kwDelete)
	p.expect(kwFrom)
	d.Table, d.Alias = p.xfullname()
	d.IndexedBy, d.NotIndexed = p.tableIndexedBy()
	if p.accept(kwWhere) {
		d.Where = p.parseExpr()
	}
	if p.trigger {
		return d
	}
	d.Returning = p.returning()
	if p.is(kwOrder) {
		p.advance()
		p.expect(kwBy)
		d.OrderBy = p.sortList()
	}
	if p.is(kwLimit) {
		d.Limit, d.Offset = p.limit()
	}
	return d
}
