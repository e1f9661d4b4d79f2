package pager

import (
	"fmt"

	"github.com/wrendb/wren/resultcode"
)

// savepoint is the state a write transaction had when a savepoint opened:
// the database size, how many records the main and the statement journal
// held, and which pages already have their original saved for it.
type savepoint struct {
	origSize  uint32
	firstJrnl int    // index into the main journal's records
	firstStmt int    // index into the statement journal
	saved     bitset // pages whose original at open time is recoverable
}

// OpenSavepoint makes sure n savepoints are open (as SQLite's
// sqlite3PagerOpenSavepoint): the savepoints numbered len..n-1 open now.
// Savepoints are numbered from 0; RollbackTo and Release take that number.
func (p *Pager) OpenSavepoint(n int) error {
	if p.state != stateWrite {
		return resultcode.Errorf(resultcode.Misuse, "pager: savepoint outside a write transaction")
	}
	for len(p.savepoints) < n {
		sp := &savepoint{origSize: p.dbSize, firstStmt: p.stmt.len()}
		if p.jrnl != nil {
			sp.firstJrnl = len(p.jrnl.index)
		}
		p.savepoints = append(p.savepoints, sp)
	}
	return nil
}

// saveForSavepoints keeps pg's original for every open savepoint that does
// not have it yet. A page whose original the main journal took just now
// needs nothing more: that record comes after every open savepoint's
// start. Otherwise one statement journal record serves every savepoint
// that needs it: rolling back to savepoint i replays the first record of
// each page from savepoint i's start on.
func (p *Pager) saveForSavepoints(pg *Page, inMainJournal bool) error {
	need := false
	for _, sp := range p.savepoints {
		if pg.pgno <= sp.origSize && !sp.saved.has(pg.pgno) {
			need = true
			break
		}
	}
	if need && !inMainJournal {
		if p.stmt.len() == 0 {
			p.stmt.reset(p.pageSize, p.openTempFile)
		}
		// Only a record that was written counts as saved: after a failed
		// write the page is unchanged, and the next Write must try again.
		if err := p.stmt.append(pg.pgno, pg.data); err != nil {
			return err
		}
	}
	for _, sp := range p.savepoints {
		if pg.pgno <= sp.origSize {
			sp.saved.set(pg.pgno)
		}
	}
	return nil
}

// RollbackTo restores every page, and the database size, to their state
// when savepoint n opened. Savepoint n stays open; those after it are
// released.
func (p *Pager) RollbackTo(n int) error {
	if p.state != stateWrite || n < 0 || n >= len(p.savepoints) {
		return resultcode.Errorf(resultcode.Misuse, "pager: no savepoint %d", n)
	}
	sp := p.savepoints[n]
	var done bitset
	buf := make([]byte, p.pageSize)
	restore := func(pgno uint32, read func([]byte) error) error {
		// Pages beyond the savepoint's size are restored too: their hidden
		// content is what an outer savepoint's rollback will show again.
		if done.has(pgno) {
			return nil
		}
		done.set(pgno)
		if err := read(buf); err != nil {
			return err
		}
		pg, err := p.fetch(pgno)
		if err != nil {
			return err
		}
		copy(pg.data, buf)
		p.cache.markDirty(pg)
		pg.Release()
		return nil
	}
	// The main journal's records first: a page journaled there after the
	// savepoint opened was unchanged until then, and any statement record
	// of it was taken later, for an inner savepoint.
	if p.jrnl != nil {
		for _, r := range p.jrnl.index[sp.firstJrnl:] {
			if err := restore(r.pgno, func(b []byte) error { return p.jrnl.readRecord(r, b) }); err != nil {
				return fmt.Errorf("pager: rollback to savepoint %d: %w", n, err)
			}
		}
	}
	for i := sp.firstStmt; i < p.stmt.len(); i++ {
		if err := restore(p.stmt.pgnos[i], func(b []byte) error { return p.stmt.read(i, b) }); err != nil {
			return fmt.Errorf("pager: rollback to savepoint %d: %w", n, err)
		}
	}
	// Pages appended since stay in the cache beyond the end, like the
	// pages a Truncate cuts off: an outer savepoint may bring them back,
	// and a spill may write them; the commit drops them.
	p.dbSize = sp.origSize
	p.stmt.truncate(sp.firstStmt)
	p.savepoints = p.savepoints[:n+1]
	// The dropped records may also have served outer savepoints; rebuild
	// what each remaining savepoint has saved from what is left.
	for _, s := range p.savepoints {
		s.saved = nil
		if p.jrnl != nil {
			for _, r := range p.jrnl.index[s.firstJrnl:] {
				if r.pgno <= s.origSize {
					s.saved.set(r.pgno)
				}
			}
		}
		for _, pgno := range p.stmt.pgnos[s.firstStmt:] {
			if pgno <= s.origSize {
				s.saved.set(pgno)
			}
		}
	}
	return nil
}

// Release forgets savepoints n and above; their changes stay.
func (p *Pager) Release(n int) error {
	if p.state != stateWrite || n < 0 {
		return resultcode.Errorf(resultcode.Misuse, "pager: no savepoint %d", n)
	}
	if n >= len(p.savepoints) {
		return nil
	}
	// Records after savepoint n's start may hold originals the outer
	// savepoints need, so they go only with the last savepoint. The
	// buffer and any temporary file stay for the next statement.
	p.savepoints = p.savepoints[:n]
	if n == 0 {
		p.stmt.reset(p.pageSize, p.openTempFile)
	}
	return nil
}
