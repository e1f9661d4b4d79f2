package parser

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
)

// create parses every CREATE statement.
func (p *parser) create() ast.Stmt {
	start := p.tok.start
	p.expect(kwCreate)
	var s ast.Stmt
	switch p.tok.kind {
	case kwTemp:
		p.advance()
		switch p.tok.kind {
		case kwTable:
			s = p.createTable(start, true)
		case kwView:
			s = p.createView(start, true)
		case kwTrigger:
			s = p.createTrigger(start, true)
		default:
			p.syntaxError()
		}
	case kwTable:
		s = p.createTable(start, false)
	case kwView:
		s = p.createView(start, false)
	case kwTrigger:
		s = p.createTrigger(start, false)
	case kwUnique, kwIndex:
		s = p.createIndex(start)
	case kwVirtual:
		s = p.createVirtualTable(start)
	default:
		p.syntaxError()
	}
	return s
}

// ifNotExists parses [IF NOT EXISTS].
func (p *parser) ifNotExists() bool {
	if p.accept(kwIf) {
		p.expect(kwNot)
		p.expect(kwExists)
		return true
	}
	return false
}

// ifExists parses [IF EXISTS].
func (p *parser) ifExists() bool {
	if p.accept(kwIf) {
		p.expect(kwExists)
		return true
	}
	return false
}

func (p *parser) createTable(start int, temp bool) ast.Stmt {
	ct := &ast.CreateTable{Position: start, Temp: temp}
	p.expect(kwTable)
	ct.IfNotExists = p.ifNotExists()
	ct.Name = p.fullname()
	if p.accept(kwAs) {
		ct.AsSelect = p.parseSelect()
		ct.Text = p.src[start:p.lastEnd]
		return ct
	}
	p.expect(tkLP)
	for {
		ct.Columns = append(ct.Columns, p.columnDef())
		if !p.accept(tkComma) {
			break
		}
		switch p.tok.kind {
		case kwConstraint, kwPrimary, kwUnique, kwCheck, kwForeign:
			ct.Constraints = p.tableConstraints()
		}
		if ct.Constraints != nil {
			break
		}
	}
	p.expect(tkRP)
	// Table options: [WITHOUT ROWID | STRICT], ...
	if p.is(kwWithout) || isNm(p.tok.kind) {
		for {
			without := p.accept(kwWithout)
			opt := p.nm()
			raw := p.src[opt.Position:p.lastEnd]
			switch {
			case without && len(raw) == 5 && strings.EqualFold(raw, "rowid"):
				ct.WithoutRowid = true
			case !without && strings.EqualFold(raw, "strict"):
				ct.Strict = true
			default:
				p.failAtReduce("unknown table option: "+raw, opt.Position, tkComma, tkSemi, tkEOF)
			}
			if !p.accept(tkComma) {
				break
			}
		}
	}
	ct.Text = p.src[start:p.lastEnd]
	return ct
}

// columnDef parses name [type] [constraints].
func (p *parser) columnDef() ast.ColumnDef {
	col := ast.ColumnDef{Name: p.nm()}
	col.Type = p.typeToken()
	for {
		c, ok := p.columnConstraint()
		if !ok {
			break
		}
		col.Constraints = append(col.Constraints, c)
	}
	return col
}

// onConflict parses [ON CONFLICT resolve-type].
func (p *parser) onConflict() ast.ConflictAction {
	if p.is(kwOn) {
		p.advance()
		p.expect(kwConflict)
		return p.resolveType()
	}
	return ast.ConflictDefault
}

// columnConstraint parses one column constraint, if there is one.
func (p *parser) columnConstraint() (ast.ColumnConstraint, bool) {
	c := ast.ColumnConstraint{Position: p.tok.start}
	if p.accept(kwConstraint) {
		c.Name = p.nm()
	}
	switch p.tok.kind {
	case kwPrimary:
		p.advance()
		p.expect(kwKey)
		c.Kind = ast.ConsPrimaryKey
		if p.accept(kwAsc) {
			c.Order = ast.SortAsc
		} else if p.accept(kwDesc) {
			c.Order = ast.SortDesc
		}
		c.OnConflict = p.onConflict()
		c.Autoincrement = p.accept(kwAutoincrement)
	case kwNot:
		p.advance()
		if p.is(kwDeferrable) {
			c.Kind = ast.ConsDeferrable
			c.Deferrable = p.deferrable(true)
			break
		}
		p.expect(kwNull)
		c.Kind = ast.ConsNotNull
		c.OnConflict = p.onConflict()
	case kwNull:
		p.advance()
		c.Kind = ast.ConsNull
		c.OnConflict = p.onConflict()
	case kwUnique:
		p.advance()
		c.Kind = ast.ConsUnique
		c.OnConflict = p.onConflict()
	case kwCheck:
		p.advance()
		c.Kind = ast.ConsCheck
		p.expect(tkLP)
		c.Expr = p.parseExpr()
		p.expect(tkRP)
	case kwDefault:
		p.advance()
		c.Kind = ast.ConsDefault
		c.Expr, c.DefaultText = p.defaultValue()
	case kwCollate:
		p.advance()
		c.Kind = ast.ConsCollate
		c.Collation = p.ids()
	case kwReferences:
		c.Kind = ast.ConsForeignKey
		c.ForeignKey = p.references()
	case kwDeferrable:
		c.Kind = ast.ConsDeferrable
		c.Deferrable = p.deferrable(false)
	case kwGenerated:
		p.advance()
		p.expect(kwAlways)
		c.Always = true
		p.expect(kwAs)
		p.generated(&c)
	case kwAs:
		p.advance()
		p.generated(&c)
	default:
		if !c.Name.IsZero() {
			// SQLite's grammar accepts CONSTRAINT name on its own.
			c.Kind = ast.ConsName
			return c, true
		}
		return c, false
	}
	return c, true
}

// generated parses (expr) [STORED|VIRTUAL] after AS.
func (p *parser) generated(c *ast.ColumnConstraint) {
	c.Kind = ast.ConsGenerated
	p.expect(tkLP)
	c.Expr = p.parseExpr()
	p.expect(tkRP)
	if isID(p.tok.kind) {
		c.GeneratedType = p.ident(p.tok)
		c.Stored = strings.EqualFold(c.GeneratedType.Name, "stored")
		p.advance()
	}
}

// defaultValue parses what follows DEFAULT and returns it with its text.
func (p *parser) defaultValue() (ast.Expr, string) {
	t := p.tok
	switch t.kind {
	case tkLP:
		p.advance()
		e := p.parseExpr()
		p.expect(tkRP)
		return e, p.src[t.start:p.lastEnd]
	case tkPlus, tkMinus:
		p.advance()
		term := p.defaultTerm()
		op := ast.OpPlus
		if t.kind == tkMinus {
			op = ast.OpNeg
		}
		return &ast.Unary{Position: t.start, Op: op, X: term}, p.src[t.start:p.lastEnd]
	}
	if isID(t.kind) && t.kind != kwCurrentTime && t.kind != kwCurrentDate && t.kind != kwCurrentTimestamp {
		p.advance()
		raw := p.text(t)
		id := p.ident(t)
		return &ast.Literal{Position: t.start, Kind: ast.LitString, Raw: raw, Value: id.Name}, raw
	}
	return p.defaultTerm(), p.src[t.start:p.lastEnd]
}

// defaultTerm parses a literal term.
func (p *parser) defaultTerm() ast.Expr {
	switch p.tok.kind {
	case tkInteger, tkFloat, tkString, tkBlob, kwNull, kwCurrentTime, kwCurrentDate, kwCurrentTimestamp:
		if p.tok.kind == tkString {
			t := p.tok
			p.advance()
			raw := p.text(t)
			return &ast.Literal{Position: t.start, Kind: ast.LitString, Raw: raw, Value: dequote(raw, '\'')}
		}
		e, _ := p.primary()
		return e
	}
	p.syntaxError()
	return nil
}

// references parses REFERENCES table [(columns)] [actions] [deferrable].
func (p *parser) references() *ast.ForeignKey {
	p.expect(kwReferences)
	fk := &ast.ForeignKey{Table: p.nm()}
	if p.is(tkLP) {
		fk.Columns = p.eidlist()
	}
	for {
		switch p.tok.kind {
		case kwMatch:
			p.advance()
			fk.Args = append(fk.Args, ast.FKArg{Kind: ast.FKMatch, Match: p.nm()})
			continue
		case kwOn:
			p.advance()
			var kind ast.FKArgKind
			switch p.tok.kind {
			case kwDelete:
				kind = ast.FKOnDelete
			case kwUpdate:
				kind = ast.FKOnUpdate
			case kwInsert:
				kind = ast.FKOnInsert
			default:
				p.syntaxError()
			}
			p.advance()
			fk.Args = append(fk.Args, ast.FKArg{Kind: kind, Action: p.fkAction()})
			continue
		}
		break
	}
	return fk
}

// fkAction parses SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION.
func (p *parser) fkAction() ast.FKAction {
	switch p.tok.kind {
	case kwSet:
		p.advance()
		if p.accept(kwNull) {
			return ast.FKSetNull
		}
		p.expect(kwDefault)
		return ast.FKSetDefault
	case kwCascade:
		p.advance()
		return ast.FKCascade
	case kwRestrict:
		p.advance()
		return ast.FKRestrict
	case kwNo:
		p.advance()
		p.expect(kwAction)
		return ast.FKNoAction
	}
	p.syntaxError()
	return 0
}

// deferrable parses [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]; the
// NOT has been consumed when not is set.
func (p *parser) deferrable(not bool) *ast.Deferrable {
	d := &ast.Deferrable{Not: not}
	p.expect(kwDeferrable)
	if p.accept(kwInitially) {
		if p.accept(kwDeferred) {
			d.Initially = ast.InitiallyDeferred
		} else {
			p.expect(kwImmediate)
			d.Initially = ast.InitiallyImmediate
		}
	}
	return d
}

// tableConstraints parses the table constraints of CREATE TABLE, which
// may be separated by commas or not.
func (p *parser) tableConstraints() []ast.TableConstraint {
	var list []ast.TableConstraint
	for {
		list = append(list, p.tableConstraint())
		comma := p.accept(tkComma)
		switch p.tok.kind {
		case kwConstraint, kwPrimary, kwUnique, kwCheck, kwForeign:
			continue
		}
		if comma {
			p.syntaxError()
		}
		return list
	}
}

func (p *parser) tableConstraint() ast.TableConstraint {
	c := ast.TableConstraint{Position: p.tok.start}
	if p.accept(kwConstraint) {
		c.Name = p.nm()
	}
	switch p.tok.kind {
	case kwPrimary:
		p.advance()
		p.expect(kwKey)
		c.Kind = ast.ConsPrimaryKey
		p.expect(tkLP)
		c.Columns = p.sortList()
		c.Autoincrement = p.accept(kwAutoincrement)
		p.expect(tkRP)
		c.OnConflict = p.onConflict()
	case kwUnique:
		p.advance()
		c.Kind = ast.ConsUnique
		p.expect(tkLP)
		c.Columns = p.sortList()
		p.expect(tkRP)
		c.OnConflict = p.onConflict()
	case kwCheck:
		p.advance()
		c.Kind = ast.ConsCheck
		p.expect(tkLP)
		c.Expr = p.parseExpr()
		p.expect(tkRP)
		c.OnConflict = p.onConflict()
	case kwForeign:
		p.advance()
		p.expect(kwKey)
		c.Kind = ast.ConsForeignKey
		c.FromColumns = p.eidlist()
		c.ForeignKey = p.references()
		if p.is(kwDeferrable) {
			c.ForeignKey.Deferrable = p.deferrable(false)
		} else if p.is(kwNot) && p.peek() == kwDeferrable {
			p.advance()
			c.ForeignKey.Deferrable = p.deferrable(true)
		}
	default:
		if c.Name.IsZero() {
			p.syntaxError()
		}
		c.Kind = ast.ConsName
	}
	return c
}

func (p *parser) createIndex(start int) ast.Stmt {
	ci := &ast.CreateIndex{Position: start}
	ci.Unique = p.accept(kwUnique)
	p.expect(kwIndex)
	ci.IfNotExists = p.ifNotExists()
	ci.Name = p.fullname()
	p.expect(kwOn)
	ci.Table = p.nm()
	p.expect(tkLP)
	ci.Columns = p.sortList()
	p.expect(tkRP)
	if p.accept(kwWhere) {
		ci.Where = p.parseExpr()
	}
	ci.Text = p.src[start:p.lastEnd]
	return ci
}

func (p *parser) createView(start int, temp bool) ast.Stmt {
	cv := &ast.CreateView{Position: start, Temp: temp}
	p.expect(kwView)
	cv.IfNotExists = p.ifNotExists()
	cv.Name = p.fullname()
	if p.is(tkLP) {
		cv.Columns = p.eidlist()
	}
	p.expect(kwAs)
	cv.Select = p.parseSelect()
	cv.Text = p.src[start:p.lastEnd]
	return cv
}

func (p *parser) createTrigger(start int, temp bool) ast.Stmt {
	tr := &ast.CreateTrigger{Position: start, Temp: temp}
	p.expect(kwTrigger)
	tr.IfNotExists = p.ifNotExists()
	tr.Name = p.fullname()
	switch p.tok.kind {
	case kwBefore:
		p.advance()
		tr.Time = ast.TriggerBefore
	case kwAfter:
		p.advance()
		tr.Time = ast.TriggerAfter
	case kwInstead:
		p.advance()
		p.expect(kwOf)
		tr.Time = ast.TriggerInsteadOf
	}
	switch p.tok.kind {
	case kwDelete:
		tr.Event = ast.TriggerDelete
		p.advance()
	case kwInsert:
		tr.Event = ast.TriggerInsert
		p.advance()
	case kwUpdate:
		tr.Event = ast.TriggerUpdate
		p.advance()
		if p.accept(kwOf) {
			tr.UpdateOf = p.idlist()
		}
	default:
		p.syntaxError()
	}
	p.expect(kwOn)
	tr.Table = p.fullname()
	if p.accept(kwFor) {
		p.expect(kwEach)
		p.expect(kwRow)
		tr.ForEachRow = true
	}
	if p.accept(kwWhen) {
		tr.When = p.parseExpr()
	}
	p.expect(kwBegin)
	p.trigger = true
	for {
		tr.Body = append(tr.Body, p.triggerCmd())
		p.expect(tkSemi)
		if p.is(kwEnd) {
			break
		}
	}
	p.trigger = false
	p.advance()
	tr.Text = p.src[start:p.lastEnd]
	return tr
}

// triggerCmd parses one statement of a trigger body.
func (p *parser) triggerCmd() ast.Stmt {
	start := p.tok.start
	switch p.tok.kind {
	case kwUpdate:
		return p.update(start, nil)
	case kwInsert, kwReplace:
		return p.insert(start, nil)
	case kwDelete:
		return p.delete(start, nil)
	case kwSelect, kwValues, kwWith:
		return p.parseSelect()
	}
	p.syntaxError()
	return nil
}

func (p *parser) createVirtualTable(start int) ast.Stmt {
	vt := &ast.CreateVirtualTable{Position: start}
	p.expect(kwVirtual)
	p.expect(kwTable)
	vt.IfNotExists = p.ifNotExists()
	vt.Name = p.fullname()
	p.expect(kwUsing)
	vt.Module = p.nm()
	if p.is(tkLP) {
		vt.HasArgs = true
		p.vtabArgs(vt)
	}
	vt.Text = p.src[start:p.lastEnd]
	return vt
}

// vtabArgs parses the module arguments: any tokens, with balanced
// parentheses, separated by top-level commas. Empty arguments are dropped
// as SQLite drops them.
func (p *parser) vtabArgs(vt *ast.CreateVirtualTable) {
	p.expect(tkLP)
	argStart, argEnd := -1, -1
	nest := 0
	flush := func() {
		if argStart >= 0 {
			vt.Args = append(vt.Args, p.src[argStart:argEnd])
		}
		argStart, argEnd = -1, -1
	}
	for {
		t := p.tok
		switch t.kind {
		case tkEOF:
			p.syntaxError()
		case tkLP:
			nest++
		case tkRP:
			if nest == 0 {
				flush()
				p.advance()
				return
			}
			nest--
		case tkComma:
			if nest == 0 {
				flush()
				p.advance()
				continue
			}
		}
		if argStart < 0 {
			argStart = t.start
		}
		argEnd = t.end
		p.advance()
	}
}

func (p *parser) drop() ast.Stmt {
	d := &ast.Drop{Position: p.tok.start}
	p.expect(kwDrop)
	switch p.tok.kind {
	case kwTable:
		d.Kind = ast.ObjTable
	case kwIndex:
		d.Kind = ast.ObjIndex
	case kwView:
		d.Kind = ast.ObjView
	case kwTrigger:
		d.Kind = ast.ObjTrigger
	default:
		p.syntaxError()
	}
	p.advance()
	d.IfExists = p.ifExists()
	d.Name = p.fullname()
	return d
}

func (p *parser) alter() ast.Stmt {
	start := p.tok.start
	a := &ast.AlterTable{Position: start}
	p.expect(kwAlter)
	p.expect(kwTable)
	a.Table = p.fullname()
	switch p.tok.kind {
	case kwRename:
		p.advance()
		if p.accept(kwTo) {
			a.Kind = ast.AlterRename
			a.NewName = p.nm()
			break
		}
		p.accept(kwColumn)
		a.Kind = ast.AlterRenameColumn
		a.Column = p.nm()
		p.expect(kwTo)
		a.NewName = p.nm()
	case kwAdd:
		p.advance()
		p.accept(kwColumn)
		a.Kind = ast.AlterAddColumn
		colStart := p.tok.start
		col := p.columnDef()
		a.Add = &col
		a.AddText = p.src[colStart:p.lastEnd]
	case kwDrop:
		p.advance()
		p.accept(kwColumn)
		a.Kind = ast.AlterDropColumn
		a.Column = p.nm()
	default:
		p.syntaxError()
	}
	a.Text = p.src[start:p.lastEnd]
	return a
}
