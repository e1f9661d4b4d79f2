package lockqueue

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/resultcode"
)

// fakeOS is an OS-level lock that another process holds: TryOS reports busy
// while it is held and counts the calls.
type fakeOS struct {
	mu        sync.Mutex
	busyCalls int           // report busy this many more times
	heldUntil chan struct{} // or, when set, until this is closed
	err       error         // or fail with this
	calls     int
}

func (f *fakeOS) try() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return f.err
	}
	if f.heldUntil != nil {
		select {
		case <-f.heldUntil:
		default:
			return resultcode.Wrap(resultcode.Busy, errors.New("fake: held by another process"))
		}
	}
	if f.busyCalls > 0 {
		f.busyCalls--
		return resultcode.Wrap(resultcode.Busy, errors.New("fake: held by another process"))
	}
	return nil
}

func (f *fakeOS) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// Ensure that a lock another process holds for a while is taken once it is
// free, after one retry per busy answer.
func TestOSLockRetried(t *testing.T) {
	q := New()
	h := q.NewHolder()
	f := &fakeOS{busyCalls: 4}
	err := h.Acquire(context.Background(), Request{Slots: Slot(0), Exclusive: true, Wait: Wait{Timeout: time.Minute, TryOS: f.try}})
	if err != nil {
		t.Fatal(err)
	}
	if f.calls != 5 {
		t.Errorf("TryOS called %d times, want 5", f.calls)
	}
	st := q.Stats()
	if st.OSRetries != 4 || st.Waits != 1 || st.Acquisitions != 1 {
		t.Errorf("stats: %v", st)
	}
	wantHeld(t, h, 0, Slot(0))
}

// Ensure that the backoff doubles from 1 ms and stays at 50 ms.
func TestOSBackoffBounded(t *testing.T) {
	var got []time.Duration
	for d := minOSBackoff; len(got) < 9; d = nextBackoff(d) {
		got = append(got, d)
	}
	ms := time.Millisecond
	want := []time.Duration{1 * ms, 2 * ms, 4 * ms, 8 * ms, 16 * ms, 32 * ms, 50 * ms, 50 * ms, 50 * ms}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
}

// Ensure that while one request backs off against another process, the
// requests that conflict with it queue behind it and the others proceed.
func TestOSWaitBlocksOnlyConflicts(t *testing.T) {
	q := New()
	pw := watchParks(q)
	ctx := context.Background()
	f := &fakeOS{heldUntil: make(chan struct{})}
	w := q.NewHolder()
	wDone := acquireAsync(ctx, w, Request{Slots: Slot(0), Exclusive: true, Wait: Wait{Timeout: -1, TryOS: f.try}})
	for f.callCount() == 0 {
		time.Sleep(time.Millisecond) // until w has its grant in this process
	}

	// Another slot: granted at once, no waiting.
	other := q.NewHolder()
	mustAcquire(t, other, Slot(1), true)
	// The same slot: queued behind w.
	rival := q.NewHolder()
	rivalDone := startWaiting(t, pw, ctx, rival, Request{Slots: Slot(0), Exclusive: true, Wait: forever})

	close(f.heldUntil) // the other process lets go
	if err := <-wDone; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, rival, 0, 0)
	w.Release(Slot(0))
	if err := <-rivalDone; err != nil {
		t.Fatal(err)
	}
	wantHeld(t, rival, 0, Slot(0))
}

// Ensure that failures of the OS lock take back the grant exactly (an
// upgrade returns to shared) and report the right error.
func TestOSLockFailures(t *testing.T) {
	ioErr := resultcode.Wrap(resultcode.IOErrLock, errors.New("fake: fcntl failed"))
	tests := []struct {
		name    string
		os      *fakeOS
		wait    Wait
		wantErr error
	}{
		{"io error", &fakeOS{err: ioErr}, Wait{Timeout: time.Minute}, resultcode.ErrIO},
		{"busy, no waiting", &fakeOS{busyCalls: 1}, Wait{}, resultcode.ErrBusy},
		{"busy past the timeout", &fakeOS{heldUntil: make(chan struct{})}, Wait{Timeout: 3 * time.Millisecond}, resultcode.ErrBusy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := New()
			h, next := q.NewHolder(), q.NewHolder()
			mustAcquire(t, h, Slot(0), false)
			tt.wait.TryOS = tt.os.try
			err := h.Acquire(context.Background(), Request{Slots: Slot(0) | Slot(1), Exclusive: true, Wait: tt.wait})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			wantHeld(t, h, Slot(0), 0)
			mustAcquire(t, next, Slot(1), true)
			if q.Len() != 0 {
				t.Errorf("Len = %d", q.Len())
			}
		})
	}
}

// Ensure that cancelling a request that backs off against another process
// returns the context's error and takes back the grant.
func TestOSWaitCancelled(t *testing.T) {
	q := New()
	f := &fakeOS{heldUntil: make(chan struct{})}
	ctx := newManualContext()
	h := q.NewHolder()
	done := acquireAsync(ctx, h, Request{Slots: Slot(0), Exclusive: true, Wait: Wait{Timeout: -1, TryOS: f.try}})
	for f.callCount() < 2 {
		time.Sleep(time.Millisecond)
	}
	ctx.end(context.Canceled)
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	wantHeld(t, h, 0, 0)
	if st := q.Stats(); st.Cancels != 1 || st.OSRetries < 1 {
		t.Errorf("stats: %v", st)
	}
}
