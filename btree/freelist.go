package btree

import (
	"github.com/wrendb/wren/pager"
)

// Allocation modes, after SQLite's BTALLOC_*.
const (
	allocAny   = iota // any page; prefer one near the hint
	allocExact        // exactly the hint page (it is known to be free)
	allocLE           // any free page numbered at most the hint
)

// allocatePage takes a page off the freelist (trunk and leaf pages in
// SQLite's format) or appends one to the file. The page is writable and its
// content undefined; the caller formats it.
func (bt *BTree) allocatePage(nearby uint32, mode int) (*pager.Page, error) {
	nPage := bt.pager.PageCount()
	nFree := bt.header(hdrFreelistCount)
	if nFree >= nPage {
		return nil, corruptf(1, "freelist count %d with %d pages", nFree, nPage)
	}
	if nFree > 0 {
		pg, ok, err := bt.allocateFromFreelist(nearby, mode, nFree, nPage)
		if err != nil || ok {
			return pg, err
		}
	}
	pg, err := bt.pager.Append()
	if err != nil {
		return nil, err
	}
	if bt.autoVacuum && bt.isPtrmapPage(pg.Pgno()) {
		// The next page of the file is a pointer-map page: keep it (zeroed)
		// and hand out the one after.
		pg.Release()
		if pg, err = bt.pager.Append(); err != nil {
			return nil, err
		}
	}
	return pg, nil
}

// allocateFromFreelist implements the freelist half of allocatePage.
// ok is false when the search modes found nothing (then the file grows).
func (bt *BTree) allocateFromFreelist(nearby uint32, mode int, nFree, nPage uint32) (*pager.Page, bool, error) {
	search := false
	switch mode {
	case allocExact:
		if nearby <= nPage && bt.autoVacuum {
			typ, _, err := bt.ptrmapGet(nearby)
			if err != nil {
				return nil, false, err
			}
			search = typ == ptrmapFreePage
		}
		if !search {
			return nil, false, nil
		}
	case allocLE:
		search = true
	}
	usable := uint32(bt.usable)
	var prev *pager.Page
	defer func() {
		if prev != nil {
			prev.Release()
		}
	}()
	for n := uint32(0); ; n++ {
		var iTrunk uint32
		if prev == nil {
			iTrunk = bt.header(hdrFreelistTrunk)
		} else {
			iTrunk = get4(prev.Data())
		}
		if iTrunk == 0 {
			if search {
				return nil, false, nil
			}
			return nil, false, corruptf(iTrunk, "freelist ends early")
		}
		if iTrunk > nPage || n > nFree || n > nPage {
			return nil, false, corruptf(iTrunk, "freelist trunk page out of range or looping")
		}
		trunk, err := bt.pager.Get(iTrunk)
		if err != nil {
			return nil, false, err
		}
		td := trunk.Data()
		k := get4(td[4:])
		switch {
		case k == 0 && !search:
			// An empty trunk at the head: it is the new page.
			if err := bt.takeFreeCount(); err != nil {
				trunk.Release()
				return nil, false, err
			}
			if err := bt.pager.Write(trunk); err != nil {
				trunk.Release()
				return nil, false, err
			}
			if err := bt.setHeader(hdrFreelistTrunk, get4(td)); err != nil {
				trunk.Release()
				return nil, false, err
			}
			return trunk, true, nil
		case k > usable/4-2:
			trunk.Release()
			return nil, false, corruptf(iTrunk, "freelist trunk has %d leaves", k)
		case search && (nearby == iTrunk || (iTrunk < nearby && mode == allocLE)):
			// The trunk itself is wanted: unlink it, promoting its first
			// leaf to a trunk when it has leaves.
			if err := bt.takeFreeCount(); err != nil {
				trunk.Release()
				return nil, false, err
			}
			if err := bt.pager.Write(trunk); err != nil {
				trunk.Release()
				return nil, false, err
			}
			next := get4(td)
			if k > 0 {
				iNew := get4(td[8:])
				if iNew < 2 || iNew > nPage {
					trunk.Release()
					return nil, false, corruptf(iTrunk, "freelist leaf %d out of range", iNew)
				}
				nt, err := bt.pager.Get(iNew)
				if err != nil {
					trunk.Release()
					return nil, false, err
				}
				if err := bt.pager.Write(nt); err != nil {
					nt.Release()
					trunk.Release()
					return nil, false, err
				}
				nd := nt.Data()
				put4(nd, next)
				put4(nd[4:], k-1)
				copy(nd[8:], td[12:12+4*(k-1)])
				nt.Release()
				next = iNew
			}
			if prev == nil {
				err = bt.setHeader(hdrFreelistTrunk, next)
			} else if err = bt.pager.Write(prev); err == nil {
				put4(prev.Data(), next)
			}
			if err != nil {
				trunk.Release()
				return nil, false, err
			}
			return trunk, true, nil
		case k > 0:
			closest := uint32(0)
			if nearby > 0 {
				if mode == allocLE {
					found := false
					for i := uint32(0); i < k; i++ {
						if get4(td[8+4*i:]) <= nearby {
							closest, found = i, true
							break
						}
					}
					if !found {
						closest = k // none here
					}
				} else {
					best := distance(get4(td[8:]), nearby)
					for i := uint32(1); i < k; i++ {
						if d := distance(get4(td[8+4*i:]), nearby); d < best {
							closest, best = i, d
						}
					}
				}
			}
			if closest < k {
				iPage := get4(td[8+4*closest:])
				if iPage < 2 || iPage > nPage {
					trunk.Release()
					return nil, false, corruptf(iTrunk, "freelist leaf %d out of range", iPage)
				}
				if !search || iPage == nearby || (iPage < nearby && mode == allocLE) {
					if err := bt.takeFreeCount(); err != nil {
						trunk.Release()
						return nil, false, err
					}
					if err := bt.pager.Write(trunk); err != nil {
						trunk.Release()
						return nil, false, err
					}
					if closest < k-1 {
						copy(td[8+4*closest:], td[8+4*(k-1):8+4*k])
					}
					put4(td[4:], k-1)
					trunk.Release()
					pg, err := bt.pager.Get(iPage)
					if err != nil {
						return nil, false, err
					}
					if err := bt.pager.Write(pg); err != nil {
						pg.Release()
						return nil, false, err
					}
					return pg, true, nil
				}
			}
		}
		if prev != nil {
			prev.Release()
		}
		prev = trunk
	}
}

func distance(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func (bt *BTree) takeFreeCount() error {
	n := bt.header(hdrFreelistCount)
	if n == 0 {
		return corruptf(1, "freelist count underflow")
	}
	return bt.setHeader(hdrFreelistCount, n-1)
}

// freePage puts pgno on the freelist: as a leaf of the first trunk when it
// has room, else as the new first trunk.
func (bt *BTree) freePage(pgno uint32) error {
	nPage := bt.pager.PageCount()
	if pgno < 2 || pgno > nPage {
		return corruptf(pgno, "freeing a page out of range")
	}
	nFree := bt.header(hdrFreelistCount)
	if err := bt.setHeader(hdrFreelistCount, nFree+1); err != nil {
		return err
	}
	if err := bt.ptrmapPut(pgno, ptrmapFreePage, 0); err != nil {
		return err
	}
	iTrunk := uint32(0)
	if nFree != 0 {
		iTrunk = bt.header(hdrFreelistTrunk)
		if iTrunk < 2 || iTrunk > nPage {
			return corruptf(iTrunk, "freelist trunk out of range")
		}
		trunk, err := bt.pager.Get(iTrunk)
		if err != nil {
			return err
		}
		td := trunk.Data()
		nLeaf := get4(td[4:])
		usable := uint32(bt.usable)
		if nLeaf > usable/4-2 {
			trunk.Release()
			return corruptf(iTrunk, "freelist trunk has %d leaves", nLeaf)
		}
		if nLeaf < usable/4-8 {
			err := bt.pager.Write(trunk)
			if err == nil {
				put4(td[4:], nLeaf+1)
				put4(td[8+4*nLeaf:], pgno)
			}
			trunk.Release()
			return err
		}
		trunk.Release()
	}
	pg, err := bt.pager.Get(pgno)
	if err != nil {
		return err
	}
	defer pg.Release()
	if err := bt.pager.Write(pg); err != nil {
		return err
	}
	d := pg.Data()
	put4(d, iTrunk)
	put4(d[4:], 0)
	return bt.setHeader(hdrFreelistTrunk, pgno)
}

// newPage allocates a page and formats it as an empty b-tree page.
func (bt *BTree) newPage(nearby uint32, flags byte) (*memPage, error) {
	pg, err := bt.allocatePage(nearby, allocAny)
	if err != nil {
		return nil, err
	}
	m := &memPage{bt: bt, pg: pg, pgno: pg.Pgno(), data: pg.Data()}
	if m.pgno == 1 {
		pg.Release()
		return nil, corruptf(1, "page 1 allocated as a new page")
	}
	m.init(flags)
	return m, nil
}
