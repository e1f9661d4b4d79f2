package wren

import (
	"context"

	"github.com/wrendb/wren/lockqueue"
)

// WithPriority returns a context whose statements jump the lock queue: a
// connection that must wait for a lock (another connection of this process
// is writing, say) waits ahead of every normal waiter, behind only the
// earlier priority ones. Use it for the few requests on a latency-critical
// path; if everything has priority, nothing has.
//
//	ctx := wren.WithPriority(r.Context())
//	_, err := db.ExecContext(ctx, "UPDATE sessions SET seen = ? WHERE id = ?", now, id)
//
// The priority covers lock waits only; it does not make a running
// statement faster. Waits for another process (a sqlite3 shell) are not
// queued and gain nothing.
func WithPriority(ctx context.Context) context.Context { return lockqueue.WithPriority(ctx) }

// IsPriority reports whether ctx was made by WithPriority.
func IsPriority(ctx context.Context) bool { return lockqueue.IsPriority(ctx) }
