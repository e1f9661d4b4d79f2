package lockqueue

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// stressContext bounds a stress test, so that a lost wake-up fails the test
// instead of hanging it. No assertion depends on the time taken.
func stressContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Ensure mutual exclusion and progress under heavy contention: 64
// goroutines each take 500 locks, shared or exclusive, some with priority,
// some on two slots at once.
func TestStressMutualExclusion(t *testing.T) {
	const goroutines, rounds = 64, 500
	q := New()
	ctx := stressContext(t)
	var readers, writers [2]atomic.Int32
	var violations atomic.Int32
	completed := make([]int, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := q.NewHolder()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for range rounds {
				slots := Slot(rng.IntN(2))
				if rng.IntN(8) == 0 {
					slots = Slot(0) | Slot(1)
				}
				excl := rng.IntN(3) == 0
				c := ctx
				if rng.IntN(6) == 0 {
					c = WithPriority(ctx)
				}
				if err := h.Acquire(c, Request{Slots: slots, Exclusive: excl, Wait: forever}); err != nil {
					t.Errorf("goroutine %d: %v", g, err)
					return
				}
				for i := range 2 {
					if !slots.Has(i) {
						continue
					}
					if excl {
						if writers[i].Add(1) != 1 || readers[i].Load() != 0 {
							violations.Add(1)
						}
					} else if readers[i].Add(1); writers[i].Load() != 0 {
						violations.Add(1)
					}
				}
				runtime.Gosched()
				for i := range 2 {
					if slots.Has(i) {
						if excl {
							writers[i].Add(-1)
						} else {
							readers[i].Add(-1)
						}
					}
				}
				h.Release(slots)
				completed[g]++
			}
		}()
	}
	wg.Wait()
	if v := violations.Load(); v != 0 {
		t.Errorf("%d mutual exclusion violations", v)
	}
	for g, n := range completed {
		if n != rounds {
			t.Errorf("goroutine %d completed %d of %d", g, n, rounds)
		}
	}
	st := q.Stats()
	if st.Acquisitions != goroutines*rounds || st.Queued != 0 || st.Timeouts+st.Cancels+st.Deadlocks != 0 {
		t.Errorf("stats: %v", st)
	}
	if q.sharedHeld|q.exclHeld != 0 || q.head != nil {
		t.Errorf("queue not empty at the end: shared %v exclusive %v", q.sharedHeld, q.exclHeld)
	}
	t.Logf("%v", st)
}

// Ensure SQLite's rollback-mode rules under contention: read-then-write
// transactions through SHARED, RESERVED and EXCLUSIVE, where readers that
// would deadlock with the writer are refused and retry. At most one holder
// is above SHARED, and EXCLUSIVE is never held beside a reader.
func TestStressRollbackTransactions(t *testing.T) {
	const goroutines, txns = 32, 100
	q := New()
	ctx := stressContext(t)
	var shared, reserved, exclusive atomic.Int32
	var violations, retries atomic.Int32
	holders := make([]*Holder, goroutines)
	for g := range holders {
		holders[g] = q.NewHolder()
	}
	// Meanwhile, the bookkeeping is checked again and again.
	stop := make(chan struct{})
	checked := make(chan error, 1)
	go func() {
		for {
			if err := checkInvariants(q, holders); err != nil {
				checked <- err
				return
			}
			select {
			case <-stop:
				checked <- nil
				return
			default:
				runtime.Gosched()
			}
		}
	}()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := holders[g]
			rng := rand.New(rand.NewPCG(uint64(g), 11))
			lock := func(l osvfs.LockLevel) error { return h.Lock(ctx, l, forever) }
			for done := 0; done < txns; {
				if err := lock(osvfs.LockShared); err != nil {
					t.Errorf("SHARED: %v", err)
					return
				}
				shared.Add(1)
				if exclusive.Load() != 0 {
					violations.Add(1)
				}
				runtime.Gosched()
				if rng.IntN(3) == 0 { // a read-only transaction
					shared.Add(-1)
					h.Unlock(osvfs.LockNone)
					done++
					continue
				}
				if err := lock(osvfs.LockReserved); err != nil {
					if !errors.Is(err, resultcode.ErrBusy) {
						t.Errorf("RESERVED: %v", err)
						return
					}
					// Refused to avoid a deadlock: roll back, retry.
					shared.Add(-1)
					h.Unlock(osvfs.LockNone)
					retries.Add(1)
					continue
				}
				if reserved.Add(1) != 1 {
					violations.Add(1)
				}
				runtime.Gosched()
				if err := lock(osvfs.LockExclusive); err != nil {
					t.Errorf("EXCLUSIVE: %v", err)
					return
				}
				if exclusive.Add(1) != 1 || shared.Load() != 1 {
					violations.Add(1)
				}
				exclusive.Add(-1)
				reserved.Add(-1)
				shared.Add(-1)
				h.Unlock(osvfs.LockNone)
				done++
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err := <-checked; err != nil {
		t.Error(err)
	}
	if v := violations.Load(); v != 0 {
		t.Errorf("%d lock rule violations", v)
	}
	st := q.Stats()
	if st.Deadlocks != int64(retries.Load()) || st.Queued != 0 {
		t.Errorf("retries %d, stats: %v", retries.Load(), st)
	}
	t.Logf("%d deadlock retries; %v", retries.Load(), st)
}

// Ensure that in WAL mode readers never wait for the writer: a reader's
// READ slot is granted at once, with no waiting allowed, while the WRITE
// slot is held and other writers queue for it.
func TestWALReadersNeverWait(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	writer := q.NewHolder()
	mustAcquire(t, writer, WALSlots(WALWrite, 1), true)
	mustAcquire(t, writer, WALSlots(WALRead0, 1), false)
	second := q.NewHolder()
	done := startWaiting(t, pw, ctx, second, Request{Slots: WALSlots(WALWrite, 1), Exclusive: true, Wait: forever})
	for i := range WALReadCount {
		r := q.NewHolder()
		if err := r.Acquire(ctx, Request{Slots: WALSlots(WALRead0+i, 1)}); err != nil {
			t.Fatalf("reader on READ%d: %v", i, err)
		}
		r.Close()
	}
	writer.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Ensure that write transactions begun from nothing (autocommit writes,
// BEGIN IMMEDIATE) never fail under contention, whatever the number of
// writers, with readers coming and going: they queue for each other.
func TestStressWriteTransactions(t *testing.T) {
	for _, writers := range []int{8, 16, 64} {
		q := New()
		ctx := stressContext(t)
		const txns = 500
		var failures atomic.Int32
		var inWrite atomic.Int32
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for g := range 2 { // readers
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := q.NewHolder()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := h.Lock(ctx, osvfs.LockShared, forever); err != nil {
						t.Errorf("reader %d: %v", g, err)
						return
					}
					runtime.Gosched()
					h.Unlock(osvfs.LockNone)
				}
			}()
		}
		var writersWG sync.WaitGroup
		for range writers {
			writersWG.Add(1)
			go func() {
				defer writersWG.Done()
				h := q.NewHolder()
				for range txns {
					if err := h.Lock(ctx, osvfs.LockReserved, forever); err != nil {
						failures.Add(1)
						continue
					}
					if inWrite.Add(1) != 1 {
						failures.Add(1)
					}
					if err := h.Lock(ctx, osvfs.LockExclusive, forever); err != nil {
						failures.Add(1)
					}
					inWrite.Add(-1)
					h.Unlock(osvfs.LockNone)
				}
			}()
		}
		writersWG.Wait()
		close(stop)
		wg.Wait()
		if f := failures.Load(); f != 0 {
			t.Errorf("%d writers: %d failures", writers, f)
		}
		if st := q.Stats(); st.Deadlocks+st.Timeouts+st.Busy != 0 || st.Queued != 0 {
			t.Errorf("%d writers: stats %v", writers, st)
		}
	}
}
