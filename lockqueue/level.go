package lockqueue

import (
	"context"

	"github.com/wrendb/wren/osvfs"
)

// Rollback-journal mode: SQLite's five file lock levels over the two file
// slots.
//
//	NONE       nothing
//	SHARED     FileShared shared
//	RESERVED   FileShared shared, FileReserved exclusive
//	PENDING    as EXCLUSIVE: the writer queued for FileShared exclusive
//	EXCLUSIVE  FileShared and FileReserved exclusive
//
// PENDING is not a state a holder asks for here: it is what a writer
// queued for EXCLUSIVE is, since under the FIFO rule its queued request
// already keeps new readers out while the current ones finish.

// Lock raises h to level (never lowers it), waiting as w allows; w.TryOS
// takes the matching OS locks (the file's Lock). Lock(PENDING) is
// Lock(EXCLUSIVE).
//
// From NONE, Lock(RESERVED) takes RESERVED first and SHARED second, and
// Lock(EXCLUSIVE) takes both at once, so that a write transaction begun
// from nothing (an autocommit write, BEGIN IMMEDIATE or EXCLUSIVE) never
// holds SHARED while it waits for RESERVED: that is the one wait SQLite
// must answer with SQLITE_BUSY (the RESERVED holder may be waiting for the
// readers to leave), and writers that start this way queue for each other
// instead. The in-process order does not matter to other processes: TryOS,
// called once with every slot granted, takes the OS locks in SQLite's order
// (File.Lock(SHARED), then the level).
func (h *Holder) Lock(ctx context.Context, level osvfs.LockLevel, w Wait) error {
	held := h.Level()
	if level <= held {
		return nil
	}
	var req Request
	switch level {
	case osvfs.LockShared:
		req = Request{Slots: Slot(FileShared)}
	case osvfs.LockReserved:
		if held == osvfs.LockNone {
			return h.lockReservedFromNone(ctx, w)
		}
		req = Request{Slots: Slot(FileReserved), Exclusive: true}
	case osvfs.LockPending, osvfs.LockExclusive:
		req = Request{Slots: Slot(FileShared) | Slot(FileReserved), Exclusive: true}
	default:
		return errMisuse("no lock level %d", int(level))
	}
	req.Wait = w
	return h.Acquire(ctx, req)
}

// lockReservedFromNone takes RESERVED then SHARED in this process. The
// SHARED request cannot wait in this process: nobody else can hold
// FileShared exclusive without FileReserved, and the requests queued for
// it wait for this holder's RESERVED, so it passes them. Only its TryOS
// may wait, for the time left.
func (h *Holder) lockReservedFromNone(ctx context.Context, w Wait) error {
	reserved := Wait{Timeout: w.Timeout, Priority: w.Priority}
	waited, err := h.acquire(ctx, Request{Slots: Slot(FileReserved), Exclusive: true, Wait: reserved})
	if err != nil {
		return err
	}
	if w.Timeout > 0 {
		w.Timeout = max(w.Timeout-waited, 0)
	}
	if err := h.Acquire(ctx, Request{Slots: Slot(FileShared), Wait: w}); err != nil {
		h.Release(Slot(FileReserved))
		return err
	}
	return nil
}

// Unlock lowers h to level, LockShared or LockNone, and serves the waiters
// that can now proceed. Lower the OS lock first.
func (h *Holder) Unlock(level osvfs.LockLevel) error {
	switch level {
	case osvfs.LockNone:
		h.Release(Slot(FileShared) | Slot(FileReserved))
	case osvfs.LockShared:
		q := h.q
		q.mu.Lock()
		if h.excl&(Slot(FileShared)|Slot(FileReserved)) != 0 {
			q.release(h, Slot(FileReserved))
			q.downgrade(h, Slot(FileShared))
			q.wakeIfWaiting()
		}
		q.mu.Unlock()
	default:
		return errMisuse("unlock to %v", level)
	}
	return nil
}

// Level is the rollback-mode lock level h holds.
func (h *Holder) Level() osvfs.LockLevel {
	shared, excl := h.Held()
	switch {
	case excl.Has(FileShared):
		return osvfs.LockExclusive
	case excl.Has(FileReserved):
		return osvfs.LockReserved
	case shared.Has(FileShared):
		return osvfs.LockShared
	}
	return osvfs.LockNone
}
