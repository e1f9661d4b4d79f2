package engine

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// execKind says what transaction a statement run in Go needs.
type execKind uint8

const (
	execTxControl execKind = iota // BEGIN, COMMIT, SAVEPOINT...: manages the transaction itself
	execRead                      // runs in a read transaction
	execWrite                     // runs in a write transaction under a statement savepoint
)

func errorf(format string, args ...any) error {
	return resultcode.Errorf(resultcode.Error, format, args...)
}

// prepareExec sets up a statement the engine runs in Go.
func (s *Stmt) prepareExec() error {
	var kind execKind
	var run func(s *Stmt) error
	switch st := s.ast.(type) {
	case *ast.Begin:
		run = func(s *Stmt) error { return s.c.begin(st) }
		s.readOnly = true
	case *ast.Commit:
		run = func(s *Stmt) error { return s.c.commit() }
		s.readOnly = true
	case *ast.Rollback:
		run = func(s *Stmt) error { return s.c.rollback(st) }
		s.readOnly = true
	case *ast.Savepoint:
		run = func(s *Stmt) error { return s.c.savepointStmt(st.Name.Name) }
		s.readOnly = true
	case *ast.Release:
		run = func(s *Stmt) error { return s.c.release(st.Name.Name) }
		s.readOnly = true
	case *ast.CreateTable, *ast.CreateIndex, *ast.CreateView, *ast.CreateTrigger, *ast.Drop, *ast.Reindex:
		kind = execWrite
		run = func(s *Stmt) error { return s.c.execDDL(s.ast) }
	case *ast.Pragma:
		k, fn, cols, err := s.c.preparePragma(st)
		if err != nil {
			return err
		}
		kind, run, s.cols = k, fn, cols
		s.readOnly = k != execWrite
	case *ast.Analyze:
		kind = execRead
		run = func(s *Stmt) error { return nil }
	case *ast.Vacuum:
		kind = execWrite
		run = func(s *Stmt) error { return nil }
	case *ast.AlterTable:
		return errorf("ALTER TABLE is not supported yet")
	case *ast.Attach, *ast.Detach:
		return errorf("ATTACH and DETACH are not supported yet")
	case *ast.CreateVirtualTable:
		return errorf("no such module: %s", st.Module.Name)
	default:
		return errorf("unsupported statement")
	}
	s.exec = func(s *Stmt) error { return s.c.runExec(s, kind, run) }
	return nil
}

// runExec wraps run in the transaction handling kind asks for.
func (c *Conn) runExec(s *Stmt, kind execKind, run func(s *Stmt) error) error {
	if kind == execTxControl {
		if c.active > 0 {
			if _, ok := s.ast.(*ast.Begin); !ok {
				if _, ok := s.ast.(*ast.Savepoint); !ok {
					return errorf("cannot %s transaction - SQL statements in progress", strings.ToLower(strings.Fields(s.sql)[0]))
				}
			}
		}
		return run(s)
	}
	if c.active == 0 {
		c.interrupt.Store(false)
	}
	var err error
	if kind == execWrite {
		err = c.beginWrite()
	} else {
		err = c.beginRead()
	}
	if err != nil {
		return err
	}
	sp := -1
	if kind == execWrite {
		sp = len(c.savepoints) + c.active
		if err := c.bt.OpenSavepoint(sp + 1); err != nil {
			return err
		}
	}
	savedSch, savedDirty := c.sch, c.schemaDirty
	c.active++
	runErr := run(s)
	c.active--
	if runErr == nil && !c.explicit && c.active == 0 && c.deferredFK > 0 {
		// Autocommit: DROP TABLE's implicit DELETE left deferred
		// foreign key violations (pragma_fkey.go).
		runErr = errForeignKey()
	}
	if sp >= 0 && c.inWrite {
		if runErr == nil {
			c.bt.Release(sp)
		} else {
			c.bt.RollbackTo(sp)
			c.bt.Release(sp)
			c.sch, c.schemaDirty = savedSch, savedDirty
		}
	}
	if !c.explicit && c.active == 0 {
		if err := c.endTx(runErr == nil); err != nil && runErr == nil {
			return err
		}
	}
	return runErr
}

func (c *Conn) begin(st *ast.Begin) error {
	if c.explicit {
		return errorf("cannot start a transaction within a transaction")
	}
	switch st.Mode {
	case ast.TxImmediate, ast.TxExclusive:
		if err := c.beginWrite(); err != nil {
			return err
		}
	}
	c.explicit = true
	return nil
}

func (c *Conn) commit() error {
	if !c.explicit {
		return errorf("cannot commit - no transaction is active")
	}
	if c.deferredFK > 0 {
		return errForeignKey()
	}
	return c.endTx(true)
}

func (c *Conn) rollback(st *ast.Rollback) error {
	if !st.Savepoint.IsZero() {
		return c.rollbackTo(st.Savepoint.Name)
	}
	if !c.explicit {
		return errorf("cannot rollback - no transaction is active")
	}
	return c.endTx(false)
}

func (c *Conn) findSavepoint(name string) int {
	for i := len(c.savepoints) - 1; i >= 0; i-- {
		if strings.EqualFold(c.savepoints[i].name, name) {
			return i
		}
	}
	return -1
}

func (c *Conn) savepointStmt(name string) error {
	starter := false
	if !c.explicit {
		c.explicit = true
		starter = true
	}
	c.savepoints = append(c.savepoints, savepoint{name: name, starter: starter, sch: c.sch, dirty: c.schemaDirty, fk: c.deferredFK})
	if c.inWrite {
		return c.bt.OpenSavepoint(len(c.savepoints))
	}
	return nil
}

func (c *Conn) release(name string) error {
	i := c.findSavepoint(name)
	if i < 0 {
		return errorf("no such savepoint: %s", name)
	}
	if i == 0 && c.savepoints[0].starter {
		if c.deferredFK > 0 {
			return errForeignKey()
		}
		return c.endTx(true)
	}
	if c.inWrite {
		if err := c.bt.Release(i); err != nil {
			return err
		}
	}
	c.savepoints = c.savepoints[:i]
	return nil
}

func (c *Conn) rollbackTo(name string) error {
	i := c.findSavepoint(name)
	if i < 0 {
		return errorf("no such savepoint: %s", name)
	}
	if c.inWrite {
		if err := c.bt.RollbackTo(i); err != nil {
			return err
		}
	}
	c.sch, c.schemaDirty = c.savepoints[i].sch, c.savepoints[i].dirty
	c.deferredFK = c.savepoints[i].fk
	c.savepoints = c.savepoints[:i+1]
	return nil
}

// prepareExplain compiles the statement under EXPLAIN and lists its
// program or its plan.
func (s *Stmt) prepareExplain(st *ast.Explain) error {
	inner := &Stmt{c: s.c, sql: s.sql, ast: st.Stmt, paramIndex: s.paramIndex}
	switch st.Stmt.(type) {
	case *ast.Select, *ast.Insert, *ast.Update, *ast.Delete:
		if err := inner.compile(); err != nil {
			return err
		}
	default:
		inner = nil
	}
	s.readOnly = true
	if st.QueryPlan {
		s.cols = []string{"id", "parent", "notused", "detail"}
	} else {
		s.cols = []string{"addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"}
	}
	s.exec = func(s *Stmt) error {
		if inner == nil {
			return nil
		}
		if st.QueryPlan {
			for _, p := range inner.prog.Plan {
				s.rows = append(s.rows, []record.Value{record.IntValue(int64(p.ID)), record.IntValue(int64(p.Parent)), record.IntValue(0), record.TextValue(p.Detail)})
			}
			return nil
		}
		s.rows = inner.prog.Explain()
		return nil
	}
	return nil
}
