package compile

import (
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// Env is what the compiler needs to know about the connection.
type Env struct {
	Schema *schema.Schema
	Funcs  *vdbe.Registry
	// Params maps each Variable of the statement to its number (Params).
	Params map[*ast.Variable]int
	// ForeignKeys enforces FOREIGN KEY constraints (PRAGMA foreign_keys).
	ForeignKeys bool
	// DeferForeignKeys checks every foreign key at COMMIT, as if all were
	// DEFERRABLE INITIALLY DEFERRED (PRAGMA defer_foreign_keys).
	DeferForeignKeys bool
	// NoTriggers compiles DML without firing triggers (the implicit
	// DELETE of DROP TABLE).
	NoTriggers bool

	fkDepthLimit int // nesting of inline foreign key actions; 0: fkActionDepthLimit
}

// Compile turns a SELECT, INSERT, UPDATE or DELETE into a program.
func Compile(st ast.Stmt, env *Env) (prog *vdbe.Program, err error) {
	defer func() {
		// A compiler bug fails the statement instead of the process.
		if r := recover(); r != nil {
			prog, err = nil, resultcode.Errorf(resultcode.Internal, "internal error while compiling: %v", r)
		}
	}()
	c := newCompiler(env)
	c.root = st
	switch s := st.(type) {
	case *ast.Select:
		err = c.compileSelectStmt(s)
	case *ast.Insert:
		err = c.compileInsert(s)
	case *ast.Update:
		err = c.compileUpdate(s)
	case *ast.Delete:
		err = c.compileDelete(s)
	default:
		return nil, resultcode.Errorf(resultcode.Error, "cannot compile %T", st)
	}
	if err != nil {
		return nil, err
	}
	if c.fkCut {
		return compileShallower(st, env)
	}
	c.fkEndStatement()
	return c.finish(), nil
}

// IndexBuild returns a program that fills index ix from the rows of t
// (CREATE INDEX and REINDEX). A UNIQUE index fails on duplicate keys.
func IndexBuild(t *schema.Table, ix *schema.Index, env *Env) (*vdbe.Program, error) {
	c := newCompiler(env)
	c.writes = true
	src := tableSource(t, "")
	src.cursor = c.cursor()
	sc := &scope{srcs: []*source{src}}
	ixCur := c.cursor()
	ki, err := c.indexKeyInfo(ix)
	if err != nil {
		return nil, err
	}
	c.emit(vdbe.CodeOpenRead, src.cursor, int(t.Root), len(t.Columns))
	c.emitP4(vdbe.CodeOpenWrite, ixCur, int(ix.Root), len(ix.Columns)+1, vdbe.P4{KeyInfo: ki})
	done := c.newLabel()
	c.emit(vdbe.CodeRewind, src.cursor, done, 0)
	top := c.addr()
	next := c.newLabel()
	if ix.Partial != nil {
		if err := c.jumpIfFalse(sc, ix.Partial, next); err != nil {
			return nil, err
		}
	}
	rowid := c.reg()
	c.emit(vdbe.CodeRowid, src.cursor, rowid, 0)
	key, err := c.indexKey(sc, ix, rowid)
	if err != nil {
		return nil, err
	}
	if ix.Unique {
		ok := c.newLabel()
		c.emitP4(vdbe.CodeNoConflict, ixCur, ok, key, vdbe.P4{Int: int64(len(ix.Columns))})
		c.halt(resultcode.ConstraintUnique, ast.ConflictAbort, "UNIQUE constraint failed: "+constraintName(t, ix))
		c.place(ok)
	}
	rec := c.reg()
	c.emit(vdbe.CodeMakeRecord, key, len(ix.Columns)+1, rec)
	c.emit(vdbe.CodeIdxInsert, ixCur, rec, 0)
	c.place(next)
	c.emit(vdbe.CodeNext, src.cursor, top, 0)
	c.place(done)
	return c.finish(), nil
}

// ResultColumns returns the names and affinities of a query's result
// columns (for CREATE TABLE ... AS SELECT).
func ResultColumns(sel *ast.Select, env *Env) ([]string, []vdbe.Affinity, error) {
	c := newCompiler(env)
	cols, err := c.selectShape(nil, sel)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var affs []vdbe.Affinity
	for _, col := range cols {
		names = append(names, col.name)
		affs = append(affs, col.aff)
	}
	return names, affs, nil
}
