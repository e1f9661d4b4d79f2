package wren

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// tx is a database/sql transaction: BEGIN on the connection, ended by
// COMMIT or ROLLBACK.
type tx struct {
	c *conn
}

// BeginTx begins a transaction. SQLite's transactions are serializable,
// so the default level and sql.LevelSerializable are accepted and every
// weaker level is refused rather than silently strengthened. A ReadOnly
// transaction refuses writes with SQLite's "attempt to write a readonly
// database". ctx bounds the whole transaction: when it ends, the running
// statement is interrupted (database/sql then rolls back).
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.closed {
		return nil, errClosed
	}
	switch level := sql.IsolationLevel(opts.Isolation); level {
	case sql.LevelDefault, sql.LevelSerializable:
	default:
		return nil, fmt.Errorf("wren: isolation level %v is not supported: SQLite transactions are serializable", level)
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	begin := c.s.txLock.begin()
	if opts.ReadOnly {
		begin = "BEGIN" // a read-only transaction never needs the write lock
	}
	w := c.watch(ctx)
	err := c.execSimple(ctx, begin)
	if err != nil {
		w.stop()
		return nil, err
	}
	c.inTx, c.readOnlyTx = true, opts.ReadOnly
	c.txWatch, c.txCtx = w, ctx
	return &tx{c: c}, nil
}

// Commit commits the transaction.
func (t *tx) Commit() error { return t.end("COMMIT") }

// Rollback rolls the transaction back.
func (t *tx) Rollback() error { return t.end("ROLLBACK") }

func (t *tx) end(sqlText string) error {
	c := t.c
	if c.closed {
		return errClosed
	}
	if !c.inTx {
		return errNoTx
	}
	// Rows still open belong to the transaction; they end with it, as
	// database/sql expects.
	for len(c.rows) > 0 {
		c.rows[0].abandon(errTxEnded)
	}
	c.inTx, c.readOnlyTx = false, false
	w := c.txWatch
	c.txWatch, c.txCtx = nil, nil
	w.stop()
	err := c.execSimple(context.Background(), sqlText)
	if err != nil && sqlText == "ROLLBACK" && c.ec.AutoCommit() {
		// A statement's ON CONFLICT ROLLBACK already ended it.
		return nil
	}
	if err != nil && !c.ec.AutoCommit() {
		// COMMIT failed (the database stayed locked, say): the
		// transaction is still open, and database/sql is done with it.
		if rbErr := c.execSimple(context.Background(), "ROLLBACK"); rbErr != nil {
			c.bad = true
		}
	}
	return err
}
