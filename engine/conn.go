package engine

import (
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wrendb/wren/btree"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// Conn is one connection to a Database. A Conn is not safe for concurrent
// use, except Interrupt.
type Conn struct {
	db  *Database
	pg  *pager.Pager
	bt  *btree.BTree
	sch *schema.Schema

	funcs *vdbe.Registry

	// Transaction state.
	explicit    bool // inside BEGIN (or a SAVEPOINT that started the transaction)
	inRead      bool
	inWrite     bool
	schemaDirty bool // sch is an unpublished clone edited by DDL
	savepoints  []savepoint
	active      int // statements started and not yet reset

	changes, totalChanges, lastRowid int64
	interrupt                        atomic.Bool
	busyTimeout                      time.Duration
	closed                           bool
	foreignKeys                      bool
	deferredFK                       int64 // outstanding deferred foreign key violations (pragma_fkey.go)
	deferFKs                         bool  // PRAGMA defer_foreign_keys, until the transaction ends
	cacheSize                        int
	tempViews                        map[string]*schema.View
	sorterMemory                     int // bytes a sorter keeps before spilling; 0: the default
	locks                            lockState
}

// savepoint is a user SAVEPOINT; starter marks the one that began the
// transaction (RELEASE of it commits).
type savepoint struct {
	name    string
	starter bool
	sch     *schema.Schema
	dirty   bool
	fk      int64 // deferred foreign key violations when it was opened
}

// Connect opens a connection. It does no I/O when a closed connection
// left its pager behind (pagerpool.go), and none beyond opening the file
// otherwise.
func (db *Database) Connect() (*Conn, error) {
	db.mu.Lock()
	closed := db.closed
	db.mu.Unlock()
	if closed {
		return nil, resultcode.New(resultcode.Misuse, "database is closed")
	}
	pg, err := db.takePager()
	if err != nil {
		return nil, err
	}
	bt, err := btree.Open(pg)
	if err != nil {
		pg.Close()
		return nil, err
	}
	c := &Conn{db: db, pg: pg, bt: bt, sch: db.schema.Load(), funcs: vdbe.Builtins(), busyTimeout: db.cfg.BusyTimeout}
	db.mu.Lock()
	db.conns++
	db.mu.Unlock()
	return c, nil
}

// Close closes the connection, rolling back an open transaction.
func (c *Conn) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	if c.inWrite {
		c.bt.Rollback()
	}
	err := c.db.givePager(c.pg)
	c.db.mu.Lock()
	c.db.conns--
	c.db.mu.Unlock()
	return err
}

// Interrupt makes the running statement fail with SQLITE_INTERRUPT. It is
// safe to call from another goroutine.
func (c *Conn) Interrupt() { c.interrupt.Store(true) }

// AutoCommit reports whether no explicit transaction is open.
func (c *Conn) AutoCommit() bool { return !c.explicit }

// Changes is the number of rows the last INSERT, UPDATE or DELETE changed.
func (c *Conn) Changes() int64 { return c.changes }

// TotalChanges is the number of rows changed since the connection opened.
func (c *Conn) TotalChanges() int64 { return c.totalChanges }

// LastInsertRowid is the rowid of the last row inserted.
func (c *Conn) LastInsertRowid() int64 { return c.lastRowid }

// SetLastInsertRowid is called by the VM as rows are inserted.
func (c *Conn) SetLastInsertRowid(id int64) { c.lastRowid = id }

// SetBusyTimeout sets how long to wait for a lock.
func (c *Conn) SetBusyTimeout(d time.Duration) {
	c.busyTimeout = d
	c.pg.SetBusyTimeout(d)
}

// tempVFS holds sorter spill files.
var tempVFS osvfs.VFS = osvfs.NewUnix()

// compileSchema is the schema statements compile against: the
// connection's schema plus its TEMP views.
func (c *Conn) compileSchema() *schema.Schema {
	if len(c.tempViews) == 0 {
		return c.sch
	}
	s := c.sch.Clone()
	for k, v := range c.tempViews {
		if s.Tables[k] == nil {
			s.Views[k] = v
		}
	}
	return s
}

// Schema returns the schema the connection currently sees.
func (c *Conn) Schema() *schema.Schema { return c.sch }

// Prepare compiles the first statement of sql and returns the rest. stmt
// is nil when sql holds only comments and whitespace.
func (c *Conn) Prepare(sql string) (*Stmt, string, error) {
	if c.closed {
		return nil, "", resultcode.New(resultcode.Misuse, "connection is closed")
	}
	st, tail, err := parser.Parse(sql)
	if err != nil {
		return nil, "", parseError(err)
	}
	if st == nil {
		return nil, tail, nil
	}
	text := sql[:len(sql)-len(tail)]
	s := &Stmt{c: c, sql: strings.TrimSpace(text), ast: st}
	if err := s.prepare(); err != nil {
		return nil, tail, err
	}
	return s, tail, nil
}

func parseError(err error) error {
	var pe *parser.Error
	if errors.As(err, &pe) {
		return resultcode.New(resultcode.Error, pe.Msg)
	}
	if resultcode.Of(err) != resultcode.OK {
		return err
	}
	return resultcode.Wrap(resultcode.Error, err)
}

// Exec runs every statement of sql, binding args to the first statement
// that has parameters.
func (c *Conn) Exec(sql string, args ...record.Value) error {
	for {
		s, tail, err := c.Prepare(sql)
		if err != nil {
			return err
		}
		if s != nil {
			if len(args) > 0 && s.ParamCount() > 0 {
				for i, a := range args {
					if i >= s.ParamCount() {
						break
					}
					if err := s.Bind(i+1, a); err != nil {
						s.Close()
						return err
					}
				}
				args = nil
			}
			for {
				row, err := s.Step()
				if err != nil {
					s.Close()
					return err
				}
				if !row {
					break
				}
			}
			s.Close()
		}
		if strings.TrimSpace(tail) == "" {
			return nil
		}
		sql = tail
	}
}

// beginRead starts a read transaction if none is open, and makes sure the
// connection's schema matches the file's.
func (c *Conn) beginRead() error {
	if c.inRead || c.inWrite {
		return nil
	}
	if err := c.lockRead(); err != nil {
		return err
	}
	c.inRead = true
	if err := c.checkSchema(); err != nil {
		c.endTx(false)
		return err
	}
	return nil
}

// beginWrite starts (or upgrades to) a write transaction.
func (c *Conn) beginWrite() error {
	if c.inWrite {
		return nil
	}
	if c.db.cfg.ReadOnly {
		return resultcode.New(resultcode.ReadOnly, "attempt to write a readonly database")
	}
	wasRead := c.inRead
	if err := c.lockWrite(); err != nil {
		return err
	}
	c.inWrite = true
	c.inRead = false
	if !wasRead {
		if err := c.checkSchema(); err != nil {
			c.endTx(false)
			return err
		}
	}
	// User savepoints named before the first write become real now: no
	// change happened before them.
	if n := len(c.savepoints); n > 0 {
		if err := c.bt.OpenSavepoint(n); err != nil {
			return err
		}
	}
	return nil
}

// endTx commits (or rolls back) the transaction and resets the state.
func (c *Conn) endTx(commit bool) error {
	var err error
	switch {
	case c.inWrite && commit:
		err = c.commitWrite()
		if err != nil {
			return err
		}
		if c.schemaDirty {
			c.db.schema.Store(c.sch)
		}
	case c.inWrite:
		err = c.bt.Rollback()
		if c.schemaDirty {
			c.sch = c.db.schema.Load()
		}
	case c.inRead:
		err = c.bt.EndRead()
	}
	c.inRead, c.inWrite = false, false
	c.deferredFK = 0
	c.deferFKs = false
	c.schemaDirty = false
	c.explicit = false
	c.savepoints = nil
	return err
}

// checkSchema adopts or reloads the schema when the file's cookie differs
// from the connection's.
func (c *Conn) checkSchema() error {
	cookie := c.pg.HeaderUint32(40)
	if c.pg.PageCount() == 0 {
		cookie = 0
	}
	if cookie == c.sch.Cookie && !c.schemaDirty {
		c.db.schemaRead.Store(true)
		return nil
	}
	if pub := c.db.schema.Load(); pub.Cookie == cookie {
		c.sch = pub
		c.db.schemaRead.Store(true)
		return nil
	}
	s, err := c.loadSchema()
	if err != nil {
		return err
	}
	s.Cookie = cookie
	c.sch = s
	c.db.schema.Store(s)
	c.db.schemaRead.Store(true)
	return nil
}

// loadSchema reads sqlite_schema.
func (c *Conn) loadSchema() (*schema.Schema, error) {
	if c.pg.PageCount() == 0 {
		return schema.New(), nil
	}
	cur, err := c.bt.OpenTable(1)
	if err != nil {
		return nil, err
	}
	defer cur.Close()
	var rows []schema.Row
	var vals []record.Value
	ok, err := cur.First()
	for ; err == nil && ok; ok, err = cur.Next() {
		p, err := cur.Payload(nil)
		if err != nil {
			return nil, err
		}
		vals, err = record.DecodeRecord(p, vals[:0])
		if err != nil {
			return nil, err
		}
		for len(vals) < 5 {
			vals = append(vals, record.Value{})
		}
		rows = append(rows, schema.Row{
			Type: string(vals[0].Bytes), Name: string(vals[1].Bytes), TableName: string(vals[2].Bytes),
			Root: uint32(vals[3].Int), SQL: string(vals[4].Bytes), HasSQL: vals[4].Kind == record.Text,
		})
	}
	if err != nil {
		return nil, err
	}
	s, err := schema.Build(rows, 0)
	if err != nil {
		return nil, err
	}
	s.FileFormat = c.pg.HeaderUint32(44)
	return s, nil
}
