package btree

// Pointer-map entry types (fileformat2, "Pointer Map or Ptrmap Pages").
const (
	ptrmapRootPage  = 1 // a b-tree root; parent 0
	ptrmapFreePage  = 2 // on the freelist; parent 0
	ptrmapOverflow1 = 3 // first page of an overflow chain; parent is the b-tree page of the cell
	ptrmapOverflow2 = 4 // later overflow page; parent is the previous overflow page
	ptrmapBTree     = 5 // non-root b-tree page; parent is its parent page
)

// ptrmapPageFor is the pointer-map page that holds the entry for pgno: the
// first ptrmap page is page 2, and each covers the usable/5 pages after it;
// the page holding the pending byte is never a ptrmap page.
func (bt *BTree) ptrmapPageFor(pgno uint32) uint32 {
	if pgno < 2 {
		return 0
	}
	perMap := uint32(bt.usable/5) + 1
	ret := (pgno-2)/perMap*perMap + 2
	if ret == bt.pager.PendingBytePage() {
		ret++
	}
	return ret
}

func (bt *BTree) isPtrmapPage(pgno uint32) bool {
	return bt.autoVacuum && pgno >= 2 && bt.ptrmapPageFor(pgno) == pgno
}

// ptrmapPut records that page key has the given type and parent. It writes
// only when the entry changes.
func (bt *BTree) ptrmapPut(key uint32, typ byte, parent uint32) error {
	if !bt.autoVacuum {
		return nil
	}
	if key < 2 {
		return corruptf(key, "pointer-map entry for page %d", key)
	}
	mp := bt.ptrmapPageFor(key)
	if mp > bt.pager.PageCount() {
		return corruptf(key, "pointer-map page %d beyond the end of the file", mp)
	}
	pg, err := bt.pager.Get(mp)
	if err != nil {
		return err
	}
	defer pg.Release()
	off := 5 * int(key-mp-1)
	if key <= mp || off+5 > bt.usable {
		return corruptf(key, "no pointer-map slot")
	}
	d := pg.Data()
	if d[off] == typ && get4(d[off+1:]) == parent {
		return nil
	}
	if err := bt.pager.Write(pg); err != nil {
		return err
	}
	d[off] = typ
	put4(d[off+1:], parent)
	return nil
}

// ptrmapGet reads the entry for page key.
func (bt *BTree) ptrmapGet(key uint32) (byte, uint32, error) {
	mp := bt.ptrmapPageFor(key)
	if key < 2 || key <= mp || mp > bt.pager.PageCount() {
		return 0, 0, corruptf(key, "no pointer-map entry")
	}
	pg, err := bt.pager.Get(mp)
	if err != nil {
		return 0, 0, err
	}
	defer pg.Release()
	off := 5 * int(key-mp-1)
	if off+5 > bt.usable {
		return 0, 0, corruptf(key, "no pointer-map slot")
	}
	d := pg.Data()
	typ := d[off]
	if typ < ptrmapRootPage || typ > ptrmapBTree {
		return typ, get4(d[off+1:]), corruptf(key, "bad pointer-map type %d", typ)
	}
	return typ, get4(d[off+1:]), nil
}

// setChildPtrmaps points the entries of every child page and every first
// overflow page referenced from page m at m.
func (bt *BTree) setChildPtrmaps(m *memPage) error {
	if !bt.autoVacuum {
		return nil
	}
	for i := 0; i < m.nCell; i++ {
		ci, err := m.cell(i)
		if err != nil {
			return err
		}
		if ci.ovfl != 0 {
			if err := bt.ptrmapPut(ci.ovfl, ptrmapOverflow1, m.pgno); err != nil {
				return err
			}
		}
		if !m.leaf {
			if err := bt.ptrmapPut(ci.child, ptrmapBTree, m.pgno); err != nil {
				return err
			}
		}
	}
	if !m.leaf {
		return bt.ptrmapPut(m.rightChild(), ptrmapBTree, m.pgno)
	}
	return nil
}

// cellPtrmaps does setChildPtrmaps for one cell given as bytes on page m.
func (bt *BTree) cellPtrmaps(m *memPage, cell []byte) error {
	if !bt.autoVacuum {
		return nil
	}
	if !m.leaf {
		if err := bt.ptrmapPut(get4(cell), ptrmapBTree, m.pgno); err != nil {
			return err
		}
	}
	if ov := m.cellOverflowPgno(cell); ov != 0 {
		return bt.ptrmapPut(ov, ptrmapOverflow1, m.pgno)
	}
	return nil
}
