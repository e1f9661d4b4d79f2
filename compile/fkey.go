package compile

import (
	"sort"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// Foreign keys, as SQLite enforces them (https://www.sqlite.org/foreignkeys.html).
//
// Nothing is looked up when a row is written: violations are counted. A
// child row whose key is not NULL and matches no parent row adds one; a
// change that removes such a row, or that creates the missing parent,
// subtracts one. An immediate constraint counts in a register of the
// statement, which must be back at zero when the statement ends; a
// deferred one counts in the connection (vdbe.CodeFkCounter), which must
// be zero at COMMIT. So a statement that breaks a constraint and then
// repairs it succeeds, as in SQLite.
//
// The old row of an UPDATE or DELETE is counted before the write (while
// the table still holds it) and the new row after it, where a row that
// references itself finds itself. The scans for the child rows of a
// parent key never count the row being written. ON DELETE and ON UPDATE
// actions are compiled as SQLite compiles them: as trigger programs (a
// DELETE or UPDATE of the child table) inlined after the parent's write.

// ForeignKey is one FOREIGN KEY constraint of a child table.
type ForeignKey struct {
	// ID is the constraint's number in PRAGMA foreign_key_list: SQLite
	// numbers the last declared constraint 0.
	ID int
	// Child is the table holding the constraint.
	Child *schema.Table
	// From are the child columns.
	From []int
	// Parent is the referenced table's name as written.
	Parent string
	// To are the parent columns as written; nil means the parent's
	// PRIMARY KEY.
	To                 []string
	OnDelete, OnUpdate ast.FKAction
	Match              string
	// Deferred is DEFERRABLE INITIALLY DEFERRED.
	Deferred bool
}

// ForeignKeys lists the FOREIGN KEY constraints of t, ordered by ID.
func ForeignKeys(t *schema.Table) []*ForeignKey {
	if t == nil || t.Stmt == nil {
		return nil
	}
	var out []*ForeignKey
	add := func(from []int, fk *ast.ForeignKey, extra *ast.Deferrable) {
		f := &ForeignKey{Child: t, From: from, Parent: fk.Table.Name}
		for _, id := range fk.Columns {
			f.To = append(f.To, id.Name)
		}
		for _, a := range fk.Args {
			switch a.Kind {
			case ast.FKOnDelete:
				f.OnDelete = a.Action
			case ast.FKOnUpdate:
				f.OnUpdate = a.Action
			case ast.FKMatch:
				f.Match = a.Match.Name
			}
		}
		d := fk.Deferrable
		if d == nil {
			d = extra
		}
		f.Deferred = d != nil && !d.Not && d.Initially == ast.InitiallyDeferred
		out = append(out, f)
	}
	for i, col := range t.Stmt.Columns {
		for j, cc := range col.Constraints {
			if cc.Kind != ast.ConsForeignKey || cc.ForeignKey == nil {
				continue
			}
			var extra *ast.Deferrable
			if j+1 < len(col.Constraints) && col.Constraints[j+1].Kind == ast.ConsDeferrable {
				extra = col.Constraints[j+1].Deferrable
			}
			add([]int{i}, cc.ForeignKey, extra)
		}
	}
	for _, tc := range t.Stmt.Constraints {
		if tc.Kind != ast.ConsForeignKey || tc.ForeignKey == nil {
			continue
		}
		var from []int
		for _, id := range tc.FromColumns {
			ci := t.ColumnIndex(id.Name)
			if ci < 0 {
				ci = 0 // rejected by CREATE TABLE; never reached
			}
			from = append(from, ci)
		}
		add(from, tc.ForeignKey, nil)
	}
	for i, f := range out {
		f.ID = len(out) - 1 - i
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ActionName is the action's name in PRAGMA foreign_key_list.
func ActionName(a ast.FKAction) string {
	switch a {
	case ast.FKSetNull:
		return "SET NULL"
	case ast.FKSetDefault:
		return "SET DEFAULT"
	case ast.FKCascade:
		return "CASCADE"
	case ast.FKRestrict:
		return "RESTRICT"
	}
	return "NO ACTION"
}

// ReferencesTo lists the foreign keys of every table of sch that refer to
// the table named parent (itself included), by child name then ID.
func ReferencesTo(sch *schema.Schema, parent string) []*ForeignKey {
	var names []string
	for k, t := range sch.Tables {
		if t.Stmt != nil {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []*ForeignKey
	for _, k := range names {
		for _, f := range ForeignKeys(sch.Tables[k]) {
			if strings.EqualFold(f.Parent, parent) {
				out = append(out, f)
			}
		}
	}
	return out
}

// parentKey is how a foreign key finds its parent row: by rowid (ix nil)
// or in a UNIQUE index of the parent.
type parentKey struct {
	t  *schema.Table
	ix *schema.Index
	// cols[i] is the parent column matched by the child column From[i]
	// (the rowid alias column, or -1 for a bare rowid).
	cols []int
	// idxFrom[j] is the position in From of index column j.
	idxFrom []int
}

func mismatch(f *ForeignKey) error {
	return errorf("foreign key mismatch - \"%s\" referencing \"%s\"", f.Child.Name, f.Parent)
}

// locateParent finds the parent key of f in sch: the parent's INTEGER
// PRIMARY KEY, its PRIMARY KEY or a UNIQUE index on exactly the parent
// columns with their own collations. It returns nil and no error when the
// parent table does not exist.
func locateParent(sch *schema.Schema, f *ForeignKey) (*parentKey, error) {
	p := sch.Table(f.Parent)
	if p == nil {
		if sch.View(f.Parent) != nil {
			return nil, mismatch(f)
		}
		return nil, nil
	}
	// Checking the key reads columns of both tables.
	if err := p.CheckSupported(); err != nil {
		return nil, err
	}
	if err := f.Child.CheckSupported(); err != nil {
		return nil, err
	}
	n := len(f.From)
	if f.To != nil && len(f.To) != n {
		return nil, mismatch(f)
	}
	pk := &parentKey{t: p}
	if n == 1 && p.RowidAlias >= 0 && (f.To == nil || strings.EqualFold(f.To[0], p.Columns[p.RowidAlias].Name)) {
		pk.cols = []int{p.RowidAlias}
		return pk, nil
	}
	var to []int
	if f.To != nil {
		for _, name := range f.To {
			ci := p.ColumnIndex(name)
			if ci < 0 {
				return nil, mismatch(f)
			}
			to = append(to, ci)
		}
	}
	for _, ix := range p.Indexes {
		if !ix.Unique || ix.Partial != nil || len(ix.Columns) != n {
			continue
		}
		if f.To == nil {
			if ix.Origin != "pk" {
				continue
			}
			pk.ix = ix
			for j, ic := range ix.Columns {
				pk.cols = append(pk.cols, ic.Column)
				pk.idxFrom = append(pk.idxFrom, j)
			}
			return pk, nil
		}
		idxFrom := make([]int, n)
		ok := true
		for j, ic := range ix.Columns {
			if ic.Column < 0 {
				ok = false
				break
			}
			if !strings.EqualFold(collOrBinary(ic.Collation), collOrBinary(p.Columns[ic.Column].Collation)) {
				ok = false
				break
			}
			pos := -1
			for i, ci := range to {
				if ci == ic.Column {
					pos = i
				}
			}
			if pos < 0 {
				ok = false
				break
			}
			idxFrom[j] = pos
		}
		if ok {
			pk.ix, pk.cols, pk.idxFrom = ix, to, idxFrom
			return pk, nil
		}
	}
	return nil, mismatch(f)
}

func collOrBinary(s string) string {
	if s == "" {
		return "BINARY"
	}
	return s
}

// parentColumnName names parent column i of pk for generated SQL.
func (pk *parentKey) columnName(i int) string {
	if ci := pk.cols[i]; ci >= 0 {
		return pk.t.Columns[ci].Name
	}
	return "rowid"
}

// fkError is SQLite's message for every foreign key failure.
const fkError = "FOREIGN KEY constraint failed"

// fkEnabled reports whether t takes part in any foreign key the statement
// must enforce.
func (c *compiler) fkEnabled(t *schema.Table) bool {
	if !c.env.ForeignKeys {
		return false
	}
	if len(ForeignKeys(t)) > 0 || len(c.fkReferences(t)) > 0 {
		// Violations are known only after a write.
		c.noAbort = false
		return true
	}
	return false
}

// fkReferences is ReferencesTo(t), once per compilation: it reads every
// table of the schema.
func (c *compiler) fkReferences(t *schema.Table) []*ForeignKey {
	k := schema.Key(t.Name)
	if refs, ok := c.fkRefs[k]; ok {
		return refs
	}
	if c.fkRefs == nil {
		c.fkRefs = map[string][]*ForeignKey{}
	}
	refs := ReferencesTo(c.sch, t.Name)
	c.fkRefs[k] = refs
	return refs
}

// fkCounter is the register counting the statement's immediate
// violations (NULL counts as zero).
func (c *compiler) fkCounter() int {
	if c.fkReg == 0 {
		c.fkReg = c.reg()
	}
	c.noAbort = false
	return c.fkReg
}

// fkIncr adds n to f's violation counter.
func (c *compiler) fkIncr(f *ForeignKey, n int) {
	if c.fkDeferred(f) {
		c.emit(vdbe.CodeFkCounter, 0, n, 0)
		return
	}
	c.emit(vdbe.CodeAddImm, c.fkCounter(), n, 0)
}

// fkIfZero jumps to label when f's counter has nothing outstanding.
func (c *compiler) fkIfZero(f *ForeignKey, label int) {
	if c.fkDeferred(f) {
		c.emit(vdbe.CodeFkIfZero, 0, label, 0)
		return
	}
	c.emit(vdbe.CodeIfNot, c.fkCounter(), label, 1)
}

// fkDeferred reports whether f's violations are counted until COMMIT.
func (c *compiler) fkDeferred(f *ForeignKey) bool {
	return f.Deferred || c.env.DeferForeignKeys
}

// fkEndStatement fails the statement when immediate violations remain.
func (c *compiler) fkEndStatement() {
	if c.fkReg == 0 {
		return
	}
	// A comparison, not IfPos: the register is NULL when nothing counted.
	fail, done, zero := c.newLabel(), c.newLabel(), c.reg()
	c.emit(vdbe.CodeInteger, 0, zero, 0)
	c.emitP4(vdbe.CodeGt, c.fkReg, fail, zero, vdbe.P4{})
	c.emit(vdbe.CodeGoto, 0, done, 0)
	c.place(fail)
	c.halt(resultcode.ConstraintForeignKey, ast.ConflictAbort, fkError)
	c.place(done)
}

// fkRow is a row of a table held in registers.
type fkRow struct {
	cols, rowid int
}

func (r fkRow) reg(t *schema.Table, ci int) int {
	if ci < 0 {
		return r.rowid
	}
	return r.cols + ci
}

// fkChange says which columns an UPDATE sets; nil for INSERT and DELETE.
type fkChange struct {
	cols  map[int]bool
	rowid bool
}

func (ch *fkChange) childModified(f *ForeignKey) bool {
	if ch == nil || strings.EqualFold(f.Child.Name, f.Parent) {
		// A row of a self-referencing table can lose its parent when
		// only its own parent key changes.
		return true
	}
	for _, ci := range f.From {
		if ch.cols[ci] || (ci == f.Child.RowidAlias && ch.rowid) {
			return true
		}
	}
	return false
}

func (ch *fkChange) parentModified(t *schema.Table, f *ForeignKey, pk *parentKey) bool {
	if ch == nil {
		return true
	}
	for _, ci := range pk.cols {
		if ci < 0 || ci == t.RowidAlias {
			if ch.rowid {
				return true
			}
			continue
		}
		if ch.cols[ci] {
			return true
		}
	}
	return false
}

// fkParent locates f's parent key for code generation.
func (c *compiler) fkParent(f *ForeignKey) (*parentKey, error) {
	pk, err := locateParent(c.sch, f)
	if err != nil {
		return nil, err
	}
	if pk == nil {
		return nil, errorf("no such table: main.%s", f.Parent)
	}
	return pk, nil
}

// fkCheckOld counts what removing the old row of t (DELETE, UPDATE, or a
// REPLACE deleting a conflicting row) does, before the row goes: a child
// row that was a violation no longer is, and the children of its parent
// key lose their parent.
func (c *compiler) fkCheckOld(t *schema.Table, old fkRow, ch *fkChange) error {
	if !c.env.ForeignKeys {
		return nil
	}
	for _, f := range ForeignKeys(t) {
		if !ch.childModified(f) {
			continue
		}
		pk, err := c.fkParent(f)
		if err != nil {
			return err
		}
		if err := c.fkLookupParent(f, pk, old, -1); err != nil {
			return err
		}
	}
	for _, f := range c.fkReferences(t) {
		pk, err := locateParent(c.sch, f)
		if err != nil {
			return err
		}
		if pk == nil || !ch.parentModified(t, f, pk) {
			continue
		}
		if err := c.fkScanChildren(f, pk, old, 1, nil); err != nil {
			return err
		}
	}
	return nil
}

// fkCheckNew counts what the new row of t (INSERT, UPDATE), already
// written, does: a child key without a parent is a violation, and a new
// parent key repairs the violations of its children.
func (c *compiler) fkCheckNew(t *schema.Table, row fkRow, ch *fkChange) error {
	if !c.env.ForeignKeys {
		return nil
	}
	for _, f := range ForeignKeys(t) {
		if !ch.childModified(f) {
			continue
		}
		pk, err := c.fkParent(f)
		if err != nil {
			return err
		}
		if err := c.fkLookupParent(f, pk, row, 1); err != nil {
			return err
		}
	}
	for _, f := range c.fkReferences(t) {
		pk, err := locateParent(c.sch, f)
		if err != nil && ch == nil && !c.fkDeferred(f) {
			// A new parent row cannot repair an immediate violation of
			// a constraint that could never be checked; SQLite does not
			// look at its key either.
			continue
		}
		if err != nil {
			return err
		}
		if pk == nil || !ch.parentModified(t, f, pk) {
			continue
		}
		if err := c.fkScanChildren(f, pk, row, -1, nil); err != nil {
			return err
		}
	}
	return nil
}

// fkSingleInsert reports whether an INSERT of one row into t (no
// triggers, no REPLACE) can check its foreign keys as SQLite does for
// that case: before the write, failing at once when the new row has no
// parent. A new parent row can neither cause nor repair an immediate
// violation of its children, so nothing is counted and the statement
// cannot fail after its first write: it needs no statement savepoint.
// Deferred constraints, which count until COMMIT, and self-referencing
// ones (the row may be its own parent) keep the counting path.
func (c *compiler) fkSingleInsert(t *schema.Table) bool {
	if !c.env.ForeignKeys {
		return false
	}
	for _, f := range ForeignKeys(t) {
		if c.fkDeferred(f) || strings.EqualFold(f.Parent, t.Name) {
			return false
		}
	}
	for _, f := range c.fkReferences(t) {
		if c.fkDeferred(f) {
			return false
		}
	}
	return true
}

// fkCheckSingleInsert emits fkSingleInsert's checks of the new row,
// after its other constraints and before it is written.
func (c *compiler) fkCheckSingleInsert(t *schema.Table, row fkRow) error {
	for _, f := range ForeignKeys(t) {
		pk, err := c.fkParent(f)
		if err != nil {
			return err
		}
		if err := c.fkLookupParent(f, pk, row, 0); err != nil {
			return err
		}
	}
	return nil
}

// fkLookupParent adds incr to f's counter when the child key in row is
// not NULL and has no parent row; with incr 0 it fails the statement
// instead (fkSingleInsert).
func (c *compiler) fkLookupParent(f *ForeignKey, pk *parentKey, row fkRow, incr int) error {
	ok := c.newLabel()
	for _, ci := range f.From {
		c.emit(vdbe.CodeIsNull, row.reg(f.Child, ci), ok, 0)
	}
	if incr < 0 {
		c.fkIfZero(f, ok)
	}
	violation := c.newLabel()
	cur := c.cursor()
	if pk.ix == nil {
		key := c.reg()
		c.emit(vdbe.CodeCopy, row.reg(f.Child, f.From[0]), key, 0)
		c.emit(vdbe.CodeMustBeInt, key, violation, 0)
		c.emit(vdbe.CodeOpenRead, cur, int(pk.t.Root), len(pk.t.Columns))
		c.emit(vdbe.CodeSeekRowid, cur, violation, key)
		c.emit(vdbe.CodeGoto, 0, ok, 0)
	} else {
		n := len(pk.ix.Columns)
		ki, err := c.indexKeyInfo(pk.ix)
		if err != nil {
			return err
		}
		key := c.regs(n)
		aff := make([]byte, n)
		for j, ic := range pk.ix.Columns {
			c.emit(vdbe.CodeCopy, row.reg(f.Child, f.From[pk.idxFrom[j]]), key+j, 0)
			aff[j] = byte(pk.t.Columns[ic.Column].Affinity)
		}
		c.emitP4(vdbe.CodeAffinity, key, n, 0, vdbe.P4{Str: string(aff)})
		c.emitP4(vdbe.CodeOpenRead, cur, int(pk.ix.Root), n+1, vdbe.P4{KeyInfo: ki})
		c.emitP4(vdbe.CodeFound, cur, ok, key, vdbe.P4{Int: int64(n)})
	}
	c.place(violation)
	if incr == 0 {
		c.halt(resultcode.ConstraintForeignKey, ast.ConflictAbort, fkError)
	} else {
		c.fkIncr(f, incr)
	}
	c.place(ok)
	return nil
}

const (
	fkChildAlias  = "fk child"
	fkParentAlias = "fk parent"
)

// fkChildMatch is the WHERE clause matching the child rows of f whose key
// equals the parent key read from the source named parentAlias.
func fkChildMatch(f *ForeignKey, pk *parentKey, childAlias, parentAlias string) ast.Expr {
	var where ast.Expr
	for i, ci := range f.From {
		eq := &ast.Binary{Op: ast.OpEq,
			X: &ast.ColumnRef{Table: ast.Ident{Name: parentAlias}, Column: ast.Ident{Name: pk.columnName(i)}},
			Y: &ast.ColumnRef{Table: ast.Ident{Name: childAlias}, Column: ast.Ident{Name: f.Child.Columns[ci].Name}},
		}
		if where == nil {
			where = eq
		} else {
			where = &ast.Binary{Op: ast.OpAnd, X: where, Y: eq}
		}
	}
	return where
}

// fkScanChildren runs body (by default: add incr to f's counter) for each
// child row of f whose key equals the parent key of row, other than the
// row itself when f refers to its own table. An index on the child columns
// is used when there is one.
func (c *compiler) fkScanChildren(f *ForeignKey, pk *parentKey, row fkRow, incr int, body func()) error {
	skip := c.newLabel()
	if incr < 0 {
		c.fkIfZero(f, skip)
	}
	for i := range f.From {
		c.emit(vdbe.CodeIsNull, row.reg(pk.t, pk.cols[i]), skip, 0)
	}
	psrc := tableSource(pk.t, fkParentAlias)
	psrc.regBase, psrc.rowidReg = row.cols, row.rowid
	csrc := tableSource(f.Child, fkChildAlias)
	csrc.cursor = c.cursor()
	sc := &scope{srcs: []*source{csrc}, parent: &scope{srcs: []*source{psrc}}}
	where := fkChildMatch(f, pk, fkChildAlias, fkParentAlias)
	if strings.EqualFold(f.Child.Name, pk.t.Name) {
		where = &ast.Binary{Op: ast.OpAnd, X: where, Y: &ast.Binary{Op: ast.OpNe,
			X: &ast.ColumnRef{Table: ast.Ident{Name: fkChildAlias}, Column: ast.Ident{Name: "rowid"}},
			Y: &ast.ColumnRef{Table: ast.Ident{Name: fkParentAlias}, Column: ast.Ident{Name: "rowid"}},
		}}
	}
	err := c.whereLoops(sc, where, func() error {
		if body != nil {
			body()
		} else {
			c.fkIncr(f, incr)
		}
		return nil
	})
	c.place(skip)
	return err
}

// ParentKeyExists reports whether f's parent table exists, and fails with
// SQLite's "foreign key mismatch" error when it has no suitable key.
func ParentKeyExists(sch *schema.Schema, f *ForeignKey) (bool, error) {
	pk, err := locateParent(sch, f)
	return pk != nil, err
}

// ParentColumn names the parent column that the child column f.From[i]
// refers to (the parent must exist and have a suitable key).
func ParentColumn(sch *schema.Schema, f *ForeignKey, i int) string {
	pk, err := locateParent(sch, f)
	if err != nil || pk == nil {
		return "rowid"
	}
	return pk.columnName(i)
}
