package ast

func (p *printer) createTable(s *CreateTable) {
	p.s("CREATE ")
	p.temp(s.Temp)
	p.s("TABLE ")
	p.ifNotExists(s.IfNotExists)
	p.qname(s.Name)
	if s.AsSelect != nil {
		p.s(" AS ")
		p.selectStmt(s.AsSelect)
		return
	}
	p.s("(")
	for i := range s.Columns {
		if i > 0 {
			p.s(", ")
		}
		p.columnDef(&s.Columns[i])
	}
	for _, c := range s.Constraints {
		p.s(", ")
		p.tableConstraint(c)
	}
	p.s(")")
	switch {
	case s.WithoutRowid && s.Strict:
		p.s(" WITHOUT ROWID, STRICT")
	case s.WithoutRowid:
		p.s(" WITHOUT ROWID")
	case s.Strict:
		p.s(" STRICT")
	}
}

func (p *printer) columnDef(c *ColumnDef) {
	p.ident(c.Name)
	if c.Type != "" {
		p.s(" ")
		p.s(c.Type)
	}
	for _, cc := range c.Constraints {
		p.s(" ")
		p.columnConstraint(cc)
	}
}

func (p *printer) constraintName(id Ident) {
	if !id.IsZero() {
		p.s("CONSTRAINT ")
		p.ident(id)
		p.s(" ")
	}
}

func (p *printer) onConflict(c ConflictAction) {
	if c != ConflictDefault {
		p.s(" ON CONFLICT ")
		p.s(c.String())
	}
}

func (p *printer) columnConstraint(c ColumnConstraint) {
	if c.Kind == ConsName {
		p.s("CONSTRAINT ")
		p.ident(c.Name)
		return
	}
	p.constraintName(c.Name)
	switch c.Kind {
	case ConsPrimaryKey:
		p.s("PRIMARY KEY")
		switch c.Order {
		case SortAsc:
			p.s(" ASC")
		case SortDesc:
			p.s(" DESC")
		}
		p.onConflict(c.OnConflict)
		if c.Autoincrement {
			p.s(" AUTOINCREMENT")
		}
	case ConsNotNull:
		p.s("NOT NULL")
		p.onConflict(c.OnConflict)
	case ConsNull:
		p.s("NULL")
		p.onConflict(c.OnConflict)
	case ConsUnique:
		p.s("UNIQUE")
		p.onConflict(c.OnConflict)
	case ConsCheck:
		p.s("CHECK (")
		p.expr(c.Expr)
		p.s(")")
	case ConsDefault:
		p.s("DEFAULT ")
		p.defaultValue(c.Expr)
	case ConsCollate:
		p.s("COLLATE ")
		p.ident(c.Collation)
	case ConsForeignKey:
		p.foreignKey(c.ForeignKey)
	case ConsDeferrable:
		p.deferrable(c.Deferrable)
	case ConsGenerated:
		if c.Always {
			p.s("GENERATED ALWAYS ")
		}
		p.s("AS (")
		p.expr(c.Expr)
		p.s(")")
		if !c.GeneratedType.IsZero() {
			p.s(" ")
			p.ident(c.GeneratedType)
		}
	}
}

// defaultValue writes a DEFAULT value in a form the grammar accepts there:
// a literal, a signed literal, or a parenthesized expression.
func (p *printer) defaultValue(e Expr) {
	switch e := e.(type) {
	case *Literal:
		p.s(e.Raw)
		return
	case *Unary:
		if lit, ok := e.X.(*Literal); ok && (e.Op == OpNeg || e.Op == OpPlus) {
			if e.Op == OpNeg {
				p.s("-")
			} else {
				p.s("+")
			}
			p.s(lit.Raw)
			return
		}
	}
	p.s("(")
	p.expr(e)
	p.s(")")
}

func (p *printer) foreignKey(fk *ForeignKey) {
	p.s("REFERENCES ")
	p.ident(fk.Table)
	if fk.Columns != nil {
		p.s("(")
		p.idents(fk.Columns)
		p.s(")")
	}
	for _, a := range fk.Args {
		switch a.Kind {
		case FKMatch:
			p.s(" MATCH ")
			p.ident(a.Match)
			continue
		case FKOnDelete:
			p.s(" ON DELETE ")
		case FKOnUpdate:
			p.s(" ON UPDATE ")
		case FKOnInsert:
			p.s(" ON INSERT ")
		}
		p.s([...]string{"NO ACTION", "SET NULL", "SET DEFAULT", "CASCADE", "RESTRICT"}[a.Action%5])
	}
	if fk.Deferrable != nil {
		p.s(" ")
		p.deferrable(fk.Deferrable)
	}
}

func (p *printer) deferrable(d *Deferrable) {
	if d.Not {
		p.s("NOT ")
	}
	p.s("DEFERRABLE")
	switch d.Initially {
	case InitiallyDeferred:
		p.s(" INITIALLY DEFERRED")
	case InitiallyImmediate:
		p.s(" INITIALLY IMMEDIATE")
	}
}

func (p *printer) tableConstraint(c TableConstraint) {
	if c.Kind == ConsName {
		p.s("CONSTRAINT ")
		p.ident(c.Name)
		return
	}
	p.constraintName(c.Name)
	switch c.Kind {
	case ConsPrimaryKey:
		p.s("PRIMARY KEY (")
		p.orderingTerms(c.Columns)
		if c.Autoincrement {
			p.s(" AUTOINCREMENT")
		}
		p.s(")")
		p.onConflict(c.OnConflict)
	case ConsUnique:
		p.s("UNIQUE (")
		p.orderingTerms(c.Columns)
		p.s(")")
		p.onConflict(c.OnConflict)
	case ConsCheck:
		p.s("CHECK (")
		p.expr(c.Expr)
		p.s(")")
		p.onConflict(c.OnConflict)
	case ConsForeignKey:
		p.s("FOREIGN KEY (")
		p.idents(c.FromColumns)
		p.s(") ")
		p.foreignKey(c.ForeignKey)
	}
}

func (p *printer) createTrigger(s *CreateTrigger) {
	p.s("CREATE ")
	p.temp(s.Temp)
	p.s("TRIGGER ")
	p.ifNotExists(s.IfNotExists)
	p.qname(s.Name)
	switch s.Time {
	case TriggerBefore:
		p.s(" BEFORE")
	case TriggerAfter:
		p.s(" AFTER")
	case TriggerInsteadOf:
		p.s(" INSTEAD OF")
	}
	switch s.Event {
	case TriggerDelete:
		p.s(" DELETE")
	case TriggerInsert:
		p.s(" INSERT")
	case TriggerUpdate:
		p.s(" UPDATE")
		if s.UpdateOf != nil {
			p.s(" OF ")
			p.idents(s.UpdateOf)
		}
	}
	p.s(" ON ")
	p.qname(s.Table)
	if s.ForEachRow {
		p.s(" FOR EACH ROW")
	}
	if s.When != nil {
		p.s(" WHEN ")
		p.expr(s.When)
	}
	p.s(" BEGIN ")
	for _, st := range s.Body {
		p.stmt(st)
		p.s("; ")
	}
	p.s("END")
}
