package wren

import (
	"context"
	"sync/atomic"
	"time"
)

// A watch interrupts a connection's statements once a context ends. It
// covers one call (Exec), one Rows' lifetime (Query) or one transaction
// (BeginTx to Commit or Rollback).
//
// The engine clears a connection's interrupt flag when a statement starts
// on an idle connection, as sqlite3_interrupt does, so a single Interrupt
// could be lost if the context ended just before the statement began.
// Once the context has ended the watch therefore interrupts again every
// millisecond until it is stopped.
type watch struct {
	c     *conn
	ctx   context.Context
	stopF func() bool
	done  atomic.Bool
	busy  bool // the busy timeout was shortened to the context's deadline
}

// watch starts watching ctx; it returns nil (a no-op watch) for a context
// that never ends, which costs nothing.
func (c *conn) watch(ctx context.Context) *watch {
	if ctx.Done() == nil {
		return nil
	}
	w := &watch{c: c, ctx: ctx}
	if deadline, ok := ctx.Deadline(); ok {
		if d := busyFor(c.s.busyTimeout, deadline); d < c.s.busyTimeout {
			c.ec.SetBusyTimeout(d)
			w.busy = true
		}
	}
	w.stopF = context.AfterFunc(ctx, w.interrupt)
	return w
}

func (w *watch) interrupt() {
	for !w.done.Load() {
		w.c.ec.Interrupt()
		time.Sleep(time.Millisecond)
	}
}

// stop ends the watch and restores the busy timeout. It is safe on a nil
// watch and safe to call twice.
func (w *watch) stop() {
	if w == nil || w.done.Swap(true) {
		return
	}
	w.stopF()
	if w.busy {
		w.c.ec.SetBusyTimeout(w.c.s.busyTimeout)
	}
}

// busyFor is how long a statement may wait for a lock: the busy timeout,
// or less when the context's deadline comes sooner. It runs a millisecond
// past the deadline, so that the context has ended when the wait gives up
// and the error can say so.
func busyFor(timeout time.Duration, deadline time.Time) time.Duration {
	left := time.Until(deadline) + time.Millisecond
	if left < timeout {
		return max(left, 0)
	}
	return timeout
}
