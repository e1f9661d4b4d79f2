package engine

import (
	"context"
	"time"

	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/resultcode"
)

// How a connection waits for locks. It never sleeps and retries: every
// wait happens in the pager, which parks the connection in the file's lock
// queue (package lockqueue) until the lock is released to it in arrival
// order, the busy timeout runs out, or the statement's context ends. A
// context ended by its deadline gives an error wrapping both
// resultcode.ErrBusy and context.DeadlineExceeded; a cancelled one wraps
// context.Canceled. A deferred transaction whose WAL snapshot went stale
// (it read, another connection committed, then it wanted to write) fails at
// once with resultcode.BusySnapshot: waiting cannot help it, only starting
// over (or BEGIN IMMEDIATE) can.

// lockState is the part of a Conn that bounds its lock waits.
type lockState struct {
	ctx context.Context // the running statement's context; nil: none
}

// SetContext sets the context that bounds the lock waits of the
// statements the connection runs from now on, and that carries their
// priority in the lock queue (lockqueue.WithPriority). The database/sql
// driver sets it around every call; nil means context.Background.
func (c *Conn) SetContext(ctx context.Context) { c.locks.ctx = ctx }

// Context is the context set by SetContext, or context.Background.
func (c *Conn) Context() context.Context {
	if c.locks.ctx == nil {
		return context.Background()
	}
	return c.locks.ctx
}

// BusyTimeout is how long a lock wait may last (PRAGMA busy_timeout).
func (c *Conn) BusyTimeout() time.Duration { return c.busyTimeout }

// lockRead starts the read transaction: the pager takes its locks (waiting
// in the queue, bounded by the context), then the b-tree loads its settings
// (its BeginRead finds the pager's transaction open).
func (c *Conn) lockRead() error {
	if err := c.pg.BeginReadContext(c.Context()); err != nil {
		return err
	}
	return c.bt.BeginRead()
}

// lockWrite starts (or upgrades to) the write transaction, as lockRead.
//
// A write transaction begun from nothing has read nothing, so a stale
// snapshot cannot hurt it: SQLite's b-tree layer starts such a transaction
// over when the WAL says BUSY_SNAPSHOT, and so does lockWrite, until the
// busy timeout or the context ends. This is not a busy loop: every try
// waits in the pager (in the lock queue, or backing off against the other
// process whose commits outdated the snapshot). The pager tries a fresh
// snapshot only three times by itself, which a sqlite3 process committing
// every few milliseconds can defeat. A transaction that did read (BEGIN,
// SELECT, then a write) gets BUSY_SNAPSHOT at once, as in SQLite.
func (c *Conn) lockWrite() error {
	fromNothing := !c.pg.InRead()
	ctx := c.Context()
	deadline := time.Now().Add(c.busyTimeout)
	for {
		err := c.pg.BeginWriteContext(ctx)
		if err == nil {
			break
		}
		if !fromNothing || resultcode.Of(err) != resultcode.BusySnapshot || ctx.Err() != nil || !time.Now().Before(deadline) {
			return err
		}
	}
	return c.bt.BeginWrite()
}

// commitWrite commits the write transaction. In WAL mode a commit waits
// for nothing (the writer already holds the WAL's WRITE lock); in rollback
// mode the wait for EXCLUSIVE is bounded by the busy timeout, which the
// driver shortens to the context's deadline.
func (c *Conn) commitWrite() error { return c.bt.Commit() }

// LockStats returns the statistics of the lock queue of the connection's
// database file (shared by every connection of the process to that file).
func (c *Conn) LockStats() lockqueue.Stats { return c.pg.LockStats() }
