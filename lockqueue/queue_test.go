package lockqueue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure that waiters for an exclusive lock are served in arrival order.
func TestFIFOOrder(t *testing.T) {
	q := New()
	pw := watchParks(q)
	owner := q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)

	const n = 16
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	for i := range n {
		h := q.NewHolder()
		name := fmt.Sprintf("w%d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.Acquire(context.Background(), Request{Slots: Slot(0), Exclusive: true, Wait: forever}); err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			h.Release(Slot(0))
		}()
		pw.await(t, h)
	}
	if got := q.Len(); got != n {
		t.Fatalf("Len = %d, want %d", got, n)
	}
	owner.Release(Slot(0))
	wg.Wait()

	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("w%d", i))
	}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("service order (-want +got):\n%s", diff)
	}
	st := q.Stats()
	if st.Waits != n || st.Acquisitions != n+1 || st.Queued != 0 {
		t.Errorf("stats: %v", st)
	}
}

// Ensure that priority waiters go ahead of normal ones and keep their
// arrival order among themselves, whether they come from the context or
// from Wait.Priority.
func TestPriorityOrder(t *testing.T) {
	q := New()
	pw := watchParks(q)
	owner := q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)

	arrivals := []struct {
		name     string
		ctx      bool // WithPriority
		priority bool // Wait.Priority
	}{
		{"n0", false, false},
		{"n1", false, false},
		{"p0", true, false},
		{"n2", false, false},
		{"p1", false, true},
		{"p2", true, false},
		{"n3", false, false},
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	for _, a := range arrivals {
		h := q.NewHolder()
		ctx := context.Background()
		if a.ctx {
			ctx = WithPriority(ctx)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := forever
			w.Priority = a.priority
			if err := h.Acquire(ctx, Request{Slots: Slot(0), Exclusive: true, Wait: w}); err != nil {
				t.Errorf("%s: %v", a.name, err)
				return
			}
			mu.Lock()
			order = append(order, a.name)
			mu.Unlock()
			h.Release(Slot(0))
		}()
		pw.await(t, h)
	}
	owner.Release(Slot(0))
	wg.Wait()
	want := []string{"p0", "p1", "p2", "n0", "n1", "n2", "n3"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("service order (-want +got):\n%s", diff)
	}
	if st := q.Stats(); st.PriorityWaits != 3 || st.Waits != 7 {
		t.Errorf("stats: %v", st)
	}
}

// Ensure that readers share a slot, that a queued writer keeps later readers
// out, and that the writer gets the slot when the last earlier reader
// leaves.
func TestWriterBlocksLaterReaders(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	readers := []*Holder{q.NewHolder(), q.NewHolder(), q.NewHolder()}
	for _, r := range readers {
		mustAcquire(t, r, Slot(0), false)
	}

	writer := q.NewHolder()
	writerDone := startWaiting(t, pw, ctx, writer, Request{Slots: Slot(0), Exclusive: true, Wait: forever})

	// A reader arriving now waits behind the writer, and one that may not
	// wait is refused.
	if err := q.NewHolder().Acquire(ctx, Request{Slots: Slot(0)}); err == nil {
		t.Fatal("reader with Timeout 0 got in ahead of the queued writer")
	} else {
		wantBusy(t, err)
	}
	late := q.NewHolder()
	lateDone := startWaiting(t, pw, ctx, late, Request{Slots: Slot(0), Wait: forever})

	for i, r := range readers {
		r.Release(Slot(0))
		wantWriter := i == len(readers)-1
		if _, x := writer.Held(); x.Has(0) != wantWriter {
			t.Fatalf("after %d readers left, writer holds exclusive: %v", i+1, x.Has(0))
		}
	}
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, late, 0, 0)
	writer.Release(Slot(0))
	if err := <-lateDone; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, late, Slot(0), 0)
}

// Ensure that a writer's release wakes every reader queued behind it at once
// (they are granted inside Release), but not a writer queued after them.
func TestReleaseWakesAllReaders(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	writer := q.NewHolder()
	mustAcquire(t, writer, Slot(0), true)

	var readers []*Holder
	var dones []<-chan error
	for range 5 {
		r := q.NewHolder()
		readers = append(readers, r)
		dones = append(dones, startWaiting(t, pw, ctx, r, Request{Slots: Slot(0), Wait: forever}))
	}
	writer2 := q.NewHolder()
	w2Done := startWaiting(t, pw, ctx, writer2, Request{Slots: Slot(0), Exclusive: true, Wait: forever})
	// A reader after the second writer stays queued too.
	after := q.NewHolder()
	afterDone := startWaiting(t, pw, ctx, after, Request{Slots: Slot(0), Wait: forever})

	writer.Release(Slot(0))
	for i, r := range readers {
		wantHeld(t, r, Slot(0), 0)
		if err := <-dones[i]; err != nil {
			t.Fatal(err)
		}
	}
	if got := q.Len(); got != 2 {
		t.Fatalf("Len = %d after the readers' wake-up, want 2 (writer2, after)", got)
	}
	for _, r := range readers {
		r.Release(Slot(0))
	}
	if err := <-w2Done; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, after, 0, 0)
	writer2.Release(Slot(0))
	if err := <-afterDone; err != nil {
		t.Fatal(err)
	}
}

// Ensure that requests for other slots are not held up by a queue on one.
func TestOtherSlotsPass(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	owner := q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)
	waiter := q.NewHolder()
	done := startWaiting(t, pw, ctx, waiter, Request{Slots: Slot(0) | Slot(1), Exclusive: true, Wait: forever})

	other := q.NewHolder()
	mustAcquire(t, other, Slot(2), true)
	// Slot 1 is free but queued for by waiter, which comes first.
	if err := other.Acquire(ctx, Request{Slots: Slot(1)}); err == nil {
		t.Fatal("shared slot 1 granted ahead of the queued exclusive request for it")
	}
	owner.Release(Slot(0))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, waiter, 0, Slot(0)|Slot(1))
}

// Ensure that a request for slots already held is granted at once, and that
// misuse is refused rather than corrupting the state.
func TestReacquireAndMisuse(t *testing.T) {
	q := New()
	ctx := context.Background()
	h := q.NewHolder()
	mustAcquire(t, h, Slot(3), true)
	mustAcquire(t, h, Slot(3), false) // exclusive covers shared
	mustAcquire(t, h, Slot(3), true)
	wantHeld(t, h, 0, Slot(3))
	if err := h.Acquire(ctx, Request{Slots: 0}); err == nil {
		t.Error("empty request accepted")
	}
	if err := h.Acquire(ctx, Request{Slots: Slot(MaxSlots)}); err == nil {
		t.Error("request for slot MaxSlots accepted")
	}
	h.Downgrade(Slot(3))
	wantHeld(t, h, Slot(3), 0)
	h.Close()
	wantHeld(t, h, 0, 0)
	if q.sharedHeld|q.exclHeld != 0 {
		t.Errorf("queue still records holds: shared %v exclusive %v", q.sharedHeld, q.exclHeld)
	}
}

func TestSlotsString(t *testing.T) {
	tests := []struct {
		s    Slots
		want string
	}{
		{0, "{}"},
		{Slot(FileShared) | Slot(FileReserved), "{file-shared,file-reserved}"},
		{WALSlots(WALWrite, 1), "{wal-write}"},
		{WALSlots(WALRead0, 2), "{wal-read0,wal-read1}"},
		{WALSlots(WALCheckpoint, 2), "{wal-checkpoint,wal-recover}"},
		{Slot(5) | Slot(31), "{slot5,slot31}"},
		{WALSlots(6, 3), "{}"},
		{SlotRange(30, 3), "{}"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%#x.String() = %q, want %q", uint32(tt.s), got, tt.want)
		}
	}
}

// Ensure that priority insertion stays right when a priority waiter leaves:
// a later priority waiter still goes behind the remaining priority ones and
// ahead of the normal ones.
func TestPriorityAfterCancel(t *testing.T) {
	q := New()
	pw := watchParks(q)
	owner := q.NewHolder()
	mustAcquire(t, owner, Slot(0), true)
	req := Request{Slots: Slot(0), Exclusive: true, Wait: forever}
	bg := context.Background()

	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	start := func(name string, ctx context.Context) (*Holder, <-chan error) {
		h := q.NewHolder()
		done := make(chan error, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := h.Acquire(ctx, req)
			done <- err
			if err == nil {
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
				h.Release(Slot(0))
			}
		}()
		pw.await(t, h)
		return h, done
	}
	start("p0", WithPriority(bg))
	cctx, cancel := context.WithCancel(WithPriority(bg))
	_, p1Done := start("p1", cctx)
	start("n0", bg)
	cancel()
	if err := <-p1Done; !errors.Is(err, context.Canceled) {
		t.Fatalf("p1: %v", err)
	}
	start("p2", WithPriority(bg))
	owner.Release(Slot(0))
	wg.Wait()
	if diff := cmp.Diff([]string{"p0", "p2", "n0"}, order); diff != "" {
		t.Errorf("service order (-want +got):\n%s", diff)
	}
}
