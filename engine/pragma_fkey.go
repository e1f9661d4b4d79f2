package engine

import (
	"sort"
	"strings"

	"github.com/wrendb/wren/compile"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// Foreign keys in the engine: the connection's count of deferred
// violations (Conn.deferredFK, kept by the programs' FkCounter
// instructions) is checked at COMMIT, restored when a statement or a
// savepoint is rolled back and cleared when the transaction ends; DROP
// TABLE of a parent deletes its rows first; and the two PRAGMAs that
// report foreign keys. The statements' own checks are compiled (package
// compile, fkey.go).

func errForeignKey() error {
	return resultcode.New(resultcode.ConstraintForeignKey, "FOREIGN KEY constraint failed")
}

// fkDropTable runs DROP TABLE's implicit DELETE FROM t (without triggers)
// when foreign keys are enforced and t is a parent, or a child of a
// deferred constraint with violations outstanding, so that the rows'
// children are acted on and counted. Immediate violations fail the DROP.
func (c *Conn) fkDropTable(t *schema.Table) error {
	if !c.foreignKeys {
		return nil
	}
	if len(compile.ReferencesTo(c.sch, t.Name)) == 0 {
		deferred := c.deferFKs
		for _, f := range compile.ForeignKeys(t) {
			deferred = deferred || f.Deferred
		}
		if !deferred || c.deferredFK == 0 {
			return nil
		}
	}
	del := &ast.Delete{Table: ast.QualifiedName{Name: ast.Ident{Name: t.Name}}}
	prog, err := compile.Compile(del, &compile.Env{Schema: c.sch, Funcs: c.funcs, ForeignKeys: true, DeferForeignKeys: c.deferFKs, NoTriggers: true})
	if err != nil {
		return err
	}
	saved := c.deferredFK
	vm := vdbe.NewVM(prog)
	vm.DB = c.bt
	vm.Conn = c
	vm.DeferredFK = &c.deferredFK
	vm.Interrupt = &c.interrupt
	vm.TempVFS = tempVFS
	for {
		row, err := vm.Step()
		if err != nil {
			vm.Reset()
			c.deferredFK = saved
			return err
		}
		if !row {
			return nil
		}
	}
}

// pragmaForeignKeyList answers PRAGMA foreign_key_list(t): one row per
// column of each constraint.
func (c *Conn) pragmaForeignKeyList(s *Stmt, table string) error {
	t := c.sch.Table(table)
	if t == nil {
		return nil
	}
	for _, f := range compile.ForeignKeys(t) {
		match := f.Match
		if match == "" {
			match = "NONE"
		}
		for i, ci := range f.From {
			to := record.NullValue()
			if f.To != nil {
				to = tval(f.To[i])
			}
			s.rows = append(s.rows, []record.Value{ival(int64(f.ID)), ival(int64(i)), tval(f.Parent),
				tval(t.Columns[ci].Name), to, tval(compile.ActionName(f.OnUpdate)), tval(compile.ActionName(f.OnDelete)), tval(match)})
		}
	}
	return nil
}

var foreignKeyListColumns = []string{"id", "seq", "table", "from", "to", "on_update", "on_delete", "match"}
var foreignKeyCheckColumns = []string{"table", "rowid", "parent", "fkid"}

// pragmaForeignKeyCheck answers PRAGMA foreign_key_check[(t)]: a row
// (table, rowid, parent, fkid) for each child row whose key is not NULL
// and has no parent, by table, then rowid, then constraint.
func (c *Conn) pragmaForeignKeyCheck(s *Stmt, table string) error {
	var tables []*schema.Table
	if table != "" {
		t := c.sch.Table(table)
		if t == nil {
			return errorf("no such table: %s", table)
		}
		tables = append(tables, t)
	} else {
		var names []string
		for k, t := range c.sch.Tables {
			if t.Stmt != nil {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, k := range names {
			tables = append(tables, c.sch.Tables[k])
		}
	}
	for _, t := range tables {
		type hit struct{ rowid, fk int64 }
		var hits []hit
		fks := compile.ForeignKeys(t)
		for _, f := range fks {
			exists, err := compile.ParentKeyExists(c.sch, f)
			if err != nil {
				return err
			}
			var cond []string
			for _, ci := range f.From {
				cond = append(cond, "c."+quoteIdent(t.Columns[ci].Name)+" IS NOT NULL")
			}
			if exists {
				var eq []string
				for i, ci := range f.From {
					eq = append(eq, "p."+quoteIdent(compile.ParentColumn(c.sch, f, i))+" = c."+quoteIdent(t.Columns[ci].Name))
				}
				cond = append(cond, "NOT EXISTS (SELECT 1 FROM "+quoteIdent(f.Parent)+" AS p WHERE "+strings.Join(eq, " AND ")+")")
			}
			rows, err := c.fkQuery("SELECT c.rowid FROM " + quoteIdent(t.Name) + " AS c WHERE " + strings.Join(cond, " AND "))
			if err != nil {
				return err
			}
			for _, r := range rows {
				hits = append(hits, hit{r[0].Int, int64(f.ID)})
			}
		}
		sort.SliceStable(hits, func(i, j int) bool {
			if hits[i].rowid != hits[j].rowid {
				return hits[i].rowid < hits[j].rowid
			}
			return hits[i].fk < hits[j].fk
		})
		for _, h := range hits {
			var parent string
			for _, f := range fks {
				if int64(f.ID) == h.fk {
					parent = f.Parent
				}
			}
			s.rows = append(s.rows, []record.Value{tval(t.Name), ival(h.rowid), tval(parent), ival(h.fk)})
		}
	}
	return nil
}

// fkQuery runs a query in the current transaction and returns its rows.
func (c *Conn) fkQuery(sql string) ([][]record.Value, error) {
	st, _, err := parser.Parse(sql)
	if err != nil {
		return nil, err
	}
	prog, err := compile.Compile(st, &compile.Env{Schema: c.sch, Funcs: c.funcs})
	if err != nil {
		return nil, err
	}
	vm := vdbe.NewVM(prog)
	vm.DB = c.bt
	vm.Conn = c
	vm.Interrupt = &c.interrupt
	vm.TempVFS = tempVFS
	var out [][]record.Value
	for {
		row, err := vm.Step()
		if err != nil {
			vm.Reset()
			return nil, err
		}
		if !row {
			return out, nil
		}
		var r []record.Value
		for _, m := range vm.Row() {
			r = append(r, m.Value())
		}
		out = append(out, r)
	}
}

// pragmaDeferForeignKeys reads or sets PRAGMA defer_foreign_keys, which
// lasts until the transaction ends (an autocommit statement's included).
func (c *Conn) pragmaDeferForeignKeys(arg string, hasArg bool) (execKind, func(*Stmt) error, []string, error) {
	if hasArg {
		return execTxControl, func(s *Stmt) error {
			if b, ok := pragmaBool(arg); ok {
				c.deferFKs = b
			}
			return nil
		}, nil, nil
	}
	return execTxControl, func(s *Stmt) error {
		v := int64(0)
		if c.deferFKs {
			v = 1
		}
		s.rows = append(s.rows, []record.Value{ival(v)})
		return nil
	}, []string{"defer_foreign_keys"}, nil
}

// checkForeignKeyDefs rejects, at CREATE TABLE, the FOREIGN KEY clauses
// SQLite rejects: a column constraint naming several parent columns, a
// column count that differs from the parent's, an unknown child column.
func checkForeignKeyDefs(st *ast.CreateTable) error {
	for _, col := range st.Columns {
		for _, cc := range col.Constraints {
			if cc.Kind == ast.ConsForeignKey && cc.ForeignKey != nil && len(cc.ForeignKey.Columns) > 1 {
				return errorf("foreign key on %s should reference only one column of table %s", col.Name.Name, cc.ForeignKey.Table.Name)
			}
		}
	}
	for _, tc := range st.Constraints {
		if tc.Kind != ast.ConsForeignKey || tc.ForeignKey == nil {
			continue
		}
		if n := len(tc.ForeignKey.Columns); n > 0 && n != len(tc.FromColumns) {
			return errorf("number of columns in foreign key does not match the number of columns in the referenced table")
		}
		for _, id := range tc.FromColumns {
			found := false
			for _, col := range st.Columns {
				found = found || strings.EqualFold(col.Name.Name, id.Name)
			}
			if !found {
				return errorf("unknown column \"%s\" in foreign key definition", id.Name)
			}
		}
	}
	return nil
}
