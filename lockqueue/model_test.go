package lockqueue

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/wrendb/wren/resultcode"
)

// checkInvariants verifies the queue's bookkeeping against its holders: the
// masks mirror the counts, the counts are the holders' bits, and no slot is
// held exclusive beside any other hold.
func checkInvariants(q *Queue, holders []*Holder) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range MaxSlots {
		bit := Slot(i)
		var shared int32
		var excl []*Holder
		for _, h := range holders {
			if h.shared&bit != 0 {
				shared++
			}
			if h.excl&bit != 0 {
				excl = append(excl, h)
			}
			if h.shared&h.excl != 0 {
				return fmt.Errorf("holder %p holds %v both shared and exclusive", h, h.shared&h.excl)
			}
		}
		if q.shared[i] != shared {
			return fmt.Errorf("slot %d: count %d, holders %d", i, q.shared[i], shared)
		}
		if (q.sharedHeld&bit != 0) != (shared > 0) || (q.exclHeld&bit != 0) != (len(excl) > 0) {
			return fmt.Errorf("slot %d: masks out of step", i)
		}
		if len(excl) > 1 || (len(excl) == 1 && (q.excl[i] != excl[0] || shared > 0)) {
			return fmt.Errorf("slot %d: %d exclusive holders, %d shared", i, len(excl), shared)
		}
		if len(excl) == 0 && q.excl[i] != nil {
			return fmt.Errorf("slot %d: owner recorded but not holding", i)
		}
	}
	n := 0
	for w := q.head; w != nil; w = w.next {
		n++
	}
	if n != q.queued {
		return fmt.Errorf("queue has %d waiters, count says %d", n, q.queued)
	}
	return nil
}

// FuzzQueueModel runs random requests that may not wait (so the queue stays
// empty and each answer is decided at once) against a model of the
// compatibility rules: a request is granted exactly when no other holder
// holds one of its slots exclusive, and, for an exclusive request, none
// holds one shared. Some requests fail their OS lock and must leave
// everything as it was.
func FuzzQueueModel(f *testing.F) {
	f.Add([]byte{0x00, 0x11, 0x22, 0x83, 0x44, 0x95, 0xa6})
	f.Add([]byte{0x80, 0x81, 0x01, 0x02, 0xc1, 0xe2, 0x40})
	f.Fuzz(func(t *testing.T, ops []byte) {
		const nHolders, nSlots = 3, 3
		q := New()
		holders := make([]*Holder, nHolders)
		for i := range holders {
			holders[i] = q.NewHolder()
		}
		failOS := errors.New("fake OS failure")
		for len(ops) >= 2 {
			op, arg := ops[0], ops[1]
			ops = ops[2:]
			h := holders[int(op&3)%nHolders]
			slots := Slots(arg&7) & SlotRange(0, nSlots)
			if slots == 0 {
				slots = Slot(0)
			}
			beforeShared, beforeExcl := h.shared, h.excl
			switch (op >> 2) & 3 {
			case 0, 1: // acquire
				exclusive := op&0x10 != 0
				req := Request{Slots: slots, Exclusive: exclusive}
				if op&0x20 != 0 {
					req.TryOS = func() error { return failOS }
				}
				want := true
				for _, o := range holders {
					if o == h {
						continue
					}
					if slots&o.excl != 0 || (exclusive && slots&o.shared != 0) {
						want = false
					}
				}
				covered := h.holds(slots, exclusive)
				err := h.Acquire(context.Background(), req)
				switch {
				case covered && err != nil:
					t.Fatalf("re-acquiring held slots: %v", err)
				case covered:
				case !want:
					if !errors.Is(err, resultcode.ErrBusy) {
						t.Fatalf("conflicting request: %v, want busy", err)
					}
				case req.TryOS != nil:
					if !errors.Is(err, failOS) {
						t.Fatalf("OS failure: %v", err)
					}
				case err != nil:
					t.Fatalf("compatible request refused: %v", err)
				}
				if err != nil && (h.shared != beforeShared || h.excl != beforeExcl) {
					t.Fatalf("failed request changed holds: %v/%v -> %v/%v", beforeShared, beforeExcl, h.shared, h.excl)
				}
				if err == nil && !h.holds(slots, exclusive) {
					t.Fatalf("granted request not held")
				}
			case 2:
				h.Release(slots)
				if (h.shared|h.excl)&slots != 0 {
					t.Fatalf("released slots still held")
				}
			case 3:
				h.Downgrade(slots)
				if h.excl&slots != 0 || h.shared&(beforeExcl&slots) != beforeExcl&slots {
					t.Fatalf("downgrade: %v/%v -> %v/%v", beforeShared, beforeExcl, h.shared, h.excl)
				}
			}
			if err := checkInvariants(q, holders); err != nil {
				t.Fatal(err)
			}
		}
	})
}
