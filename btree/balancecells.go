package btree

import "slices"

// balanceNonroot redistributes a thousand cells or so, but when rows arrive
// in key order most of them end up on the page they were on: only the cells
// near the boundaries between siblings move. This file lets it touch little
// more than those. The cells are read through a balanceCells, which copies
// each old sibling once and finds a cell (and its size) only when asked;
// and a leaf that keeps a run of its cells is edited in place (cells dropped
// from its ends, cells from its neighbours added at its ends) instead of
// being rebuilt, as SQLite's editPage does. An edit that does not fit falls
// back to the rebuild, which is always correct because every cell is read
// from the copies, never from a page being rewritten.

// balanceCells is the logical list of cells balanceNonroot distributes: the
// cells of each old sibling, overflow cells included, with the divider
// from the parent between two siblings (except in table leaves).
type balanceCells struct {
	olds  []balanceOld
	divs  [][]byte // divs[k] follows old sibling k (nil in table leaves)
	n     int      // number of cells in the list
	list  [][]byte // materialize's result, reused
	sizes []int32  // size's cache, -1 where not yet known
	err   error    // the first damaged cell met by size
	shift int      // leafData ? 0 : 1, the divider's slot after each sibling
}

// balanceOld is one old sibling as it was before the balance.
type balanceOld struct {
	shadow memPage        // the page over a private copy of its bytes
	start  int            // list index of its first cell
	n      int            // its cells, overflow cells included
	ovfl   []overflowCell // its overflow cells, in position order
	eager  [][]byte       // all its cells, when its overflow cells are unusual
}

// reset empties the list, keeping its storage.
func (bc *balanceCells) reset(leafData bool) {
	clear(bc.olds)
	bc.olds = bc.olds[:0]
	clear(bc.divs)
	bc.divs = bc.divs[:0]
	clear(bc.list)
	bc.list = bc.list[:0]
	bc.n, bc.err = 0, nil
	bc.sizes = bc.sizes[:0]
	bc.shift = 1
	if leafData {
		bc.shift = 0
	}
}

// addPage appends the cells of p, copying its bytes into buf (which must
// have room for a page, so that earlier copies stay where they are), and
// checks its cell pointers.
func (bc *balanceCells) addPage(p *memPage, buf []byte) ([]byte, error) {
	usable := p.bt.usable
	base := len(buf)
	buf = append(buf, p.data[:usable]...)
	o := balanceOld{shadow: *p, start: bc.n, n: p.nCell + len(p.ovfl)}
	o.shadow.data = buf[base:len(buf):len(buf)]
	o.shadow.pg, o.shadow.ovfl = nil, nil
	minPC, maxPC := p.cellOff+2*p.nCell, usable-4
	for i := 0; i < p.nCell; i++ {
		pc := get2(o.shadow.data[p.cellOff+2*i:])
		if pc < minPC || pc > maxPC {
			return buf, corruptf(p.pgno, "cell %d offset %d out of range", i, pc)
		}
	}
	if len(p.ovfl) > 0 {
		o.ovfl = slices.Clone(p.ovfl)
		// The position arithmetic of cell needs overflow cells in strictly
		// increasing positions, each within reach; anything else is read
		// the slow way.
		for k, ov := range o.ovfl {
			if ov.idx > p.nCell+k || (k > 0 && ov.idx <= o.ovfl[k-1].idx) {
				cells, err := p.allCells()
				if err != nil {
					return buf, err
				}
				o.eager = cells
				break
			}
		}
	}
	bc.olds = append(bc.olds, o)
	bc.n += o.n
	return buf, nil
}

// addDivider appends the divider that follows the last page added.
func (bc *balanceCells) addDivider(d []byte) {
	bc.divs = append(bc.divs, d)
	bc.n++
}

// cell returns list cell j (aliasing a copy; do not modify).
func (bc *balanceCells) cell(j int) ([]byte, error) {
	for k := range bc.olds {
		o := &bc.olds[k]
		r := j - o.start
		if r < o.n {
			if o.eager != nil {
				return o.eager[r], nil
			}
			phys := r
			for _, ov := range o.ovfl {
				if ov.idx == r {
					return ov.cell, nil
				}
				if ov.idx < r {
					phys--
				}
			}
			return o.physCell(phys)
		}
		if r == o.n && k < len(bc.divs) {
			return bc.divs[k], nil
		}
	}
	return nil, corruptf(0, "balance cell %d out of range", j)
}

// physCell returns physical cell i of the old sibling, whose pointer
// addPage has checked.
func (o *balanceOld) physCell(i int) ([]byte, error) {
	m := &o.shadow
	if i < 0 || i >= m.nCell {
		return nil, corruptf(m.pgno, "cell %d out of range", i)
	}
	pc := int(m.data[m.cellOff+2*i])<<8 | int(m.data[m.cellOff+2*i+1])
	if sz, ok := m.fastCellSize(pc); ok {
		return m.data[pc : pc+sz : pc+sz], nil
	}
	ci, err := m.parseCellAt(pc)
	if err != nil {
		return nil, err
	}
	return m.data[pc : pc+ci.size : pc+ci.size], nil
}

// size is the size of cell j; a damaged cell counts as empty and is
// remembered in bc.err. The distribution asks for most sizes twice.
func (bc *balanceCells) size(j int) int {
	if j >= 0 && j < len(bc.sizes) && bc.sizes[j] >= 0 {
		return int(bc.sizes[j])
	}
	c, err := bc.cell(j)
	if err != nil {
		if bc.err == nil {
			bc.err = err
		}
		return 0
	}
	if j >= 0 && j < len(bc.sizes) {
		bc.sizes[j] = int32(len(c))
	}
	return len(c)
}

// startSizes readies the size cache once all cells are added.
func (bc *balanceCells) startSizes() {
	if cap(bc.sizes) < bc.n {
		bc.sizes = make([]int32, bc.n)
	}
	bc.sizes = bc.sizes[:bc.n]
	for i := range bc.sizes {
		bc.sizes[i] = -1
	}
}

// materialize returns cells [from, to) of the list.
func (bc *balanceCells) materialize(from, to int) ([][]byte, error) {
	bc.list = bc.list[:0]
	for j := from; j < to; j++ {
		c, err := bc.cell(j)
		if err != nil {
			return nil, err
		}
		bc.list = append(bc.list, c)
	}
	return bc.list, nil
}

// editLeaf turns old sibling k, which is p, into the page holding list
// cells [from, to) by dropping and adding cells at its ends. Overflow cells
// are allowed after the page's last cell (an append's). It returns false,
// with p possibly half edited, when that does not work out; the caller
// then rebuilds p from the list.
func (bc *balanceCells) editLeaf(p *memPage, k, from, to int) (bool, error) {
	o := &bc.olds[k]
	if !p.leaf || o.eager != nil || p.nCell+len(o.ovfl) != o.n {
		return false, nil
	}
	for _, ov := range o.ovfl {
		if ov.idx < p.nCell {
			return false, nil
		}
	}
	// The page's own cells are list cells [ost, physEnd); its overflow
	// cells follow them and are added like any newcomer.
	ost, physEnd := o.start, o.start+p.nCell
	keepFrom, keepTo := max(from, ost), min(to, physEnd)
	if keepFrom >= keepTo {
		return false, nil
	}
	nPhys := p.nCell
	// Drop the cells that leave, from the end first so that the indexes
	// of those at the front stay put, then close the pointer array's gap.
	for j := physEnd - 1; j >= keepTo; j-- {
		if err := bc.freeOldCell(p, o, j-ost); err != nil {
			return false, err
		}
	}
	head := keepFrom - ost
	for j := 0; j < head; j++ {
		if err := bc.freeOldCell(p, o, j); err != nil {
			return false, err
		}
	}
	d := p.data
	kept := keepTo - keepFrom
	copy(d[p.cellOff:], d[p.cellOff+2*head:p.cellOff+2*(head+kept)])
	p.nCell = kept
	put2(d[p.hdr+3:], p.nCell)
	p.nFree += 2 * (nPhys - kept)
	p.ovfl = p.ovfl[:0]
	// Add the newcomers: those before the kept run at the front, those
	// after it at the end.
	if ok, err := bc.addCells(p, 0, from, keepFrom); !ok || err != nil {
		return false, err
	}
	return bc.addCells(p, p.nCell, keepTo, to)
}

// freeOldCell returns the space of physical cell i of old sibling o, still
// at its place on p.
func (bc *balanceCells) freeOldCell(p *memPage, o *balanceOld, i int) error {
	c, err := o.shadow.rawCell(i)
	if err != nil {
		return err
	}
	pc := get2(p.data[p.cellOff+2*i:])
	return p.freeRange(pc, len(c))
}

// addCells inserts list cells [from, to) at position at of p, shifting the
// pointer array once. It returns false when they do not fit without a
// defragmentation.
func (bc *balanceCells) addCells(p *memPage, at, from, to int) (bool, error) {
	n := to - from
	if n <= 0 {
		return true, nil
	}
	need := 2 * n
	for j := from; j < to; j++ {
		c, err := bc.cell(j)
		if err != nil {
			return false, err
		}
		need += len(c)
	}
	if need > p.nFree || p.cellOff+2*(p.nCell+n) > p.contentStart() {
		return false, nil
	}
	d := p.data
	end := p.cellOff + 2*p.nCell
	copy(d[p.cellOff+2*(at+n):end+2*n], d[p.cellOff+2*at:end])
	p.nCell += n
	put2(d[p.hdr+3:], p.nCell)
	p.nFree -= 2 * n
	for j := from; j < to; j++ {
		c, _ := bc.cell(j)
		pc, ok, err := p.allocateNoDefrag(len(c))
		if err != nil || !ok {
			return false, err
		}
		copy(d[pc:], c)
		put2(d[p.cellOff+2*(at+j-from):], pc)
	}
	return true, nil
}

// allocateNoDefrag is allocateSpace without the defragmentation, which
// would read the pointer array that addCells is filling in: a freeblock
// that fits, else the gap above the pointer array, else false.
func (m *memPage) allocateNoDefrag(nByte int) (int, bool, error) {
	d := m.data
	h := m.hdr
	gap := m.cellOff + 2*m.nCell
	top := m.contentStart()
	if gap > top {
		return 0, false, nil
	}
	if d[h+1] != 0 || d[h+2] != 0 {
		pc, err := m.findSlot(nByte)
		if err != nil {
			return 0, false, err
		}
		if pc > 0 {
			m.nFree -= nByte
			return pc, true, nil
		}
	}
	if gap+nByte > top {
		return 0, false, nil
	}
	top -= nByte
	put2(d[h+5:], top&0xffff)
	m.nFree -= nByte
	return top, true, nil
}
