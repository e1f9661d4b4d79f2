package osvfs

import (
	"fmt"

	"github.com/wrendb/wren/resultcode"
)

// rangeLock is what the lock state machines ask of the operating system: a
// read lock, a write lock or an unlock of a byte range, granted at once or
// refused with an error wrapping resultcode.ErrBusy. The in-memory VFS has no
// other process to exclude and passes a nil rangeLocker.
type rangeLock int

const (
	unlockRange rangeLock = iota
	readLockRange
	writeLockRange
)

type rangeLocker interface {
	lockRange(kind rangeLock, start, length int64) error
}

// errBusy is returned for every lock conflict, in-process or not.
func errBusy(what string) error {
	return resultcode.Wrap(resultcode.Busy, fmt.Errorf("osvfs: %s", what))
}

// fileLocks is the lock state that one process keeps for one file, shared by
// every handle of the process open on it (SQLite's unixInodeInfo). POSIX
// locks belong to the process, not to the descriptor: two handles in one
// process never conflict at the OS level, so the conflicts between them are
// resolved here, and the OS lock is only taken or released on transitions of
// the process-wide state. Callers hold the mutex that guards the value.
type fileLocks struct {
	// level is the highest level held by any handle of this process. At
	// most one handle can hold more than SHARED.
	level LockLevel
	// holders counts the handles holding SHARED or more.
	holders int
}

// lock raises *held (one handle's level) to want, consulting and updating
// the process-wide state and taking OS locks through os (nil: none).
func (s *fileLocks) lock(held *LockLevel, want LockLevel, os rangeLocker) error {
	if *held >= want {
		return nil
	}
	if want > LockShared && *held < LockShared {
		return resultcode.Errorf(resultcode.Misuse, "osvfs: lock %v requested without SHARED", want)
	}
	if want > LockExclusive {
		return resultcode.Errorf(resultcode.Misuse, "osvfs: no lock level %d", int(want))
	}

	// Another handle of this process holds a lock that excludes ours: a
	// PENDING or EXCLUSIVE one excludes everybody, and anything above
	// SHARED excludes a second writer.
	if *held != s.level && (s.level >= LockPending || want > LockShared) {
		return errBusy(fmt.Sprintf("lock %v: another connection in this process holds %v", want, s.level))
	}

	if want == LockShared {
		// Readers already hold the OS read lock for this process.
		if s.level == LockShared || s.level == LockReserved {
			*held = LockShared
			s.holders++
			return nil
		}
		if err := acquireShared(os); err != nil {
			return err
		}
		*held = LockShared
		s.level = LockShared
		s.holders = 1
		return nil
	}

	// Climbing to EXCLUSIVE passes through PENDING, whose lock stops new
	// readers from arriving while the existing ones finish.
	if want >= LockPending && *held < LockPending {
		if err := osLock(os, writeLockRange, PendingByte, 1); err != nil {
			return err
		}
		*held = LockPending
		s.level = LockPending
		if want == LockPending {
			return nil
		}
	}

	switch want {
	case LockReserved:
		if err := osLock(os, writeLockRange, ReservedByte, 1); err != nil {
			return err
		}
	case LockExclusive:
		if s.holders > 1 {
			// Left at PENDING, as SQLite does: the caller retries
			// once the other readers of this process are gone.
			return errBusy("lock EXCLUSIVE: other connections in this process hold SHARED")
		}
		if err := osLock(os, writeLockRange, SharedFirst, SharedSize); err != nil {
			return err
		}
	}
	*held = want
	s.level = want
	return nil
}

// acquireShared takes the OS read lock on the shared range. It holds a read
// lock on the PENDING byte meanwhile, so it fails while a writer waits for
// readers to drain, and then drops it.
func acquireShared(os rangeLocker) error {
	if err := osLock(os, readLockRange, PendingByte, 1); err != nil {
		return err
	}
	err := osLock(os, readLockRange, SharedFirst, SharedSize)
	if uerr := osLock(os, unlockRange, PendingByte, 1); uerr != nil && err == nil {
		err = uerr
	}
	return err
}

// unlock lowers *held to want (LockShared or LockNone).
func (s *fileLocks) unlock(held *LockLevel, want LockLevel, os rangeLocker) error {
	if want != LockShared && want != LockNone {
		return resultcode.Errorf(resultcode.Misuse, "osvfs: unlock to %v", want)
	}
	if *held <= want {
		return nil
	}
	var err error
	if *held > LockShared {
		if want == LockShared {
			// Turn the write lock on the shared range (if EXCLUSIVE)
			// back into a read lock before dropping the rest.
			if e := osLock(os, readLockRange, SharedFirst, SharedSize); e != nil {
				err = resultcode.Wrap(resultcode.IOErrRdlock, e)
			}
		}
		if e := osLock(os, unlockRange, PendingByte, 2); e != nil && err == nil {
			err = e
		}
		s.level = LockShared
	}
	if want == LockNone {
		s.holders--
		if s.holders <= 0 {
			s.holders = 0
			// Length 0 is "to the end of the file": everything.
			if e := osLock(os, unlockRange, 0, 0); e != nil && err == nil {
				err = e
			}
			s.level = LockNone
		}
	}
	*held = want
	return err
}

// reserved reports whether some handle of this process holds RESERVED or
// more.
func (s *fileLocks) reserved() bool { return s.level > LockShared }

func osLock(os rangeLocker, kind rangeLock, start, length int64) error {
	if os == nil {
		return nil
	}
	return os.lockRange(kind, start, length)
}
