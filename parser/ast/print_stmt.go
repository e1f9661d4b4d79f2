package ast

func (p *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case *Select:
		p.selectStmt(s)
	case *Insert:
		p.insert(s)
	case *Update:
		p.update(s)
	case *Delete:
		p.delete(s)
	case *CreateTable:
		p.createTable(s)
	case *CreateIndex:
		p.s("CREATE ")
		if s.Unique {
			p.s("UNIQUE ")
		}
		p.s("INDEX ")
		p.ifNotExists(s.IfNotExists)
		p.qname(s.Name)
		p.s(" ON ")
		p.ident(s.Table)
		p.s(" (")
		p.orderingTerms(s.Columns)
		p.s(")")
		p.where(s.Where)
	case *CreateView:
		p.s("CREATE ")
		p.temp(s.Temp)
		p.s("VIEW ")
		p.ifNotExists(s.IfNotExists)
		p.qname(s.Name)
		if s.Columns != nil {
			p.s("(")
			p.idents(s.Columns)
			p.s(")")
		}
		p.s(" AS ")
		p.selectStmt(s.Select)
	case *CreateTrigger:
		p.createTrigger(s)
	case *CreateVirtualTable:
		p.s("CREATE VIRTUAL TABLE ")
		p.ifNotExists(s.IfNotExists)
		p.qname(s.Name)
		p.s(" USING ")
		p.ident(s.Module)
		if s.HasArgs {
			p.s("(")
			for i, a := range s.Args {
				if i > 0 {
					p.s(", ")
				}
				p.s(a)
			}
			p.s(")")
		}
	case *Drop:
		p.s("DROP ")
		p.s(s.Kind.String())
		p.s(" ")
		if s.IfExists {
			p.s("IF EXISTS ")
		}
		p.qname(s.Name)
	case *AlterTable:
		p.s("ALTER TABLE ")
		p.qname(s.Table)
		switch s.Kind {
		case AlterRename:
			p.s(" RENAME TO ")
			p.ident(s.NewName)
		case AlterRenameColumn:
			p.s(" RENAME COLUMN ")
			p.ident(s.Column)
			p.s(" TO ")
			p.ident(s.NewName)
		case AlterAddColumn:
			p.s(" ADD COLUMN ")
			p.columnDef(s.Add)
		case AlterDropColumn:
			p.s(" DROP COLUMN ")
			p.ident(s.Column)
		}
	case *Begin:
		p.s([...]string{"BEGIN", "BEGIN DEFERRED", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"}[s.Mode%4])
	case *Commit:
		p.s("COMMIT")
	case *Rollback:
		p.s("ROLLBACK")
		if !s.Savepoint.IsZero() {
			p.s(" TO SAVEPOINT ")
			p.ident(s.Savepoint)
		}
	case *Savepoint:
		p.s("SAVEPOINT ")
		p.ident(s.Name)
	case *Release:
		p.s("RELEASE SAVEPOINT ")
		p.ident(s.Name)
	case *Pragma:
		p.s("PRAGMA ")
		p.qname(s.Name)
		if v := s.Value; v != nil {
			if s.Paren {
				p.s("(")
			} else {
				p.s(" = ")
			}
			if v.Number != "" {
				p.s(v.Number)
			} else {
				p.ident(v.Name)
			}
			if s.Paren {
				p.s(")")
			}
		}
	case *Attach:
		// DATABASE is written out: without it, a file expression that is
		// the bare name "database" would be read as the keyword.
		p.s("ATTACH DATABASE ")
		p.expr(s.File)
		p.s(" AS ")
		p.expr(s.Schema)
		if s.Key != nil {
			p.s(" KEY ")
			p.expr(s.Key)
		}
	case *Detach:
		p.s("DETACH DATABASE ")
		p.expr(s.Schema)
	case *Vacuum:
		p.s("VACUUM")
		if !s.Schema.IsZero() {
			p.s(" ")
			p.ident(s.Schema)
		}
		if s.Into != nil {
			p.s(" INTO ")
			p.expr(s.Into)
		}
	case *Analyze:
		p.s("ANALYZE")
		if !s.Name.Name.IsZero() {
			p.s(" ")
			p.qname(s.Name)
		}
	case *Reindex:
		p.s("REINDEX")
		if !s.Name.Name.IsZero() {
			p.s(" ")
			p.qname(s.Name)
		}
	case *Explain:
		p.s("EXPLAIN ")
		if s.QueryPlan {
			p.s("QUERY PLAN ")
		}
		p.stmt(s.Stmt)
	}
}

func (p *printer) temp(b bool) {
	if b {
		p.s("TEMP ")
	}
}

func (p *printer) ifNotExists(b bool) {
	if b {
		p.s("IF NOT EXISTS ")
	}
}

func (p *printer) where(e Expr) {
	if e != nil {
		p.s(" WHERE ")
		p.expr(e)
	}
}

func (p *printer) with(w *With) {
	if w == nil {
		return
	}
	p.s("WITH ")
	if w.Recursive {
		p.s("RECURSIVE ")
	}
	for i, c := range w.CTEs {
		if i > 0 {
			p.s(", ")
		}
		p.ident(c.Name)
		if c.Columns != nil {
			p.s("(")
			p.idents(c.Columns)
			p.s(")")
		}
		p.s(" AS ")
		switch c.Materialized {
		case Materialized:
			p.s("MATERIALIZED ")
		case NotMaterialized:
			p.s("NOT MATERIALIZED ")
		}
		p.s("(")
		p.selectStmt(c.Select)
		p.s(")")
	}
	p.s(" ")
}

func (p *printer) selectStmt(s *Select) {
	p.with(s.With)
	p.core(s.Core)
	for _, c := range s.Compounds {
		p.s(" ")
		p.s(c.Op.String())
		p.s(" ")
		p.core(c.Core)
	}
	if s.OrderBy != nil {
		p.s(" ORDER BY ")
		p.orderingTerms(s.OrderBy)
	}
	p.limit(s.Limit, s.Offset)
}

func (p *printer) limit(limit, offset Expr) {
	if limit != nil {
		p.s(" LIMIT ")
		p.expr(limit)
		if offset != nil {
			p.s(" OFFSET ")
			p.expr(offset)
		}
	}
}

func (p *printer) core(c *SelectCore) {
	if c.Values != nil {
		p.s("VALUES ")
		for i, row := range c.Values {
			if i > 0 {
				p.s(", ")
			}
			p.s("(")
			p.exprs(row)
			p.s(")")
		}
		return
	}
	p.s("SELECT ")
	if c.Distinct {
		p.s("DISTINCT ")
	} else if c.All {
		p.s("ALL ")
	}
	p.resultColumns(c.Columns)
	if c.From != nil {
		p.s(" FROM ")
		p.from(c.From)
	}
	p.where(c.Where)
	if c.GroupBy != nil {
		p.s(" GROUP BY ")
		p.exprs(c.GroupBy)
	}
	if c.Having != nil {
		p.s(" HAVING ")
		p.expr(c.Having)
	}
	if c.Windows != nil {
		p.s(" WINDOW ")
		for i, w := range c.Windows {
			if i > 0 {
				p.s(", ")
			}
			p.ident(w.Name)
			p.s(" AS (")
			p.window(w.Def)
			p.s(")")
		}
	}
}

func (p *printer) resultColumns(cols []ResultColumn) {
	for i, rc := range cols {
		if i > 0 {
			p.s(", ")
		}
		switch {
		case rc.Star && !rc.Table.IsZero():
			p.ident(rc.Table)
			p.s(".*")
		case rc.Star:
			p.s("*")
		default:
			p.expr(rc.Expr)
			p.alias(rc.Alias, rc.AliasedAs)
		}
	}
}

func (p *printer) alias(a Ident, as bool) {
	if a.IsZero() {
		return
	}
	if as {
		p.s(" AS ")
	} else {
		p.s(" ")
	}
	p.ident(a)
}

func (p *printer) from(f *From) {
	for i, it := range f.Items {
		if i > 0 {
			p.joinOp(it.Join)
		}
		p.source(it.Source)
		if it.On != nil {
			p.s(" ON ")
			p.expr(it.On)
		}
		if it.Using != nil {
			p.s(" USING (")
			p.idents(it.Using)
			p.s(")")
		}
	}
}

func (p *printer) joinOp(j JoinOp) {
	if j.Comma {
		p.s(", ")
		return
	}
	p.s(" ")
	if j.Natural {
		p.s("NATURAL ")
	}
	switch {
	case j.Left && j.Right:
		p.s("FULL ")
	case j.Left:
		p.s("LEFT ")
	case j.Right:
		p.s("RIGHT ")
	}
	if j.Outer {
		p.s("OUTER ")
	}
	if j.Inner {
		p.s("INNER ")
	}
	if j.Cross {
		p.s("CROSS ")
	}
	p.s("JOIN ")
}

func (p *printer) source(s TableSource) {
	switch s := s.(type) {
	case *TableName:
		p.qname(s.Name)
		if s.HasArgs {
			p.s("(")
			p.exprs(s.Args)
			p.s(")")
		}
		p.alias(s.Alias, s.AliasedAs)
		if !s.IndexedBy.IsZero() {
			p.s(" INDEXED BY ")
			p.ident(s.IndexedBy)
		} else if s.NotIndexed {
			p.s(" NOT INDEXED")
		}
	case *SubquerySource:
		p.s("(")
		p.selectStmt(s.Select)
		p.s(")")
		p.alias(s.Alias, s.AliasedAs)
	case *ParenJoin:
		p.s("(")
		p.from(s.From)
		p.s(")")
		p.alias(s.Alias, s.AliasedAs)
	}
}

func (p *printer) orConflict(c ConflictAction) {
	if c != ConflictDefault {
		p.s("OR ")
		p.s(c.String())
		p.s(" ")
	}
}

func (p *printer) tableAlias(q QualifiedName, alias Ident) {
	p.qname(q)
	if !alias.IsZero() {
		p.s(" AS ")
		p.ident(alias)
	}
}

func (p *printer) returning(cols []ResultColumn) {
	if cols != nil {
		p.s(" RETURNING ")
		p.resultColumns(cols)
	}
}

func (p *printer) setList(list []SetClause) {
	for i, sc := range list {
		if i > 0 {
			p.s(", ")
		}
		if sc.Paren {
			p.s("(")
			p.idents(sc.Columns)
			p.s(")")
		} else {
			p.idents(sc.Columns)
		}
		p.s(" = ")
		p.expr(sc.Value)
	}
}

func (p *printer) insert(s *Insert) {
	p.with(s.With)
	if s.Verb == VerbReplace {
		p.s("REPLACE ")
	} else {
		p.s("INSERT ")
		p.orConflict(s.Or)
	}
	p.s("INTO ")
	p.tableAlias(s.Table, s.Alias)
	if s.Columns != nil {
		p.s(" (")
		p.idents(s.Columns)
		p.s(")")
	}
	if s.DefaultValues {
		p.s(" DEFAULT VALUES")
	} else {
		p.s(" ")
		p.selectStmt(s.Select)
	}
	for _, u := range s.Upserts {
		p.s(" ON CONFLICT")
		if u.Target != nil {
			p.s(" (")
			p.orderingTerms(u.Target)
			p.s(")")
			p.where(u.TargetWhere)
		}
		if u.DoNothing {
			p.s(" DO NOTHING")
		} else {
			p.s(" DO UPDATE SET ")
			p.setList(u.Set)
			p.where(u.Where)
		}
	}
	p.returning(s.Returning)
}

func (p *printer) indexed(by Ident, not bool) {
	if !by.IsZero() {
		p.s(" INDEXED BY ")
		p.ident(by)
	} else if not {
		p.s(" NOT INDEXED")
	}
}

func (p *printer) update(s *Update) {
	p.with(s.With)
	p.s("UPDATE ")
	p.orConflict(s.Or)
	p.tableAlias(s.Table, s.Alias)
	p.indexed(s.IndexedBy, s.NotIndexed)
	p.s(" SET ")
	p.setList(s.Set)
	if s.From != nil {
		p.s(" FROM ")
		p.from(s.From)
	}
	p.where(s.Where)
	p.returning(s.Returning)
	if s.OrderBy != nil {
		p.s(" ORDER BY ")
		p.orderingTerms(s.OrderBy)
	}
	p.limit(s.Limit, s.Offset)
}

func (p *printer) delete(s *Delete) {
	p.with(s.With)
	p.s("DELETE FROM ")
	p.tableAlias(s.Table, s.Alias)
	p.indexed(s.IndexedBy, s.NotIndexed)
	p.where(s.Where)
	p.returning(s.Returning)
	if s.OrderBy != nil {
		p.s(" ORDER BY ")
		p.orderingTerms(s.OrderBy)
	}
	p.limit(s.Limit, s.Offset)
}
