package osvfs

import (
	"fmt"

	"github.com/wrendb/wren/resultcode"
)

// Layout of the wal-index (-shm) locks, as in SQLite: eight lock slots, one
// byte each, from byte 120 of the -shm file, and after them the byte whose
// lock says "some process has this wal-index open" (the DMS byte).
const (
	ShmLockCount  = 8
	ShmLockOffset = 120
	ShmDMSOffset  = ShmLockOffset + ShmLockCount
	// ShmRegionSize is the size of one wal-index region (SQLite's
	// WALINDEX_PGSZ); ShmMap accepts others but SQLite uses only this one.
	ShmRegionSize = 32768

	// maxShmRegions bounds the region numbers ShmMap accepts: a WAL of
	// 2^32 frames needs about a million regions of 4096 frames each.
	maxShmRegions = 1 << 21
)

// shmSlots is the process-wide accounting of the eight wal-index lock slots
// (SQLite's unixShmNode locks): how many connections of this process hold
// each slot shared, and which holds it exclusive. The OS lock on a slot's
// byte is taken when the first connection of the process takes the slot and
// released when the last lets it go. Callers hold the node's mutex.
type shmSlots struct {
	shared [ShmLockCount]int
	excl   [ShmLockCount]bool
}

// shmHolder is one connection's share of the slots.
type shmHolder struct {
	shared uint8 // bit i: this connection holds slot i shared
	excl   uint8 // bit i: this connection holds slot i exclusive
}

func shmMask(offset, n int) (uint8, error) {
	if offset < 0 || n < 1 || offset+n > ShmLockCount {
		return 0, resultcode.Errorf(resultcode.Misuse, "osvfs: shm lock slots %d..%d out of range", offset, offset+n-1)
	}
	return uint8((1<<n - 1) << offset), nil
}

// lock takes or releases the slots offset..offset+n-1 for h.
func (s *shmSlots) lock(h *shmHolder, offset, n int, exclusive, unlock bool, os rangeLocker) error {
	mask, err := shmMask(offset, n)
	if err != nil {
		return err
	}
	switch {
	case unlock:
		return s.release(h, mask, os)
	case exclusive:
		return s.lockExclusive(h, mask, offset, n, os)
	default:
		return s.lockShared(h, mask, os)
	}
}

func (s *shmSlots) release(h *shmHolder, mask uint8, os rangeLocker) error {
	var err error
	for i := range ShmLockCount {
		bit := uint8(1) << i
		if mask&bit == 0 {
			continue
		}
		last := false
		if h.excl&bit != 0 {
			h.excl &^= bit
			s.excl[i] = false
			last = s.shared[i] == 0
		}
		if h.shared&bit != 0 {
			h.shared &^= bit
			s.shared[i]--
			last = s.shared[i] == 0 && !s.excl[i]
		}
		if last {
			if e := osLock(os, unlockRange, int64(ShmLockOffset+i), 1); e != nil && err == nil {
				err = resultcode.Wrap(resultcode.IOErrUnlock, e)
			}
		}
	}
	return err
}

func (s *shmSlots) lockShared(h *shmHolder, mask uint8, os rangeLocker) error {
	var taken uint8
	for i := range ShmLockCount {
		bit := uint8(1) << i
		if mask&bit == 0 || h.shared&bit != 0 || h.excl&bit != 0 {
			continue
		}
		if s.excl[i] {
			s.release(h, taken, os)
			return errBusy(fmt.Sprintf("shm slot %d is held exclusive in this process", i))
		}
		if s.shared[i] == 0 {
			if err := osLock(os, readLockRange, int64(ShmLockOffset+i), 1); err != nil {
				s.release(h, taken, os)
				return err
			}
		}
		s.shared[i]++
		h.shared |= bit
		taken |= bit
	}
	return nil
}

func (s *shmSlots) lockExclusive(h *shmHolder, mask uint8, offset, n int, os rangeLocker) error {
	need := mask &^ h.excl
	if need == 0 {
		return nil
	}
	for i := range ShmLockCount {
		bit := uint8(1) << i
		if need&bit == 0 {
			continue
		}
		others := s.shared[i]
		if h.shared&bit != 0 {
			others--
		}
		if others > 0 || s.excl[i] {
			return errBusy(fmt.Sprintf("shm slot %d is held in this process", i))
		}
	}
	// One fcntl for the whole range: all of it or nothing.
	if err := osLock(os, writeLockRange, int64(ShmLockOffset+offset), int64(n)); err != nil {
		return err
	}
	for i := range ShmLockCount {
		bit := uint8(1) << i
		if mask&bit == 0 {
			continue
		}
		if h.shared&bit != 0 {
			h.shared &^= bit
			s.shared[i]--
		}
		s.excl[i] = true
		h.excl |= bit
	}
	return nil
}

// releaseAll drops every slot h holds (a connection going away).
func (s *shmSlots) releaseAll(h *shmHolder, os rangeLocker) error {
	return s.release(h, 0xff, os)
}
