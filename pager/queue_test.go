package pager

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// queueConfig is one file and mode for the lock-queue tests.
type queueConfig struct {
	name string
	vfs  func(t *testing.T) (osvfs.VFS, string)
	opts Options
}

func memFile(t *testing.T) (osvfs.VFS, string) { return osvfs.NewMem(), "db" }
func unixFile(t *testing.T) (osvfs.VFS, string) {
	return osvfs.NewUnix(), filepath.Join(t.TempDir(), "q.db")
}

var queueConfigs = []queueConfig{
	{"wal-normal-unix", unixFile, Options{PageSize: 512, Create: true, JournalMode: JournalWAL, Synchronous: SyncNormal}},
	{"rollback-off-unix", unixFile, Options{PageSize: 512, Create: true, Synchronous: SyncOff}},
	{"rollback-full-mem", memFile, Options{PageSize: 512, Create: true}},
}

// counterTx adds 1 to the counter at the start of page pgno, in one write
// transaction.
func counterTx(p *Pager, pgno uint32) error {
	if err := p.BeginWrite(); err != nil {
		return err
	}
	pg, err := p.Get(pgno)
	if err == nil {
		err = p.Write(pg)
		if err == nil {
			n := binary.BigEndian.Uint32(pg.Data()[200:])
			binary.BigEndian.PutUint32(pg.Data()[200:], n+1)
		}
		pg.Release()
	}
	if err == nil {
		err = p.Commit()
	}
	if err != nil {
		p.Rollback()
	}
	return err
}

// initCounters creates a database of n pages whose counters are zero, and
// makes sure a WAL database is in WAL mode already.
func initCounters(t *testing.T, vfs osvfs.VFS, name string, opts Options, n uint32) {
	t.Helper()
	p := mustOpen(t, vfs, name, opts)
	m := make(model)
	for pgno := uint32(1); pgno <= n; pgno++ {
		m[pgno] = make([]byte, 512)
	}
	mustCommitPages(t, p, m)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// Many connections of one process write to one file at once, one page per
// transaction: with a busy timeout none of them ever sees "database is
// locked", no update is lost, and the waits went through the queue.
func TestQueueManyWriters(t *testing.T) {
	for _, cfg := range queueConfigs {
		for _, workers := range []int{8, 16, 64} {
			t.Run(fmt.Sprintf("%s/%d", cfg.name, workers), func(t *testing.T) {
				vfs, name := cfg.vfs(t)
				initCounters(t, vfs, name, cfg.opts, 4)
				opts := cfg.opts
				opts.BusyTimeout = 5 * time.Second
				pagers := make([]*Pager, workers)
				for i := range pagers {
					pagers[i] = mustOpen(t, vfs, name, opts)
				}
				const total = 500
				var wg sync.WaitGroup
				errs := make(chan error, workers)
				for i, p := range pagers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for tx := i; tx < total; tx += workers {
							if err := counterTx(p, uint32(2+tx%3)); err != nil {
								errs <- fmt.Errorf("worker %d, transaction %d: %w", i, tx, err)
								return
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Error(err)
				}
				sum := uint32(0)
				if err := pagers[0].BeginRead(); err != nil {
					t.Fatal(err)
				}
				for pgno := uint32(2); pgno <= 4; pgno++ {
					pg, err := pagers[0].Get(pgno)
					if err != nil {
						t.Fatal(err)
					}
					sum += binary.BigEndian.Uint32(pg.Data()[200:])
					pg.Release()
				}
				pagers[0].EndRead()
				if sum != total {
					t.Errorf("counters add up to %d after %d transactions", sum, total)
				}
				st := pagers[0].LockStats()
				t.Logf("lock queue: %v", st)
				// (In WAL mode Busy counts the WAL's try-locks on read
				// marks, which fall back to another mark by design.)
				if st.Timeouts != 0 || st.Deadlocks != 0 || st.Busy != 0 && cfg.opts.JournalMode != JournalWAL {
					t.Errorf("refused lock requests: %v", st)
				}
				if st.Waits == 0 {
					t.Errorf("%d writers never waited in the queue: %v", workers, st)
				}
			})
		}
	}
}

// waitQueued waits until n requests are queued on p's file (the test's
// way of knowing a goroutine has arrived in the queue; no clock involved).
func waitQueued(t *testing.T, p *Pager, n int) {
	t.Helper()
	for p.LockStats().Queued < n {
		time.Sleep(100 * time.Microsecond)
	}
}

// Writers waiting for the lock are served in the order they arrived.
func TestQueueServesWritersInArrivalOrder(t *testing.T) {
	for _, cfg := range queueConfigs {
		t.Run(cfg.name, func(t *testing.T) {
			vfs, name := cfg.vfs(t)
			initCounters(t, vfs, name, cfg.opts, 4)
			opts := cfg.opts
			opts.BusyTimeout = 10 * time.Second
			first := mustOpen(t, vfs, name, opts)
			if err := first.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var order []int
			var wg sync.WaitGroup
			const waiters = 5
			for i := 1; i <= waiters; i++ {
				p := mustOpen(t, vfs, name, opts)
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := p.BeginWrite(); err != nil {
						t.Errorf("waiter %d: %v", i, err)
						return
					}
					mu.Lock()
					order = append(order, i)
					mu.Unlock()
					if err := p.Rollback(); err != nil {
						t.Errorf("waiter %d: %v", i, err)
					}
				}()
				waitQueued(t, first, i)
			}
			if err := first.Commit(); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			if d := cmp.Diff([]int{1, 2, 3, 4, 5}, order); d != "" {
				t.Errorf("order served (-arrival +served):\n%s", d)
			}
		})
	}
}

// In WAL mode a reader never waits for the writer, even one that has
// changed pages.
func TestQueueWALReadersDoNotWait(t *testing.T) {
	vfs := osvfs.NewMem()
	initCounters(t, vfs, "db", walOpts(), 4)
	w := mustOpen(t, vfs, "db", Options{BusyTimeout: 5 * time.Second})
	r := mustOpen(t, vfs, "db", Options{}) // busy timeout 0: must not need to wait
	if err := w.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := setPage(w, 2, stamp(2, 2, 512)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := r.BeginRead(); err != nil {
			t.Fatalf("reader while the writer holds the WAL write lock: %v", err)
		}
		r.EndRead()
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// Rollback mode: a reader that asks to write while the writer waits for it
// to leave (to commit) would deadlock; it is refused at once, and the
// writer then commits once the reader has gone.
func TestQueueUpgradeDeadlockIsBusy(t *testing.T) {
	w, r := writerAndReader(t)
	done := make(chan error)
	go func() { done <- w.Commit() }()
	waitQueued(t, r, 1)
	if err := r.BeginWrite(); !errors.Is(err, resultcode.ErrBusy) {
		t.Errorf("reader upgrading while the writer waits for it: %v, want ErrBusy", err)
	}
	if st := r.LockStats(); st.Deadlocks != 1 {
		t.Errorf("deadlocks counted: %d, want 1", st.Deadlocks)
	}
	r.EndRead()
	if err := <-done; err != nil {
		t.Fatalf("writer's commit after the reader left: %v", err)
	}
}

// A context bounds a lock wait: its deadline or cancellation ends it with
// an error that wraps the context's error.
func TestQueueContextEndsWait(t *testing.T) {
	for _, cfg := range queueConfigs {
		t.Run(cfg.name, func(t *testing.T) {
			vfs, name := cfg.vfs(t)
			initCounters(t, vfs, name, cfg.opts, 4)
			opts := cfg.opts
			opts.BusyTimeout = time.Hour
			holder := mustOpen(t, vfs, name, opts)
			if err := holder.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			p := mustOpen(t, vfs, name, opts)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			err := p.BeginWriteContext(ctx)
			if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, resultcode.ErrBusy) {
				t.Errorf("wait past the context's deadline: %v", err)
			}
			ctx, cancel = context.WithCancel(context.Background())
			go func() {
				waitQueued(t, holder, 1)
				cancel()
			}()
			if err := p.BeginWriteContext(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled wait: %v", err)
			}
			if p.InRead() || p.InWrite() {
				t.Errorf("failed BeginWrite left a transaction open")
			}
			if err := holder.Rollback(); err != nil {
				t.Fatal(err)
			}
			if err := p.BeginWriteContext(context.Background()); err != nil {
				t.Errorf("after the holder let go: %v", err)
			}
			p.Rollback()
		})
	}
}

// A wait with lockqueue.WithPriority goes to the head of the queue.
func TestQueuePriorityWaiterGoesFirst(t *testing.T) {
	for _, cfg := range queueConfigs {
		t.Run(cfg.name, func(t *testing.T) {
			vfs, name := cfg.vfs(t)
			initCounters(t, vfs, name, cfg.opts, 4)
			opts := cfg.opts
			opts.BusyTimeout = 10 * time.Second
			first := mustOpen(t, vfs, name, opts)
			if err := first.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var order []string
			var wg sync.WaitGroup
			for i, who := range []string{"normal-1", "normal-2", "priority"} {
				p := mustOpen(t, vfs, name, opts)
				ctx := context.Background()
				if who == "priority" {
					ctx = lockqueue.WithPriority(ctx)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := p.BeginWriteContext(ctx); err != nil {
						t.Errorf("%s: %v", who, err)
						return
					}
					mu.Lock()
					order = append(order, who)
					mu.Unlock()
					p.Rollback()
				}()
				waitQueued(t, first, i+1)
			}
			if err := first.Rollback(); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			if d := cmp.Diff([]string{"priority", "normal-1", "normal-2"}, order); d != "" {
				t.Errorf("order served (-want +got):\n%s", d)
			}
		})
	}
}

// The same deadlock arising the other way round: the reader waits for
// RESERVED first (a plain wait), then the writer asks for EXCLUSIVE. The
// queue refuses the reader's request, not the writer's.
func TestQueueUpgradeDeadlockVictimIsReader(t *testing.T) {
	w, r := writerAndReader(t)
	upgrade := make(chan error)
	go func() { upgrade <- r.BeginWrite() }()
	waitQueued(t, w, 1)
	commit := make(chan error)
	go func() { commit <- w.Commit() }()
	if err := <-upgrade; !errors.Is(err, resultcode.ErrBusy) {
		t.Errorf("reader's upgrade: %v, want ErrBusy", err)
	}
	r.EndRead()
	if err := <-commit; err != nil {
		t.Errorf("writer's commit: %v", err)
	}
}

// writerAndReader opens two connections to one database (in rollback
// mode, waiting up to 10 s for locks): r inside a read transaction and w
// inside a write transaction that has changed page 2.
func writerAndReader(t *testing.T) (w, r *Pager) {
	t.Helper()
	vfs := osvfs.NewMem()
	opts := Options{PageSize: 512, Create: true, BusyTimeout: 10 * time.Second}
	initCounters(t, vfs, "db", opts, 4)
	w = mustOpen(t, vfs, "db", opts)
	r = mustOpen(t, vfs, "db", opts)
	if err := r.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if err := w.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := setPage(w, 2, stamp(2, 2, 512)); err != nil {
		t.Fatal(err)
	}
	return w, r
}
