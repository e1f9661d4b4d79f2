package pager

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

func (p *Pager) syncFlags() osvfs.SyncFlag {
	if p.sync == SyncExtra {
		return osvfs.SyncFull
	}
	return osvfs.SyncNormal
}

func (p *Pager) checkOpen() error {
	if p.closed {
		return resultcode.Errorf(resultcode.Misuse, "pager: closed")
	}
	return nil
}

// BeginRead starts a read transaction: it takes a SHARED lock, rolls back a
// hot journal left by a crashed writer, and checks the cache against the
// file's change counter and size. Starting one while one is open is a no-op.
// In WAL mode it fixes the snapshot the transaction reads instead (see the
// package documentation).
func (p *Pager) BeginRead() error { return p.BeginReadContext(context.Background()) }

// BeginReadContext is BeginRead with ctx bounding the lock waits (as well as
// the busy timeout): a wait ended by ctx fails with an error wrapping
// ctx.Err(). A context made by lockqueue.WithPriority waits at the head of
// the lock queue.
func (p *Pager) BeginReadContext(ctx context.Context) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if p.state != stateNone {
		return nil
	}
	p.ctx = ctx
	defer func() { p.ctx = nil }()
	if p.log != nil {
		return p.beginReadWAL()
	}
	// Waits for other connections of this process happen in the queue;
	// the retries are for the rest (another process's lock, two readers
	// finding the same hot journal), with every lock let go in between.
	return p.retryBusy(func() error {
		if err := p.lockFile(osvfs.LockShared, true); err != nil {
			return err
		}
		if err := p.openState(); err != nil {
			p.abortOpen()
			return err
		}
		return nil
	})
}

// openState starts the read transaction once the SHARED lock is held:
// hot-journal rollback, the file's state, and the switch to WAL mode when
// the file turns out to be a WAL database.
func (p *Pager) openState() error {
	if p.log != nil {
		// A retry after the WAL was opened by a try that failed later.
		return p.beginReadWAL()
	}
	if err := p.recoverHotJournal(); err != nil {
		return err
	}
	if err := p.readFileState(); err != nil {
		return err
	}
	if err := p.detectWAL(); err != nil {
		return err
	}
	if p.log != nil {
		return p.beginReadWAL()
	}
	p.state = stateRead
	return nil
}

// EndRead ends a read transaction and drops the SHARED lock. The cache is
// kept and revalidated by the next BeginRead. Inside a write transaction it
// is an error; after Commit or Rollback it is a no-op. In WAL mode the
// SHARED lock stays (the WAL needs it while the connection lives) and the
// snapshot is released.
func (p *Pager) EndRead() error {
	switch p.state {
	case stateNone:
		return nil
	case stateWrite:
		return resultcode.Errorf(resultcode.Misuse, "pager: EndRead inside a write transaction")
	}
	p.state = stateNone
	if p.log != nil {
		p.log.EndRead()
		return nil
	}
	return p.unlock()
}

// unlock drops every lock on the database file.
func (p *Pager) unlock() error { return p.unlockFile(osvfs.LockNone) }

// BeginWrite starts a write transaction, and the read transaction first if
// none is open. It takes the RESERVED lock (in WAL mode the WAL's writer
// lock): another writer makes it wait up to the busy timeout, then fail
// with an error wrapping ErrBusy; readers continue. A read transaction that
// would deadlock by waiting (another writer waits for it to end) fails at
// once. In WAL mode a read transaction whose snapshot is stale (another
// connection committed since it began) cannot become a write transaction:
// the error has code resultcode.BusySnapshot.
func (p *Pager) BeginWrite() error { return p.BeginWriteContext(context.Background()) }

// BeginWriteContext is BeginWrite with ctx bounding the lock waits.
func (p *Pager) BeginWriteContext(ctx context.Context) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if p.state == stateWrite {
		return nil
	}
	if p.readOnly {
		return fmt.Errorf("pager: %s is read-only: %w", p.dbName, resultcode.ErrReadOnly)
	}
	p.ctx = ctx
	defer func() { p.ctx = nil }()
	if p.log != nil {
		if err := p.beginWriteWAL(); err != nil {
			return err
		}
		p.startWrite()
		return nil
	}
	if p.state == stateRead {
		if err := p.lockFile(osvfs.LockReserved, true); err != nil {
			return err
		}
		p.startWrite()
		return nil
	}
	// From nothing: RESERVED in the queue before SHARED, so that writers
	// queue for each other instead of deadlocking as upgrading readers.
	// lockFile takes SHARED at the OS; RESERVED at the OS comes after the
	// hot-journal check.
	if err := p.lockFile(osvfs.LockReserved, true); err != nil {
		return err
	}
	err := p.retryBusy(func() error {
		if p.file.LockLevel() == osvfs.LockNone {
			if err := p.file.Lock(osvfs.LockShared); err != nil {
				return err
			}
		}
		if err := p.openState(); err != nil {
			return err
		}
		if p.log != nil {
			return nil
		}
		if err := p.file.Lock(osvfs.LockReserved); err != nil {
			// Another process writes. As SQLite does, let go of SHARED
			// while waiting: its commit may be waiting for our SHARED.
			p.state = stateNone
			if e := p.file.Unlock(osvfs.LockNone); e != nil {
				return e
			}
			return fmt.Errorf("pager: RESERVED lock: %w", err)
		}
		return nil
	})
	if err != nil {
		p.abortOpen()
		return err
	}
	if p.log != nil {
		// A WAL database: its writer lock is the WAL's, not RESERVED, and
		// beginWriteWAL queues for it before it takes the snapshot.
		p.holder.Unlock(osvfs.LockShared)
		p.log.EndRead()
		p.state = stateNone
		if err := p.beginWriteWAL(); err != nil {
			return err
		}
		p.startWrite()
		return nil
	}
	p.startWrite()
	return nil
}

// abortOpen undoes the locks of a BeginRead or BeginWrite that failed
// before its transaction began: all of them, except in WAL mode (the WAL
// was opened on the way), where SHARED stays for the connection's life.
func (p *Pager) abortOpen() {
	p.state = stateNone
	if p.log == nil {
		p.unlock()
		return
	}
	if p.file.LockLevel() == osvfs.LockNone {
		// Cannot happen with the locks the WAL was opened under; if it
		// does, take SHARED back or leave WAL mode's invariant broken.
		p.file.Lock(osvfs.LockShared)
	}
	p.holder.Unlock(osvfs.LockShared) // drops the queue's RESERVED, if held
}

// startWrite turns the read transaction into a write transaction once the
// writer's lock is held.
func (p *Pager) startWrite() {
	p.state = stateWrite
	p.dbOrigSize = p.dbSize
	p.changed = false
	p.dbModified = false
	p.jrnl = nil
}

// Commit makes the write transaction durable and ends it (and the read
// transaction). The sequence, per synchronous level, is SQLite's: journal
// the pages the commit truncates away, update the change counter in page 1,
// take the EXCLUSIVE lock, sync the journal, write the dirty pages, sync the
// database, and finalize the journal, which is the commit point. Called in a
// read transaction only, Commit ends it.
//
// When Commit fails the transaction stays open: call Rollback. An error
// wrapping ErrBusy (readers still hold SHARED locks) can also be retried.
func (p *Pager) Commit() error { return p.CommitContext(context.Background()) }

// CommitContext is Commit with ctx bounding the wait for the EXCLUSIVE lock
// (readers to drain) in rollback mode.
func (p *Pager) CommitContext(ctx context.Context) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	switch p.state {
	case stateNone:
		return nil
	case stateRead:
		return p.EndRead()
	}
	if !p.changed {
		return p.endWrite()
	}
	p.ctx = ctx
	defer func() { p.ctx = nil }()
	if p.log != nil {
		return p.commitWAL()
	}
	if err := p.journalTruncatedPages(); err != nil {
		return err
	}
	if p.dbSize > 0 {
		if err := p.updateChangeCounter(); err != nil {
			return err
		}
	}
	if err := p.lockFile(osvfs.LockExclusive, true); err != nil {
		return err
	}
	if err := p.syncJournal(); err != nil {
		return err
	}
	if err := p.writeDirtyPages(false); err != nil {
		return err
	}
	if p.dbFileSize > p.dbSize {
		if err := p.truncateFile(p.dbSize); err != nil {
			return err
		}
	}
	if p.sync != SyncOff {
		if err := p.file.Sync(p.syncFlags()); err != nil {
			return fmt.Errorf("pager: sync database: %w", err)
		}
	}
	if err := p.finalizeJournal(); err != nil {
		return err
	}
	p.cache.dropAbove(p.dbSize)
	if err := p.rememberFileState(); err != nil {
		p.cache.clear()
	}
	return p.endWrite()
}

// endWrite forgets the write transaction and drops every lock.
func (p *Pager) endWrite() error {
	p.abandonJournal()
	p.savepoints = nil
	p.stmt.close()
	p.jrnl = nil
	p.changed = false
	p.dbModified = false
	p.state = stateNone
	if p.log != nil {
		err := p.log.EndWrite()
		p.log.EndRead()
		return err
	}
	return p.unlock()
}

// rememberFileState records the header bytes and size the file has after
// our commit, so the next BeginRead keeps the cache.
func (p *Pager) rememberFileState() error {
	size, err := p.file.Size()
	if err != nil {
		return err
	}
	p.fileBytes = size
	p.fileVers = [16]byte{}
	if pg := p.cache.pages[1]; pg != nil && p.dbSize > 0 {
		copy(p.fileVers[:], pg.data[offChangeCounter:])
		return nil
	}
	if size > 0 {
		if _, err := p.file.ReadAt(p.fileVers[:], offChangeCounter); err != nil {
			return err
		}
	}
	return nil
}

// journalTruncatedPages journals the pages a shrinking commit cuts off,
// so that a rollback can put them back.
func (p *Pager) journalTruncatedPages() error {
	if p.dbSize >= p.dbOrigSize || p.noJournal() {
		return nil
	}
	buf := make([]byte, p.pageSize)
	pending := p.PendingBytePage()
	for pgno := p.dbSize + 1; pgno <= p.dbOrigSize; pgno++ {
		if pgno == pending || p.jrnl != nil && p.jrnl.recorded.has(pgno) {
			continue
		}
		if err := p.readPage(pgno, buf); err != nil {
			return err
		}
		if err := p.journalPage(pgno, buf); err != nil {
			return err
		}
	}
	return nil
}

// updateChangeCounter bumps the file change counter and writes the
// database size, version-valid-for and version number into page 1.
func (p *Pager) updateChangeCounter() error {
	pg, err := p.Get(1)
	if err != nil {
		return err
	}
	defer pg.Release()
	if err := p.Write(pg); err != nil {
		return err
	}
	counter := binary.BigEndian.Uint32(p.fileVers[:]) + 1
	if p.log != nil {
		// fileVers follows the database file, which lags behind the WAL.
		counter = binary.BigEndian.Uint32(pg.data[offChangeCounter:]) + 1
	}
	if p.log != nil || p.wantWAL {
		// A WAL database says so in its read and write versions, which
		// is how every connection (and sqlite3) knows to use the WAL.
		pg.data[offWriteVersion], pg.data[offReadVersion] = 2, 2
	}
	binary.BigEndian.PutUint32(pg.data[offChangeCounter:], counter)
	binary.BigEndian.PutUint32(pg.data[offDBSize:], p.dbSize)
	binary.BigEndian.PutUint32(pg.data[offVersionValid:], counter)
	binary.BigEndian.PutUint32(pg.data[offVersionNumber:], sqliteVersionNumber)
	return nil
}

// writeDirtyPages writes dirty pages to the database file in page order and
// marks them clean: at commit all of them up to the database size (the rest
// is cut off), when spilling the unreferenced ones, even beyond the size
// (a truncation or a savepoint rollback hid them, and a savepoint rollback
// may bring them back; the file is cut to size at commit).
func (p *Pager) writeDirtyPages(spilling bool) error {
	pages := make([]*Page, 0, len(p.cache.dirty))
	for _, pg := range p.cache.dirty {
		if spilling && pg.refs == 0 || !spilling && pg.pgno <= p.dbSize {
			pages = append(pages, pg)
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].pgno < pages[j].pgno })
	if len(pages) > 0 {
		p.dbModified = true
	}
	// Runs of consecutive pages go out in one write each, up to
	// maxWriteRun bytes: fewer system calls for the same bytes.
	var run []byte
	for len(pages) > 0 {
		n := 1
		for n < len(pages) && pages[n].pgno == pages[0].pgno+uint32(n) && (n+1)*p.pageSize <= maxWriteRun {
			n++
		}
		data := pages[0].data
		if n > 1 {
			run = run[:0]
			for _, pg := range pages[:n] {
				run = append(run, pg.data...)
			}
			data = run
		}
		off := int64(pages[0].pgno-1) * int64(p.pageSize)
		if _, err := p.file.WriteAt(data, off); err != nil {
			return fmt.Errorf("pager: write pages %d..%d: %w", pages[0].pgno, pages[n-1].pgno, err)
		}
		if last := pages[n-1].pgno; last > p.dbFileSize {
			p.dbFileSize = last
		}
		for _, pg := range pages[:n] {
			p.cache.markClean(pg)
		}
		pages = pages[n:]
	}
	return nil
}

// maxWriteRun caps the size of one coalesced database write.
const maxWriteRun = 1 << 20

func (p *Pager) truncateFile(pages uint32) error {
	p.dbModified = true
	if err := p.file.Truncate(int64(pages) * int64(p.pageSize)); err != nil {
		return fmt.Errorf("pager: truncate database: %w", err)
	}
	p.dbFileSize = pages
	return nil
}

// Rollback undoes the write transaction and ends it. Pages that reached the
// database file (a spill, a failed commit) are restored from the journal;
// the others are dropped from the cache. If the restore itself fails, the
// journal is left in place, hot, and the next BeginRead of any connection
// finishes the rollback.
func (p *Pager) Rollback() error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	switch p.state {
	case stateNone:
		return nil
	case stateRead:
		return p.EndRead()
	}
	if p.log != nil {
		return p.rollbackWAL()
	}
	if !p.dbModified {
		for _, pg := range p.cache.dirty {
			p.cache.drop(pg)
		}
		p.cache.dropAbove(p.dbOrigSize)
		err := p.finalizeJournal()
		return errors.Join(err, p.endWrite())
	}
	p.cache.clear()
	if p.jrnl == nil {
		// journal_mode=OFF (or a commit that failed after its commit
		// point): what was written stays written.
		p.fileVers = [16]byte{}
		return p.endWrite()
	}
	// Records still buffered are never needed: the database file is only
	// written after a journal sync, which flushes the records of every
	// page it writes. Dropping them instead of writing them is what lets
	// a rollback succeed on a full disk.
	p.jrnl.discardBuffered()
	err := p.playback(p.jrnl.f, false, p.jrnl.syncedEnd())
	if err == nil && p.sync != SyncOff {
		if err = p.file.Sync(p.syncFlags()); err != nil {
			err = fmt.Errorf("pager: sync database: %w", err)
		}
	}
	if err == nil {
		err = p.finalizeJournal()
	}
	// On failure endWrite closes the journal unfinalized: it is hot, and
	// the next BeginRead of any connection completes the rollback.
	p.fileVers = [16]byte{} // force a re-read of the header
	return errors.Join(err, p.endWrite())
}
