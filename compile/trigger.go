package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// trigCtx is the state of a trigger program being compiled inline into
// the statement that fires it: NEW and OLD read registers, and RAISE
// (IGNORE) abandons the current row.
type trigCtx struct {
	newSrc, oldSrc *source
	ignore         int
	parent         *trigCtx
	name           string
}

// trigRow describes the row a trigger fires for.
type trigRow struct {
	newCols, newRowid int // 0 when there is no NEW row
	oldCols, oldRowid int // 0 when there is no OLD row
	updated           map[int]bool
	skip              int // RAISE(IGNORE) goes here
}

// hasTriggers reports whether t has triggers for event.
func (c *compiler) hasTriggers(t *schema.Table, event ast.TriggerEvent) bool {
	if c.env.NoTriggers && c.trig == nil {
		// Only the statement's own table: the programs it runs (the
		// actions of foreign keys) fire their triggers.
		return false
	}
	for _, tr := range c.sch.TableTriggers(t.Name) {
		if tr.Stmt.Event == event {
			return true
		}
	}
	return false
}

func (c *compiler) triggerActive(name string) bool {
	for t := c.trig; t != nil; t = t.parent {
		if strings.EqualFold(t.name, name) {
			return true
		}
	}
	return false
}

// fireTriggers compiles, inline, the bodies of t's triggers for event at
// time (BEFORE or AFTER), for the row described by row.
func (c *compiler) fireTriggers(t *schema.Table, event ast.TriggerEvent, after bool, row trigRow) error {
	for _, tr := range c.sch.TableTriggers(t.Name) {
		st := tr.Stmt
		if st.Event != event || (st.Time == ast.TriggerAfter) != after || st.Time == ast.TriggerInsteadOf {
			continue
		}
		if event == ast.TriggerUpdate && st.UpdateOf != nil {
			hit := false
			for _, id := range st.UpdateOf {
				if ci := t.ColumnIndex(id.Name); ci >= 0 && row.updated[ci] {
					hit = true
				}
			}
			if !hit {
				continue
			}
		}
		if c.triggerActive(tr.Name) {
			continue // recursive_triggers is off, as by default in SQLite
		}
		ctx := &trigCtx{ignore: row.skip, parent: c.trig, name: tr.Name}
		if row.newCols > 0 {
			ctx.newSrc = tableSource(t, "new")
			ctx.newSrc.regBase, ctx.newSrc.rowidReg = row.newCols, row.newRowid
		}
		if row.oldCols > 0 {
			ctx.oldSrc = tableSource(t, "old")
			ctx.oldSrc.regBase, ctx.oldSrc.rowidReg = row.oldCols, row.oldRowid
		}
		saved := c.trig
		c.trig = ctx
		err := c.triggerBody(st)
		c.trig = saved
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *compiler) triggerBody(st *ast.CreateTrigger) error {
	end := c.newLabel()
	if st.When != nil {
		if err := c.jumpIfFalse(&scope{}, st.When, end); err != nil {
			return err
		}
	}
	for _, s := range st.Body {
		var err error
		switch s := s.(type) {
		case *ast.Insert:
			err = c.compileInsert(s)
		case *ast.Update:
			err = c.compileUpdate(s)
		case *ast.Delete:
			err = c.compileDelete(s)
		case *ast.Select:
			_, err = c.compileSelect(nil, s, &dest{kind: destCallback, fn: func(int, int) error { return nil }})
		}
		if err != nil {
			return err
		}
	}
	c.place(end)
	return nil
}

// resolveTrigger resolves NEW.x and OLD.x inside a trigger program.
func (c *compiler) resolveTrigger(ref *ast.ColumnRef) (resolved, bool) {
	if c.trig == nil {
		return resolved{}, false
	}
	var src *source
	switch {
	case strings.EqualFold(ref.Table.Name, "new"):
		src = c.trig.newSrc
	case strings.EqualFold(ref.Table.Name, "old"):
		src = c.trig.oldSrc
	default:
		return resolved{}, false
	}
	if src == nil {
		return resolved{}, false
	}
	i := src.columnIndex(ref.Column.Name)
	if i < 0 {
		if schema.IsRowidName(ref.Column.Name) {
			return resolved{src: src, col: -1, outer: true}, true
		}
		return resolved{}, false
	}
	if src.table != nil && i == src.table.RowidAlias {
		i = -1
	}
	return resolved{src: src, col: i, outer: true}, true
}

// raise compiles RAISE(): IGNORE abandons the row, the others fail the
// statement with the message.
func (c *compiler) raiseExpr(e *ast.Raise, target int) error {
	if c.trig == nil {
		return errorf("RAISE() may only be used within a trigger-program")
	}
	if e.Action == ast.RaiseIgnore {
		c.emit(vdbe.CodeGoto, 0, c.trig.ignore, 0)
		c.emit(vdbe.CodeNull, 0, target, 0)
		return nil
	}
	msg := ""
	if l, ok := e.Message.(*ast.Literal); ok {
		msg = l.Value
	}
	action := ast.ConflictAbort
	switch e.Action {
	case ast.RaiseRollback:
		action = ast.ConflictRollback
	case ast.RaiseFail:
		action = ast.ConflictFail
	}
	c.halt(resultcode.ConstraintTrigger, action, msg)
	c.emit(vdbe.CodeNull, 0, target, 0)
	return nil
}

// countFlag is the Insert/Delete P5 bit that counts a change: rows changed
// by trigger programs do not count in changes().
func (c *compiler) countFlag() uint16 {
	if c.trig != nil {
		return 0
	}
	return 1
}
