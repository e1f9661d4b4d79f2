package compile

import (
	"fmt"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// writeTarget is the table a DML statement changes, with a cursor on it
// and on each of its indexes.
type writeTarget struct {
	t       *schema.Table
	cur     int
	idxCurs []int
	// fkOld is the old row of an UPDATE whose foreign keys are checked
	// just before it is overwritten (fkey.go); fkOld.cols is 0 when none.
	fkOld    fkRow
	fkChange *fkChange
	// fkNew checks the foreign keys of a single-row INSERT's new row
	// just before it is written (fkey.go, fkSingleInsert); nil when none.
	fkNew func() error
}

// writeTarget starts a statement that writes table name: it brings the
// statement's WITH clause into scope (pop takes it out again), finds the
// table and marks the program as one that writes and counts changes.
func (c *compiler) writeTarget(with *ast.With, name ast.QualifiedName) (t *schema.Table, pop func(), err error) {
	pop, err = c.pushWith(with)
	if err != nil {
		return nil, nil, err
	}
	t, err = c.targetTable(name)
	if err != nil {
		pop()
		return nil, nil, err
	}
	c.writes = true
	c.prog.CountChanges = true
	return t, pop, nil
}

func (c *compiler) targetTable(name ast.QualifiedName) (*schema.Table, error) {
	n := name.Name.Name
	if name.Schema.Name != "" && !strings.EqualFold(name.Schema.Name, "main") {
		return nil, errorf("unknown database %s", name.Schema.Name)
	}
	t := c.sch.Table(n)
	if t == nil {
		if c.sch.View(n) != nil {
			for _, tr := range c.sch.TableTriggers(n) {
				if tr.Stmt.Time == ast.TriggerInsteadOf {
					return nil, errorf("INSTEAD OF triggers are not supported yet")
				}
			}
			return nil, errorf("cannot modify %s because it is a view", n)
		}
		return nil, errorf("no such table: %s", n)
	}
	if strings.EqualFold(t.Name, "sqlite_schema") {
		return nil, errorf("table sqlite_master may not be modified")
	}
	if err := t.CheckSupported(); err != nil {
		return nil, err
	}
	return t, nil
}

func (c *compiler) openTarget(t *schema.Table) (*writeTarget, error) {
	w := &writeTarget{t: t, cur: c.cursor()}
	c.emit(vdbe.CodeOpenWrite, w.cur, int(t.Root), len(t.Columns))
	for _, ix := range t.Indexes {
		cur := c.cursor()
		ki, err := c.indexKeyInfo(ix)
		if err != nil {
			return nil, err
		}
		c.emitP4(vdbe.CodeOpenWrite, cur, int(ix.Root), len(ix.Columns)+1, vdbe.P4{KeyInfo: ki})
		w.idxCurs = append(w.idxCurs, cur)
	}
	return w, nil
}

func tableAffinity(t *schema.Table) string {
	b := make([]byte, len(t.Columns))
	for i, col := range t.Columns {
		b[i] = byte(col.Affinity)
	}
	return string(b)
}

func actionOf(stmtOr, cons ast.ConflictAction) ast.ConflictAction {
	if stmtOr != ast.ConflictDefault {
		return stmtOr
	}
	if cons != ast.ConflictDefault {
		return cons
	}
	return ast.ConflictAbort
}

func (c *compiler) compileInsert(s *ast.Insert) error {
	if len(s.Upserts) > 0 {
		return errorf("UPSERT is not supported yet")
	}
	if len(s.Returning) > 0 {
		return errorf("RETURNING is not supported yet")
	}
	t, pop, err := c.writeTarget(s.With, s.Table)
	if err != nil {
		return err
	}
	defer pop()
	onError := s.Or
	if s.Verb == ast.VerbReplace {
		onError = ast.ConflictReplace
	}
	// Map the statement's columns to table columns (-1: the rowid).
	var target []int
	if s.Columns != nil {
		seen := map[int]bool{}
		for _, id := range s.Columns {
			ci := t.ColumnIndex(id.Name)
			if ci < 0 {
				if t.IsRowidName(id.Name) {
					ci = -1
				} else {
					return errorf("table %s has no column named %s", t.Name, id.Name)
				}
			}
			if ci >= 0 && ci == t.RowidAlias {
				ci = -1
			}
			if seen[ci] {
				continue
			}
			seen[ci] = true
			target = append(target, ci)
		}
	} else {
		for i := range t.Columns {
			if i == t.RowidAlias {
				target = append(target, -1)
			} else {
				target = append(target, i)
			}
		}
	}
	nVals := len(target)
	if s.Columns != nil {
		nVals = len(s.Columns)
	}
	checkCount := func(n int) error {
		if n != nVals {
			if s.Columns == nil {
				return errorf("table %s has %d columns but %d values were supplied", t.Name, len(t.Columns), n)
			}
			return errorf("%d values for %d columns", n, nVals)
		}
		return nil
	}
	w, err := c.openTarget(t)
	if err != nil {
		return err
	}
	n := len(t.Columns)
	rowid := c.reg()
	cols := c.regs(n)
	seq := c.loadSequence(t)
	// fill loads one row's values (value i from get(i)) and inserts it.
	fill := func(get func(i int, target int) error) error {
		skip := c.newLabel()
		provided := map[int]int{}
		if get != nil {
			for i, ci := range target {
				provided[ci] = i
			}
		}
		for i := 0; i < n; i++ {
			if i == t.RowidAlias {
				c.emit(vdbe.CodeNull, 0, cols+i, 0)
				continue
			}
			if k, ok := provided[i]; ok {
				if err := get(k, cols+i); err != nil {
					return err
				}
			} else if err := c.defaultValue(t, i, cols+i); err != nil {
				return err
			}
		}
		if k, ok := provided[-1]; ok {
			if err := get(k, rowid); err != nil {
				return err
			}
			auto, done := c.newLabel(), c.newLabel()
			c.emit(vdbe.CodeIsNull, rowid, auto, 0)
			c.emit(vdbe.CodeMustBeInt, rowid, 0, 0)
			c.emit(vdbe.CodeGoto, 0, done, 0)
			c.place(auto)
			c.emit(vdbe.CodeNewRowid, w.cur, rowid, 0)
			c.place(done)
		} else {
			c.emit(vdbe.CodeNewRowid, w.cur, rowid, seq.regOrZero())
		}
		if seq != nil {
			// AUTOINCREMENT remembers the largest rowid ever used.
			keep := c.newLabel()
			c.emitP4(vdbe.CodeLe, rowid, keep, seq.reg, vdbe.P4{})
			c.emit(vdbe.CodeCopy, rowid, seq.reg, 1)
			c.place(keep)
		}
		if t.RowidAlias >= 0 {
			c.emit(vdbe.CodeCopy, rowid, cols+t.RowidAlias, 1)
		}
		trig := c.hasTriggers(t, ast.TriggerInsert)
		row := trigRow{newCols: cols, newRowid: rowid, skip: skip}
		if trig {
			if err := c.fireTriggers(t, ast.TriggerInsert, false, row); err != nil {
				return err
			}
		}
		newRow := fkRow{cols: cols, rowid: rowid}
		single := c.noAbort && c.fkSingleInsert(t)
		if single {
			w.fkNew = func() error { return c.fkCheckSingleInsert(t, newRow) }
		}
		err := c.writeRow(w, rowid, cols, onError, skip, -1, true)
		w.fkNew = nil
		if err != nil {
			return err
		}
		if !single && c.fkEnabled(t) {
			if err := c.fkCheckNew(t, newRow, nil); err != nil {
				return err
			}
		}
		if trig {
			if err := c.fireTriggers(t, ast.TriggerInsert, true, row); err != nil {
				return err
			}
		}
		c.place(skip)
		return nil
	}
	defer func() {
		if seq != nil {
			c.saveSequence(t, seq)
		}
	}()
	switch {
	case s.DefaultValues:
		return fill(nil)
	case s.Select != nil && s.Select.Core.Values != nil && len(s.Select.Compounds) == 0 && s.Select.OrderBy == nil && s.Select.Limit == nil && s.Select.With == nil:
		sc := &scope{}
		if len(s.Select.Core.Values) == 1 && !c.hasTriggers(t, ast.TriggerInsert) && onError != ast.ConflictReplace && !hasReplaceConstraint(t) && c.trig == nil {
			// All checks of one row come before its first write.
			c.noAbort = true
		}
		for _, row := range s.Select.Core.Values {
			if err := checkCount(len(row)); err != nil {
				return err
			}
			row := row
			if err := fill(func(i, r int) error { return c.expr(sc, row[i], r) }); err != nil {
				return err
			}
		}
		return nil
	default:
		// Materialize the query first: it may read the table being written.
		tmp := c.cursor()
		c.emit(vdbe.CodeOpenEphemeral, tmp, nVals, 0)
		info, err := c.compileSelect(nil, s.Select, &dest{kind: destTable, cursor: tmp})
		if err != nil {
			return err
		}
		if err := checkCount(len(info.names)); err != nil {
			return err
		}
		done := c.newLabel()
		c.emit(vdbe.CodeRewind, tmp, done, 0)
		top := c.addr()
		if err := fill(func(i, r int) error {
			c.emit(vdbe.CodeColumn, tmp, i, r)
			return nil
		}); err != nil {
			return err
		}
		c.emit(vdbe.CodeNext, tmp, top, 0)
		c.place(done)
		return nil
	}
}

// defaultValue loads column i's DEFAULT (or NULL) into r.
func (c *compiler) defaultValue(t *schema.Table, i int, r int) error {
	d := t.Columns[i].Default
	if d == nil {
		c.emit(vdbe.CodeNull, 0, r, 0)
		return nil
	}
	return c.expr(&scope{}, d, r)
}

// rowScope is a scope whose only source is t read from registers.
func rowScope(t *schema.Table, cols, rowid int) *scope {
	src := tableSource(t, "")
	src.regBase = cols
	src.rowidReg = rowid
	return &scope{srcs: []*source{src}}
}

// indexKey evaluates index ix's key for the row in registers (or, with
// sc reading a cursor, for the row under it) into n+1 registers, the last
// being the rowid.
func (c *compiler) indexKey(sc *scope, ix *schema.Index, rowid int) (int, error) {
	n := len(ix.Columns)
	key := c.regs(n + 1)
	src := sc.srcs[0]
	for i, ic := range ix.Columns {
		switch {
		case ic.Column == -2:
			if err := c.expr(sc, ic.Expr, key+i); err != nil {
				return 0, err
			}
		case ic.Column == -1 || ic.Column == src.table.RowidAlias:
			// An INTEGER PRIMARY KEY column is the rowid: its field in
			// the table record is NULL.
			c.emit(vdbe.CodeCopy, rowid, key+i, 1)
		default:
			c.loadColumn(src, ic.Column, key+i)
		}
	}
	c.emit(vdbe.CodeCopy, rowid, key+n, 1)
	return key, nil
}

func constraintName(t *schema.Table, ix *schema.Index) string {
	var parts []string
	for _, ic := range ix.Columns {
		if ic.Column >= 0 {
			parts = append(parts, t.Name+"."+t.Columns[ic.Column].Name)
		} else if ic.Column == -1 {
			parts = append(parts, t.Name+".rowid")
		} else {
			parts = append(parts, "index '"+ix.Name+"'")
			return strings.Join(parts[len(parts)-1:], "")
		}
	}
	return strings.Join(parts, ", ")
}

func (c *compiler) halt(code resultcode.Code, action ast.ConflictAction, msg string) {
	c.emitP4(vdbe.CodeHalt, int(code), int(action), 0, vdbe.P4{Str: msg})
}

// writeRow checks the constraints of the row in registers cols/rowid and
// writes it with its index entries. oldRowid > 0 is the register of the
// row's old rowid in an UPDATE (its own index entries are not conflicts,
// and have been removed by the caller when the checks pass). skip is where
// an IGNORE goes.
func (c *compiler) writeRow(w *writeTarget, rowid, cols int, onError ast.ConflictAction, skip int, oldRowid int, isInsert bool) error {
	t := w.t
	n := len(t.Columns)
	c.emitP4(vdbe.CodeAffinity, cols, n, 0, vdbe.P4{Str: tableAffinity(t)})
	if t.RowidAlias >= 0 {
		c.emit(vdbe.CodeCopy, rowid, cols+t.RowidAlias, 1)
	}
	// NOT NULL.
	for i, col := range t.Columns {
		if !col.NotNull || i == t.RowidAlias {
			continue
		}
		act := actionOf(onError, col.NotNullConflict)
		ok := c.newLabel()
		c.emit(vdbe.CodeNotNull, cols+i, ok, 0)
		msg := fmt.Sprintf("NOT NULL constraint failed: %s.%s", t.Name, col.Name)
		switch act {
		case ast.ConflictIgnore:
			c.emit(vdbe.CodeGoto, 0, skip, 0)
		case ast.ConflictReplace:
			if col.Default != nil {
				if err := c.defaultValue(t, i, cols+i); err != nil {
					return err
				}
				c.emitP4(vdbe.CodeAffinity, cols+i, 1, 0, vdbe.P4{Str: string(rune(col.Affinity))})
				c.emit(vdbe.CodeNotNull, cols+i, ok, 0)
			}
			c.halt(resultcode.ConstraintNotNull, ast.ConflictAbort, msg)
		default:
			c.halt(resultcode.ConstraintNotNull, act, msg)
		}
		c.place(ok)
	}
	// STRICT column types, after NOT NULL as in SQLite.
	if t.Strict {
		for i, col := range t.Columns {
			if i == t.RowidAlias || col.StrictType == "ANY" {
				continue
			}
			c.emitP4(vdbe.CodeTypeCheck, cols+i, int(col.StrictKind()), 0,
				vdbe.P4{Str: fmt.Sprintf("%s column %s.%s", col.StrictType, t.Name, col.Name)})
		}
	}
	// CHECK.
	rsc := rowScope(t, cols, rowid)
	for _, chk := range t.Checks {
		ok := c.newLabel()
		r, err := c.exprReg(rsc, chk.Expr)
		if err != nil {
			return err
		}
		c.emit(vdbe.CodeIf, r, ok, 1)
		name := chk.Name
		if name == "" {
			name = ast.String(chk.Expr)
		}
		act := actionOf(onError, ast.ConflictDefault)
		if act == ast.ConflictIgnore {
			c.emit(vdbe.CodeGoto, 0, skip, 0)
		} else {
			if act == ast.ConflictReplace {
				act = ast.ConflictAbort
			}
			c.halt(resultcode.ConstraintCheck, act, "CHECK constraint failed: "+name)
		}
		c.place(ok)
	}
	// The rowid must be new (a rowid of an UPDATE that did not change is
	// its own).
	{
		ok := c.newLabel()
		if oldRowid > 0 {
			c.emitP4(vdbe.CodeEq, rowid, ok, oldRowid, vdbe.P4{})
		} else if isInsert {
			// An INSERT's NewRowid never conflicts; an explicit rowid may.
		}
		c.emit(vdbe.CodeSeekRowid, w.cur, ok, rowid)
		pkAct := onError
		if pkAct == ast.ConflictDefault {
			pkAct = ast.ConflictAbort
			if t.RowidAlias >= 0 {
				for _, cc := range t.Stmt.Columns[t.RowidAlias].Constraints {
					if cc.Kind == ast.ConsPrimaryKey && cc.OnConflict != ast.ConflictDefault {
						pkAct = cc.OnConflict
					}
				}
			}
		}
		name := t.Name + ".rowid"
		if t.RowidAlias >= 0 {
			name = t.Name + "." + t.Columns[t.RowidAlias].Name
		}
		switch pkAct {
		case ast.ConflictIgnore:
			c.emit(vdbe.CodeGoto, 0, skip, 0)
		case ast.ConflictReplace:
			if err := c.deleteCurrentRow(w, rowid); err != nil {
				return err
			}
		default:
			c.halt(resultcode.ConstraintPrimaryKey, pkAct, "UNIQUE constraint failed: "+name)
		}
		c.place(ok)
	}
	// UNIQUE indexes, and the keys of every index.
	keys := make([]int, len(t.Indexes))
	partialSkip := make([]int, len(t.Indexes))
	for i, ix := range t.Indexes {
		partialSkip[i] = -1
		if ix.Partial != nil {
			partialSkip[i] = c.newLabel()
		}
	}
	for i, ix := range t.Indexes {
		key, err := c.indexKey(rsc, ix, rowid)
		if err != nil {
			return err
		}
		keys[i] = key
		if !ix.Unique {
			continue
		}
		ok := c.newLabel()
		if ix.Partial != nil {
			r, err := c.exprReg(rsc, ix.Partial)
			if err != nil {
				return err
			}
			c.emit(vdbe.CodeIfNot, r, ok, 1)
		}
		nk := len(ix.Columns)
		c.emitP4(vdbe.CodeNoConflict, w.idxCurs[i], ok, key, vdbe.P4{Int: int64(nk)})
		other := c.reg()
		c.emit(vdbe.CodeIdxRowid, w.idxCurs[i], other, 0)
		if oldRowid > 0 {
			c.emitP4(vdbe.CodeEq, other, ok, oldRowid, vdbe.P4{})
		}
		act := actionOf(onError, ix.OnConflict)
		code := resultcode.ConstraintUnique
		if ix.Origin == "pk" {
			code = resultcode.ConstraintPrimaryKey
		}
		switch act {
		case ast.ConflictIgnore:
			c.emit(vdbe.CodeGoto, 0, skip, 0)
		case ast.ConflictReplace:
			c.emit(vdbe.CodeSeekRowid, w.cur, ok, other)
			if err := c.deleteCurrentRow(w, other); err != nil {
				return err
			}
		default:
			c.halt(code, act, "UNIQUE constraint failed: "+constraintName(t, ix))
		}
		c.place(ok)
	}
	if w.fkOld.cols > 0 {
		if err := c.fkCheckOld(t, w.fkOld, w.fkChange); err != nil {
			return err
		}
	}
	if w.fkNew != nil {
		if err := w.fkNew(); err != nil {
			return err
		}
	}
	return c.finishWrite(w, rowid, cols, keys, oldRowid, isInsert)
}

// finishWrite removes an UPDATE's old row and index entries and writes
// the new ones.
func (c *compiler) finishWrite(w *writeTarget, rowid, cols int, keys []int, oldRowid int, isInsert bool) error {
	t := w.t
	if oldRowid > 0 {
		gone := c.newLabel()
		c.emit(vdbe.CodeSeekRowid, w.cur, gone, oldRowid)
		if err := c.deleteIndexEntries(w, oldRowid); err != nil {
			return err
		}
		same := c.newLabel()
		c.emitP4(vdbe.CodeEq, rowid, same, oldRowid, vdbe.P4{})
		c.emit(vdbe.CodeDelete, w.cur, 0, 0)
		c.place(same)
		c.place(gone)
	}
	rsc := rowScope(t, cols, rowid)
	for i, ix := range t.Indexes {
		skip := c.newLabel()
		if ix.Partial != nil {
			r, err := c.exprReg(rsc, ix.Partial)
			if err != nil {
				return err
			}
			c.emit(vdbe.CodeIfNot, r, skip, 1)
		}
		rec := c.reg()
		c.emit(vdbe.CodeMakeRecord, keys[i], len(ix.Columns)+1, rec)
		c.emit(vdbe.CodeIdxInsert, w.idxCurs[i], rec, 0)
		c.place(skip)
	}
	n := len(t.Columns)
	rec := c.reg()
	if t.RowidAlias >= 0 {
		c.emit(vdbe.CodeNull, 0, cols+t.RowidAlias, 0)
	}
	c.emit(vdbe.CodeMakeRecord, cols, n, rec)
	p5 := c.countFlag()
	if isInsert && c.trig == nil {
		p5 |= 2
	}
	i := c.emit(vdbe.CodeInsert, w.cur, rec, rowid)
	c.ops[i].P5 = p5
	if t.RowidAlias >= 0 {
		c.emit(vdbe.CodeCopy, rowid, cols+t.RowidAlias, 1)
	}
	return nil
}

// deleteIndexEntries removes the index entries of the row under w.cur.
func (c *compiler) deleteIndexEntries(w *writeTarget, rowid int) error {
	src := tableSource(w.t, "")
	src.cursor = w.cur
	sc := &scope{srcs: []*source{src}}
	for i, ix := range w.t.Indexes {
		skip := c.newLabel()
		if ix.Partial != nil {
			r, err := c.exprReg(sc, ix.Partial)
			if err != nil {
				return err
			}
			c.emit(vdbe.CodeIfNot, r, skip, 1)
		}
		key, err := c.indexKey(sc, ix, rowid)
		if err != nil {
			return err
		}
		c.emit(vdbe.CodeIdxDelete, w.idxCurs[i], key, len(ix.Columns)+1)
		c.place(skip)
	}
	return nil
}

// deleteCurrentRow deletes the row under w.cur (whose rowid is in the
// register rowid) with its index entries: REPLACE's conflict resolution.
func (c *compiler) deleteCurrentRow(w *writeTarget, rowid int) error {
	r := c.reg()
	c.emit(vdbe.CodeCopy, rowid, r, 1)
	fk := c.fkEnabled(w.t)
	var old fkRow
	if fk {
		// REPLACE's delete is a delete for foreign keys too.
		row := c.loadOldRow(w, w.cur, r, 0)
		old = fkRow{cols: row.oldCols, rowid: r}
		if err := c.fkCheckOld(w.t, old, nil); err != nil {
			return err
		}
	}
	if err := c.deleteIndexEntries(w, r); err != nil {
		return err
	}
	c.emit(vdbe.CodeDelete, w.cur, 0, 0)
	if fk {
		return c.fkActions(w.t, old, nil, nil)
	}
	return nil
}

// collectRowids runs the WHERE loop of an UPDATE or DELETE and stores the
// matching rowids in a temporary table, so that the changes cannot disturb
// the scan.
func (c *compiler) collectRowids(sc *scope, where ast.Expr, orderBy []ast.OrderingTerm, limit, offset ast.Expr) (int, error) {
	if orderBy != nil || limit != nil {
		return 0, errorf("ORDER BY and LIMIT on UPDATE and DELETE are not supported")
	}
	set := c.cursor()
	c.emit(vdbe.CodeOpenEphemeral, set, 0, 0)
	src := sc.srcs[0]
	err := c.whereLoops(sc, where, func() error {
		r, rec := c.reg(), c.reg()
		c.emit(vdbe.CodeRowid, src.cursor, r, 0)
		c.emit(vdbe.CodeMakeRecord, r, 0, rec)
		c.emit(vdbe.CodeInsert, set, rec, r)
		return nil
	})
	return set, err
}

func (c *compiler) compileDelete(s *ast.Delete) error {
	if len(s.Returning) > 0 {
		return errorf("RETURNING is not supported yet")
	}
	t, pop, err := c.writeTarget(s.With, s.Table)
	if err != nil {
		return err
	}
	defer pop()
	src := tableSource(t, s.Alias.Name)
	src.cursor = c.cursor()
	sc := &scope{srcs: []*source{src}}
	if s.Where != nil && hasAggregate(c, s.Where) {
		return errorf("misuse of aggregate: %s()", firstAggregateName(c, s.Where))
	}
	set, err := c.collectRowids(sc, s.Where, s.OrderBy, s.Limit, s.Offset)
	if err != nil {
		return err
	}
	w, err := c.openTarget(t)
	if err != nil {
		return err
	}
	done := c.newLabel()
	c.emit(vdbe.CodeRewind, set, done, 0)
	top := c.addr()
	r := c.reg()
	next := c.newLabel()
	c.emit(vdbe.CodeRowid, set, r, 0)
	c.emit(vdbe.CodeSeekRowid, w.cur, next, r)
	trig := c.hasTriggers(t, ast.TriggerDelete)
	var row trigRow
	if trig {
		row = c.loadOldRow(w, w.cur, r, next)
		if err := c.fireTriggers(t, ast.TriggerDelete, false, row); err != nil {
			return err
		}
		c.emit(vdbe.CodeSeekRowid, w.cur, next, r)
	}
	fk := c.fkEnabled(t)
	var fkOld fkRow
	if fk {
		if !trig {
			row = c.loadOldRow(w, w.cur, r, next)
		}
		fkOld = fkRow{cols: row.oldCols, rowid: r}
		if err := c.fkCheckOld(t, fkOld, nil); err != nil {
			return err
		}
	}
	if err := c.deleteIndexEntries(w, r); err != nil {
		return err
	}
	i := c.emit(vdbe.CodeDelete, w.cur, 0, 0)
	c.ops[i].P5 = c.countFlag()
	if fk {
		if err := c.fkActions(t, fkOld, nil, nil); err != nil {
			return err
		}
	}
	if trig {
		if err := c.fireTriggers(t, ast.TriggerDelete, true, row); err != nil {
			return err
		}
	}
	c.place(next)
	c.emit(vdbe.CodeNext, set, top, 0)
	c.place(done)
	return nil
}

func (c *compiler) compileUpdate(s *ast.Update) error {
	if len(s.Returning) > 0 {
		return errorf("RETURNING is not supported yet")
	}
	if s.From != nil {
		return errorf("UPDATE FROM is not supported yet")
	}
	t, pop, err := c.writeTarget(s.With, s.Table)
	if err != nil {
		return err
	}
	defer pop()
	src := tableSource(t, s.Alias.Name)
	src.cursor = c.cursor()
	sc := &scope{srcs: []*source{src}}
	// Which columns are set, and to what.
	set := map[int]ast.Expr{}
	var rowidExpr ast.Expr
	for _, sc := range s.Set {
		if len(sc.Columns) != 1 {
			return errorf("row value misused")
		}
		name := sc.Columns[0].Name
		ci := t.ColumnIndex(name)
		if ci < 0 {
			if t.IsRowidName(name) {
				rowidExpr = sc.Value
				continue
			}
			return errorf("no such column: %s", name)
		}
		if ci == t.RowidAlias {
			rowidExpr = sc.Value
			continue
		}
		set[ci] = sc.Value
	}
	for _, e := range set {
		if hasAggregate(c, e) {
			return errorf("misuse of aggregate: %s()", firstAggregateName(c, e))
		}
	}
	rows, err := c.collectRowids(sc, s.Where, s.OrderBy, s.Limit, s.Offset)
	if err != nil {
		return err
	}
	w, err := c.openTarget(t)
	if err != nil {
		return err
	}
	n := len(t.Columns)
	old, newRowid, cols := c.reg(), c.reg(), c.regs(n)
	done := c.newLabel()
	c.emit(vdbe.CodeRewind, rows, done, 0)
	top := c.addr()
	next := c.newLabel()
	c.emit(vdbe.CodeRowid, rows, old, 0)
	c.emit(vdbe.CodeSeekRowid, src.cursor, next, old)
	for i := 0; i < n; i++ {
		if e, ok := set[i]; ok {
			if err := c.expr(sc, e, cols+i); err != nil {
				return err
			}
		} else if i != t.RowidAlias {
			c.loadColumn(src, i, cols+i)
			if t.Columns[i].Affinity == vdbe.AffinityReal {
				// Stored REALs come back as REAL already.
			}
		}
	}
	if rowidExpr != nil {
		if err := c.expr(sc, rowidExpr, newRowid); err != nil {
			return err
		}
		c.emit(vdbe.CodeMustBeInt, newRowid, 0, 0)
	} else {
		c.emit(vdbe.CodeCopy, old, newRowid, 1)
	}
	onError := s.Or
	skip := next
	trig := c.hasTriggers(t, ast.TriggerUpdate)
	var row trigRow
	if trig {
		row = c.loadOldRow(w, src.cursor, old, next)
		row.newCols, row.newRowid = cols, newRowid
		row.updated = map[int]bool{}
		for ci := range set {
			row.updated[ci] = true
		}
		if rowidExpr != nil && t.RowidAlias >= 0 {
			row.updated[t.RowidAlias] = true
		}
		if t.RowidAlias >= 0 {
			c.emit(vdbe.CodeCopy, newRowid, cols+t.RowidAlias, 1)
		}
		if err := c.fireTriggers(t, ast.TriggerUpdate, false, row); err != nil {
			return err
		}
	}
	fkCh := &fkChange{cols: map[int]bool{}, rowid: rowidExpr != nil}
	for ci := range set {
		fkCh.cols[ci] = true
	}
	fk := c.fkEnabled(t)
	if fk {
		if !trig {
			row = c.loadOldRow(w, src.cursor, old, next)
		}
		w.fkOld, w.fkChange = fkRow{cols: row.oldCols, rowid: old}, fkCh
	}
	if err := c.writeRow(w, newRowid, cols, onError, skip, old, false); err != nil {
		return err
	}
	if fk {
		newRow := fkRow{cols: cols, rowid: newRowid}
		if err := c.fkCheckNew(t, newRow, fkCh); err != nil {
			return err
		}
		if err := c.fkActions(t, w.fkOld, &newRow, fkCh); err != nil {
			return err
		}
	}
	if trig {
		if err := c.fireTriggers(t, ast.TriggerUpdate, true, row); err != nil {
			return err
		}
	}
	c.place(next)
	c.emit(vdbe.CodeNext, rows, top, 0)
	c.place(done)
	return nil
}

// loadOldRow copies the row under w.cur (rowid in register rowid) into
// registers for the OLD row of triggers.
func (c *compiler) loadOldRow(w *writeTarget, cur int, rowid int, skip int) trigRow {
	t := w.t
	cols := c.regs(len(t.Columns))
	src := tableSource(t, "")
	src.cursor = cur
	for i := range t.Columns {
		if i == t.RowidAlias {
			c.emit(vdbe.CodeCopy, rowid, cols+i, 1)
			continue
		}
		c.loadColumn(src, i, cols+i)
	}
	return trigRow{oldCols: cols, oldRowid: rowid, skip: skip}
}

// hasReplaceConstraint reports whether a constraint of t resolves
// conflicts by REPLACE, which deletes rows before the checks are over.
func hasReplaceConstraint(t *schema.Table) bool {
	for _, ix := range t.Indexes {
		if ix.OnConflict == ast.ConflictReplace {
			return true
		}
	}
	for _, col := range t.Columns {
		if col.NotNullConflict == ast.ConflictReplace {
			return true
		}
	}
	if t.RowidAlias >= 0 && t.Stmt != nil {
		for _, cc := range t.Stmt.Columns[t.RowidAlias].Constraints {
			if cc.Kind == ast.ConsPrimaryKey && cc.OnConflict == ast.ConflictReplace {
				return true
			}
		}
	}
	return false
}

// sequence is the sqlite_sequence row of an AUTOINCREMENT table, read at
// the start of an INSERT and written back at its end.
type sequence struct {
	cur        int
	reg        int // the largest rowid used so far
	rowidOfRow int // the row's rowid in sqlite_sequence, NULL when absent
	name       int
}

func (q *sequence) regOrZero() int {
	if q == nil {
		return 0
	}
	return q.reg
}

func (c *compiler) loadSequence(t *schema.Table) *sequence {
	st := c.sch.Table("sqlite_sequence")
	if !t.Autoincrement || st == nil {
		return nil
	}
	q := &sequence{cur: c.cursor(), reg: c.reg(), rowidOfRow: c.reg(), name: c.reg()}
	c.emit(vdbe.CodeOpenWrite, q.cur, int(st.Root), 2)
	c.emit(vdbe.CodeInteger, 0, q.reg, 0)
	c.emit(vdbe.CodeNull, 0, q.rowidOfRow, 0)
	c.loadConst(q.name, record.TextValue(t.Name))
	done := c.newLabel()
	c.emit(vdbe.CodeRewind, q.cur, done, 0)
	top := c.addr()
	next := c.newLabel()
	r := c.reg()
	c.emit(vdbe.CodeColumn, q.cur, 0, r)
	c.emitP4(vdbe.CodeNe, r, next, q.name, vdbe.P4{})
	c.emit(vdbe.CodeColumn, q.cur, 1, q.reg)
	c.emit(vdbe.CodeRowid, q.cur, q.rowidOfRow, 0)
	c.emit(vdbe.CodeGoto, 0, done, 0)
	c.place(next)
	c.emit(vdbe.CodeNext, q.cur, top, 0)
	c.place(done)
	return q
}

func (c *compiler) saveSequence(t *schema.Table, q *sequence) {
	have := c.newLabel()
	c.emit(vdbe.CodeNotNull, q.rowidOfRow, have, 0)
	c.emit(vdbe.CodeNewRowid, q.cur, q.rowidOfRow, 0)
	c.place(have)
	vals := c.regs(2)
	c.emit(vdbe.CodeCopy, q.name, vals, 1)
	c.emit(vdbe.CodeCopy, q.reg, vals+1, 1)
	rec := c.reg()
	c.emit(vdbe.CodeMakeRecord, vals, 2, rec)
	c.emit(vdbe.CodeInsert, q.cur, rec, q.rowidOfRow)
}
