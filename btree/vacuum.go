package btree

import "fmt"

// relocatePage moves the content of page from (whose pointer-map entry is
// typ/parent) to page to, and repoints everything that referred to it: the
// parent's pointer, and the pointer-map entries of its children or of the
// next overflow page.
func (bt *BTree) relocatePage(from uint32, typ byte, parent uint32, to uint32) error {
	if from < 2 || to < 2 {
		return corruptf(from, "cannot relocate page 1")
	}
	src, err := bt.getRawPage(from)
	if err != nil {
		return err
	}
	defer src.release()
	dst, err := bt.getRawPage(to)
	if err != nil {
		return err
	}
	defer dst.release()
	if err := dst.writable(); err != nil {
		return err
	}
	copy(dst.data, src.data)
	switch typ {
	case ptrmapBTree, ptrmapRootPage:
		if err := dst.parse(); err != nil {
			return err
		}
		if err := bt.setChildPtrmaps(dst); err != nil {
			return err
		}
	case ptrmapOverflow1, ptrmapOverflow2:
		if next := get4(dst.data); next != 0 {
			if err := bt.ptrmapPut(next, ptrmapOverflow2, to); err != nil {
				return err
			}
		}
	default:
		return corruptf(from, "cannot relocate a %s page", ptrmapTypeName(typ))
	}
	if typ == ptrmapRootPage {
		return bt.ptrmapPut(to, ptrmapRootPage, 0)
	}
	p, err := bt.getRawPage(parent)
	if err != nil {
		return err
	}
	defer p.release()
	if err := p.writable(); err != nil {
		return err
	}
	if err := bt.modifyPagePointer(p, from, to, typ); err != nil {
		return err
	}
	return bt.ptrmapPut(to, typ, parent)
}

// modifyPagePointer changes the reference to from on page p into to.
func (bt *BTree) modifyPagePointer(p *memPage, from, to uint32, typ byte) error {
	if typ == ptrmapOverflow2 {
		if get4(p.data) != from {
			return corruptf(p.pgno, "overflow page does not point at %d", from)
		}
		put4(p.data, to)
		return nil
	}
	if err := p.parse(); err != nil {
		return err
	}
	for i := 0; i < p.nCell; i++ {
		pc, err := p.cellOffset(i)
		if err != nil {
			return err
		}
		ci, err := p.parseCellAt(pc)
		if err != nil {
			return err
		}
		if typ == ptrmapOverflow1 {
			if ci.ovfl == from {
				put4(p.data[ci.payStart+ci.local:], to)
				return nil
			}
		} else if !p.leaf && ci.child == from {
			put4(p.data[pc:], to)
			return nil
		}
	}
	if typ == ptrmapBTree && !p.leaf && p.rightChild() == from {
		p.setRightChild(to)
		return nil
	}
	return corruptf(p.pgno, "no pointer to page %d", from)
}

// finalDbSize is the page count after an auto-vacuum of nFree free pages
// out of nOrig (SQLite's finalDbSize): free pages and the pointer-map pages
// that would no longer be needed both go.
func (bt *BTree) finalDbSize(nOrig, nFree uint32) uint32 {
	nEntry := int64(bt.usable / 5)
	nPtrmap := (int64(nFree) - int64(nOrig) + int64(bt.ptrmapPageFor(nOrig)) + nEntry) / nEntry
	nFin := int64(nOrig) - int64(nFree) - nPtrmap
	pending := int64(bt.pager.PendingBytePage())
	if int64(nOrig) > pending && nFin < pending {
		nFin--
	}
	for nFin > 1 && (bt.isPtrmapPage(uint32(nFin)) || nFin == pending) {
		nFin--
	}
	if nFin < 1 {
		nFin = 1
	}
	return uint32(nFin)
}

// vacuumStep moves the content of page last (if in use) below nFin, or
// takes it off the freelist. With commit set, free pages are left alone
// (the whole freelist is dropped afterwards). It reports done when the
// freelist is empty.
func (bt *BTree) vacuumStep(nFin, last uint32, commit bool) (done bool, err error) {
	if !bt.isPtrmapPage(last) && last != bt.pager.PendingBytePage() {
		if bt.header(hdrFreelistCount) == 0 {
			return true, nil
		}
		typ, parent, err := bt.ptrmapGet(last)
		if err != nil {
			return false, err
		}
		switch typ {
		case ptrmapRootPage:
			return false, corruptf(last, "root page beyond the vacuumed end")
		case ptrmapFreePage:
			if !commit {
				pg, err := bt.allocatePage(last, allocExact)
				if err != nil {
					return false, err
				}
				if pg.Pgno() != last {
					pg.Release()
					return false, corruptf(last, "free page not found on the freelist")
				}
				pg.Release()
			}
		default:
			var to uint32
			for {
				if bt.header(hdrFreelistCount) == 0 {
					return false, corruptf(last, "freelist exhausted while vacuuming")
				}
				mode, near := allocAny, uint32(0)
				if !commit {
					mode, near = allocLE, nFin
				}
				pg, err := bt.allocatePage(near, mode)
				if err != nil {
					return false, err
				}
				to = pg.Pgno()
				pg.Release()
				if !commit || to <= nFin {
					break
				}
			}
			if to > nFin && !commit {
				return false, corruptf(last, "no free page below %d", nFin)
			}
			if err := bt.relocatePage(last, typ, parent, to); err != nil {
				return false, err
			}
		}
	}
	if !commit {
		for last--; last == bt.pager.PendingBytePage() || bt.isPtrmapPage(last); last-- {
		}
		if err := bt.pager.Truncate(last); err != nil {
			return false, err
		}
	}
	return false, nil
}

// autoVacuumCommit relocates in-use pages from the end of the file into
// free slots and truncates it, before an auto_vacuum=full commit.
func (bt *BTree) autoVacuumCommit() error {
	nOrig := bt.pager.PageCount()
	if nOrig == 0 {
		return nil
	}
	if bt.isPtrmapPage(nOrig) || nOrig == bt.pager.PendingBytePage() {
		return corruptf(nOrig, "last page is a pointer-map page")
	}
	nFree := bt.header(hdrFreelistCount)
	if nFree == 0 {
		return nil
	}
	nFin := bt.finalDbSize(nOrig, nFree)
	if nFin > nOrig {
		return corruptf(nOrig, "auto-vacuum would grow the file")
	}
	bt.saveAllCursors(0, nil)
	for last := nOrig; last > nFin; last-- {
		done, err := bt.vacuumStep(nFin, last, true)
		if err != nil {
			return err
		}
		if done {
			break
		}
	}
	if err := bt.setHeader(hdrFreelistTrunk, 0); err != nil {
		return err
	}
	if err := bt.setHeader(hdrFreelistCount, 0); err != nil {
		return err
	}
	return bt.pager.Truncate(nFin)
}

// IncrementalVacuum frees up to n pages at the end of the file (all when n
// <= 0), moving in-use pages into free slots, as PRAGMA
// incremental_vacuum(n) does. It returns the number of pages removed.
func (bt *BTree) IncrementalVacuum(n int) (int, error) {
	if err := bt.requireWrite(); err != nil {
		return 0, err
	}
	if !bt.autoVacuum {
		return 0, nil
	}
	bt.saveAllCursors(0, nil)
	removed := 0
	for n <= 0 || removed < n {
		nOrig := bt.pager.PageCount()
		nFree := bt.header(hdrFreelistCount)
		if nFree == 0 {
			break
		}
		nFin := bt.finalDbSize(nOrig, nFree)
		if nOrig < nFin || nFree >= nOrig {
			return removed, corruptf(1, "freelist count %d with %d pages", nFree, nOrig)
		}
		done, err := bt.vacuumStep(nFin, nOrig, false)
		if err != nil {
			return removed, err
		}
		if done {
			break
		}
		removed += int(nOrig - bt.pager.PageCount())
		if bt.pager.PageCount() >= nOrig {
			return removed, fmt.Errorf("btree: incremental vacuum made no progress: %w", ErrMisuse)
		}
	}
	return removed, nil
}
