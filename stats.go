package wren

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/wrendb/wren/lockqueue"
)

// LockStats says how connections waited for each other's locks: how many
// lock requests were granted, how many had to wait (and of those, how many
// with WithPriority), the total and longest wait, and how waits ended
// (busy timeout or context deadline, cancellation, refused deadlock).
// LockStats.String prints it on one line.
type LockStats = lockqueue.Stats

// Stats returns the lock-queue statistics of the whole process: every
// database file it has opened, since it started. Waits are served in
// arrival order by a queue per file (no sleeping and retrying), so a long
// LongestWait means a long transaction ahead, not bad luck.
func Stats() LockStats { return lockqueue.ProcessStats() }

// DBStats returns the lock-queue statistics of db's database file: the
// waits of every connection of this process to that file (other *sql.DB
// handles on the same file included). It borrows a connection from db's
// pool for a moment, so ctx bounds the wait for one.
func DBStats(ctx context.Context, db *sql.DB) (LockStats, error) {
	sc, err := db.Conn(ctx)
	if err != nil {
		return LockStats{}, err
	}
	defer sc.Close()
	var st LockStats
	err = sc.Raw(func(dc any) error {
		c, ok := dc.(*conn)
		if !ok {
			return fmt.Errorf("wren: DBStats: %T is not a wren connection", dc)
		}
		if c.ec == nil {
			return fmt.Errorf("wren: DBStats: the connection is closed")
		}
		st = c.ec.LockStats()
		return nil
	})
	return st, err
}
