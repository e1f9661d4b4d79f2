package wren_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrendb/wren"
)

// latencies collects per-transaction latencies from many goroutines.
type latencies struct {
	mu  sync.Mutex
	all []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	l.all = append(l.all, d...)
	l.mu.Unlock()
}

// pct returns the p-th percentile (0 < p <= 100).
func (l *latencies) pct(p float64) time.Duration {
	if len(l.all) == 0 {
		return 0
	}
	slices.Sort(l.all)
	i := int(float64(len(l.all))*p/100+0.5) - 1
	return l.all[min(max(i, 0), len(l.all)-1)]
}

// BenchmarkWALWriters is Wren's side of bench/'s "concurrency" workload:
// 8, 16 and 64 goroutines, each with its own connection, each committing
// 500 single-row transactions (BEGIN IMMEDIATE, INSERT, COMMIT) on one WAL
// database, under synchronous=NORMAL and FULL. It reports transactions per
// second, the p50, p99 and largest latency of one transaction (BEGIN to
// COMMIT returned, lock waits included), and the number of failed
// transactions ("database is locked" or any other). Run it with
// -benchtime=1x: one iteration is the whole workload.
func BenchmarkWALWriters(b *testing.B) {
	for _, syncMode := range []string{"normal", "full"} {
		for _, writers := range []int{8, 16, 64} {
			b.Run(fmt.Sprintf("sync=%s/writers=%d", syncMode, writers), func(b *testing.B) {
				const perWriter = 500
				var lat latencies
				var failed atomic.Int64
				var elapsed time.Duration
				for range b.N {
					db, _ := openDB(b, "_txlock=immediate", "_pragma=synchronous("+syncMode+")")
					db.SetMaxOpenConns(writers + 1)
					db.SetMaxIdleConns(writers + 1)
					mustExec(b, db, "CREATE TABLE t(id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
					// Open every connection before the clock starts.
					var warm sync.WaitGroup
					for w := range writers {
						warm.Add(1)
						go func() { defer warm.Done(); insertTx(db, w, -1) }()
					}
					warm.Wait()
					var wg sync.WaitGroup
					start := time.Now()
					for w := range writers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							mine := make([]time.Duration, 0, perWriter)
							for n := range perWriter {
								t0 := time.Now()
								if err := insertTx(db, w, n); err != nil {
									failed.Add(1)
									continue
								}
								mine = append(mine, time.Since(t0))
							}
							lat.add(mine)
						}()
					}
					wg.Wait()
					elapsed += time.Since(start)
					db.Close()
				}
				txs := float64(b.N * writers * perWriter)
				b.ReportMetric(txs/elapsed.Seconds(), "tx/s")
				b.ReportMetric(float64(lat.pct(50).Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat.pct(99).Microseconds()), "p99-µs")
				b.ReportMetric(float64(lat.pct(100).Microseconds()), "max-µs")
				b.ReportMetric(float64(failed.Load()), "errors")
			})
		}
	}
}

// BenchmarkWALPriority measures what wren.WithPriority buys under
// contention: 16 writers commit single-row transactions, two of them with
// priority contexts, and it reports the p99 latency of the priority
// writers' transactions and of the normal writers'. (The test suite
// checks the order of grants, never timings; TestLockGrantPriority.)
func BenchmarkWALPriority(b *testing.B) {
	const writers, priority, perWriter = 16, 2, 300
	var normalLat, prioLat latencies
	for range b.N {
		db, _ := openDB(b, "_txlock=immediate", "_pragma=synchronous(normal)")
		db.SetMaxOpenConns(writers + 1)
		db.SetMaxIdleConns(writers + 1)
		mustExec(b, db, "CREATE TABLE t(id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, lat := context.Background(), &normalLat
				if w < priority {
					ctx, lat = wren.WithPriority(ctx), &prioLat
				}
				mine := make([]time.Duration, 0, perWriter)
				for n := range perWriter {
					t0 := time.Now()
					if err := insertTxContext(ctx, db, w, n); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				lat.add(mine)
			}()
		}
		wg.Wait()
		db.Close()
	}
	b.ReportMetric(float64(prioLat.pct(99).Microseconds()), "priority-p99-µs")
	b.ReportMetric(float64(normalLat.pct(99).Microseconds()), "normal-p99-µs")
	b.ReportMetric(float64(prioLat.pct(50).Microseconds()), "priority-p50-µs")
	b.ReportMetric(float64(normalLat.pct(50).Microseconds()), "normal-p50-µs")
}
