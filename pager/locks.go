package pager

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// Every lock the pager takes goes through the database file's lock queue
// (package lockqueue), one Queue per file per process and one Holder per
// Pager: a connection that must wait for another connection of this process
// parks in the queue and is woken, in arrival order, when the lock is
// released; the OS lock (osvfs File.Lock, or ShmLock in WAL mode) is taken
// through the queue's TryOS hook once the queue grants the request, and a
// conflict with another process backs off and retries. How long a wait may
// last is the busy timeout, bounded by the context of the call
// (BeginReadContext and friends).

// queueKey names the database file for the process-wide lock queue: its
// device and inode when the file can say (osvfs unix files), else the VFS
// instance and the canonical name (the in-memory and fault-injecting file
// systems, whose files live in the VFS value).
func queueKey(vfs osvfs.VFS, f osvfs.File, full string) string {
	if id, ok := f.(interface{ FileID() string }); ok {
		return id.FileID()
	}
	return fmt.Sprintf("%T@%p:%s", vfs, vfs, full)
}

// FileKey identifies the database file across the paths that name it: its
// device and inode where the VFS can tell (osvfs unix files), else the VFS
// instance and canonical name. Two pagers with the same key share one file.
func (p *Pager) FileKey() string { return p.holder.Queue().Key() }

// lockCtx is the context that bounds the lock waits of the call under way.
func (p *Pager) lockCtx() context.Context {
	if p.ctx != nil {
		return p.ctx
	}
	return context.Background()
}

// wait returns how a lock request may wait: for the busy timeout, or not at
// all (a try-lock).
func (p *Pager) wait(mayWait bool, tryOS func() error) lockqueue.Wait {
	w := lockqueue.Wait{TryOS: tryOS}
	if mayWait {
		w.Timeout = p.busyTimeout
	}
	return w
}

// lockFile raises the database file lock to level, in the queue and at the
// OS. Raising from NONE to RESERVED takes RESERVED in the queue first (see
// lockqueue.Holder.Lock) but only SHARED at the OS: the caller still has to
// look for a hot journal, which another RESERVED holder would hide, and
// then takes RESERVED at the OS itself (BeginWrite).
//
// A reader asking for RESERVED while another process holds it is refused
// at once, as SQLite refuses it: that writer may be waiting for this
// reader's SHARED to go, which no backoff on our side can wait out (within
// the process the queue tells such a deadlock from a plain wait).
func (p *Pager) lockFile(level osvfs.LockLevel, mayWait bool) error {
	held := p.holder.Level()
	tryLevel := level
	if level == osvfs.LockReserved && held == osvfs.LockNone {
		tryLevel = osvfs.LockShared
	}
	tryOS := func() error { return p.file.Lock(tryLevel) }
	if level == osvfs.LockReserved && held == osvfs.LockShared {
		tryOS = func() error {
			if err := p.file.Lock(tryLevel); err != nil {
				return noRetry{err}
			}
			return nil
		}
	}
	err := p.holder.Lock(p.lockCtx(), level, p.wait(mayWait, tryOS))
	if nr, ok := err.(noRetry); ok {
		err = nr.err
	}
	if err != nil {
		return fmt.Errorf("pager: %v lock: %w", level, err)
	}
	return nil
}

// noRetry hides a busy error from the lock queue's TryOS loop, which would
// otherwise back off and retry it.
type noRetry struct{ err error }

func (e noRetry) Error() string { return e.err.Error() }

// unlockFile lowers the file lock to level (LockShared or LockNone): the OS
// lock first, so that the waiter the queue wakes finds it free.
func (p *Pager) unlockFile(level osvfs.LockLevel) error {
	err := p.file.Unlock(level)
	p.holder.Unlock(level)
	if err != nil {
		return fmt.Errorf("pager: unlock: %w", err)
	}
	return nil
}

// downgradeToReserved lowers EXCLUSIVE back to RESERVED (after a hot
// journal rollback begun by a writer starting from NONE): SHARED at the OS,
// which is as far as osvfs goes down, and RESERVED in the queue.
func (p *Pager) downgradeToReserved() error {
	err := p.file.Unlock(osvfs.LockShared)
	p.holder.Downgrade(lockqueue.Slot(lockqueue.FileShared))
	return err
}

// retryBusy calls try until it does not fail with a busy error, backing
// off from 1 ms to 50 ms between tries, for at most the busy timeout and as
// long as the context allows. It is the wait for what the queue cannot
// see: locks held by another process, and a wal-index under recovery.
func (p *Pager) retryBusy(try func() error) error {
	err := try()
	if err == nil || p.busyTimeout <= 0 || !retryable(err) {
		return err
	}
	ctx := p.lockCtx()
	deadline := time.Now().Add(p.busyTimeout)
	backoff := time.Millisecond
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return err
		}
		t := time.NewTimer(min(backoff, left))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctxError(ctx, err)
		}
		backoff = min(2*backoff, 50*time.Millisecond)
		if err = try(); err == nil || !retryable(err) {
			return err
		}
	}
}

// ctxError is the error of a wait ended by ctx: it wraps ctx.Err(), with
// code BUSY for a deadline and INTERRUPT for a cancellation, as the lock
// queue reports them.
func ctxError(ctx context.Context, last error) error {
	code := resultcode.Interrupt
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		code = resultcode.Busy
	}
	return resultcode.Wrap(code, fmt.Errorf("%w (%v)", ctx.Err(), last))
}

func isBusy(err error) bool { return errors.Is(err, resultcode.ErrBusy) }

// retryable reports whether waiting may cure err: a busy lock, but not a
// stale WAL snapshot, which stays stale however long one waits.
func retryable(err error) bool { return isBusy(err) && !isSnapshotStale(err) }

// walShmLock is the WAL's lock function (wal.Options.ShmLock): each WAL
// lock slot is a slot of the file's queue, and the shared memory's ShmLock
// is the OS part. The WAL tries every lock once, so requests do not wait,
// except the WRITE lock while walWaitWrite is set (BeginWrite, and a
// checkpoint that must wait for the writer): that one waits in the queue
// for the busy timeout, so that writers are served in arrival order.
func (p *Pager) walShmLock(offset, n int, exclusive, unlock bool) error {
	shm := p.file.(osvfs.SharedMemory)
	slots := lockqueue.WALSlots(offset, n)
	if unlock {
		if r, ok := shm.(osvfs.ShmRetainer); ok && n == 1 {
			switch {
			case exclusive && offset == lockqueue.WALWrite:
				return p.handOnWrite(r, slots)
			case offset >= lockqueue.WALRead0:
				return p.releaseReadSlot(r, offset, slots)
			}
		}
		err := shm.ShmLock(offset, n, exclusive, true)
		p.holder.Release(slots)
		return err
	}
	tryOS := func() error { return shm.ShmLock(offset, n, exclusive, false) }
	if _, excl := p.holder.Held(); exclusive && excl&slots == slots {
		// Held in the queue already: BeginWrite queued for WRITE before
		// it began the read transaction (see beginWriteWAL).
		return tryOS()
	}
	mayWait := exclusive && p.walWaitWrite && offset == lockqueue.WALWrite && n == 1
	return p.holder.Acquire(p.lockCtx(), lockqueue.Request{Slots: slots, Exclusive: exclusive, Wait: p.wait(mayWait, tryOS)})
}

// handOnWrite releases the WAL's WRITE lock. When the next writer of this
// process is waiting for it, which under contention is nearly always, the
// process keeps the lock at the OS (osvfs.ShmRetainer) and the next writer
// takes it over without the two fcntl calls that would release it and take
// it back; other processes stay shut out exactly as they would be while
// this process's writers follow each other. When nobody takes it over, it
// is released at the OS at once. The OS layer bounds the hand-offs in a
// row, so that another process waiting for the lock gets its chance.
//
// The read locks get the same treatment while a writer of this process is
// at work: the next writer takes the same read mark over (raising it takes
// it exclusive, then shared), so that a transaction under contention makes
// no fcntl call at all. Once no writer of the process holds WRITE, every
// lock kept is brought back in line with what the connections hold.
func (p *Pager) handOnWrite(r osvfs.ShmRetainer, slots lockqueue.Slots) error {
	_, err := r.ShmRetain(lockqueue.WALWrite, 1)
	if p.holder.ReleaseHandedOn(slots) {
		return err
	}
	return errors.Join(err, r.ShmDropRetained(0, lockqueue.WALLockCount))
}

// releaseReadSlot releases a read lock (slot offset), keeping the OS lock
// for the next writer while a writer of this process is at work (see
// handOnWrite). The check comes after the release, so that a writer
// letting go of WRITE in between either sees the lock kept and drops it,
// or is seen gone here.
func (p *Pager) releaseReadSlot(r osvfs.ShmRetainer, offset int, slots lockqueue.Slots) error {
	_, err := r.ShmRetain(offset, 1)
	p.holder.Release(slots)
	if p.holder.Queue().Holds(lockqueue.WALSlots(lockqueue.WALWrite, 1)) {
		return err
	}
	return errors.Join(err, r.ShmDropRetained(offset, 1))
}

// dropRetainedWrite brings the OS locks kept by handOnWrite back in line
// when a writer that was granted WRITE in the queue gave it back without
// taking it at the OS (its transaction failed to begin) and no other
// writer holds it.
func (p *Pager) dropRetainedWrite() {
	r, ok := p.file.(osvfs.ShmRetainer)
	if ok && !p.holder.Queue().Holds(lockqueue.WALSlots(lockqueue.WALWrite, 1)) {
		r.ShmDropRetained(0, lockqueue.WALLockCount)
	}
}

// LockStats are the statistics of the database file's lock queue, shared by
// every connection of this process to the file: how many lock requests had
// to wait, for how long, and how the waits ended.
func (p *Pager) LockStats() lockqueue.Stats { return p.holder.Queue().Stats() }

// SetBusyTimeout changes the busy timeout (PRAGMA busy_timeout); zero or
// less fails lock conflicts at once.
func (p *Pager) SetBusyTimeout(d time.Duration) { p.busyTimeout = max(d, 0) }

// BusyTimeout is the busy timeout.
func (p *Pager) BusyTimeout() time.Duration { return p.busyTimeout }
