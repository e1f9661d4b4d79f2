package lockqueue

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wrendb/wren/resultcode"
)

// Ensure that busy_timeout ends a wait with "database is locked" and leaves
// nothing behind in the queue.
func TestBusyTimeout(t *testing.T) {
	q := New()
	ctx := context.Background()
	owner, h := q.NewHolder(), q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)
	err := h.Acquire(ctx, Request{Slots: Slot(0), Wait: Wait{Timeout: time.Millisecond}})
	wantBusy(t, err)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("busy timeout reported as a context deadline: %v", err)
	}
	if code := resultcode.Of(err); code != resultcode.Busy {
		t.Errorf("code %v, want Busy", code)
	}
	st := q.Stats()
	if st.Timeouts != 1 || st.Waits != 1 || st.Queued != 0 || st.TotalWait <= 0 || st.LongestWait != st.TotalWait {
		t.Errorf("stats: %v", st)
	}
	wantHeld(t, h, 0, 0)
	owner.Release(Slot(0))
	mustAcquire(t, h, Slot(0), true)
}

// Ensure that a context deadline and a cancellation end a wait with errors
// that wrap the context's error and carry SQLite's codes.
func TestContextEndsWait(t *testing.T) {
	q := New()
	pw := watchParks(q)
	owner := q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)

	dctx := newManualContext()
	done := startWaiting(t, pw, dctx, q.NewHolder(), Request{Slots: Slot(0), Wait: Wait{Timeout: time.Hour}})
	dctx.end(context.DeadlineExceeded)
	err := <-done
	if !errors.Is(err, context.DeadlineExceeded) || resultcode.Of(err) != resultcode.Busy {
		t.Errorf("deadline: err %v (code %v), want DeadlineExceeded and Busy", err, resultcode.Of(err))
	}

	cctx, cancel2 := context.WithCancel(context.Background())
	h := q.NewHolder()
	done = startWaiting(t, pw, cctx, h, Request{Slots: Slot(0), Wait: forever})
	cancel2()
	err = <-done
	if !errors.Is(err, context.Canceled) || !errors.Is(err, resultcode.ErrInterrupt) {
		t.Errorf("cancel: err %v, want Canceled and Interrupt", err)
	}
	// An already cancelled context is refused before anything happens.
	if err := h.Acquire(cctx, Request{Slots: Slot(1)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	st := q.Stats()
	if st.Timeouts != 1 || st.Cancels != 1 || st.Queued != 0 {
		t.Errorf("stats: %v", st)
	}
}

// Ensure that a waiter that gives up lets the waiters behind it proceed: a
// reader queued behind a writer is served when the writer cancels.
func TestCancelPassesWakeUpOn(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	reader := q.NewHolder()
	mustAcquire(t, reader, Slot(0), false)

	wctx, cancel := context.WithCancel(ctx)
	writer := q.NewHolder()
	writerDone := startWaiting(t, pw, wctx, writer, Request{Slots: Slot(0), Exclusive: true, Wait: forever})
	late := q.NewHolder()
	lateDone := startWaiting(t, pw, ctx, late, Request{Slots: Slot(0), Wait: forever})

	cancel()
	if err := <-writerDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("writer: %v", err)
	}
	if err := <-lateDone; err != nil {
		t.Fatalf("reader behind the cancelled writer: %v", err)
	}
	wantHeld(t, late, Slot(0), 0)
	wantHeld(t, writer, 0, 0)
}

// Ensure that a grant racing with a cancellation is never lost: either the
// waiter holds the lock or it returned an error and holds nothing, and in
// both cases the next request finds a consistent queue.
func TestCancelRacesGrant(t *testing.T) {
	q := New()
	ctx := context.Background()
	owner, h, next := q.NewHolder(), q.NewHolder(), q.NewHolder()
	for range 300 {
		mustAcquire(t, owner, Slot(0), true)
		wctx, cancel := context.WithCancel(ctx)
		done := acquireAsync(wctx, h, Request{Slots: Slot(0), Exclusive: true, Wait: forever})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); cancel() }()
		go func() { defer wg.Done(); owner.Release(Slot(0)) }()
		wg.Wait()
		err := <-done
		_, x := h.Held()
		switch {
		case err == nil && x != Slot(0):
			t.Fatalf("Acquire succeeded but holds %v", x)
		case err != nil && x != 0:
			t.Fatalf("Acquire failed (%v) but holds %v", err, x)
		}
		h.Release(Slot(0))
		if err := next.Acquire(ctx, Request{Slots: Slot(0), Exclusive: true}); err != nil {
			t.Fatalf("after the race: %v (queue %v)", err, q.Stats())
		}
		next.Release(Slot(0))
	}
	if n := q.Len(); n != 0 {
		t.Fatalf("Len = %d", n)
	}
}

// Ensure that one holder cannot wait twice at once.
func TestHolderUsedConcurrently(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx, cancel := context.WithCancel(context.Background())
	owner, h := q.NewHolder(), q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)
	done := startWaiting(t, pw, ctx, h, Request{Slots: Slot(0), Wait: forever})
	if err := h.Acquire(ctx, Request{Slots: Slot(1)}); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("second Acquire on a waiting holder: %v, want misuse", err)
	}
	cancel()
	<-done
}
