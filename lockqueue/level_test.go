package lockqueue

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

func wantLevel(t *testing.T, h *Holder, want osvfs.LockLevel) {
	t.Helper()
	if got := h.Level(); got != want {
		t.Fatalf("level = %v, want %v", got, want)
	}
}

// Ensure that the rollback-mode levels climb and fall as SQLite's do.
func TestLevels(t *testing.T) {
	q := New()
	ctx := context.Background()
	h := q.NewHolder()
	steps := []osvfs.LockLevel{osvfs.LockShared, osvfs.LockReserved, osvfs.LockExclusive}
	for _, l := range steps {
		if err := h.Lock(ctx, l, Wait{}); err != nil {
			t.Fatalf("Lock(%v): %v", l, err)
		}
		wantLevel(t, h, l)
	}
	if err := h.Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
		t.Fatalf("Lock(SHARED) while EXCLUSIVE: %v", err)
	}
	wantLevel(t, h, osvfs.LockExclusive)
	if err := h.Unlock(osvfs.LockShared); err != nil {
		t.Fatal(err)
	}
	wantLevel(t, h, osvfs.LockShared)
	if err := h.Lock(ctx, osvfs.LockPending, Wait{}); err != nil {
		t.Fatal(err)
	}
	wantLevel(t, h, osvfs.LockExclusive)
	if err := h.Unlock(osvfs.LockReserved); !errors.Is(err, resultcode.ErrMisuse) {
		t.Fatalf("Unlock(RESERVED): %v, want misuse", err)
	}
	if err := h.Unlock(osvfs.LockNone); err != nil {
		t.Fatal(err)
	}
	wantLevel(t, h, osvfs.LockNone)
	if err := h.Lock(ctx, osvfs.LockLevel(9), Wait{}); !errors.Is(err, resultcode.ErrMisuse) {
		t.Fatalf("Lock(9): %v, want misuse", err)
	}
}

// Ensure that RESERVED admits one writer and readers alongside it.
func TestReservedOneWriter(t *testing.T) {
	q := New()
	ctx := context.Background()
	w1, w2, r := q.NewHolder(), q.NewHolder(), q.NewHolder()
	for _, h := range []*Holder{w1, w2, r} {
		if err := h.Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w1.Lock(ctx, osvfs.LockReserved, Wait{}); err != nil {
		t.Fatal(err)
	}
	err := w2.Lock(ctx, osvfs.LockReserved, Wait{})
	wantBusy(t, err)
	if !strings.HasPrefix(err.Error(), "database is locked") {
		t.Errorf("message %q does not start with SQLite's", err)
	}
	wantLevel(t, w2, osvfs.LockShared)
	if err := q.NewHolder().Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
		t.Fatalf("new reader beside RESERVED: %v", err)
	}
	if st := q.Stats(); st.Busy != 1 {
		t.Errorf("Busy = %d, want 1", st.Busy)
	}
}

// Ensure that EXCLUSIVE waits for the readers to leave while keeping new
// ones out (PENDING), and is granted by the last reader's Unlock.
func TestExclusiveWaitsForReaders(t *testing.T) {
	q, w, r, done := writerWaitingForReader(t)
	ctx := context.Background()

	newReader := q.NewHolder()
	wantBusy(t, newReader.Lock(ctx, osvfs.LockShared, Wait{}))
	wantLevel(t, w, osvfs.LockReserved)

	if err := r.Unlock(osvfs.LockNone); err != nil {
		t.Fatal(err)
	}
	wantLevel(t, w, osvfs.LockExclusive)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := w.Unlock(osvfs.LockShared); err != nil {
		t.Fatal(err)
	}
	if err := newReader.Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
		t.Fatalf("reader after the writer's commit: %v", err)
	}
}

// Ensure that a reader asking for RESERVED while the RESERVED holder waits
// for EXCLUSIVE is refused at once (SQLite's deadlock rule), and the writer
// proceeds once the reader gives up.
func TestDeadlockReaderAsksReserved(t *testing.T) {
	q, w, r, done := writerWaitingForReader(t)
	ctx := context.Background()

	err := r.Lock(ctx, osvfs.LockReserved, forever)
	wantBusy(t, err)
	if !strings.Contains(err.Error(), "deadlock") {
		t.Errorf("error %q does not say why", err)
	}
	wantLevel(t, r, osvfs.LockShared)
	if st := q.Stats(); st.Deadlocks != 1 || st.Queued != 1 {
		t.Errorf("stats: %v", st)
	}
	r.Unlock(osvfs.LockNone)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantLevel(t, w, osvfs.LockExclusive)
}

// Ensure the same deadlock in the other order of arrival: the reader already
// waits for RESERVED when the writer asks for EXCLUSIVE. The reader is
// refused (woken with the error), and the writer waits for it to leave.
func TestDeadlockWriterAsksExclusive(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	w, r := q.NewHolder(), q.NewHolder()
	for _, h := range []*Holder{w, r} {
		if err := h.Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Lock(ctx, osvfs.LockReserved, Wait{}); err != nil {
		t.Fatal(err)
	}
	readerDone := make(chan error, 1)
	go func() { readerDone <- r.Lock(ctx, osvfs.LockReserved, forever) }()
	pw.await(t, r)

	writerDone := make(chan error, 1)
	go func() { writerDone <- w.Lock(ctx, osvfs.LockExclusive, forever) }()
	wantBusy(t, <-readerDone)
	pw.await(t, w)
	wantLevel(t, r, osvfs.LockShared)
	r.Unlock(osvfs.LockNone)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	wantLevel(t, w, osvfs.LockExclusive)
	if st := q.Stats(); st.Deadlocks != 1 {
		t.Errorf("Deadlocks = %d, want 1", st.Deadlocks)
	}
}

// Ensure that an upgrade from shared to exclusive passes a waiter that
// waits for the upgrader's own shared hold, instead of deadlocking behind
// it, and that two upgraders of the same slot do not wait for each other.
func TestUpgrades(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	h1, h2, x := q.NewHolder(), q.NewHolder(), q.NewHolder()
	mustAcquire(t, h1, Slot(0), false)
	mustAcquire(t, h2, Slot(0), false)
	xDone := startWaiting(t, pw, ctx, x, Request{Slots: Slot(0), Exclusive: true, Wait: forever})
	h1Done := startWaiting(t, pw, ctx, h1, Request{Slots: Slot(0), Exclusive: true, Wait: forever})

	// h2 upgrading too would wait for h1, which waits for h2.
	wantBusy(t, h2.Acquire(ctx, Request{Slots: Slot(0), Exclusive: true, Wait: forever}))
	wantHeld(t, h2, Slot(0), 0)

	h2.Release(Slot(0))
	if err := <-h1Done; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, h1, 0, Slot(0))
	wantHeld(t, x, 0, 0)
	h1.Release(Slot(0))
	if err := <-xDone; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, x, 0, Slot(0))
}

// Ensure that a deadlock closed through the queue order is found: a
// priority request queued ahead of a waiter that, through a third holder,
// waits for it.
func TestDeadlockThroughPriority(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	const a, b, c = 0, 1, 2
	y, z, k, h := q.NewHolder(), q.NewHolder(), q.NewHolder(), q.NewHolder()
	mustAcquire(t, y, Slot(a), false)
	mustAcquire(t, z, Slot(b), false)
	mustAcquire(t, k, Slot(c), false)
	yDone := startWaiting(t, pw, ctx, y, Request{Slots: Slot(b), Exclusive: true, Wait: forever}) // y waits for z
	zDone := startWaiting(t, pw, ctx, z, Request{Slots: Slot(c), Exclusive: true, Wait: forever}) // z waits for k

	// h would wait for y (slot a), and z, behind h, would then wait for h.
	err := h.Acquire(WithPriority(ctx), Request{Slots: Slot(a) | Slot(c), Exclusive: true, Wait: forever})
	wantBusy(t, err)
	wantHeld(t, h, 0, 0)

	k.Release(Slot(c))
	if err := <-zDone; err != nil {
		t.Fatal(err)
	}
	z.Release(Slot(b) | Slot(c))
	if err := <-yDone; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, y, Slot(a), Slot(b))
}

// Ensure that a write transaction begun from nothing queues behind the
// writer instead of deadlocking with it: it holds no SHARED while it waits
// for RESERVED.
func TestWriteFromNoneWaits(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	w, r, n := q.NewHolder(), q.NewHolder(), q.NewHolder()
	if err := r.Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Lock(ctx, osvfs.LockReserved, Wait{}); err != nil {
		t.Fatal(err)
	}
	wantLevel(t, w, osvfs.LockReserved)
	wDone := make(chan error, 1)
	go func() { wDone <- w.Lock(ctx, osvfs.LockExclusive, forever) }()
	pw.await(t, w)
	nDone := make(chan error, 1)
	go func() { nDone <- n.Lock(ctx, osvfs.LockReserved, forever) }()
	pw.await(t, n)
	wantLevel(t, n, osvfs.LockNone)

	r.Unlock(osvfs.LockNone)
	if err := <-wDone; err != nil {
		t.Fatal(err)
	}
	w.Unlock(osvfs.LockNone)
	if err := <-nDone; err != nil {
		t.Fatal(err)
	}
	wantLevel(t, n, osvfs.LockReserved)
	if st := q.Stats(); st.Deadlocks != 0 {
		t.Errorf("stats: %v", st)
	}

	// EXCLUSIVE from nothing takes both slots at once, after the readers.
	x := q.NewHolder()
	xDone := make(chan error, 1)
	go func() { xDone <- x.Lock(ctx, osvfs.LockExclusive, forever) }()
	pw.await(t, x)
	n.Unlock(osvfs.LockNone)
	if err := <-xDone; err != nil {
		t.Fatal(err)
	}
	wantLevel(t, x, osvfs.LockExclusive)
}

// Ensure that RESERVED from nothing gives back what it took when the OS
// lock cannot be had.
func TestWriteFromNoneOSFailure(t *testing.T) {
	q := New()
	h := q.NewHolder()
	f := &fakeOS{busyCalls: 1}
	wantBusy(t, h.Lock(context.Background(), osvfs.LockReserved, Wait{TryOS: f.try}))
	wantLevel(t, h, osvfs.LockNone)
	if err := q.NewHolder().Lock(context.Background(), osvfs.LockReserved, Wait{}); err != nil {
		t.Fatal(err)
	}
}

// writerWaitingForReader sets up a queue where w holds RESERVED and waits
// (parked) for EXCLUSIVE, which r's SHARED lock keeps it from; done
// receives the result of w's wait.
func writerWaitingForReader(t *testing.T) (q *Queue, w, r *Holder, done <-chan error) {
	t.Helper()
	q = New()
	pw := watchParks(q)
	ctx := context.Background()
	w, r = q.NewHolder(), q.NewHolder()
	for _, h := range []*Holder{w, r} {
		if err := h.Lock(ctx, osvfs.LockShared, Wait{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Lock(ctx, osvfs.LockReserved, Wait{}); err != nil {
		t.Fatal(err)
	}
	result := make(chan error, 1)
	go func() { result <- w.Lock(ctx, osvfs.LockExclusive, forever) }()
	pw.await(t, w)
	return q, w, r, result
}
