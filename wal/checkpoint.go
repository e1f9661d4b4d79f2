package wal

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// CheckpointMode is the argument of PRAGMA wal_checkpoint.
type CheckpointMode int

const (
	// CheckpointPassive copies what it can without waiting for anyone.
	CheckpointPassive CheckpointMode = iota
	// CheckpointFull waits (through BusyFunc) for the writer and for the
	// readers it must not disturb, until every frame is copied.
	CheckpointFull
	// CheckpointRestart is Full, and then waits until no reader uses the
	// WAL, so that the next writer starts it over from frame 1.
	CheckpointRestart
	// CheckpointTruncate is Restart, and then truncates the WAL file to
	// zero bytes: the only way this package shrinks it besides
	// SetJournalSizeLimit.
	CheckpointTruncate
)

func (m CheckpointMode) String() string {
	switch m {
	case CheckpointPassive:
		return "PASSIVE"
	case CheckpointFull:
		return "FULL"
	case CheckpointRestart:
		return "RESTART"
	case CheckpointTruncate:
		return "TRUNCATE"
	}
	return fmt.Sprintf("CheckpointMode(%d)", int(m))
}

// CheckpointResult is the row PRAGMA wal_checkpoint returns.
type CheckpointResult struct {
	// Busy is true when the checkpoint could not do all its mode asks
	// (another checkpoint ran, or readers or a writer held on).
	Busy bool
	// Log is the number of frames in the WAL, Checkpointed the number
	// of them now in the database file; both -1 when the checkpoint could
	// not start.
	Log, Checkpointed int
}

// Checkpoint copies committed frames from the WAL into the database file
// (SQLite's sqlite3WalCheckpoint), in page order, as far as the readers
// allow: a frame is copied only if every reader's snapshot already
// includes it. busy is consulted when a lock is held by another connection
// (nil: give up at once); PASSIVE never waits. A checkpoint that could not
// finish is not an error: the result says Busy. The connection must not be
// in a transaction.
func (l *Log) Checkpoint(mode CheckpointMode, busy BusyFunc) (res CheckpointResult, err error) {
	res = CheckpointResult{Log: -1, Checkpointed: -1}
	if l.opts.ReadOnly {
		return res, resultcode.Errorf(resultcode.ReadOnly, "wal: %s is read-only", l.walName)
	}
	if l.readLock >= 0 || l.writeLock {
		return res, resultcode.Errorf(resultcode.Locked, "wal: checkpoint inside a transaction")
	}
	if mode < CheckpointPassive || mode > CheckpointTruncate {
		return res, resultcode.Errorf(resultcode.Misuse, "wal: unknown checkpoint mode %d", int(mode))
	}
	if err := l.lockExclusive(slotCkpt, 1); err != nil {
		if isBusy(err) {
			res.Busy = true
			return res, nil
		}
		return res, err
	}
	l.ckptLock = true
	defer func() {
		l.unlockExclusive(slotCkpt, 1)
		l.ckptLock = false
	}()

	effective := mode
	if mode != CheckpointPassive {
		err := l.lockExclusiveBusy(slotWrite, 1, busy)
		switch {
		case err == nil:
			l.writeLock = true
			defer func() {
				l.unlockExclusive(slotWrite, 1)
				l.writeLock = false
			}()
		case isBusy(err):
			effective, busy = CheckpointPassive, nil
		default:
			return res, err
		}
	}

	changed, err := l.readHeader()
	if err != nil {
		if isBusy(err) {
			res.Busy = true
			return res, nil
		}
		return res, err
	}
	err = l.backfill(effective, busy)
	if err == nil || isBusy(err) {
		res.Log, res.Checkpointed = int(l.hdr.mxFrame), int(l.nBackfill())
		res.Busy = err != nil || effective != mode
		err = nil
	}
	if changed {
		// The pager's cache matches our old snapshot, not this header:
		// make the next BeginRead report a change.
		l.hdr = indexHeader{}
	}
	return res, err
}

// SyncFrames makes the frames written to the WAL so far durable (unless
// the WAL is not synced at all), holding no lock. A checkpoint syncs the
// WAL before it overwrites pages of the database file; one that is about
// to wait for the WRITE lock calls SyncFrames first, so that the sync it
// makes holding the lock, and keeping every writer waiting, finds only
// the frames of the last transaction or two still to flush.
func (l *Log) SyncFrames() error {
	if l.opts.ReadOnly || l.opts.Sync == SyncOff {
		return nil
	}
	if err := l.file.Sync(osvfs.SyncNormal); err != nil {
		return fmt.Errorf("wal: sync %s: %w", l.walName, err)
	}
	return nil
}

// backfill is SQLite's walCheckpoint, for the header in l.hdr.
func (l *Log) backfill(mode CheckpointMode, busy BusyFunc) error {
	if l.nBackfill() < l.hdr.mxFrame {
		safe := l.hdr.mxFrame
		for i := 1; i < nReaders; i++ {
			y := l.readMark(i)
			if safe <= y {
				continue
			}
			// A reader may be using mark i: if so, stop at its
			// snapshot; if not, move the mark out of the way.
			err := l.lockExclusiveBusy(slotRead(i), 1, busy)
			switch {
			case err == nil:
				mark := uint32(readMarkUnused)
				if i == 1 {
					mark = safe
				}
				l.setReadMark(i, mark)
				l.unlockExclusive(slotRead(i), 1)
			case isBusy(err):
				safe, busy = y, nil
			default:
				return err
			}
		}
		if l.nBackfill() < safe {
			if err := l.copyFrames(safe, busy); err != nil && !isBusy(err) {
				return err
			}
		}
	}
	if mode == CheckpointPassive {
		return nil
	}
	if l.nBackfill() < l.hdr.mxFrame {
		return resultcode.Errorf(resultcode.Busy, "wal: readers keep %d frames of %s from the database", l.hdr.mxFrame-l.nBackfill(), l.walName)
	}
	if mode < CheckpointRestart {
		return nil
	}
	if err := l.lockExclusiveBusy(slotRead(1), nReaders-1, busy); err != nil {
		return err
	}
	defer l.unlockExclusive(slotRead(1), nReaders-1)
	if mode == CheckpointTruncate {
		l.restartHeader()
		l.unmapWAL()
		if err := l.file.Truncate(0); err != nil {
			return fmt.Errorf("wal: truncate %s: %w", l.walName, err)
		}
	}
	return nil
}

// copyFrames writes the frames after nBackfill up to safe into the
// database file, the latest frame of each page, in page order; syncs; and
// records the progress in nBackfill. READ0 held exclusively keeps readers
// that read the database file alone away meanwhile.
func (l *Log) copyFrames(safe uint32, busy BusyFunc) error {
	done := l.nBackfill()
	pages, err := l.latestFrames(done, l.hdr.mxFrame)
	if err != nil {
		return err
	}
	if err := l.lockExclusiveBusy(slotRead(0), 1, busy); err != nil {
		return err
	}
	defer l.unlockExclusive(slotRead(0), 1)
	l.setBackfillAttempted(safe)
	if l.opts.Sync != SyncOff {
		if err := l.file.Sync(osvfs.SyncNormal); err != nil {
			return fmt.Errorf("wal: sync %s: %w", l.walName, err)
		}
	}
	pageSize := l.hdr.pageSize()
	// The database can grow by what the WAL holds and no more (plus the
	// page of the pending byte): anything else is a damaged header.
	dbBytes, err := l.db.Size()
	if err != nil {
		return fmt.Errorf("wal: checkpoint: %w", err)
	}
	if need := int64(l.hdr.nPage) * int64(pageSize); need > dbBytes+65536+int64(l.hdr.mxFrame)*int64(pageSize) {
		return errCorrupt("the WAL says the database has %d pages; the file and the WAL hold far fewer", l.hdr.nPage)
	}
	l.ensureMapped(frameOffset(safe+1, pageSize))
	var buf []byte
	for _, p := range pages {
		if p.frame <= done || p.frame > safe || p.pgno > l.hdr.nPage {
			continue
		}
		if buf == nil {
			buf = make([]byte, pageSize)
		}
		data, err := l.frameData(p.frame, buf)
		if err != nil {
			return err
		}
		if _, err := l.db.WriteAt(data, int64(p.pgno-1)*int64(pageSize)); err != nil {
			return fmt.Errorf("wal: checkpoint page %d: %w", p.pgno, err)
		}
	}
	if safe == l.sharedHeader().mxFrame {
		// Everything is in the database file: cut it to the size the
		// last commit recorded, after which (once synced) the WAL may
		// be started over.
		if err := l.db.Truncate(int64(l.hdr.nPage) * int64(pageSize)); err != nil {
			return fmt.Errorf("wal: checkpoint: truncate database: %w", err)
		}
	}
	// Synced after every checkpoint, as SQLite does, also a partial one:
	// the one that completes, perhaps holding the WRITE lock, then has
	// only its own pages to flush.
	if l.opts.Sync != SyncOff {
		if err := l.db.Sync(osvfs.SyncNormal); err != nil {
			return fmt.Errorf("wal: checkpoint: sync database: %w", err)
		}
	}
	l.setNBackfill(safe)
	return nil
}

type pageFrame struct{ pgno, frame uint32 }

// latestFrames lists, for each page written in frames after..last, its
// latest frame, in page-number order.
func (l *Log) latestFrames(after, last uint32) ([]pageFrame, error) {
	latest := make(map[uint32]uint32)
	for f := after + 1; f <= last; f++ {
		pgno, err := l.framePgno(f)
		if err != nil {
			return nil, err
		}
		latest[pgno] = f
	}
	pages := make([]pageFrame, 0, len(latest))
	for pgno, f := range latest {
		pages = append(pages, pageFrame{pgno, f})
	}
	slices.SortFunc(pages, func(a, b pageFrame) int { return cmp.Compare(a.pgno, b.pgno) })
	return pages, nil
}
