package wal

import (
	"fmt"

	"github.com/wrendb/wren/resultcode"
)

// SQLite's eight wal-index lock slots (bytes 120..127 of the -shm file).
// Every lock this package takes goes through the four functions below, so
// that the in-process lock queue can be put in front of them: they fail at
// once with an error wrapping resultcode.ErrBusy, and the waiting is done
// by the caller (BusyFunc for checkpoints, the pager's busy handler for
// transactions).
const (
	slotWrite   = 0 // one writer at a time; also held by recovery
	slotCkpt    = 1 // one checkpointer at a time
	slotRecover = 2 // held while the wal-index is rebuilt
	slotRead0   = 3 // READ0..READ4: readers, one slot per read mark
)

func slotRead(i int) int { return slotRead0 + i }

var slotNames = [...]string{"WRITE", "CKPT", "RECOVER", "READ0", "READ1", "READ2", "READ3", "READ4"}

// shmLock is the database file's ShmLock, or Options.ShmLock in front of
// it.
func (l *Log) shmLock(offset, n int, exclusive, unlock bool) error {
	if l.opts.ShmLock != nil {
		return l.opts.ShmLock(offset, n, exclusive, unlock)
	}
	return l.shm.ShmLock(offset, n, exclusive, unlock)
}

func (l *Log) lockShared(slot int) error {
	if err := l.shmLock(slot, 1, false, false); err != nil {
		return fmt.Errorf("wal: %s lock: %w", slotNames[slot], err)
	}
	return nil
}

func (l *Log) unlockShared(slot int) { l.shmLock(slot, 1, false, true) }

func (l *Log) lockExclusive(slot, n int) error {
	if err := l.shmLock(slot, n, true, false); err != nil {
		return fmt.Errorf("wal: %s lock: %w", slotNames[slot], err)
	}
	return nil
}

func (l *Log) unlockExclusive(slot, n int) { l.shmLock(slot, n, true, true) }

// BusyFunc is called when a lock a checkpoint waits for is held by someone
// else; it returns true to try again (after waiting as it sees fit) and
// false to give up. nil means give up at once.
type BusyFunc func() bool

// lockExclusiveBusy is lockExclusive retried while busy says so (SQLite's
// walBusyLock).
func (l *Log) lockExclusiveBusy(slot, n int, busy BusyFunc) error {
	for {
		err := l.lockExclusive(slot, n)
		if err == nil || busy == nil || !isBusy(err) || !busy() {
			return err
		}
	}
}

func isBusy(err error) bool { return resultcode.Of(err).Primary() == resultcode.Busy }

// errSnapshotStaleMsg is the text of the error BeginWrite returns (code
// resultcode.BusySnapshot) when another connection committed after this
// one's read transaction began: its snapshot cannot become a write.
const errSnapshotStaleMsg = "database is locked: the transaction's snapshot is stale (another connection committed); retry the transaction or BEGIN IMMEDIATE"

func errSnapshotStale() error {
	return resultcode.New(resultcode.BusySnapshot, errSnapshotStaleMsg)
}
