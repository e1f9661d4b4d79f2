package engine

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wrendb/wren/lockqueue"
)

// BenchmarkLockPriority measures what a priority context buys under
// contention: 16 connections commit single-row BEGIN IMMEDIATE
// transactions on one WAL database (synchronous=NORMAL), 2 of them with
// lockqueue.WithPriority, and it reports the p50 and p99 latency of one
// transaction for each group. Run with -benchtime=1x.
func BenchmarkLockPriority(b *testing.B) {
	const conns, priority, perConn = 16, 2, 300
	var mu sync.Mutex
	var prio, normal []time.Duration
	for range b.N {
		db, err := Open(filepath.Join(b.TempDir(), "prio.db"), Config{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		setup, err := db.Connect()
		if err != nil {
			b.Fatal(err)
		}
		if err := setup.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, c INTEGER)"); err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range conns {
			c, err := db.Connect()
			if err != nil {
				b.Fatal(err)
			}
			c.Exec("PRAGMA synchronous=normal")
			if i < priority {
				c.SetContext(lockqueue.WithPriority(context.Background()))
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				mine := make([]time.Duration, 0, perConn)
				for range perConn {
					t0 := time.Now()
					if err := c.Exec("BEGIN IMMEDIATE; INSERT INTO t(c) VALUES(1); COMMIT"); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				if i < priority {
					prio = append(prio, mine...)
				} else {
					normal = append(normal, mine...)
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		setup.Close()
		db.Close()
	}
	pct := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[min(int(float64(len(d))*p), len(d)-1)].Microseconds())
	}
	b.ReportMetric(pct(prio, 0.50), "priority-p50-µs")
	b.ReportMetric(pct(prio, 0.99), "priority-p99-µs")
	b.ReportMetric(pct(normal, 0.50), "normal-p50-µs")
	b.ReportMetric(pct(normal, 0.99), "normal-p99-µs")
}
