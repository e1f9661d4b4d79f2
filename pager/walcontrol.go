package pager

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/wal"
)

// The controls of WAL mode: PRAGMA wal_checkpoint, wal_autocheckpoint and
// journal_size_limit, and the switches into and out of WAL mode (PRAGMA
// journal_mode).

// SetJournalSizeLimit sets PRAGMA journal_size_limit for the WAL: when a
// new generation of the WAL begins and at Close, a WAL larger than n bytes is
// cut back to n. Negative, the default, means no limit: the WAL keeps the
// size it grew to (the preserved WAL). Rollback journals ignore it.
func (p *Pager) SetJournalSizeLimit(n int64) {
	p.journalSizeLimit = n
	if p.log != nil {
		p.log.SetJournalSizeLimit(n)
	}
}

// JournalSizeLimit is the journal_size_limit setting.
func (p *Pager) JournalSizeLimit() int64 { return p.journalSizeLimit }

// SetWALAutoCheckpoint sets PRAGMA wal_autocheckpoint: after a commit that
// leaves at least n frames in the WAL, a PASSIVE checkpoint runs. n <= 0
// turns the automatic checkpoint off. The default is 1000.
func (p *Pager) SetWALAutoCheckpoint(n int) { p.autoCheckpoint = n }

// WALAutoCheckpoint is the wal_autocheckpoint setting.
func (p *Pager) WALAutoCheckpoint() int { return p.autoCheckpoint }

// Checkpoint runs PRAGMA wal_checkpoint(mode) outside a transaction and
// returns its row. FULL, RESTART and TRUNCATE wait for the writer in the
// lock queue and for readers by retrying, both up to the busy timeout; a
// checkpoint that could not do everything its mode asks says Busy, which is
// not an error. Outside WAL mode the row is {false, -1, -1}, as SQLite's.
func (p *Pager) Checkpoint(mode CheckpointMode) (CheckpointResult, error) {
	return p.CheckpointContext(context.Background(), mode)
}

// CheckpointContext is Checkpoint with ctx bounding its waits.
func (p *Pager) CheckpointContext(ctx context.Context, mode CheckpointMode) (CheckpointResult, error) {
	none := CheckpointResult{Log: -1, Checkpointed: -1}
	if err := p.checkOpen(); err != nil {
		return none, err
	}
	if p.log == nil {
		return none, nil
	}
	if p.state != stateNone {
		return none, resultcode.Errorf(resultcode.Locked, "pager: checkpoint inside a transaction")
	}
	p.ctx = ctx
	defer func() { p.ctx = nil }()
	var busy wal.BusyFunc
	if mode != CheckpointPassive {
		p.walWaitWrite = true
		defer func() { p.walWaitWrite = false }()
		busy = p.checkpointBusy()
	}
	res, err := p.log.Checkpoint(mode, busy)
	if err != nil {
		return res, fmt.Errorf("pager: checkpoint: %w", err)
	}
	return res, nil
}

// checkpointBusy is the BusyFunc of a blocking checkpoint: the readers it
// waits for are not queued for (they come and go on any of four slots), so
// it backs off and retries until the busy timeout or the context's end.
func (p *Pager) checkpointBusy() wal.BusyFunc {
	deadline := time.Now().Add(p.busyTimeout)
	backoff := time.Millisecond
	return func() bool {
		ctx := p.lockCtx()
		left := time.Until(deadline)
		if p.busyTimeout <= 0 || left <= 0 || ctx.Err() != nil {
			return false
		}
		t := time.NewTimer(min(backoff, left))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return false
		}
		backoff = min(2*backoff, 50*time.Millisecond)
		return true
	}
}

// enterWAL makes the database a WAL database (SetJournalMode(JournalWAL)).
func (p *Pager) enterWAL() error {
	if p.readOnly {
		return fmt.Errorf("pager: %s is read-only: %w", p.dbName, resultcode.ErrReadOnly)
	}
	if err := p.BeginWrite(); err != nil {
		return err
	}
	if p.log != nil || p.dbSize == 0 {
		// Already a WAL database (another connection switched it), or
		// no pages yet: the first commit writes the header.
		p.wantWAL = p.log == nil
		return p.Rollback()
	}
	pg, err := p.Get(1)
	if err == nil {
		err = p.Write(pg)
		pg.Release()
	}
	if err == nil {
		p.wantWAL = true // updateChangeCounter writes 2 and 2
		err = p.Commit()
	}
	if err != nil {
		p.wantWAL = false
		return errors.Join(err, p.Rollback())
	}
	// Open the WAL now, so that the mode is visible at once.
	if err := p.BeginRead(); err != nil {
		return err
	}
	return p.EndRead()
}

// leaveWAL makes the database a rollback-journal database again
// (SetJournalMode with a rollback mode), as SQLite does: under the
// EXCLUSIVE lock, checkpoint everything, delete the WAL, and set the header
// bytes 18 and 19 back to 1.
func (p *Pager) leaveWAL(m JournalMode) error {
	if p.readOnly {
		return fmt.Errorf("pager: %s is read-only: %w", p.dbName, resultcode.ErrReadOnly)
	}
	// This connection holds SHARED already; any other connection holds it
	// too as long as it has the database open, so waiting is pointless.
	// The background checkpointer's connection is one: it stops first if
	// this is its last user.
	p.detachCheckpointer()
	if err := p.lockFile(osvfs.LockExclusive, false); err != nil {
		if p.bgCheckpoint {
			p.attachCheckpointer()
		}
		return fmt.Errorf("pager: cannot leave WAL mode while other connections use the database: %w", err)
	}
	err := p.log.CloseAndDelete()
	p.log = nil
	if err != nil {
		// The WAL stays: back to WAL mode.
		p.unlockFile(osvfs.LockShared)
		return errors.Join(fmt.Errorf("pager: leave WAL mode: %w", err), p.openLog())
	}
	p.journalMode = m
	p.cache.clear()
	p.fileVers = [16]byte{}
	// Two bytes in one sector: written in place, with no journal, they
	// are either old or new after a crash, and either is a valid file
	// (a WAL header with no -wal file opens an empty WAL).
	if _, err = p.file.WriteAt([]byte{1, 1}, offWriteVersion); err == nil && p.sync != SyncOff {
		err = p.file.Sync(p.syncFlags())
	}
	if err != nil {
		err = fmt.Errorf("pager: leave WAL mode: write header: %w", err)
	}
	return errors.Join(err, p.unlock())
}
