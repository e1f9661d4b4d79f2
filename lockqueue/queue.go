package lockqueue

import (
	"sync"
)

// A Queue is the lock state of one database file in this process: which
// Holder holds each slot, shared or exclusive, and the waiters in the order
// they will be served. Get one with Open (shared by every connection of the
// process that uses the file) or New (private, for tests and for databases
// no other connection can see).
type Queue struct {
	key  string
	refs int // guarded by registry.mu

	mu sync.Mutex
	// shared counts the holders holding each slot shared; excl is the
	// holder holding it exclusive. sharedHeld and exclHeld mirror them as
	// masks so that the common checks are a few bit operations.
	shared     [MaxSlots]int32
	excl       [MaxSlots]*Holder
	sharedHeld Slots
	exclHeld   Slots

	// The waiters, a doubly linked list through the waiters themselves:
	// priority waiters first (the last of them is lastPriority), then the
	// others, each group in arrival order.
	head, tail   *waiter
	lastPriority *waiter
	queued       int

	counts    counters
	searchGen uint64 // generation of the deadlock search marks

	// onPark, when set (by tests), is called with the holder whenever a
	// waiter has been queued and is about to park, outside q.mu.
	onPark func(*Holder)
}

// New returns a queue of its own, not entered in the process-wide registry
// (ProcessStats does not count it).
func New() *Queue { return &Queue{} }

// Holds reports whether some holder holds any of slots, in either mode.
func (q *Queue) Holds(slots Slots) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slots&(q.exclHeld|q.sharedHeld) != 0
}

// Key is the string the queue was opened with ("" for New).
func (q *Queue) Key() string { return q.key }

// NewHolder returns a holder of locks in q: one per connection.
func (q *Queue) NewHolder() *Holder {
	h := &Holder{q: q}
	h.w.h = h
	h.w.ready = make(chan struct{}, 1)
	return h
}

// compatible reports whether h could hold slots (exclusive or shared)
// alongside the current holders.
func (q *Queue) compatible(h *Holder, slots Slots, exclusive bool) bool {
	if slots&q.exclHeld&^h.excl != 0 {
		return false // another holder has one of them exclusive
	}
	if !exclusive {
		return true
	}
	for need := slots & q.sharedHeld; need != 0; need &= need - 1 {
		i := lowest(need)
		others := q.shared[i]
		if h.shared.Has(i) {
			others--
		}
		if others > 0 {
			return false
		}
	}
	return true
}

// conflicts reports whether two requests cannot be granted together.
func conflicts(a Slots, aExcl bool, b Slots, bExcl bool) bool {
	return a&b != 0 && (aExcl || bExcl)
}

// waitsOn reports whether w's request conflicts with what h holds: such a
// waiter cannot be served before h lets go, so h's own request need not
// queue behind it (that wait could never end).
func (h *Holder) waitsOn(w *waiter) bool {
	return w.slots&h.excl != 0 || (w.exclusive && w.slots&h.shared != 0)
}

// fifoBlocker returns the first waiter ahead of stop (nil: the whole queue)
// whose request comes first under the FIFO rule: it conflicts with h's
// request and is not itself waiting for h.
func (q *Queue) fifoBlocker(h *Holder, slots Slots, exclusive bool, stop *waiter) *waiter {
	for w := q.head; w != nil && w != stop; w = w.next {
		if w.h != h && conflicts(w.slots, w.exclusive, slots, exclusive) && !h.waitsOn(w) {
			return w
		}
	}
	return nil
}

// grant gives h the slots and returns what changed, so that a grant can be
// taken back exactly (an upgrade returns to shared, not to nothing).
func (q *Queue) grant(h *Holder, slots Slots, exclusive bool) grantRecord {
	var g grantRecord
	for s := slots; s != 0; s &= s - 1 {
		i := lowest(s)
		bit := Slot(i)
		switch {
		case h.excl&bit != 0:
			// Held exclusive already: covers any request.
		case exclusive && h.shared&bit != 0:
			q.dropShared(h, i)
			q.setExcl(h, i)
			g.upgraded |= bit
		case exclusive:
			q.setExcl(h, i)
			g.newExcl |= bit
		case h.shared&bit == 0:
			q.addShared(h, i)
			g.newShared |= bit
		}
	}
	return g
}

// undo takes back a grant (a waiter that could not get the OS lock, or
// gave up just as it was served).
func (q *Queue) undo(h *Holder, g grantRecord) {
	for s := g.newShared; s != 0; s &= s - 1 {
		q.dropShared(h, lowest(s))
	}
	for s := g.newExcl; s != 0; s &= s - 1 {
		q.dropExcl(h, lowest(s))
	}
	for s := g.upgraded; s != 0; s &= s - 1 {
		i := lowest(s)
		q.dropExcl(h, i)
		q.addShared(h, i)
	}
}

// release drops h's hold on slots, whatever its mode.
func (q *Queue) release(h *Holder, slots Slots) {
	for s := slots & h.excl; s != 0; s &= s - 1 {
		q.dropExcl(h, lowest(s))
	}
	for s := slots & h.shared; s != 0; s &= s - 1 {
		q.dropShared(h, lowest(s))
	}
}

// downgrade turns h's exclusive holds on slots into shared ones.
func (q *Queue) downgrade(h *Holder, slots Slots) {
	for s := slots & h.excl; s != 0; s &= s - 1 {
		i := lowest(s)
		q.dropExcl(h, i)
		q.addShared(h, i)
	}
}

func (q *Queue) addShared(h *Holder, i int) {
	h.shared |= Slot(i)
	q.shared[i]++
	q.sharedHeld |= Slot(i)
}

func (q *Queue) dropShared(h *Holder, i int) {
	h.shared &^= Slot(i)
	q.shared[i]--
	if q.shared[i] == 0 {
		q.sharedHeld &^= Slot(i)
	}
}

func (q *Queue) setExcl(h *Holder, i int) {
	h.excl |= Slot(i)
	q.excl[i] = h
	q.exclHeld |= Slot(i)
}

func (q *Queue) dropExcl(h *Holder, i int) {
	h.excl &^= Slot(i)
	q.excl[i] = nil
	q.exclHeld &^= Slot(i)
}

// wake serves, in queue order, every waiter that can now proceed: one that
// is compatible with the holders and with the waiters still ahead of it.
// After a release that is a run of readers, or the one writer at the head,
// or waiters for other slots further back. Each is granted here, under
// q.mu, and then signalled on its own channel: a woken waiter never finds
// its lock taken by someone else.
func (q *Queue) wake() {
	var aheadShared, aheadExcl Slots // requests of the waiters left in place
	for w := q.head; w != nil; {
		next := w.next
		var blocked bool
		if w.h.shared|w.h.excl == 0 {
			blocked = w.slots&aheadExcl != 0 || (w.exclusive && w.slots&aheadShared != 0)
		} else {
			// A holder may pass the waiters that wait for it.
			blocked = q.fifoBlocker(w.h, w.slots, w.exclusive, w) != nil
		}
		if !blocked && q.compatible(w.h, w.slots, w.exclusive) {
			q.remove(w)
			w.grant = q.grant(w.h, w.slots, w.exclusive)
			w.ready <- struct{}{}
		} else if w.exclusive {
			aheadExcl |= w.slots
		} else {
			aheadShared |= w.slots
		}
		w = next
	}
}

// enqueue adds w behind the waiters it must follow: at the tail, or for a
// priority waiter behind the other priority waiters.
func (q *Queue) enqueue(w *waiter) {
	after := q.tail
	if w.priority {
		after = q.lastPriority
		q.lastPriority = w
	}
	w.prev = after
	if after == nil {
		w.next = q.head
		q.head = w
	} else {
		w.next = after.next
		after.next = w
	}
	if w.next == nil {
		q.tail = w
	} else {
		w.next.prev = w
	}
	w.queued = true
	q.queued++
}

// insertionPoint is the waiter a new request would be queued in front of
// (nil: the tail).
func (q *Queue) insertionPoint(priority bool) *waiter {
	if !priority {
		return nil
	}
	if q.lastPriority == nil {
		return q.head
	}
	return q.lastPriority.next
}

func (q *Queue) remove(w *waiter) {
	if !w.queued {
		return
	}
	if q.lastPriority == w {
		q.lastPriority = nil
		if w.prev != nil && w.prev.priority {
			q.lastPriority = w.prev
		}
	}
	if w.prev == nil {
		q.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		q.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
	w.queued = false
	q.queued--
}
