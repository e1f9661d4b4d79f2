package engine

import (
	"strings"

	"github.com/wrendb/wren/compile"
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// Stmt is a prepared statement.
type Stmt struct {
	c   *Conn
	sql string
	ast ast.Stmt

	// Parameters.
	nParams    int
	paramNames []string
	paramIndex map[*ast.Variable]int
	bound      []vdbe.Mem

	// A compiled statement.
	prog    *vdbe.Program
	vm      *vdbe.VM
	sch     *schema.Schema // the schema prog was compiled against
	writes  bool
	noTx    bool  // prog reads no table: it runs without a transaction (compileNow)
	fkOn    bool  // prog enforces foreign keys (PRAGMA foreign_keys when compiled)
	fkDefer bool  // prog defers every foreign key (PRAGMA defer_foreign_keys)
	fkSave  int64 // the connection's deferred violations when the run started

	// A statement the engine runs in Go (DDL, PRAGMA, transaction control,
	// EXPLAIN): exec produces cols and rows at the first Step.
	exec     func(s *Stmt) error
	readOnly bool
	cols     []string
	rows     [][]record.Value
	rowPos   int
	rowMems  []vdbe.Mem // RowMems' view of the current row of rows

	running bool
	done    bool
	spIndex int // the statement savepoint's number, -1 when none
	closed  bool
}

func (s *Stmt) prepare() error {
	// Every parameter is written with one of these characters; most
	// statements have none, and numbering walks the whole tree.
	if strings.ContainsAny(s.sql, "?:@$#") {
		n, names, idx, err := compile.Params(s.ast)
		if err != nil {
			return err
		}
		s.nParams, s.paramNames, s.paramIndex = n, names, idx
	}
	n := s.nParams
	if len(s.bound) < n {
		s.bound = append(s.bound, make([]vdbe.Mem, n-len(s.bound))...)
	}
	switch st := s.ast.(type) {
	case *ast.Select, *ast.Insert, *ast.Update, *ast.Delete:
		return s.compile()
	case *ast.Explain:
		return s.prepareExplain(st)
	default:
		return s.prepareExec()
	}
}

// compile (re)compiles a query or DML statement against the connection's
// current schema.
//
// Outside a transaction it takes no lock and reads nothing, as SQLite's
// prepare does once the schema is loaded: it compiles against the newest
// schema this process has published, and start verifies the file's schema
// cookie when the statement's transaction begins (recompiling when it
// changed). A statement that reads no table (SELECT 1) never locks at all.
// The cached schema can be older than the file (another process's DDL),
// so a failed compile reads the cookie and tries again when the schema
// was stale; until some connection has read this file's schema, compile
// reads it first, so that a file that is not a database fails here.
func (s *Stmt) compile() error {
	c := s.c
	if c.inRead || c.inWrite {
		return s.compileNow()
	}
	if !c.db.schemaRead.Load() {
		return s.compileInRead()
	}
	if !c.schemaDirty {
		c.sch = c.db.schema.Load()
	}
	err := s.compileNow()
	if err == nil {
		return nil
	}
	stale := c.sch
	if rerr := s.compileInRead(); rerr != nil || c.sch != stale {
		return rerr
	}
	return err
}

// compileInRead compiles inside a read transaction of its own, so that
// the schema is checked against the file's cookie first.
func (s *Stmt) compileInRead() error {
	c := s.c
	if err := c.beginRead(); err != nil {
		return err
	}
	defer func() {
		c.bt.EndRead()
		c.inRead = false
	}()
	return s.compileNow()
}

// compileNow compiles against the connection's schema as it is.
func (s *Stmt) compileNow() error {
	c := s.c
	prog, err := compile.Compile(s.ast, &compile.Env{Schema: c.compileSchema(), Funcs: c.funcs, Params: s.paramIndex, ForeignKeys: c.foreignKeys, DeferForeignKeys: c.deferFKs})
	if err != nil {
		return err
	}
	s.fkOn, s.fkDefer = c.foreignKeys, c.deferFKs
	s.prog = prog
	s.vm = vdbe.NewVM(prog)
	s.sch = c.sch
	s.writes = !prog.ReadOnly
	s.noTx = !s.writes && prog.ReadsNoSource && !opensBTree(prog)
	s.cols = prog.ColumnNames
	return nil
}

// opensBTree reports whether prog opens a cursor on a table or index of
// the file. A read-only program that opens none and reads no source (no
// FROM, so no table or view) depends on neither the file nor the schema:
// it runs without a transaction.
func opensBTree(prog *vdbe.Program) bool {
	for i := range prog.Ops {
		switch prog.Ops[i].Code {
		case vdbe.CodeOpenRead, vdbe.CodeOpenWrite:
			return true
		}
	}
	return false
}

// SQL returns the statement's text.
func (s *Stmt) SQL() string { return s.sql }

// ParamCount is the highest parameter number.
func (s *Stmt) ParamCount() int { return s.nParams }

// ParamName returns the name of parameter i (1-based), "" for "?".
func (s *Stmt) ParamName(i int) string {
	if i < 1 || i > len(s.paramNames) {
		return ""
	}
	return s.paramNames[i-1]
}

// ParamIndex returns the number of the parameter named name, or 0.
func (s *Stmt) ParamIndex(name string) int {
	for i, n := range s.paramNames {
		if n == name && n != "" {
			return i + 1
		}
	}
	return 0
}

// Bind sets parameter i (1-based) to v, copying its bytes.
func (s *Stmt) Bind(i int, v record.Value) error {
	if s.running {
		return resultcode.New(resultcode.Misuse, "bad parameter or other API misuse")
	}
	if i < 1 || i > s.nParams {
		return resultcode.New(resultcode.Range, "column index out of range")
	}
	s.bound[i-1].SetValue(v)
	return nil
}

// ClearBindings sets every parameter to NULL.
func (s *Stmt) ClearBindings() {
	for i := range s.bound {
		s.bound[i].SetNull()
	}
}

// ColumnCount is the number of result columns.
func (s *Stmt) ColumnCount() int { return len(s.cols) }

// ColumnName returns result column i's name.
func (s *Stmt) ColumnName(i int) string {
	if i < 0 || i >= len(s.cols) {
		return ""
	}
	return s.cols[i]
}

// ColumnDeclType returns the declared type of a result column that is a
// table column, else "".
func (s *Stmt) ColumnDeclType(i int) string {
	if s.prog == nil || i < 0 || i >= len(s.prog.DeclTypes) {
		return ""
	}
	return s.prog.DeclTypes[i]
}

// ColumnNotNull reports whether result column i is a table column declared
// NOT NULL; known is false when the column is an expression.
func (s *Stmt) ColumnNotNull(i int) (notNull bool, known bool) {
	if s.prog == nil || i < 0 || i >= len(s.prog.NotNull) {
		return false, false
	}
	return s.prog.NotNull[i], true
}

// Column returns result column i of the current row. Its bytes are valid
// until the next Step or Reset.
func (s *Stmt) Column(i int) record.Value {
	if s.exec != nil || s.prog == nil {
		if s.rowPos < 1 || s.rowPos > len(s.rows) || i < 0 || i >= len(s.rows[s.rowPos-1]) {
			return record.Value{}
		}
		return s.rows[s.rowPos-1][i]
	}
	row := s.vm.Row()
	if i < 0 || i >= len(row) {
		return record.Value{}
	}
	return row[i].Value()
}

// RowMems returns the current row's columns as the VM's registers, which
// the caller must only read: what Column returns for each column, without
// copying a value per call. The slice and the values' bytes are valid
// until the next Step or Reset; it is empty when there is no row.
func (s *Stmt) RowMems() []vdbe.Mem {
	if s.exec == nil && s.prog != nil {
		return s.vm.Row()
	}
	if s.rowPos < 1 || s.rowPos > len(s.rows) {
		return nil
	}
	row := s.rows[s.rowPos-1]
	if cap(s.rowMems) < len(row) {
		s.rowMems = make([]vdbe.Mem, len(row))
	}
	s.rowMems = s.rowMems[:len(row)]
	for i, v := range row {
		s.rowMems[i].SetValueRef(v)
	}
	return s.rowMems
}

// ReadOnly reports whether the statement leaves the database unchanged.
func (s *Stmt) ReadOnly() bool {
	if s.exec != nil {
		return s.readOnly
	}
	return s.prog == nil || s.prog.ReadOnly
}

// Explain returns the program listing (EXPLAIN's rows) of a compiled
// statement.
func (s *Stmt) Explain() [][]record.Value {
	if s.prog == nil {
		return nil
	}
	return s.prog.Explain()
}

// Step runs the statement to its next row: true when a row is ready.
func (s *Stmt) Step() (bool, error) {
	if s.closed {
		return false, resultcode.New(resultcode.Misuse, "statement is closed")
	}
	if s.done {
		return false, nil
	}
	if s.exec != nil {
		return s.stepExec()
	}
	if !s.running {
		if err := s.start(); err != nil {
			s.done = true
			return false, err
		}
	}
	row, err := s.vm.Step()
	if err != nil {
		s.finish(err)
		return false, err
	}
	if !row {
		if err := s.finish(nil); err != nil {
			return false, err
		}
		return false, nil
	}
	return true, nil
}

// start begins the transaction the statement needs, recompiles it if the
// schema changed and opens its statement savepoint.
func (s *Stmt) start() error {
	c := s.c
	if c.active == 0 {
		c.interrupt.Store(false)
	}
	var err error
	switch {
	case s.noTx:
		// Reads no table: no lock, no cookie to verify.
	case s.writes:
		err = c.beginWrite()
	default:
		err = c.beginRead()
	}
	if err != nil {
		return err
	}
	if (s.sch != c.sch || s.fkOn != c.foreignKeys || s.fkDefer != c.deferFKs) && !s.noTx {
		if err := s.compile(); err != nil {
			if !c.explicit && c.active == 0 {
				c.endTx(false)
			}
			return err
		}
		if s.writes && !c.inWrite {
			if err := c.beginWrite(); err != nil {
				return err
			}
		}
	}
	s.spIndex = -1
	// A statement savepoint is needed only inside a transaction (in
	// autocommit mode a failure rolls back the statement's own
	// transaction) and only when the program can fail after writing.
	if s.writes && s.prog.MayAbort && (c.explicit || c.active > 0) {
		s.spIndex = len(c.savepoints) + c.active
		if err := c.bt.OpenSavepoint(s.spIndex + 1); err != nil {
			return err
		}
	}
	s.vm.Reset()
	s.vm.DB = c.bt
	s.vm.Conn = c
	s.vm.DeferredFK = &c.deferredFK
	s.fkSave = c.deferredFK
	s.vm.Interrupt = &c.interrupt
	s.vm.Params = s.bound
	s.vm.TempVFS = tempVFS
	s.vm.SorterMemory = c.sorterMemory
	c.active++
	s.running = true
	return nil
}

// finish ends one execution: it settles the statement savepoint and, in
// autocommit mode, the transaction.
func (s *Stmt) finish(runErr error) error {
	c := s.c
	s.running = false
	s.done = true
	c.active--
	if s.prog.CountChanges {
		c.changes = s.vm.Changes
		c.totalChanges += s.vm.Changes
	}
	if runErr == nil && !c.explicit && c.active == 0 && c.deferredFK > 0 {
		// Autocommit: the statement's commit checks the deferred
		// foreign keys (pragma_fkey.go).
		runErr = errForeignKey()
		s.vm.ErrAction = int(ast.ConflictAbort)
	}
	action := ast.ConflictAbort
	if runErr != nil {
		action = ast.ConflictAction(s.vm.ErrAction)
		if resultcode.Of(runErr).Primary() != resultcode.Constraint && resultcode.Of(runErr) != resultcode.Error {
			action = ast.ConflictAbort
		}
	}
	if s.spIndex >= 0 && c.inWrite {
		switch {
		case runErr == nil || action == ast.ConflictFail:
			c.bt.Release(s.spIndex)
		case action == ast.ConflictRollback:
			c.endTx(false)
			return runErr
		default:
			c.bt.RollbackTo(s.spIndex)
			c.bt.Release(s.spIndex)
			c.deferredFK = s.fkSave
		}
	}
	if !c.explicit && c.active == 0 {
		if err := c.endTx(runErr == nil || action == ast.ConflictFail); err != nil && runErr == nil {
			return err
		}
	}
	return runErr
}

// Reset rewinds the statement so that it can run again.
func (s *Stmt) Reset() error {
	if s.running {
		s.finish(nil)
	}
	s.done = false
	s.rowPos = 0
	if s.exec != nil {
		s.rows = nil
	}
	return nil
}

// Close finalizes the statement.
func (s *Stmt) Close() error {
	if s.closed {
		return nil
	}
	err := s.Reset()
	if s.vm != nil {
		s.vm.Reset()
	}
	s.closed = true
	return err
}

func (s *Stmt) stepExec() (bool, error) {
	if !s.running {
		s.running = true
		s.rows = nil
		s.rowPos = 0
		if err := s.exec(s); err != nil {
			s.running = false
			s.done = true
			return false, err
		}
	}
	if s.rowPos < len(s.rows) {
		s.rowPos++
		return true, nil
	}
	s.running = false
	s.done = true
	return false, nil
}
