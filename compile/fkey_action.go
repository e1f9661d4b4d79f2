package compile

import (
	"fmt"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// The ON DELETE and ON UPDATE actions of foreign keys. As in SQLite, an
// action is a statement on the child table (DELETE for ON DELETE CASCADE,
// UPDATE for the others) run like a trigger after the parent row has been
// written, with OLD and NEW reading the parent row's registers; RESTRICT
// fails at once when a child row still refers to the old key.

// fkActionDepthLimit bounds how deeply ON DELETE/ON UPDATE actions are
// compiled inline (a self-referencing CASCADE nests one level per
// generation of rows), and fkActionOpBudget the size of the program they
// may grow (two self-references double the code at each level). Beyond
// either, a row that would need the action fails with SQLite's
// trigger-depth error instead.
const (
	fkActionDepthLimit = 64
	fkActionOpBudget   = 20000
)

// compileShallower compiles st again with half the nesting of actions,
// after the program outgrew fkActionOpBudget: several self-references
// multiply the code at each level, and a fair cut at a smaller depth
// beats one that leaves some branches shallow.
func compileShallower(st ast.Stmt, env *Env) (*vdbe.Program, error) {
	e := *env
	if e.fkDepthLimit == 0 {
		e.fkDepthLimit = fkActionDepthLimit
	}
	if e.fkDepthLimit <= 1 {
		return nil, errorf("too many levels of trigger recursion")
	}
	e.fkDepthLimit /= 2
	return Compile(st, &e)
}

// fkActions runs the ON DELETE (newRow nil) or ON UPDATE actions of the
// foreign keys that refer to t, after the old row has been replaced or
// removed.
func (c *compiler) fkActions(t *schema.Table, old fkRow, newRow *fkRow, ch *fkChange) error {
	if !c.env.ForeignKeys {
		return nil
	}
	for _, f := range c.fkReferences(t) {
		action := f.OnDelete
		if newRow != nil {
			action = f.OnUpdate
		}
		if action == ast.FKNoAction || action == ast.FKRestrict && c.env.DeferForeignKeys {
			// Under defer_foreign_keys, RESTRICT waits for COMMIT too.
			continue
		}
		pk, err := locateParent(c.sch, f)
		if err != nil {
			return err
		}
		if pk == nil || !ch.parentModified(t, f, pk) {
			continue
		}
		if err := c.fkAction(t, f, pk, action, old, newRow); err != nil {
			return err
		}
	}
	return nil
}

func (c *compiler) fkAction(t *schema.Table, f *ForeignKey, pk *parentKey, action ast.FKAction, old fkRow, newRow *fkRow) error {
	end := c.newLabel()
	if newRow != nil {
		// ON UPDATE acts only when the parent key really changed.
		changed := c.newLabel()
		for i := range f.From {
			r := c.reg()
			c.emit(vdbe.CodeCopy, old.reg(t, pk.cols[i]), r, 0)
			c.emitP4(vdbe.CodeIsNot, newRow.reg(t, pk.cols[i]), changed, r, vdbe.P4{})
		}
		c.emit(vdbe.CodeGoto, 0, end, 0)
		c.place(changed)
	}
	if c.fkDepth == 0 {
		c.fkBase = len(c.ops)
	}
	limit := c.env.fkDepthLimit
	if limit == 0 {
		limit = fkActionDepthLimit
	}
	if len(c.ops)-c.fkBase > fkActionOpBudget {
		c.fkCut = true
	}
	if action == ast.FKRestrict || c.fkDepth >= limit || c.fkCut {
		code, msg := resultcode.ConstraintTrigger, fkError
		if action != ast.FKRestrict {
			code, msg = resultcode.Error, "too many levels of trigger recursion"
		}
		err := c.fkScanChildren(f, pk, old, 1, func() {
			c.halt(code, ast.ConflictAbort, msg)
		})
		c.place(end)
		return err
	}
	child := f.Child
	where := fkChildMatch(f, pk, child.Name, "old")
	var st ast.Stmt
	target := ast.QualifiedName{Name: ast.Ident{Name: child.Name}}
	switch {
	case action == ast.FKCascade && newRow == nil:
		st = &ast.Delete{Table: target, Where: where}
	default:
		up := &ast.Update{Table: target, Where: where}
		for i, ci := range f.From {
			var v ast.Expr
			switch action {
			case ast.FKCascade:
				v = &ast.ColumnRef{Table: ast.Ident{Name: "new"}, Column: ast.Ident{Name: pk.columnName(i)}}
			case ast.FKSetDefault:
				v = child.Columns[ci].Default
			}
			if v == nil {
				v = &ast.Literal{Kind: ast.LitNull, Raw: "NULL"}
			}
			up.Set = append(up.Set, ast.SetClause{Columns: []ast.Ident{{Name: child.Columns[ci].Name}}, Value: v})
		}
		st = up
	}
	ctx := &trigCtx{ignore: end, parent: c.trig, name: fmt.Sprintf("\x00fk %s %d", child.Name, f.ID)}
	ctx.oldSrc = tableSource(t, "old")
	ctx.oldSrc.regBase, ctx.oldSrc.rowidReg = old.cols, old.rowid
	if newRow != nil {
		ctx.newSrc = tableSource(t, "new")
		ctx.newSrc.regBase, ctx.newSrc.rowidReg = newRow.cols, newRow.rowid
	}
	saved := c.trig
	c.trig = ctx
	c.fkDepth++
	var err error
	switch st := st.(type) {
	case *ast.Delete:
		err = c.compileDelete(st)
	case *ast.Update:
		err = c.compileUpdate(st)
	}
	c.fkDepth--
	c.trig = saved
	c.place(end)
	return err
}
