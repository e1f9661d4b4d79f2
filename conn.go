package wren

import (
	"context"
	"database/sql/driver"
	"errors"
	"math"
	"strings"

	"github.com/wrendb/wren/engine"
	"github.com/wrendb/wren/resultcode"
)

// conn is one database/sql connection: an engine connection with its
// statement cache and transaction state. database/sql uses a connection
// from one goroutine at a time; only the context watches reach it from
// others, and they call nothing but engine.Conn.Interrupt.
type conn struct {
	ec        *engine.Conn
	s         *settings
	owner     *Connector       // nil for a private in-memory connection
	privateDB *engine.Database // the ":memory:" database this connection alone uses
	cache     stmtCache

	inTx       bool   // a database/sql transaction is open
	readOnlyTx bool   // ... begun with ReadOnly: writes are refused
	txWatch    *watch // interrupts the transaction's statements when its context ends
	txCtx      context.Context
	rows       []*rows
	spareRows  *rows    // a closed Rows for the next query to reuse
	results    []result // results for the next Execs (see result)

	closeConnector bool // opened by Driver.Open: the connector goes with it
	closed         bool
	bad            bool // a failure left the connection unusable
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

// errClosed is what a closed connection answers; database/sql retries the
// call on another connection.
var errClosed = driver.ErrBadConn

// Prepare implements driver.Conn.
func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares the first statement of query. A query of
// several statements runs them all, each time it is executed.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.closed {
		return nil, errClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	p, tail, err := c.claim(query)
	if err != nil {
		return nil, err
	}
	if p != nil && !isBlank(tail) {
		c.unclaim(p)
		return &stmt{c: c, query: query, multi: true}, nil
	}
	return &stmt{c: c, query: query, p: p}, nil
}

// Close closes the connection, rolling back an open transaction.
func (c *conn) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	c.txWatch.stop()
	for len(c.rows) > 0 {
		c.rows[0].abandon(nil) // removes itself from c.rows
	}
	c.cache.closeAll()
	err := c.ec.Close()
	if c.privateDB != nil {
		c.privateDB.Close()
	}
	if c.closeConnector && c.owner != nil {
		c.owner.Close()
	}
	if c.owner != nil {
		c.owner.release()
	}
	return convertError(nil, err)
}

// Begin implements driver.Conn.
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// Ping reports whether the connection is open.
func (c *conn) Ping(ctx context.Context) error {
	if c.closed || c.bad {
		return errClosed
	}
	return ctx.Err()
}

// ResetSession readies a pooled connection for its next user: a
// transaction left open with a bare BEGIN is rolled back, so that it does
// not leak into unrelated work.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.closed || c.bad {
		return errClosed
	}
	if !c.ec.AutoCommit() && !c.inTx {
		if err := c.execSimple(context.Background(), "ROLLBACK"); err != nil {
			c.bad = true
			return errClosed
		}
	}
	return nil
}

// IsValid reports whether the connection may go back to the pool.
func (c *conn) IsValid() bool { return !c.closed && !c.bad }

// CheckNamedValue converts arguments as described on checkValue. Go's
// integer types other than int64, and float32, are left as they are for
// toValue to convert: making an int64 of them here would box it in a new
// interface, an allocation per argument.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	switch x := nv.Value.(type) {
	case int, int8, int16, int32, uint8, uint16, uint32, float32:
		return nil
	case uint:
		if uint64(x) <= math.MaxInt64 {
			return nil
		}
	case uint64:
		if x <= math.MaxInt64 {
			return nil
		}
	}
	v, err := checkValue(nv.Value)
	if err != nil {
		return err
	}
	nv.Value = v
	return nil
}

// ExecContext runs every statement of query, binding args in order, and
// reports the last INSERT, UPDATE or DELETE's effect.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.closed {
		return nil, errClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	w := c.watch(ctx)
	defer w.stop()
	b := newBinder(args, c.s.timeFormat)
	if err := c.execAll(ctx, query, &b); err != nil {
		return nil, err
	}
	return c.result(), nil
}

// execAll runs each statement of query to completion.
func (c *conn) execAll(ctx context.Context, query string, b *binder) error {
	for {
		p, tail, err := c.claim(query)
		if err != nil {
			return err
		}
		if p != nil {
			err = c.execOne(ctx, p, b, isBlank(tail))
			c.unclaim(p)
			if err != nil {
				return err
			}
		}
		if isBlank(tail) {
			return b.finish()
		}
		query = tail
	}
}

// execOne binds and runs one statement to completion; last says whether
// it is the final statement of the call, when leftover arguments are
// reported before anything runs.
func (c *conn) execOne(ctx context.Context, p *prepared, b *binder, last bool) error {
	if err := b.bind(p.st); err != nil {
		return err
	}
	if last {
		if err := b.finish(); err != nil {
			return err
		}
	}
	if err := c.checkWrite(p); err != nil {
		return err
	}
	defer c.bindContext(ctx)()
	for {
		row, err := p.st.Step()
		if err != nil {
			return c.stepError(ctx, err)
		}
		if !row {
			return nil
		}
	}
}

// checkWrite refuses a writing statement in a read-only transaction, or
// on a connection opened with mode=ro or immutable=1, with the error
// SQLite gives for a write to a read-only database. (The engine shares
// one Database per file, opened as its first user asked, so a read-only
// connection to a file another connection opened read-write is enforced
// here.)
func (c *conn) checkWrite(p *prepared) error {
	if (c.readOnlyTx || c.s.engine.ReadOnly) && !p.st.ReadOnly() {
		return convertError(nil, resultcode.New(resultcode.ReadOnly, "attempt to write a readonly database"))
	}
	return nil
}

// stepError converts a statement's failure, naming the context that
// ended: the statement's own, or else its transaction's.
func (c *conn) stepError(ctx context.Context, err error) error {
	if ctx.Err() == nil && c.txCtx != nil && c.txCtx.Err() != nil {
		ctx = c.txCtx
	}
	return convertError(ctx, err)
}

// execSimple runs SQL without arguments, such as BEGIN or COMMIT.
func (c *conn) execSimple(ctx context.Context, query string) error {
	b := binder{}
	return c.execAll(ctx, query, &b)
}

// result is the outcome of the Exec that just ran. Results are carved
// from a small slab, each used once, so that an Exec does not allocate
// one (a *result is an interface value without boxing).
func (c *conn) result() driver.Result {
	if len(c.results) == 0 {
		c.results = make([]result, 32)
	}
	r := &c.results[0]
	c.results = c.results[1:]
	r.lastID, r.changes = c.ec.LastInsertRowid(), c.ec.Changes()
	return r
}

// QueryContext runs the statements of query before the last one as Exec
// would, and returns the rows of the last.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.closed {
		return nil, errClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	w := c.watch(ctx)
	b := newBinder(args, c.s.timeFormat)
	for {
		p, tail, err := c.claim(query)
		if err != nil {
			w.stop()
			return nil, err
		}
		last := isBlank(tail)
		if p != nil && last {
			r, err := c.startRows(ctx, p, &b, w, true)
			if err != nil {
				c.unclaim(p)
				w.stop()
				return nil, err
			}
			return r, nil
		}
		if p != nil {
			err = c.execOne(ctx, p, &b, false)
			c.unclaim(p)
			if err != nil {
				w.stop()
				return nil, err
			}
		}
		if last {
			// Only comments and blanks: no statement, no rows.
			w.stop()
			if err := b.finish(); err != nil {
				return nil, err
			}
			return &rows{done: true, cols: &columns{}}, nil
		}
		query = tail
	}
}

// startRows binds p and hands it to a Rows; owns says whether the Rows
// gives p back to the cache when it closes (a Stmt keeps its own).
func (c *conn) startRows(ctx context.Context, p *prepared, b *binder, w *watch, owns bool) (*rows, error) {
	if err := b.bind(p.st); err != nil {
		return nil, err
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	if err := c.checkWrite(p); err != nil {
		return nil, err
	}
	p.running = true
	r := newRows(c, ctx, p, w, owns)
	c.rows = append(c.rows, r)
	return r, nil
}

func (c *conn) forgetRows(r *rows) {
	for i, x := range c.rows {
		if x == r {
			c.rows = append(c.rows[:i], c.rows[i+1:]...)
			return
		}
	}
}

// isBlank reports whether s holds no statement: only white space,
// comments and semicolons.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ';':
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return true
			}
			i += j
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return true
			}
			i += j + 3
		default:
			return false
		}
	}
	return true
}

// result is an Exec's outcome: SQLite's last_insert_rowid() and changes().
type result struct {
	lastID, changes int64
}

func (r result) LastInsertId() (int64, error) { return r.lastID, nil }
func (r result) RowsAffected() (int64, error) { return r.changes, nil }

var errNoTx = errors.New("wren: no transaction is open")
