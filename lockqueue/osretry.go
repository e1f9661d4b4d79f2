package lockqueue

import (
	"context"
	"errors"
	"time"

	"github.com/wrendb/wren/resultcode"
)

// Waiting on another process. Another process is not in the queue, and
// nothing tells this one when it lets go, so the only way is SQLite's: try
// again later. The tries back off exponentially, from minOSBackoff to at
// most maxOSBackoff apart, so that a short transaction elsewhere costs a
// millisecond or two and a long one costs at most one try per 50 ms.

// Backoff bounds for waiting on another process.
const (
	minOSBackoff = time.Millisecond
	maxOSBackoff = 50 * time.Millisecond
)

// takeOSLock finishes an Acquire that this process has granted: it calls
// TryOS until the operating system grants the lock too, backing off while
// another process holds it. start is when the wait began (zero: it has not
// waited yet). On failure the grant g is taken back. It returns how long
// the request waited in all.
func (h *Holder) takeOSLock(ctx context.Context, req Request, g grantRecord, start time.Time, priority bool) (time.Duration, error) {
	q := h.q
	since := func() time.Duration {
		if start.IsZero() {
			return 0
		}
		return time.Since(start)
	}
	backoff := minOSBackoff
	for {
		err := req.TryOS()
		if err == nil {
			waited := since()
			q.mu.Lock()
			h.acquiring = false
			if start.IsZero() {
				q.counts.acquisitions++
			} else {
				q.counts.endWait(ctx, waited, req, true)
			}
			q.mu.Unlock()
			return waited, nil
		}
		if !errors.Is(err, resultcode.ErrBusy) || req.Timeout == 0 {
			// Not a lock held elsewhere (an I/O error), or no waiting.
			waited := since()
			q.mu.Lock()
			if start.IsZero() {
				if errors.Is(err, resultcode.ErrBusy) {
					q.counts.busy++
				}
			} else {
				q.counts.endWaitRefused(waited)
			}
			return waited, h.giveBack(g, err)
		}
		if start.IsZero() {
			start = time.Now()
			q.mu.Lock()
			q.counts.startWait(priority)
			q.mu.Unlock()
		}
		sleep := backoff
		if req.Timeout > 0 {
			left := req.Timeout - time.Since(start)
			if left <= 0 {
				waited := since()
				q.mu.Lock()
				return waited, h.giveBack(g, q.counts.endWait(ctx, waited, req, false))
			}
			sleep = min(sleep, left)
		}
		select {
		case <-h.startTimer(sleep):
		case <-ctx.Done():
			h.timer.Stop()
			waited := since()
			q.mu.Lock()
			return waited, h.giveBack(g, q.counts.endWait(ctx, waited, req, false))
		}
		backoff = nextBackoff(backoff)
		q.mu.Lock()
		q.counts.osRetries++
		q.mu.Unlock()
	}
}

// nextBackoff doubles a backoff up to maxOSBackoff.
func nextBackoff(d time.Duration) time.Duration { return min(2*d, maxOSBackoff) }

// giveBack undoes grant g after a failed OS lock, wakes whoever that lets
// proceed, and returns err. It is called with q.mu held and releases it.
func (h *Holder) giveBack(g grantRecord, err error) error {
	q := h.q
	q.undo(h, g)
	q.wakeIfWaiting()
	h.acquiring = false
	q.mu.Unlock()
	return err
}
