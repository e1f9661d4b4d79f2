package lockqueue

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/wrendb/wren/resultcode"
)

// forever waits as long as the test's context allows.
var forever = Wait{Timeout: -1}

// parkWatcher reports each waiter of q as it parks, so that a test can
// start goroutines in a known order: start one, wait until it is parked,
// start the next.
type parkWatcher struct {
	parked chan *Holder
}

func watchParks(q *Queue) *parkWatcher {
	pw := &parkWatcher{parked: make(chan *Holder, 256)}
	q.mu.Lock()
	q.onPark = func(h *Holder) { pw.parked <- h }
	q.mu.Unlock()
	return pw
}

// await blocks until h (nil: anybody) has parked.
func (pw *parkWatcher) await(t *testing.T, h *Holder) {
	t.Helper()
	for got := range pw.parked {
		if h == nil || got == h {
			return
		}
		t.Fatalf("holder %p parked, expected %p", got, h)
	}
}

// acquireAsync runs Acquire in a goroutine and returns its result channel.
func acquireAsync(ctx context.Context, h *Holder, req Request) <-chan error {
	done := make(chan error, 1)
	go func() { done <- h.Acquire(ctx, req) }()
	return done
}

// mustAcquire takes a request that must be granted without waiting.
func mustAcquire(t *testing.T, h *Holder, slots Slots, exclusive bool) {
	t.Helper()
	if err := h.Acquire(context.Background(), Request{Slots: slots, Exclusive: exclusive}); err != nil {
		t.Fatalf("Acquire(%v, exclusive=%v): %v", slots, exclusive, err)
	}
}

// startWaiting starts an Acquire that must park, and returns once it has.
func startWaiting(t *testing.T, pw *parkWatcher, ctx context.Context, h *Holder, req Request) <-chan error {
	t.Helper()
	done := acquireAsync(ctx, h, req)
	select {
	case err := <-done:
		t.Fatalf("Acquire(%v) returned %v without waiting", req.Slots, err)
	case got := <-pw.parked:
		if got != h {
			t.Fatalf("holder %p parked, expected %p", got, h)
		}
	}
	return done
}

func wantBusy(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, resultcode.ErrBusy) {
		t.Fatalf("err = %v, want one wrapping resultcode.ErrBusy", err)
	}
}

func wantHeld(t *testing.T, h *Holder, shared, exclusive Slots) {
	t.Helper()
	s, x := h.Held()
	if s != shared || x != exclusive {
		t.Fatalf("holder holds shared %v exclusive %v, want shared %v exclusive %v", s, x, shared, exclusive)
	}
}

// manualContext is a context that ends when the test says, with the error
// the test chooses: a deadline that passes exactly when wanted.
type manualContext struct {
	context.Context
	done chan struct{}
	mu   sync.Mutex
	err  error
}

func newManualContext() *manualContext {
	return &manualContext{Context: context.Background(), done: make(chan struct{})}
}

func (c *manualContext) Done() <-chan struct{} { return c.done }

func (c *manualContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *manualContext) end(err error) {
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
	close(c.done)
}
