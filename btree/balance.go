package btree

import (
	"slices"

	"github.com/wrendb/wren/record"
)

// This file keeps pages as full as SQLite keeps them. After an insert or
// delete the cursor's page may hold overflow cells (cells waiting in
// memPage.ovfl) or be less than a third full; balance walks up the cursor's
// path fixing each level:
//
//   - the root overflowing: balanceDeeper copies it into a new child and
//     leaves the root an interior page with that one child;
//   - a table leaf overflowing only because a new largest rowid was
//     appended to the rightmost leaf: balanceQuick starts a new leaf with
//     just that cell (sequential inserts fill pages completely);
//   - otherwise balanceNonroot redistributes the cells of the page and up to
//     two siblings over as many pages as needed, filling left pages first
//     and then shifting cells right so the last page is not left nearly
//     empty, exactly as SQLite's balance_nonroot does, so that page counts
//     and fill factors match SQLite's. Leaves that keep most of their cells
//     are edited rather than rebuilt (see balancecells.go).

const balanceSiblings = 3 // NB in SQLite

// balance fixes the cursor's path after a change to pages[depth]. On return
// the cursor's pages are no longer meaningful; the caller re-seeks.
func (c *Cursor) balance() error {
	bt := c.bt
	minFree := bt.usable * 2 / 3
	for {
		d := c.depth
		m := c.pages[d]
		if d == 0 {
			if len(m.ovfl) == 0 {
				return nil
			}
			child, err := bt.balanceDeeper(m)
			if err != nil {
				return err
			}
			c.idx[0] = 0
			c.pages[1] = child
			c.idx[1] = 0
			c.depth = 1
			continue
		}
		nFree, err := m.freeSpace()
		if err != nil {
			return err
		}
		if len(m.ovfl) == 0 && nFree <= minFree {
			return nil
		}
		parent := c.pages[d-1]
		iIdx := c.idx[d-1]
		if err := parent.writable(); err != nil {
			return err
		}
		if parent.nFree < 0 {
			if err := parent.computeFreeSpace(); err != nil {
				return err
			}
		}
		if len(m.ovfl) == 1 && m.leafData && m.ovfl[0].idx == m.nCell &&
			parent.pgno != 1 && parent.nCell == iIdx && len(parent.ovfl) == 0 {
			err = bt.balanceQuick(parent, m)
		} else {
			err = bt.balanceNonroot(parent, iIdx, m, d-1 == 0)
		}
		if err != nil {
			return err
		}
		m.ovfl = nil
		c.moveToParent()
	}
}

// balanceDeeper moves the root's content (overflow cells included) into a
// new child and makes the root an interior page whose only child it is.
func (bt *BTree) balanceDeeper(root *memPage) (*memPage, error) {
	if err := root.writable(); err != nil {
		return nil, err
	}
	child, err := bt.newPage(root.pgno, root.flags)
	if err != nil {
		return nil, err
	}
	cells := make([][]byte, root.nCell)
	for i := range cells {
		c, _, err := root.cellBytes(i)
		if err != nil {
			child.release()
			return nil, err
		}
		cells[i] = append([]byte(nil), c...)
	}
	if err := child.rebuild(cells); err != nil {
		child.release()
		return nil, err
	}
	if !root.leaf {
		child.setRightChild(root.rightChild())
	}
	child.ovfl = root.ovfl
	root.ovfl = nil
	if err := bt.ptrmapPut(child.pgno, ptrmapBTree, root.pgno); err != nil {
		child.release()
		return nil, err
	}
	if err := bt.setChildPtrmaps(child); err != nil {
		child.release()
		return nil, err
	}
	root.init(root.flags &^ flagLeaf)
	root.setRightChild(child.pgno)
	return child, nil
}

// balanceQuick handles an append past the end of the rightmost leaf: the
// new cell gets a page of its own, and the parent gains a divider.
func (bt *BTree) balanceQuick(parent, m *memPage) error {
	cell := m.ovfl[0].cell
	nw, err := bt.newPage(0, m.flags)
	if err != nil {
		return err
	}
	defer nw.release()
	if err := nw.rebuild([][]byte{cell}); err != nil {
		return err
	}
	if err := bt.ptrmapPut(nw.pgno, ptrmapBTree, parent.pgno); err != nil {
		return err
	}
	if err := bt.cellPtrmaps(nw, cell); err != nil {
		return err
	}
	if m.nCell == 0 {
		return corruptf(m.pgno, "empty leaf in balance")
	}
	lastKey, err := m.tableKey(m.nCell - 1)
	if err != nil {
		return err
	}
	div := make([]byte, 4, 13)
	put4(div, m.pgno)
	div = div[:4+record.PutVarint(div[4:13], uint64(lastKey))]
	if err := parent.insertCell(parent.nCell, div); err != nil {
		return err
	}
	parent.setRightChild(nw.pgno)
	m.ovfl = nil
	return nil
}

// takeLogicalCell returns a copy of logical cell j of p (overflow cells
// included) and removes it from p.
func takeLogicalCell(p *memPage, j int) ([]byte, error) {
	for k, o := range p.ovfl {
		if o.idx == j {
			p.ovfl = slices.Delete(p.ovfl, k, k+1)
			return o.cell, nil
		}
	}
	phys := j
	for _, o := range p.ovfl {
		if o.idx < j {
			phys--
		}
	}
	if phys < 0 || phys >= p.nCell {
		return nil, corruptf(p.pgno, "divider %d out of range", j)
	}
	c, ci, err := p.cellBytes(phys)
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), c...)
	if err := p.dropCell(phys, ci.size); err != nil {
		return nil, err
	}
	for k := range p.ovfl {
		if p.ovfl[k].idx > j {
			p.ovfl[k].idx--
		}
	}
	return out, nil
}

// logicalChild is the child pointer of logical cell j of p, or the right
// child when j is the number of logical cells.
func logicalChild(p *memPage, j int) (uint32, error) {
	n := p.nCell + len(p.ovfl)
	if j == n {
		return p.rightChild(), nil
	}
	for _, o := range p.ovfl {
		if o.idx == j {
			return get4(o.cell), nil
		}
	}
	phys := j
	for _, o := range p.ovfl {
		if o.idx < j {
			phys--
		}
	}
	if phys < 0 || phys >= p.nCell {
		return 0, corruptf(p.pgno, "child %d out of range", j)
	}
	return p.childAt(phys)
}

// balanceNonroot redistributes the cells of child iParentIdx of parent and
// up to two of its siblings. cur is the cursor's page (it carries the
// overflow cells). Dividers in the parent are replaced; the parent may end
// up overfull or underfull, which the caller's loop handles next.
func (bt *BTree) balanceNonroot(parent *memPage, iParentIdx int, cur *memPage, isRoot bool) error {
	nLogical := parent.nCell + len(parent.ovfl)
	nxDiv := 0
	i := nLogical
	if i >= 2 {
		switch {
		case iParentIdx == 0:
			nxDiv = 0
		case iParentIdx == i:
			nxDiv = i - 2
		default:
			nxDiv = iParentIdx - 1
		}
		i = 2
	}
	nOld := i + 1

	// Load the siblings and take their dividers out of the parent.
	oldPgno := make([]uint32, nOld)
	for k := 0; k < nOld; k++ {
		pg, err := logicalChild(parent, nxDiv+k)
		if err != nil {
			return err
		}
		oldPgno[k] = pg
	}
	rightIsParentRight := nxDiv+nOld-1 == nLogical
	divs := make([][]byte, nOld-1)
	for k := nOld - 2; k >= 0; k-- {
		d, err := takeLogicalCell(parent, nxDiv+k)
		if err != nil {
			return err
		}
		divs[k] = d
	}
	if len(parent.ovfl) != 0 {
		return corruptf(parent.pgno, "parent keeps an overflow cell outside the balanced range")
	}
	old := make([]*memPage, nOld)
	releaseOld := func() {
		for _, p := range old {
			if p != nil && p != cur {
				p.release()
			}
		}
	}
	for k := 0; k < nOld; k++ {
		if oldPgno[k] == cur.pgno {
			old[k] = cur
		} else {
			for j := 0; j < k; j++ {
				if oldPgno[j] == oldPgno[k] {
					releaseOld()
					return corruptf(parent.pgno, "child page %d appears twice", oldPgno[k])
				}
			}
			p, err := bt.getPage(oldPgno[k])
			if err != nil {
				releaseOld()
				return err
			}
			old[k] = p
		}
		if old[k].flags != cur.flags || old[k].pgno == parent.pgno {
			releaseOld()
			return corruptf(oldPgno[k], "sibling page type differs")
		}
		if _, err := old[k].freeSpace(); err != nil {
			releaseOld()
			return err
		}
	}
	defer releaseOld()
	if !slices.Contains(old, cur) {
		return corruptf(parent.pgno, "child %d is not where the cursor found it", cur.pgno)
	}

	// Gather every cell, with the dividers between siblings (except in table
	// leaves, whose dividers are mere copies of rowids).
	leaf := cur.leaf
	leafData := cur.leafData
	leafCorrection := 0
	if leaf {
		leafCorrection = 4
	}
	cntOld := make([]int, nOld)
	bc := &bt.balCells
	bc.reset(leafData)
	defer bc.reset(leafData) // drop references to overflow cells and dividers
	if need := (nOld + 1) * bt.usable; cap(bt.cellBuf) < need {
		bt.cellBuf = make([]byte, 0, need)
	}
	buf := bt.cellBuf[:0]
	for k, p := range old {
		var err error
		if buf, err = bc.addPage(p, buf); err != nil {
			return err
		}
		cntOld[k] = bc.n
		if k < nOld-1 && !leafData {
			d := divs[k]
			if leaf {
				d = append([]byte(nil), d[4:]...)
				for len(d) < 4 {
					d = append(d, 0)
				}
			} else {
				d = append([]byte(nil), d...)
				put4(d, p.rightChild())
			}
			bc.addDivider(d)
		}
	}
	lastRight := uint32(0)
	if !leaf {
		lastRight = old[nOld-1].rightChild()
	}
	nCell := bc.n
	bc.startSizes()
	sz := bc.size

	// Work out how many pages and how to split the cells between them.
	usableSpace := bt.usable - 12 + leafCorrection
	const maxNew = balanceSiblings + 2
	var szNew, cntNew [maxNew]int
	for k, p := range old {
		szNew[k] = usableSpace - p.nFree
		for _, o := range p.ovfl {
			szNew[k] += 2 + len(o.cell)
		}
		cntNew[k] = cntOld[k]
	}
	k := nOld
	for i := 0; i < k; i++ {
		for szNew[i] > usableSpace {
			if i+1 >= k {
				k = i + 2
				if k > maxNew {
					return corruptf(parent.pgno, "balance needs too many pages")
				}
				szNew[k-1] = 0
				cntNew[k-1] = nCell
			}
			if cntNew[i] < 1 {
				return corruptf(parent.pgno, "balance found an oversized cell")
			}
			s := 2 + sz(cntNew[i]-1)
			szNew[i] -= s
			if !leafData {
				if cntNew[i] < nCell {
					s = 2 + sz(cntNew[i])
				} else {
					s = 0
				}
			}
			szNew[i+1] += s
			cntNew[i]--
		}
		for cntNew[i] < nCell {
			s := 2 + sz(cntNew[i])
			if szNew[i]+s > usableSpace {
				break
			}
			szNew[i] += s
			cntNew[i]++
			if !leafData {
				if cntNew[i] < nCell {
					s = 2 + sz(cntNew[i])
				} else {
					s = 0
				}
			}
			szNew[i+1] -= s
		}
		if cntNew[i] >= nCell {
			k = i + 1
		} else if prev := prevCnt(cntNew[:], i); cntNew[i] <= prev {
			return corruptf(parent.pgno, "balance cannot split the cells")
		}
	}
	// Shift cells right so the rightmost page is not left nearly empty.
	for i := k - 1; i > 0; i-- {
		szRight := szNew[i]
		szLeft := szNew[i-1]
		r := cntNew[i-1] - 1
		d := r + 1
		if leafData {
			d = r
		}
		for r >= 0 {
			szR := sz(r)
			szD := 0
			if d < nCell {
				szD = sz(d)
			}
			extra := 2
			if i == k-1 {
				extra = 0
			}
			if szRight != 0 && szRight+szD+2 > szLeft-(szR+extra) {
				break
			}
			szRight += szD + 2
			szLeft -= szR + 2
			cntNew[i-1] = r
			r--
			d--
		}
		szNew[i] = szRight
		szNew[i-1] = szLeft
		if cntNew[i-1] <= prevCnt(cntNew[:], i-1) {
			return corruptf(parent.pgno, "balance cannot split the cells")
		}
	}
	if bc.err != nil {
		return bc.err
	}
	if cntNew[0] <= 0 && !(parent.pgno == 1 && parent.nCell == 0) {
		return corruptf(parent.pgno, "balance produced an empty first page")
	}

	// Pages: reuse the old ones, allocate the rest, then hand them out in
	// ascending page-number order so a scan reads the file forwards.
	nNew := k
	pages := make([]*memPage, 0, nNew)
	var allocated []*memPage
	defer func() {
		for _, p := range allocated {
			p.release()
		}
	}()
	near := oldPgno[nOld-1]
	for i := 0; i < nNew; i++ {
		if i < nOld {
			if err := old[i].writable(); err != nil {
				return err
			}
			pages = append(pages, old[i])
			continue
		}
		p, err := bt.newPage(near, cur.flags)
		if err != nil {
			return err
		}
		allocated = append(allocated, p)
		pages = append(pages, p)
		near = p.pgno
	}
	slices.SortFunc(pages, func(a, b *memPage) int { return int(a.pgno) - int(b.pgno) })

	// Fill the pages.
	for i := 0; i < nNew; i++ {
		start := 0
		if i > 0 {
			start = cntNew[i-1]
			if !leafData {
				start++
			}
		}
		p := pages[i]
		edited := false
		if i < nOld && p == old[i] {
			var err error
			if edited, err = bc.editLeaf(p, i, start, cntNew[i]); err != nil {
				return err
			}
		}
		if !edited {
			cells, err := bc.materialize(start, cntNew[i])
			if err != nil {
				return err
			}
			p.init(cur.flags)
			if err := p.rebuild(cells); err != nil {
				return err
			}
		}
		if !leaf {
			if i < nNew-1 {
				c, err := bc.cell(cntNew[i])
				if err != nil {
					return err
				}
				p.setRightChild(get4(c))
			} else {
				p.setRightChild(lastRight)
			}
		}
		if bt.autoVacuum {
			if err := bt.ptrmapPut(p.pgno, ptrmapBTree, parent.pgno); err != nil {
				return err
			}
			if err := bt.setChildPtrmaps(p); err != nil {
				return err
			}
		}
	}

	// New dividers into the parent, then the pointer to the last page.
	for i := 0; i < nNew-1; i++ {
		var div []byte
		j := cntNew[i]
		cell, err := bc.cell(j)
		if err != nil {
			return err
		}
		switch {
		case !leaf:
			div = append([]byte(nil), cell...)
			put4(div, pages[i].pgno)
		case leafData:
			key, err := pages[i].tableKey(pages[i].nCell - 1)
			if err != nil {
				return err
			}
			div = make([]byte, 4, 13)
			div = div[:4+record.PutVarint(div[4:13], uint64(key))]
			put4(div, pages[i].pgno)
		default:
			div = make([]byte, 4, 4+len(cell))
			put4(div, pages[i].pgno)
			div = append(div, cell...)
		}
		div = div[:parent.cellSizeOf(div)]
		if err := parent.insertCell(nxDiv+i, div); err != nil {
			return err
		}
		if len(parent.ovfl) == 0 {
			if err := bt.cellPtrmaps(parent, div); err != nil {
				return err
			}
		}
	}
	lastPgno := pages[nNew-1].pgno
	if rightIsParentRight {
		parent.setRightChild(lastPgno)
	} else {
		// The cell after the dividers points at the last sibling.
		j := nxDiv + nNew - 1
		if err := setLogicalChild(parent, j, lastPgno); err != nil {
			return err
		}
	}

	// Free the old pages that were not reused.
	for i := nNew; i < nOld; i++ {
		if err := bt.freePage(old[i].pgno); err != nil {
			return err
		}
	}

	// A root left with no cells takes over its only child's content.
	if isRoot && parent.nCell == 0 && len(parent.ovfl) == 0 && nNew == 1 && parent.hdr <= pages[0].nFree {
		only := pages[0]
		cs, err := only.allCells()
		if err != nil {
			return err
		}
		rc := uint32(0)
		if !only.leaf {
			rc = only.rightChild()
		}
		parent.init(only.flags)
		if err := parent.rebuild(cs); err != nil {
			return err
		}
		if !parent.leaf {
			parent.setRightChild(rc)
		}
		if err := bt.setChildPtrmaps(parent); err != nil {
			return err
		}
		if err := bt.freePage(only.pgno); err != nil {
			return err
		}
	}
	return nil
}

func prevCnt(cnt []int, i int) int {
	if i > 0 {
		return cnt[i-1]
	}
	return 0
}

// setLogicalChild sets the child pointer of logical cell j of p.
func setLogicalChild(p *memPage, j int, pgno uint32) error {
	for _, o := range p.ovfl {
		if o.idx == j {
			put4(o.cell, pgno)
			return nil
		}
	}
	phys := j
	for _, o := range p.ovfl {
		if o.idx < j {
			phys--
		}
	}
	if phys == p.nCell {
		p.setRightChild(pgno)
		return nil
	}
	pc, err := p.cellOffset(phys)
	if err != nil {
		return err
	}
	put4(p.data[pc:], pgno)
	return nil
}
