package engine

import (
	"strings"

	"github.com/wrendb/wren/compile"
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// execDDL runs CREATE, DROP and REINDEX. It edits the b-trees and the rows
// of sqlite_schema directly, bumps the schema cookie, and then rebuilds the
// connection's schema from sqlite_schema (a clone that is published at
// commit).
func (c *Conn) execDDL(st ast.Stmt) error {
	changed, err := c.ddl(st)
	if err != nil || !changed {
		return err
	}
	cookie := c.pg.HeaderUint32(40) + 1
	if err := c.pg.SetHeaderUint32(40, cookie); err != nil {
		return err
	}
	if c.pg.HeaderUint32(44) == 0 {
		if err := c.pg.SetHeaderUint32(44, 4); err != nil {
			return err
		}
	}
	s, err := c.loadSchema()
	if err != nil {
		return err
	}
	s.Cookie = cookie
	c.sch = s
	c.schemaDirty = true
	return nil
}

func reservedName(name string) bool {
	return len(name) >= 7 && strings.EqualFold(name[:7], "sqlite_")
}

// nameInUse reports the error for creating an object called name.
func (c *Conn) nameInUse(name, kind string) error {
	sch := c.sch
	if t := sch.Table(name); t != nil {
		if kind == "index" {
			return errorf("there is already a table named %s", name)
		}
		return errorf("table %s already exists", name)
	}
	if v := sch.View(name); v != nil {
		if kind == "index" {
			return errorf("there is already a table named %s", name)
		}
		return errorf("view %s already exists", name)
	}
	if kind == "index" || kind == "table" {
		if sch.Index(name) != nil {
			if kind == "index" {
				return errorf("index %s already exists", name)
			}
			return errorf("there is already an index named %s", name)
		}
	}
	return nil
}

func (c *Conn) ddl(st ast.Stmt) (bool, error) {
	switch st := st.(type) {
	case *ast.CreateTable:
		return c.createTable(st)
	case *ast.CreateIndex:
		return c.createIndex(st)
	case *ast.CreateView:
		name := st.Name.Name.Name
		if err := c.nameInUse(name, "view"); err != nil {
			if st.IfNotExists {
				return false, nil
			}
			return false, err
		}
		if reservedName(name) {
			return false, errorf("object name reserved for internal use: %s", name)
		}
		if st.Temp {
			if c.tempViews[schema.Key(name)] != nil {
				if st.IfNotExists {
					return false, nil
				}
				return false, errorf("view %s already exists", name)
			}
			v := schema.FromCreateView(st)
			v.SQL = schema.StoredSQL(st)
			if c.tempViews == nil {
				c.tempViews = map[string]*schema.View{}
			}
			c.tempViews[schema.Key(name)] = v
			return false, nil
		}
		return true, c.insertSchemaRow("view", name, name, 0, schema.StoredSQL(st), true)
	case *ast.CreateTrigger:
		name := st.Name.Name.Name
		if c.sch.Trigger(name) != nil {
			if st.IfNotExists {
				return false, nil
			}
			return false, errorf("trigger %s already exists", name)
		}
		tbl := st.Table.Name.Name
		if c.sch.Table(tbl) == nil && c.sch.View(tbl) == nil {
			return false, errorf("no such table: main.%s", tbl)
		}
		if reservedName(name) {
			return false, errorf("object name reserved for internal use: %s", name)
		}
		if t := c.sch.Table(tbl); t != nil && reservedName(t.Name) {
			return false, errorf("cannot create trigger on system table")
		}
		if st.Time == ast.TriggerInsteadOf && c.sch.View(tbl) == nil {
			return false, errorf("cannot create INSTEAD OF trigger on table: %s", tbl)
		}
		if st.Time == ast.TriggerInsteadOf {
			return false, errorf("INSTEAD OF triggers are not supported yet")
		}
		if c.sch.View(tbl) != nil && st.Time != ast.TriggerInsteadOf {
			kind := "BEFORE"
			if st.Time == ast.TriggerAfter {
				kind = "AFTER"
			}
			return false, errorf("cannot create %s trigger on view: main.%s", kind, tbl)
		}
		return true, c.insertSchemaRow("trigger", name, tableName(c.sch, tbl), 0, schema.StoredSQL(st), true)
	case *ast.Drop:
		return c.drop(st)
	case *ast.Reindex:
		return false, c.reindex(st)
	}
	return false, errorf("unsupported statement")
}

func tableName(sch *schema.Schema, name string) string {
	if t := sch.Table(name); t != nil {
		return t.Name
	}
	if v := sch.View(name); v != nil {
		return v.Name
	}
	return name
}

func (c *Conn) createTable(st *ast.CreateTable) (bool, error) {
	name := st.Name.Name.Name
	if st.Temp {
		return false, errorf("temporary tables are not supported yet")
	}
	if err := c.nameInUse(name, "table"); err != nil {
		if st.IfNotExists && !strings.HasPrefix(err.Error(), "there is") {
			return false, nil
		}
		return false, err
	}
	if reservedName(name) {
		return false, errorf("object name reserved for internal use: %s", name)
	}
	if st.AsSelect != nil {
		return c.createTableAs(st)
	}
	t, autos, err := schema.FromCreateTable(st)
	if err != nil {
		return false, err
	}
	if err := t.CheckSupported(); err != nil {
		return false, err
	}
	if err := checkForeignKeyDefs(st); err != nil {
		return false, err
	}
	root, err := c.bt.CreateTable(true)
	if err != nil {
		return false, err
	}
	if err := c.insertSchemaRow("table", name, name, root, schema.StoredSQL(st), true); err != nil {
		return false, err
	}
	for _, ix := range autos {
		r, err := c.bt.CreateIndex()
		if err != nil {
			return false, err
		}
		if err := c.insertSchemaRow("index", ix.Name, name, r, "", false); err != nil {
			return false, err
		}
	}
	if t.Autoincrement && c.sch.Table("sqlite_sequence") == nil {
		r, err := c.bt.CreateTable(true)
		if err != nil {
			return false, err
		}
		if err := c.insertSchemaRow("table", "sqlite_sequence", "sqlite_sequence", r, "CREATE TABLE sqlite_sequence(name,seq)", true); err != nil {
			return false, err
		}
	}
	return true, nil
}

// createTableAs makes a table from a query: its columns are named after
// the result columns and typed by their affinity, as SQLite does.
func (c *Conn) createTableAs(st *ast.CreateTable) (bool, error) {
	_, names, idx, err := compile.Params(st.AsSelect)
	_ = names
	if err != nil {
		return false, err
	}
	cols, affs, err := compile.ResultColumns(st.AsSelect, &compile.Env{Schema: c.sch, Funcs: c.funcs, Params: idx})
	if err != nil {
		return false, err
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(quoteIdent(st.Name.Name.Name))
	b.WriteString("(")
	for i, n := range cols {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(quoteIdent(n))
		switch affs[i] {
		case vdbe.AffinityText:
			b.WriteString(" TEXT")
		case vdbe.AffinityNumeric:
			b.WriteString(" NUM")
		case vdbe.AffinityInteger:
			b.WriteString(" INT")
		case vdbe.AffinityReal:
			b.WriteString(" REAL")
		}
	}
	b.WriteString(")")
	root, err := c.bt.CreateTable(true)
	if err != nil {
		return false, err
	}
	name := st.Name.Name.Name
	if err := c.insertSchemaRow("table", name, name, root, b.String(), true); err != nil {
		return false, err
	}
	// Publish the new table to a temporary schema so the INSERT can compile.
	s, err := c.loadSchema()
	if err != nil {
		return false, err
	}
	s.Cookie = c.sch.Cookie
	ins := &ast.Insert{Table: st.Name, Select: st.AsSelect}
	prog, err := compile.Compile(ins, &compile.Env{Schema: s, Funcs: c.funcs, Params: idx})
	if err != nil {
		return false, err
	}
	return true, c.runProgram(prog)
}

func quoteIdent(s string) string {
	ok := s != ""
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			ok = false
		}
	}
	if ok && !isKeyword(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// runProgram runs a program that returns no rows inside the current
// write transaction.
func (c *Conn) runProgram(prog *vdbe.Program) error {
	vm := vdbe.NewVM(prog)
	vm.DB = c.bt
	vm.Conn = c
	vm.Interrupt = &c.interrupt
	for {
		row, err := vm.Step()
		if err != nil {
			vm.Reset()
			return err
		}
		if !row {
			return nil
		}
	}
}

func (c *Conn) createIndex(st *ast.CreateIndex) (bool, error) {
	name := st.Name.Name.Name
	t := c.sch.Table(st.Table.Name)
	if t == nil {
		if c.sch.View(st.Table.Name) != nil {
			return false, errorf("views may not be indexed")
		}
		return false, errorf("no such table: main.%s", st.Table.Name)
	}
	if err := t.CheckSupported(); err != nil {
		return false, err
	}
	if err := c.nameInUse(name, "index"); err != nil {
		if st.IfNotExists && c.sch.Index(name) != nil {
			return false, nil
		}
		return false, err
	}
	if reservedName(name) {
		return false, errorf("object name reserved for internal use: %s", name)
	}
	if reservedName(t.Name) {
		return false, errorf("table %s may not be indexed", t.Name)
	}
	ix, err := schema.FromCreateIndex(st, t)
	if err != nil {
		return false, err
	}
	root, err := c.bt.CreateIndex()
	if err != nil {
		return false, err
	}
	ix.Root = root
	if err := c.insertSchemaRow("index", name, t.Name, root, schema.StoredSQL(st), true); err != nil {
		return false, err
	}
	prog, err := compile.IndexBuild(t, ix, &compile.Env{Schema: c.sch, Funcs: c.funcs})
	if err != nil {
		return false, err
	}
	if err := c.runProgram(prog); err != nil {
		return false, err
	}
	return true, nil
}

func (c *Conn) reindex(st *ast.Reindex) error {
	var targets []*schema.Index
	name := st.Name.Name.Name
	switch {
	case name == "":
		for _, t := range c.sch.Tables {
			targets = append(targets, t.Indexes...)
		}
	case c.sch.Table(name) != nil:
		targets = c.sch.Table(name).Indexes
	case c.sch.Index(name) != nil:
		targets = []*schema.Index{c.sch.Index(name)}
	default:
		// A collation name rebuilds the indexes that use it.
		found := false
		for _, t := range c.sch.Tables {
			for _, ix := range t.Indexes {
				for _, col := range ix.Columns {
					if strings.EqualFold(col.Collation, name) {
						targets = append(targets, ix)
						found = true
						break
					}
				}
			}
		}
		if !found {
			if _, ok := record.LookupCollation(name); !ok {
				return errorf("unable to identify the object to be reindexed")
			}
		}
	}
	for _, ix := range targets {
		t := c.sch.Table(ix.Table)
		if _, err := c.bt.ClearTable(ix.Root); err != nil {
			return err
		}
		prog, err := compile.IndexBuild(t, ix, &compile.Env{Schema: c.sch, Funcs: c.funcs})
		if err != nil {
			return err
		}
		if err := c.runProgram(prog); err != nil {
			return err
		}
	}
	return nil
}

func (c *Conn) drop(st *ast.Drop) (bool, error) {
	name := st.Name.Name.Name
	sch := c.sch
	missing := func(kind string) (bool, error) {
		if st.IfExists {
			return false, nil
		}
		return false, errorf("no such %s: %s", kind, name)
	}
	switch st.Kind {
	case ast.ObjTable:
		t := sch.Table(name)
		if t == nil {
			if sch.View(name) != nil {
				return false, errorf("use DROP VIEW to delete view %s", name)
			}
			return missing("table")
		}
		if reservedName(t.Name) {
			return false, errorf("table %s may not be dropped", name)
		}
		if err := c.fkDropTable(t); err != nil {
			return false, err
		}
		for _, ix := range t.Indexes {
			if err := c.dropTree(ix.Root); err != nil {
				return false, err
			}
		}
		if err := c.dropTree(t.Root); err != nil {
			return false, err
		}
		if err := c.deleteSchemaRows(func(typ, n, tbl string) bool {
			return strings.EqualFold(tbl, t.Name) && typ != "view"
		}); err != nil {
			return false, err
		}
		if seq := sch.Table("sqlite_sequence"); seq != nil && t.Autoincrement {
			if err := c.deleteSequenceRow(seq.Root, t.Name); err != nil {
				return false, err
			}
		}
	case ast.ObjIndex:
		ix := sch.Index(name)
		if ix == nil {
			return missing("index")
		}
		if ix.SQL == "" {
			return false, errorf("index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped")
		}
		if err := c.dropTree(ix.Root); err != nil {
			return false, err
		}
		if err := c.deleteSchemaRows(func(typ, n, tbl string) bool { return typ == "index" && strings.EqualFold(n, ix.Name) }); err != nil {
			return false, err
		}
	case ast.ObjView:
		if c.tempViews[schema.Key(name)] != nil {
			delete(c.tempViews, schema.Key(name))
			return false, nil
		}
		v := sch.View(name)
		if v == nil {
			if sch.Table(name) != nil {
				return false, errorf("use DROP TABLE to delete table %s", name)
			}
			return missing("view")
		}
		if err := c.deleteSchemaRows(func(typ, n, tbl string) bool {
			return (typ == "view" && strings.EqualFold(n, v.Name)) || (typ == "trigger" && strings.EqualFold(tbl, v.Name))
		}); err != nil {
			return false, err
		}
	case ast.ObjTrigger:
		tr := sch.Trigger(name)
		if tr == nil {
			return missing("trigger")
		}
		if err := c.deleteSchemaRows(func(typ, n, tbl string) bool { return typ == "trigger" && strings.EqualFold(n, tr.Name) }); err != nil {
			return false, err
		}
	}
	return true, nil
}

// dropTree frees a b-tree. In auto_vacuum files the last root moves into
// the freed page, and sqlite_schema is updated to match.
func (c *Conn) dropTree(root uint32) error {
	moved, err := c.bt.DropTable(root)
	if err != nil {
		return err
	}
	if moved != 0 {
		return c.updateSchemaRoot(moved, root)
	}
	return nil
}
