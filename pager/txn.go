package pager

import (
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
func (p *Pager) BeginRead() error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if p.state != stateNone {
		return nil
	}
	if err := p.file.Lock(osvfs.LockShared); err != nil {
		return fmt.Errorf("pager: shared lock: %w", err)
	}
	if err := p.recoverHotJournal(); err != nil {
		p.unlock()
		return err
	}
	if err := p.readFileState(); err != nil {
		p.unlock()
		return err
	}
	p.state = stateRead
	return nil
}

// EndRead ends a read transaction and drops the SHARED lock. The cache is
// kept and revalidated by the next BeginRead. Inside a write transaction it
// is an error; after Commit or Rollback it is a no-op.
func (p *Pager) EndRead() error {
	switch p.state {
	case stateNone:
		return nil
	case stateWrite:
		return resultcode.Errorf(resultcode.Misuse, "pager: EndRead inside a write transaction")
	}
	p.state = stateNone
	return p.unlock()
}

// unlock drops every lock, keeping the first error.
func (p *Pager) unlock() error {
	if err := p.file.Unlock(osvfs.LockNone); err != nil {
		return fmt.Errorf("pager: unlock: %w", err)
	}
	return nil
}

// BeginWrite starts a write transaction, and the read transaction first if
// none is open. It takes the RESERVED lock: another writer gets an error
// wrapping ErrBusy, readers continue.
func (p *Pager) BeginWrite() error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if p.state == stateWrite {
		return nil
	}
	if p.readOnly {
		return fmt.Errorf("pager: %s is read-only: %w", p.dbName, resultcode.ErrReadOnly)
	}
	startedRead := p.state == stateNone
	if err := p.BeginRead(); err != nil {
		return err
	}
	if err := p.file.Lock(osvfs.LockReserved); err != nil {
		if startedRead {
			p.EndRead()
		}
		return fmt.Errorf("pager: reserved lock: %w", err)
	}
	p.state = stateWrite
	p.dbOrigSize = p.dbSize
	p.changed = false
	p.dbModified = false
	p.jrnl = nil
	return nil
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
func (p *Pager) Commit() error {
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
	if err := p.journalTruncatedPages(); err != nil {
		return err
	}
	if p.dbSize > 0 {
		if err := p.updateChangeCounter(); err != nil {
			return err
		}
	}
	if err := p.file.Lock(osvfs.LockExclusive); err != nil {
		return fmt.Errorf("pager: exclusive lock: %w", err)
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
	if p.dbSize >= p.dbOrigSize || p.journalMode == JournalOff {
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
	err := p.jrnl.flush()
	if err == nil {
		err = p.playback(p.jrnl.f, false, p.jrnl.syncedEnd())
	}
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
