package wren

import "context"

// bindContext makes ctx bound the lock waits of the engine statements the
// connection runs until the returned function is called, and carries its
// priority (WithPriority) into the lock queue. The watch (context.go)
// interrupts a running statement; this is what ends a statement's wait for
// a lock when ctx is cancelled or its deadline passes, with an error that
// wraps ctx.Err(), and what puts a priority request at the head of the
// queue.
//
// The driver calls it around every engine Step:
//
//	defer c.bindContext(ctx)()       // execOne
//	defer r.c.bindContext(r.ctx)()   // rows.Next
func (c *conn) bindContext(ctx context.Context) func() {
	c.ec.SetContext(ctx)
	return c.unbindContext
}

func (c *conn) unbindContext() { c.ec.SetContext(nil) }
