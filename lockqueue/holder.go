package lockqueue

import (
	"context"
	"time"
)

// A Holder is one connection's share of a Queue: the slots it holds and its
// place in the queue while it waits. A Holder is used by one goroutine at a
// time (a connection runs one statement at a time); two concurrent Acquires
// on the same Holder are refused.
type Holder struct {
	q *Queue
	// shared and excl are the slots held in each mode, guarded by q.mu.
	shared, excl Slots
	acquiring    bool // an Acquire is under way; guarded by q.mu
	// w is the holder's waiter, reused by every Acquire: a holder waits
	// for one request at a time, so a wait allocates nothing.
	w     waiter
	timer *time.Timer
}

// A waiter is a parked request. It is granted by whoever releases the lock
// it waits for, under q.mu, and then told so on ready.
type waiter struct {
	h         *Holder
	slots     Slots
	exclusive bool
	priority  bool

	prev, next *waiter
	queued     bool

	grant grantRecord   // what the grant changed, set when served
	err   error         // set instead when refused (a deadlock victim)
	ready chan struct{} // buffered(1): one signal per grant or refusal

	mark  uint64 // deadlock search scratch, guarded by q.mu
	index int
}

// grantRecord is what one grant changed, for undoing it.
type grantRecord struct {
	newShared, newExcl, upgraded Slots
}

// Request is what Acquire asks for.
type Request struct {
	// Slots are the slots wanted, all at once.
	Slots Slots
	// Exclusive asks for sole possession; otherwise the slots are shared
	// with other shared holders. A holder of shared slots asking for them
	// exclusive is upgraded.
	Exclusive bool
	Wait
}

// Wait says how long and how a request may wait.
type Wait struct {
	// Timeout is busy_timeout: how long to wait before giving up with
	// "database is locked". Zero means do not wait at all (SQLite's
	// default, and what a try-lock wants); negative means wait as long as
	// the context allows. The context's deadline and cancellation bound
	// every wait as well.
	Timeout time.Duration
	// Priority queues the request ahead of all but the earlier priority
	// requests; WithPriority(ctx) does the same.
	Priority bool
	// TryOS, when set, takes the matching lock at the operating-system
	// level (an osvfs File.Lock or ShmLock call), so that other processes
	// are excluded too. It is called once this process has granted the
	// request and must not block. When it fails with an error wrapping
	// resultcode.ErrBusy (another process holds the lock), it is retried
	// with bounded exponential backoff until the timeout, while the request
	// keeps its place in this process; any other error fails the request.
	TryOS func() error
}

// Acquire takes req.Slots for h, shared or exclusive, waiting in the queue
// when they are not free. It returns nil once h holds them (in this process
// and, through TryOS, at the operating-system level), and an error wrapping
// resultcode.ErrBusy, resultcode.ErrInterrupt or ctx.Err() when it gives up
// (see the package documentation); a failed Acquire leaves h holding what
// it held before. Slots h already holds in the requested mode (or exclusive,
// for a shared request) are granted at once.
func (h *Holder) Acquire(ctx context.Context, req Request) error {
	_, err := h.acquire(ctx, req)
	return err
}

// acquire is Acquire, also returning how long it waited (zero when it did
// not; the clock is read only when a request waits).
func (h *Holder) acquire(ctx context.Context, req Request) (time.Duration, error) {
	if req.Slots == 0 {
		return 0, errMisuse("no lock slots requested")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Err() != nil {
		return 0, errContext(ctx, req.Slots, req.Exclusive)
	}
	priority := req.Priority || IsPriority(ctx)
	q := h.q
	q.mu.Lock()
	if h.acquiring {
		q.mu.Unlock()
		return 0, errMisuse("holder used by two goroutines at once")
	}
	if h.holds(req.Slots, req.Exclusive) {
		q.counts.acquisitions++
		q.mu.Unlock()
		return 0, nil
	}
	if q.fifoBlocker(h, req.Slots, req.Exclusive, q.insertionPoint(priority)) == nil &&
		q.compatible(h, req.Slots, req.Exclusive) {
		g := q.grant(h, req.Slots, req.Exclusive)
		if req.TryOS == nil {
			q.counts.acquisitions++
			q.mu.Unlock()
			return 0, nil
		}
		h.acquiring = true
		q.mu.Unlock()
		return h.takeOSLock(ctx, req, g, time.Time{}, priority)
	}
	if req.Timeout == 0 {
		q.counts.busy++
		q.mu.Unlock()
		return 0, errBusyNow(req.Slots, req.Exclusive)
	}

	w := &h.w
	w.slots, w.exclusive, w.priority = req.Slots, req.Exclusive, priority
	w.err, w.grant = nil, grantRecord{}
	q.enqueue(w)
	if (priority || h.shared|h.excl != 0) && !q.resolveDeadlock(w) {
		q.remove(w)
		q.wakeIfWaiting() // whoever it held up while it was queued
		q.counts.deadlocks++
		q.mu.Unlock()
		return 0, errDeadlock(req.Slots, req.Exclusive)
	}
	h.acquiring = true
	start := time.Now()
	q.counts.startWait(priority)
	park := q.onPark
	q.mu.Unlock()
	if park != nil {
		park(h)
	}

	var expired <-chan time.Time
	if req.Timeout > 0 {
		expired = h.startTimer(req.Timeout)
	}
	select {
	case <-w.ready:
	case <-ctx.Done():
	case <-expired:
	}
	if expired != nil {
		h.timer.Stop()
	}

	q.mu.Lock()
	waited := time.Since(start)
	if w.queued {
		// Gave up before being served. Leaving may let the waiters
		// behind this one proceed.
		q.remove(w)
		q.wake()
		h.acquiring = false
		err := q.counts.endWait(ctx, waited, req, false)
		q.mu.Unlock()
		return waited, err
	}
	// Served (granted or refused), perhaps just as the wait ran out: the
	// signal is consumed here so the channel is empty for the next wait.
	select {
	case <-w.ready:
	default:
	}
	if w.err != nil {
		h.acquiring = false
		q.counts.endWaitRefused(waited)
		q.mu.Unlock()
		return waited, w.err
	}
	if req.TryOS == nil {
		h.acquiring = false
		q.counts.endWait(ctx, waited, req, true)
		q.mu.Unlock()
		return waited, nil
	}
	q.mu.Unlock()
	return h.takeOSLock(ctx, req, w.grant, start, priority)
}

// holds reports whether h already holds slots in a mode that covers the
// request.
func (h *Holder) holds(slots Slots, exclusive bool) bool {
	if exclusive {
		return slots&^h.excl == 0
	}
	return slots&^(h.excl|h.shared) == 0
}

// startTimer arms the holder's reusable timer. (Since Go 1.23 Reset needs
// no draining: a stopped or reset timer delivers no stale value.)
func (h *Holder) startTimer(d time.Duration) <-chan time.Time {
	if h.timer == nil {
		h.timer = time.NewTimer(d)
	} else {
		h.timer.Reset(d)
	}
	return h.timer.C
}

// Release drops h's hold on slots (whatever the mode; slots it does not
// hold are ignored) and serves the waiters that can now proceed. Release
// the operating-system lock first, then call Release, so that a woken
// waiter's TryOS finds it free.
func (h *Holder) Release(slots Slots) {
	q := h.q
	q.mu.Lock()
	if slots&(h.shared|h.excl) != 0 {
		q.release(h, slots)
		q.wakeIfWaiting()
	}
	q.mu.Unlock()
}

// ReleaseHandedOn is Release, also reporting whether, once the waiters it
// lets proceed are served, another holder holds any of the slots: the
// lock was handed on, and an operating-system lock the caller kept for
// the process (osvfs.ShmRetainer) will be taken by that holder.
func (h *Holder) ReleaseHandedOn(slots Slots) bool {
	q := h.q
	q.mu.Lock()
	defer q.mu.Unlock()
	if slots&(h.shared|h.excl) != 0 {
		q.release(h, slots)
		q.wakeIfWaiting()
	}
	return slots&(q.exclHeld|q.sharedHeld) != 0
}

// Downgrade turns h's exclusive hold on slots into a shared one and serves
// the waiters that can now proceed.
func (h *Holder) Downgrade(slots Slots) {
	q := h.q
	q.mu.Lock()
	if slots&h.excl != 0 {
		q.downgrade(h, slots)
		q.wakeIfWaiting()
	}
	q.mu.Unlock()
}

// Held returns the slots h holds shared and exclusive.
func (h *Holder) Held() (shared, exclusive Slots) {
	h.q.mu.Lock()
	defer h.q.mu.Unlock()
	return h.shared, h.excl
}

// Close releases everything h holds (a connection going away).
func (h *Holder) Close() {
	h.Release(^Slots(0))
}

// Queue is the queue h belongs to.
func (h *Holder) Queue() *Queue { return h.q }

func (q *Queue) wakeIfWaiting() {
	if q.head != nil {
		q.wake()
	}
}
