package pager

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"time"

	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/wal"
)

// WAL mode: the pager's side of package wal. A connection in WAL mode
// holds the SHARED lock on the database file from the moment it finds the
// file is a WAL database until Close (the WAL's Close judges whether it is
// the last connection by that lock); its transactions take WAL locks only.

// CheckpointMode is PRAGMA wal_checkpoint's argument.
type CheckpointMode = wal.CheckpointMode

// The checkpoint modes, as SQLite's.
const (
	CheckpointPassive  = wal.CheckpointPassive
	CheckpointFull     = wal.CheckpointFull
	CheckpointRestart  = wal.CheckpointRestart
	CheckpointTruncate = wal.CheckpointTruncate
)

// CheckpointResult is PRAGMA wal_checkpoint's row: Busy, Log (frames in the
// WAL) and Checkpointed (frames now in the database file).
type CheckpointResult = wal.CheckpointResult

// noJournal reports whether the transaction keeps no rollback journal:
// journal_mode=OFF, or WAL mode, where the database file is not written
// until a checkpoint and the WAL's uncommitted frames are simply dropped.
func (p *Pager) noJournal() bool { return p.journalMode == JournalOff || p.log != nil }

// WALMode reports whether the pager uses a write-ahead log: the database is
// a WAL database, or WAL was asked for a database that has no pages yet
// (its first commit writes the header bytes 18 and 19 as 2, which makes it
// one).
func (p *Pager) WALMode() bool { return p.log != nil || p.wantWAL }

func walSync(s Synchronous) wal.SyncMode {
	switch s {
	case SyncOff:
		return wal.SyncOff
	case SyncNormal:
		return wal.SyncNormal
	}
	return wal.SyncFull
}

// detectWAL opens the WAL when the file is a WAL database: its header's read
// version is 2, or a -wal file lies next to it (SQLite's rules; the second
// covers a WAL whose database file has not yet received the header). Called
// in rollback mode under SHARED, after readFileState. As SQLite does, a
// -wal next to an empty database is a leftover and is deleted.
func (p *Pager) detectWAL() error {
	walName := p.dbName + "-wal"
	if p.fileBytes == 0 {
		if !p.readOnly {
			if exists, err := p.vfs.Exists(walName); err == nil && exists {
				p.vfs.Delete(walName, false)
			}
		}
		return nil
	}
	if !p.walHeader {
		exists, err := p.vfs.Exists(walName)
		if err != nil {
			return fmt.Errorf("pager: probe %s: %w", walName, err)
		}
		if !exists {
			// A file with pages keeps the mode its header says.
			p.wantWAL = false
			return nil
		}
	}
	return p.openLog()
}

// openLog enters WAL mode (the SHARED lock is held, and kept from now on).
func (p *Pager) openLog() error {
	if _, ok := p.file.(osvfs.SharedMemory); !ok {
		return resultcode.Errorf(resultcode.CantOpen, "pager: %s is a WAL database and the file system offers no shared memory", p.dbName)
	}
	l, err := wal.Open(p.vfs, p.file, p.dbName, wal.Options{Sync: walSync(p.sync), ReadOnly: p.readOnly, ShmLock: p.walShmLock})
	if err != nil {
		return fmt.Errorf("pager: %w", err)
	}
	l.SetJournalSizeLimit(p.journalSizeLimit)
	p.log = l
	p.wantWAL = false
	p.cache.clear()
	if p.bgCheckpoint {
		p.attachCheckpointer()
	}
	return nil
}

// beginReadWAL fixes the read transaction's snapshot. Of the cache it
// drops only the pages that other connections' commits since our last
// snapshot wrote (the WAL names them), unless the WAL cannot tell.
func (p *Pager) beginReadWAL() error {
	changed := false
	err := p.retryBusy(func() error {
		ch, all, err := p.log.BeginReadSince(p.dropCachedPage)
		changed = changed || ch
		if all {
			p.cache.clear()
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("pager: begin read: %w", err)
	}
	if n := p.log.DBSize(); changed && n > 0 && n < p.dbSize {
		// A commit that shrank the database wrote no frames for the
		// pages it cut off. (p.dbSize is still the last snapshot's.)
		p.cache.dropAbove(n)
	}
	if err := p.readWALState(changed); err != nil {
		p.log.EndRead()
		return err
	}
	p.state = stateRead
	return nil
}

// dropCachedPage forgets page pgno, which a commit of another connection
// changed.
func (p *Pager) dropCachedPage(pgno uint32) {
	if pg := p.cache.pages[pgno]; pg != nil {
		p.cache.drop(pg)
	}
}

// readWALState sets the database size and geometry as of the snapshot: the
// size from the WAL's last commit, or from the database file when the WAL
// holds none, and the page size and reserved bytes from page 1.
func (p *Pager) readWALState(changed bool) error {
	size, err := p.file.Size()
	if err != nil {
		return fmt.Errorf("pager: size of %s: %w", p.dbName, err)
	}
	if ps := p.log.PageSize(); ps != 0 && ps != p.pageSize {
		p.setGeometry(ps)
	}
	if p.mmapSize > 0 || p.mapping != nil {
		p.refreshMapping(size)
	}
	p.fileBytes = size
	p.dbFileSize = uint32((size + int64(p.pageSize) - 1) / int64(p.pageSize))
	p.dbSize = p.log.DBSize()
	if p.dbSize == 0 {
		p.dbSize = p.dbFileSize
	}
	if p.dbSize == 0 {
		return nil
	}
	for try := 0; ; try++ {
		pg, err := p.fetch(1)
		if err != nil {
			return err
		}
		pageSize, reserved, err := parseHeaderGeometry(pg.data[:100])
		inHeader := binary.BigEndian.Uint32(pg.data[offDBSize:])
		valid := binary.BigEndian.Uint32(pg.data[offChangeCounter:]) == binary.BigEndian.Uint32(pg.data[offVersionValid:])
		pg.Release()
		if err != nil {
			return err
		}
		if pageSize != p.pageSize && try == 0 && p.log.DBSize() == 0 {
			// The file's page size differs from the one assumed.
			p.setGeometry(pageSize)
			p.dbFileSize = uint32((size + int64(pageSize) - 1) / int64(pageSize))
			p.dbSize = p.dbFileSize
			continue
		}
		if pageSize != p.pageSize {
			return fmt.Errorf("pager: page size %d in the header, %d in the WAL: %w", pageSize, p.pageSize, resultcode.ErrCorrupt)
		}
		p.reserved = reserved
		if p.log.DBSize() == 0 && inHeader != 0 && valid && inHeader <= p.dbFileSize {
			p.dbSize = inHeader
		}
		return nil
	}
}

// setGeometry changes the page size, dropping the cache.
func (p *Pager) setGeometry(pageSize int) {
	p.cache.clear()
	p.cache.free = nil
	p.pageSize = pageSize
	p.cache.capacity = cachePages(p.cacheSize, pageSize)
}

// readWALFrame reads page pgno from the WAL into buf when the snapshot has
// it there, reporting whether it did.
func (p *Pager) readWALFrame(pgno uint32, buf []byte) (bool, error) {
	frame, err := p.log.FindFrame(pgno)
	if err != nil || frame == 0 {
		return false, err
	}
	if ps := p.log.PageSize(); ps != len(buf) {
		return false, fmt.Errorf("pager: page %d: frame of %d bytes for %d-byte pages: %w", pgno, ps, len(buf), resultcode.ErrCorrupt)
	}
	// A copy from the mapping, or a read straight into the cache's buffer
	// for frames past its end.
	if err := p.log.ReadFrame(frame, buf); err != nil {
		return false, fmt.Errorf("pager: read page %d: %w", pgno, err)
	}
	return true, nil
}

// beginWriteWAL takes the WAL's writer lock, starting the read transaction
// first if none is open. Started here, the read transaction begins only
// once this connection holds the WRITE slot of the lock queue, so that its
// snapshot cannot go stale while it waits behind other writers of this
// process.
func (p *Pager) beginWriteWAL() error {
	p.walWaitWrite = true
	defer func() { p.walWaitWrite = false }()
	writeSlot := lockqueue.WALSlots(lockqueue.WALWrite, 1)
	startedRead := p.state == stateNone
	fail := func(err error) error {
		if startedRead && p.state == stateRead {
			p.log.EndRead()
			p.state = stateNone
		}
		if !p.log.InWrite() {
			p.holder.Release(writeSlot)
			p.dropRetainedWrite()
		}
		return err
	}
	if startedRead {
		req := lockqueue.Request{Slots: writeSlot, Exclusive: true, Wait: p.wait(true, nil)}
		if err := p.holder.Acquire(p.lockCtx(), req); err != nil {
			return fmt.Errorf("pager: WAL write lock: %w", err)
		}
		if err := p.beginReadWAL(); err != nil {
			return fail(err)
		}
	}
	err := p.retryBusy(func() error {
		err := p.log.BeginWrite()
		for try := 0; startedRead && try < 3 && isSnapshotStale(err); try++ {
			// Another process committed between our snapshot and our
			// lock: take a new snapshot, which no one can outdate
			// while we are first in line.
			p.log.EndRead()
			p.state = stateNone
			if err := p.beginReadWAL(); err != nil {
				return err
			}
			err = p.log.BeginWrite()
		}
		return err
	})
	if err != nil {
		return fail(fmt.Errorf("pager: begin write: %w", err))
	}
	return nil
}

func isSnapshotStale(err error) bool {
	return err != nil && resultcode.Of(err) == resultcode.BusySnapshot
}

// walPages returns the dirty pages that keep selects, in page order, as
// WAL pages.
func (p *Pager) walPages(keep func(*Page) bool) ([]*Page, []wal.Page) {
	pages := make([]*Page, 0, len(p.cache.dirty))
	for _, pg := range p.cache.dirty {
		if keep(pg) {
			pages = append(pages, pg)
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].pgno < pages[j].pgno })
	frames := make([]wal.Page, len(pages))
	for i, pg := range pages {
		frames[i] = wal.Page{Pgno: pg.pgno, Data: pg.data}
	}
	return pages, frames
}

// commitWAL appends the transaction's pages to the WAL, the last one a
// commit frame with the new database size, and ends the transaction; then
// the automatic checkpoint runs when the WAL has grown long enough.
func (p *Pager) commitWAL() error {
	if p.dbSize == 0 {
		// Nothing a WAL frame could say (a database cut to no pages):
		// the empty transaction commits as nothing.
		return p.endWrite()
	}
	if err := p.updateChangeCounter(); err != nil {
		return err
	}
	pages, frames := p.walPages(func(pg *Page) bool { return pg.pgno <= p.dbSize })
	if err := p.log.Append(frames, p.dbSize); err != nil {
		return fmt.Errorf("pager: commit: %w", err)
	}
	for _, pg := range pages {
		p.cache.markClean(pg)
	}
	// Pages cut off by a truncation (and their spilled frames) are beyond
	// the committed size now.
	for _, pg := range p.cache.dirty {
		p.cache.drop(pg)
	}
	p.cache.dropAbove(p.dbSize)
	if err := p.endWrite(); err != nil {
		return err
	}
	if p.autoCheckpoint > 0 && p.log.Frames() >= uint32(p.autoCheckpoint) {
		if p.ckpt != nil {
			p.ckpt.signal(p)
		} else {
			p.autoCheckpointWAL(foregroundPasses, p.autoCheckpoint)
		}
	}
	return nil
}

// The automatic checkpoint's passes: at most foregroundPasses PASSIVE ones
// (backgroundPasses in the background checkpointer, where they delay no
// transaction), until no more than maxLockedCheckpoint frames are left to
// copy under the WRITE lock; then the last one, which holds it (see
// maxWALGrowth).
const (
	foregroundPasses    = 2
	backgroundPasses    = 2
	maxLockedCheckpoint = 64
	// maxWALGrowth is how many times wal_autocheckpoint frames the WAL may
	// grow to while the passes do not catch up, before the last pass
	// copies the rest anyway, holding the WRITE lock for its syncs.
	maxWALGrowth = 4
)

// autoCheckpointWAL is the automatic checkpoint, run after a commit that
// left the WAL wal_autocheckpoint frames long or longer, with no lock held.
// As SQLite's, a failed or partial one is not the commit's failure; the
// next commit tries again.
//
// SQLite runs a PASSIVE checkpoint, and the WAL starts over from frame 1
// when the next writer finds every frame in the database file. Here the
// next writer is usually at work already (the lock queue hands the WRITE
// lock on at once), and commits a few frames while the checkpoint copies:
// the WAL would never be complete when a writer begins, never start over,
// and every commit would checkpoint its few frames, with two syncs each.
// So a PASSIVE checkpoint that copied everything the readers allow is
// followed by a last pass in RESTART mode, which waits for the WRITE lock
// at the head of the queue (one transaction at most), copies the few
// frames committed meanwhile, and waits a little for the readers still on
// the WAL (readerWait); the next writer then starts the WAL over, and
// appends overwrite the file instead of growing it. The long copy runs
// without the WRITE lock; only the short one holds it.
//
// A PASSIVE pass that could not copy its own snapshot's frames was
// stopped by readers' read marks. The last pass would then hold the WRITE
// lock, keeping the writers waiting through its syncs, and most likely
// stop at the same marks: it is left to a later commit, once the readers
// have moved on.
func (p *Pager) autoCheckpointWAL(passes, threshold int) {
	for try := 0; ; try++ {
		res, err := p.log.Checkpoint(wal.CheckpointPassive, nil)
		if err != nil || res.Busy || res.Log < 0 {
			return // another checkpoint is under way
		}
		if res.Checkpointed < res.Log {
			return // readers hold frames back (see above)
		}
		// The frames committed while this pass copied are the next
		// pass's; once few are left, the last pass copies them.
		committed := int(p.log.Committed())
		if committed-res.Checkpointed <= maxLockedCheckpoint {
			break
		}
		if try+1 >= passes {
			if committed < maxWALGrowth*threshold {
				// The writers outrun the copying (each pass syncs
				// two files). The next commit tries again.
				return
			}
			// The WAL would keep growing for as long as the writers
			// keep up their pace: the last pass copies what is left,
			// however much.
			break
		}
	}
	if p.busyTimeout <= 0 {
		// Writers of this configuration do not wait: the last pass,
		// holding the WRITE lock, would make them fail with SQLITE_BUSY
		// where SQLite's PASSIVE checkpoint would not.
		return
	}
	// The frames committed since the last pass are flushed before the
	// wait, so that the sync made holding the lock flushes only those
	// committed during the wait (one transaction, as the last pass is
	// first in line).
	if p.log.SyncFrames() != nil {
		return
	}
	p.walWaitWrite = true
	ctx := p.ctx
	p.ctx = lockqueue.WithPriority(p.lockCtx())
	p.log.Checkpoint(wal.CheckpointRestart, readerWait())
	p.ctx = ctx
	p.walWaitWrite = false
}

// readerWait is the BusyFunc of the automatic checkpoint's last pass,
// which holds the WRITE lock: no commit can move the readers' snapshots
// on meanwhile, so those still on an older read mark, or on the WAL at
// all, are transactions that began before the pass and most end within
// microseconds. It waits for them a little (maxReaderWait in all), and
// then gives up: a long read transaction must not keep the writers
// waiting, and a later checkpoint tries again.
func readerWait() wal.BusyFunc {
	deadline := time.Now().Add(maxReaderWait)
	pause := 5 * time.Microsecond
	return func() bool {
		if time.Now().After(deadline) {
			return false
		}
		if pause < 20*time.Microsecond {
			runtime.Gosched()
		} else {
			time.Sleep(pause)
		}
		pause = min(2*pause, 200*time.Microsecond)
		return true
	}
}

// maxReaderWait bounds readerWait.
const maxReaderWait = 2 * time.Millisecond

// spillWAL writes the unreferenced dirty pages to the WAL as frames of the
// transaction (no commit frame), so that the cache can drop them; readers
// do not see them, and a rollback discards them.
func (p *Pager) spillWAL() error {
	pages, frames := p.walPages(func(pg *Page) bool { return pg.refs == 0 })
	if len(pages) == 0 {
		return nil
	}
	if err := p.log.Append(frames, 0); err != nil {
		return fmt.Errorf("pager: spill: %w", err)
	}
	p.dbModified = true
	for _, pg := range pages {
		p.cache.markClean(pg)
	}
	return nil
}

// rollbackWAL drops the transaction's pages from the cache and its
// spilled frames from the WAL.
func (p *Pager) rollbackWAL() error {
	for _, pg := range p.cache.dirty {
		p.cache.drop(pg)
	}
	p.cache.dropAbove(p.dbOrigSize)
	var err error
	if p.dbModified {
		err = p.log.Undo(func(pgno uint32) {
			if pg := p.cache.pages[pgno]; pg != nil {
				p.cache.drop(pg)
			}
		})
		if err != nil {
			p.cache.clear()
		}
	}
	return errors.Join(err, p.endWrite())
}
