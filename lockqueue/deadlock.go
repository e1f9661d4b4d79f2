package lockqueue

// Deadlocks.
//
// A holder waits for one request at a time, so the waits form a graph with
// one node per waiting holder: x waits for y when y holds a slot that x's
// request conflicts with, or when y's request is ahead of x's in the queue,
// conflicts with it, and is not itself waiting for x (the FIFO rule lets a
// holder pass the waiters that wait for it: they could not be served before
// it lets go anyway). A holder that waits for nobody who waits will be
// served in time, so only a cycle of waiting holders is a deadlock, and a
// cycle can only be closed by the request that joins the queue last: it is
// the only node that gained edges (a granted request leaves the graph).
// So the search runs once per queued request, from it, and only when the
// request could be on a cycle at all: when its holder holds some slot, or
// when it was queued ahead of others (priority).
//
// On a cycle, someone must give up, and SQLite's rule says who: a reader
// that wants to write while the writer waits for the readers to leave
// (SHARED asking RESERVED while the RESERVED holder waits for EXCLUSIVE)
// gets SQLITE_BUSY at once, because the writer has work in progress and
// the reader can only roll back and retry. Here: when the newcomer holds a
// slot exclusive, a waiter on the cycle that holds none exclusive is
// refused (woken with the deadlock error) and the newcomer waits; otherwise
// the newcomer is refused. Both orders of arrival of the rollback-mode
// deadlock end the same way: the reader fails, the writer proceeds.

// resolveDeadlock breaks the cycles through w, a waiter just queued. It
// returns false when w itself must be refused.
func (q *Queue) resolveDeadlock(w *waiter) bool {
	for {
		if !q.waitedFor(w) {
			// Nobody waits for w: no cycle can run through it. This is
			// the common case (in WAL mode every waiter holds the file's
			// SHARED slot, which no writer's request conflicts with),
			// and it costs one pass over the queue instead of a search.
			return true
		}
		cycle := q.cycle(w)
		if cycle == nil {
			return true
		}
		if w.h.excl == 0 {
			return false
		}
		var victim *waiter
		for _, v := range cycle {
			if v.h.excl == 0 {
				victim = v
				break
			}
		}
		if victim == nil {
			return false
		}
		q.remove(victim)
		victim.err = errDeadlock(victim.slots, victim.exclusive)
		victim.ready <- struct{}{}
		q.counts.deadlocks++
		// The victim's leaving may let others (w among them) proceed.
		q.wake()
		if !w.queued {
			return true
		}
	}
}

// waitedFor reports whether some queued waiter waits for w (waitsFor(y, w)
// for some y), without numbering the queue: a waiter ahead of w can wait
// for w only through what w's holder holds, one behind it also through
// w's request.
func (q *Queue) waitedFor(w *waiter) bool {
	behind := false
	for y := q.head; y != nil; y = y.next {
		if y == w {
			behind = true
			continue
		}
		if y.h == w.h {
			continue
		}
		if y.slots&w.h.excl != 0 || (y.exclusive && y.slots&w.h.shared != 0) {
			return true
		}
		if behind && conflicts(y.slots, y.exclusive, w.slots, w.exclusive) && !y.h.waitsOn(w) {
			return true
		}
	}
	return false
}

// waitsFor reports whether waiter x waits for waiter y.
func waitsFor(x, y *waiter) bool {
	if x.h == y.h {
		return false
	}
	if x.slots&y.h.excl != 0 || (x.exclusive && x.slots&y.h.shared != 0) {
		return true // y's holder holds what x wants
	}
	return y.index < x.index && conflicts(x.slots, x.exclusive, y.slots, y.exclusive) && !x.h.waitsOn(y)
}

// cycle returns the other waiters on a cycle of waits through start, or
// nil. It is a depth-first search over the queued waiters.
func (q *Queue) cycle(start *waiter) []*waiter {
	q.searchGen++
	gen := q.searchGen
	i := 0
	for v := q.head; v != nil; v = v.next {
		v.index = i
		i++
	}
	start.mark = gen
	var path []*waiter
	var visit func(x *waiter) bool
	visit = func(x *waiter) bool {
		for y := q.head; y != nil; y = y.next {
			if !waitsFor(x, y) {
				continue
			}
			if y == start {
				return true
			}
			if y.mark == gen {
				continue
			}
			y.mark = gen
			path = append(path, y)
			if visit(y) {
				return true
			}
			path = path[:len(path)-1]
		}
		return false
	}
	if visit(start) {
		return path
	}
	return nil
}
