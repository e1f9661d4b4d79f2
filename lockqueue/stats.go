package lockqueue

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Stats says how a queue's locks have been used: how often requests had to
// wait, for how long, and how waits ended. Wait times run from the moment a
// request could not be granted to the moment it was (or gave up), including
// time spent backing off against another process.
type Stats struct {
	Acquisitions  int64         // requests granted
	Waits         int64         // requests that had to wait (granted or not)
	PriorityWaits int64         // of those, priority requests
	TotalWait     time.Duration // time spent waiting, all waits
	LongestWait   time.Duration // the longest single wait
	Timeouts      int64         // waits ended by busy_timeout or a context deadline
	Cancels       int64         // waits ended by a cancelled context
	Deadlocks     int64         // requests refused because waiting would deadlock
	Busy          int64         // requests refused at once because they could not wait
	OSRetries     int64         // retries of a lock held by another process
	Queued        int           // requests waiting in the queue now
}

// MeanWait is the average wait of the requests that waited.
func (s Stats) MeanWait() time.Duration {
	if s.Waits == 0 {
		return 0
	}
	return s.TotalWait / time.Duration(s.Waits)
}

// String formats the statistics on one line, for the shell and logs.
func (s Stats) String() string {
	return fmt.Sprintf("acquisitions=%d waits=%d (priority %d) total-wait=%v mean-wait=%v longest-wait=%v "+
		"timeouts=%d cancels=%d deadlocks=%d busy=%d os-retries=%d queued=%d",
		s.Acquisitions, s.Waits, s.PriorityWaits, s.TotalWait, s.MeanWait(), s.LongestWait,
		s.Timeouts, s.Cancels, s.Deadlocks, s.Busy, s.OSRetries, s.Queued)
}

// add accumulates o into s (LongestWait takes the maximum).
func (s *Stats) add(o Stats) {
	s.Acquisitions += o.Acquisitions
	s.Waits += o.Waits
	s.PriorityWaits += o.PriorityWaits
	s.TotalWait += o.TotalWait
	s.LongestWait = max(s.LongestWait, o.LongestWait)
	s.Timeouts += o.Timeouts
	s.Cancels += o.Cancels
	s.Deadlocks += o.Deadlocks
	s.Busy += o.Busy
	s.OSRetries += o.OSRetries
	s.Queued += o.Queued
}

// counters are a queue's statistics as it keeps them, guarded by q.mu.
type counters struct {
	acquisitions, waits, priorityWaits int64
	timeouts, cancels, deadlocks, busy int64
	osRetries                          int64
	totalWait, longestWait             time.Duration
}

func (c *counters) startWait(priority bool) {
	c.waits++
	if priority {
		c.priorityWaits++
	}
}

func (c *counters) addWait(d time.Duration) {
	c.totalWait += d
	c.longestWait = max(c.longestWait, d)
}

// endWait records the end of a wait of d and returns the error for a wait
// that failed (nil for one that succeeded).
func (c *counters) endWait(ctx context.Context, d time.Duration, req Request, ok bool) error {
	c.addWait(d)
	if ok {
		c.acquisitions++
		return nil
	}
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.Canceled) {
			c.cancels++
		} else {
			c.timeouts++
		}
		return errContext(ctx, req.Slots, req.Exclusive)
	}
	c.timeouts++
	return errTimeout(req.Slots, req.Exclusive, d)
}

// endWaitRefused records a wait ended by a refusal counted elsewhere (a
// deadlock victim, an OS error).
func (c *counters) endWaitRefused(d time.Duration) { c.addWait(d) }

// Stats returns the queue's statistics so far.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.statsLocked()
}

func (q *Queue) statsLocked() Stats {
	c := &q.counts
	return Stats{
		Acquisitions:  c.acquisitions,
		Waits:         c.waits,
		PriorityWaits: c.priorityWaits,
		TotalWait:     c.totalWait,
		LongestWait:   c.longestWait,
		Timeouts:      c.timeouts,
		Cancels:       c.cancels,
		Deadlocks:     c.deadlocks,
		Busy:          c.busy,
		OSRetries:     c.osRetries,
		Queued:        q.queued,
	}
}

// Len is the number of requests waiting in the queue now.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.queued
}
