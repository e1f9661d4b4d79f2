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
// each slot shared, which holds it exclusive, and which lock the process
// holds at the OS. The OS lock on a slot's byte is taken when the first
// connection of the process takes the slot and released when the last lets
// it go, unless it lets go through retain (ShmRetainer): then the OS lock
// stays, perhaps stronger than the connections need (a write lock where
// they hold the slot shared, or hold nothing), until the next connection
// takes the slot over or dropRetained brings it back in line. Callers hold
// the node's mutex.
type shmSlots struct {
	shared [ShmLockCount]int
	excl   [ShmLockCount]bool
	os     [ShmLockCount]rangeLock // what the process holds at the OS
	// handoffs counts the exclusive holds retained in a row, bounded by
	// maxShmHandoffs.
	handoffs int
}

// maxShmHandoffs bounds how many times in a row an exclusive slot passes
// between the connections of this process without being released at the
// OS, so that another process waiting for it gets a chance between two.
const maxShmHandoffs = 64

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
		return s.release(h, mask, false, os)
	case exclusive:
		return s.lockExclusive(h, mask, offset, n, os)
	default:
		return s.lockShared(h, mask, os)
	}
}

// needed is the OS lock the connections' holds on slot i call for.
func (s *shmSlots) needed(i int) rangeLock {
	switch {
	case s.excl[i]:
		return writeLockRange
	case s.shared[i] > 0:
		return readLockRange
	}
	return unlockRange
}

// settle brings the OS lock of slot i down to what the holds need.
func (s *shmSlots) settle(i int, os rangeLocker) error {
	need := s.needed(i)
	if s.os[i] == need || need == writeLockRange {
		return nil
	}
	if err := osLock(os, need, int64(ShmLockOffset+i), 1); err != nil {
		if need == unlockRange {
			return resultcode.Wrap(resultcode.IOErrUnlock, err)
		}
		return err
	}
	s.os[i] = need
	return nil
}

// release drops h's holds on the slots of mask. With retain the OS locks
// stay as they are; otherwise each slot's is brought in line with the
// holds left.
func (s *shmSlots) release(h *shmHolder, mask uint8, retain bool, os rangeLocker) error {
	var err error
	for i := range ShmLockCount {
		bit := uint8(1) << i
		if mask&bit == 0 {
			continue
		}
		if h.excl&bit != 0 {
			h.excl &^= bit
			s.excl[i] = false
		}
		if h.shared&bit != 0 {
			h.shared &^= bit
			s.shared[i]--
		}
		if !retain {
			if e := s.settle(i, os); e != nil && err == nil {
				err = e
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
			s.release(h, taken, false, os)
			return errBusy(fmt.Sprintf("shm slot %d is held exclusive in this process", i))
		}
		if s.os[i] == unlockRange {
			if err := osLock(os, readLockRange, int64(ShmLockOffset+i), 1); err != nil {
				s.release(h, taken, false, os)
				return err
			}
			s.os[i] = readLockRange
		}
		// (A write lock kept by retain serves a shared hold as well.)
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
	held := true // the process holds the OS write lock on every slot needed
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
		held = held && s.os[i] == writeLockRange
	}
	if !held {
		// One fcntl for the whole range: all of it or nothing.
		if err := osLock(os, writeLockRange, int64(ShmLockOffset+offset), int64(n)); err != nil {
			return err
		}
		s.handoffs = 0
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
		s.os[i] = writeLockRange
		h.excl |= bit
	}
	return nil
}

// retain drops h's holds on the slots of mask, keeping the process's OS
// locks on them (ShmRetainer.ShmRetain), unless an exclusive hold has been
// handed on maxShmHandoffs times in a row: then they are released at the
// OS too, and kept is false.
func (s *shmSlots) retain(h *shmHolder, offset, n int, os rangeLocker) (kept bool, err error) {
	mask, err := shmMask(offset, n)
	if err != nil {
		return false, err
	}
	if h.excl&mask != 0 {
		if s.handoffs >= maxShmHandoffs {
			s.handoffs = 0
			return false, s.release(h, mask, false, os)
		}
		s.handoffs++
	}
	return true, s.release(h, mask, true, os)
}

// dropRetained brings the OS locks of the slots of mask in line with the
// holds of the process's connections, releasing what retain kept.
func (s *shmSlots) dropRetained(offset, n int, os rangeLocker) error {
	mask, err := shmMask(offset, n)
	if err != nil {
		return err
	}
	for i := range ShmLockCount {
		if mask&(1<<i) != 0 {
			if e := s.settle(i, os); e != nil && err == nil {
				err = e
			}
		}
	}
	return err
}

// releaseAll drops every slot h holds (a connection going away).
func (s *shmSlots) releaseAll(h *shmHolder, os rangeLocker) error {
	return s.release(h, 0xff, false, os)
}
