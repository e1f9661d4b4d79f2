package pager

import (
	"errors"
	"fmt"
	"io"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// Get returns page pgno, referenced; call Release when done. 1 <= pgno <=
// PageCount, and pgno is not the pending-byte page, or the error wraps
// ErrCorrupt.
func (p *Pager) Get(pgno uint32) (*Page, error) {
	if p.state == stateNone {
		return nil, resultcode.Errorf(resultcode.Misuse, "pager: Get outside a transaction")
	}
	if pgno == 0 || pgno > p.dbSize {
		return nil, fmt.Errorf("pager: page %d out of range 1..%d: %w", pgno, p.dbSize, resultcode.ErrCorrupt)
	}
	if pgno == p.PendingBytePage() {
		return nil, fmt.Errorf("pager: page %d holds the lock bytes: %w", pgno, resultcode.ErrCorrupt)
	}
	return p.fetch(pgno)
}

// fetch returns page pgno from the cache or the file without range checks.
func (p *Pager) fetch(pgno uint32) (*Page, error) {
	if pg := p.cache.lookup(pgno); pg != nil {
		return pg, nil
	}
	if err := p.makeRoom(); err != nil {
		return nil, err
	}
	pg := p.cache.insert(p, pgno, p.pageSize)
	if err := p.readPage(pgno, pg.data); err != nil {
		pg.refs = 0
		p.cache.drop(pg)
		return nil, err
	}
	return pg, nil
}

// readPage reads page pgno from the file into buf. A page beyond the end of
// the file reads as zeros (it was appended and not yet written); a page the
// file holds only part of is corruption.
func (p *Pager) readPage(pgno uint32, buf []byte) error {
	if p.log != nil {
		if found, err := p.readWALFrame(pgno, buf); found || err != nil {
			return err
		}
	}
	if pgno > p.dbFileSize {
		clear(buf)
		return nil
	}
	if p.mapping != nil && p.readMapped(pgno, buf) {
		return nil
	}
	n, err := p.file.ReadAt(buf, int64(pgno-1)*int64(p.pageSize))
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("pager: read page %d: %w", pgno, err)
	}
	if n < len(buf) {
		return fmt.Errorf("pager: page %d: short read of %d bytes: %w", pgno, n, resultcode.ErrCorrupt)
	}
	return nil
}

// makeRoom evicts the least recently used clean page when the cache is
// full; when every unreferenced page is dirty it spills them first. A cache
// whose pages are all referenced grows past its size.
func (p *Pager) makeRoom() error {
	if !p.cache.full() {
		return nil
	}
	if p.cache.evictOne() {
		return nil
	}
	if p.state == stateWrite {
		if err := p.spill(); err != nil {
			return err
		}
		p.cache.evictOne()
	}
	return nil
}

// spill writes the unreferenced dirty pages to the database file in the
// middle of a transaction so that the cache can drop them, as SQLite's
// pagerStress does: the journal is synced first (their originals must be
// durable before they are overwritten) and the EXCLUSIVE lock taken. When
// readers hold the file the spill is skipped and the cache grows instead.
func (p *Pager) spill() error {
	unreferenced := false
	for _, pg := range p.cache.dirty {
		if pg.refs == 0 {
			unreferenced = true
			break
		}
	}
	if !unreferenced {
		return nil
	}
	if p.log != nil {
		return p.spillWAL()
	}
	if err := p.lockFile(osvfs.LockExclusive, false); err != nil {
		if errors.Is(err, resultcode.ErrBusy) {
			return nil
		}
		return fmt.Errorf("pager: exclusive lock for spill: %w", err)
	}
	if err := p.syncJournal(); err != nil {
		return err
	}
	return p.writeDirtyPages(true)
}

// syncJournal makes the journal durable before the database file is
// written. A transaction that journaled nothing (it only appended pages)
// still gets a header, whose original size truncates the appended pages
// away if a crash leaves them half written.
func (p *Pager) syncJournal() error {
	if p.noJournal() {
		return nil
	}
	if err := p.startJournal(); err != nil {
		return err
	}
	if err := p.jrnl.ensureHeader(); err != nil {
		return err
	}
	return p.jrnl.sync(p.syncFlags())
}

func (p *Pager) startJournal() error {
	if p.jrnl != nil || p.noJournal() {
		return nil
	}
	j, err := p.openJournal()
	if err != nil {
		return err
	}
	p.jrnl = j
	return nil
}

// journalPage writes the original content of page pgno to the journal,
// unless it is there already or lies beyond the original database size.
func (p *Pager) journalPage(pgno uint32, orig []byte) error {
	if p.noJournal() || pgno > p.dbOrigSize {
		return nil
	}
	if err := p.startJournal(); err != nil {
		return err
	}
	if p.jrnl.recorded.has(pgno) {
		return nil
	}
	return p.jrnl.append(pgno, orig)
}

// Write declares that the caller is about to change pg.Data(): the page's
// original is journaled (once per transaction) and kept for open savepoints,
// and the page is marked dirty. Only inside a write transaction.
func (p *Pager) Write(pg *Page) error {
	if p.state != stateWrite {
		if p.readOnly {
			return fmt.Errorf("pager: write to a read-only database: %w", resultcode.ErrReadOnly)
		}
		return resultcode.Errorf(resultcode.Misuse, "pager: Write outside a write transaction")
	}
	if pg.pager != p || pg.detached || pg.refs == 0 {
		return resultcode.Errorf(resultcode.Misuse, "pager: Write of page %d that is not referenced", pg.pgno)
	}
	wasJournaled := p.jrnl != nil && p.jrnl.recorded.has(pg.pgno)
	if err := p.journalPage(pg.pgno, pg.data); err != nil {
		return err
	}
	if len(p.savepoints) > 0 {
		inMain := !wasJournaled && p.jrnl != nil && p.jrnl.recorded.has(pg.pgno)
		if err := p.saveForSavepoints(pg, inMain); err != nil {
			return err
		}
	}
	p.changed = true
	p.cache.markDirty(pg)
	return nil
}

// Append adds page PageCount()+1 (skipping the pending-byte page), zeroed,
// referenced and already writable.
func (p *Pager) Append() (*Page, error) {
	if p.state != stateWrite {
		return nil, resultcode.Errorf(resultcode.Misuse, "pager: Append outside a write transaction")
	}
	pgno := p.dbSize + 1
	if pgno == p.PendingBytePage() {
		pgno++
	}
	if pgno < p.dbSize { // wrapped around
		return nil, fmt.Errorf("pager: database is full: %w", resultcode.ErrFull)
	}
	old := p.dbSize
	p.dbSize = pgno
	pg, err := p.fetch(pgno)
	if err == nil {
		err = p.Write(pg)
		if err != nil {
			pg.Release()
		}
	}
	if err != nil {
		p.dbSize = old
		return nil, err
	}
	clear(pg.data)
	return pg, nil
}

// Truncate shrinks the database to n pages. The file is cut at commit;
// until then the pages beyond n only become unreachable.
func (p *Pager) Truncate(n uint32) error {
	if p.state != stateWrite {
		return resultcode.Errorf(resultcode.Misuse, "pager: Truncate outside a write transaction")
	}
	if n > p.dbSize {
		return resultcode.Errorf(resultcode.Misuse, "pager: Truncate to %d pages beyond the size %d", n, p.dbSize)
	}
	if n < p.dbSize {
		p.changed = true
	}
	p.dbSize = n
	return nil
}
