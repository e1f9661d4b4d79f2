package btree

// This file changes the layout of one page: allocating and freeing space in
// the cell content area, inserting and dropping cells, defragmenting, and
// rebuilding a page from a list of cells. The bookkeeping (freeblock chain
// in offset order, fragmented-byte count at header+7, content start at
// header+5) follows fileformat2 exactly, because sqlite3's integrity_check
// verifies that cells, freeblocks and fragments cover the page exactly.

// writable makes the page writable in the current transaction.
func (m *memPage) writable() error {
	return m.bt.pager.Write(m.pg)
}

// allocateSpace reserves nByte bytes in the content area and returns their
// offset. The caller has checked that nFree >= nByte+2.
func (m *memPage) allocateSpace(nByte int) (int, error) {
	d := m.data
	h := m.hdr
	gap := m.cellOff + 2*m.nCell
	top := m.contentStart()
	if gap > top {
		return 0, corruptf(m.pgno, "cell pointer array overlaps the content area")
	}
	if (d[h+1] != 0 || d[h+2] != 0) && gap+2 <= top {
		pc, err := m.findSlot(nByte)
		if err != nil {
			return 0, err
		}
		if pc > 0 {
			return pc, nil
		}
	}
	if gap+2+nByte > top {
		if err := m.defragment(); err != nil {
			return 0, err
		}
		top = m.contentStart()
		if gap+2+nByte > top {
			return 0, corruptf(m.pgno, "no room for a %d-byte cell after defragmenting", nByte)
		}
	}
	top -= nByte
	put2(d[h+5:], top&0xffff)
	return top, nil
}

// findSlot takes nByte bytes from the first freeblock big enough, or returns
// 0 when none is (or when too many fragments have accumulated).
func (m *memPage) findSlot(nByte int) (int, error) {
	d := m.data
	h := m.hdr
	usable := m.bt.usable
	iAddr := h + 1
	pc := get2(d[iAddr:])
	maxPC := usable - nByte
	for steps := 0; pc > 0 && pc <= maxPC; steps++ {
		if steps > usable/4 || pc+4 > usable {
			return 0, corruptf(m.pgno, "freeblock list loops")
		}
		size := get2(d[pc+2:])
		x := size - nByte
		if x >= 0 {
			if x < 4 {
				if d[h+7] > 57 {
					return 0, nil
				}
				put2(d[iAddr:], get2(d[pc:]))
				d[h+7] += byte(x)
				return pc, nil
			}
			if pc+x > maxPC {
				return 0, corruptf(m.pgno, "freeblock at %d extends off the page", pc)
			}
			put2(d[pc+2:], x)
			return pc + x, nil
		}
		iAddr = pc
		next := get2(d[pc:])
		if next != 0 && next <= pc+size {
			return 0, corruptf(m.pgno, "freeblock list out of order at %d", pc)
		}
		pc = next
	}
	if pc > maxPC+2 && pc != 0 && pc > usable-4 {
		return 0, corruptf(m.pgno, "freeblock offset %d out of range", pc)
	}
	return 0, nil
}

// freeRange returns size bytes at start to the page: a new freeblock merged
// with its neighbours, or a move of the content start when at the top.
func (m *memPage) freeRange(start, size int) error {
	d := m.data
	h := m.hdr
	usable := m.bt.usable
	origSize := size
	iEnd := start + size
	iPtr := h + 1
	iFreeBlk := 0
	if start < m.cellOff+2*m.nCell || iEnd > usable {
		return corruptf(m.pgno, "freeing bytes %d..%d outside the content area", start, iEnd)
	}
	if d[iPtr] != 0 || d[iPtr+1] != 0 {
		for steps := 0; ; steps++ {
			iFreeBlk = get2(d[iPtr:])
			if iFreeBlk >= start {
				break
			}
			if iFreeBlk <= iPtr {
				if iFreeBlk == 0 {
					break
				}
				return corruptf(m.pgno, "freeblock list out of order")
			}
			if steps > usable/4 {
				return corruptf(m.pgno, "freeblock list loops")
			}
			iPtr = iFreeBlk
		}
		if iFreeBlk > usable-4 {
			return corruptf(m.pgno, "freeblock offset %d out of range", iFreeBlk)
		}
		nFrag := 0
		if iFreeBlk != 0 && iEnd+3 >= iFreeBlk {
			nFrag = iFreeBlk - iEnd
			if iEnd > iFreeBlk {
				return corruptf(m.pgno, "freed range overlaps freeblock %d", iFreeBlk)
			}
			iEnd = iFreeBlk + get2(d[iFreeBlk+2:])
			if iEnd > usable {
				return corruptf(m.pgno, "freeblock %d extends off the page", iFreeBlk)
			}
			size = iEnd - start
			iFreeBlk = get2(d[iFreeBlk:])
		}
		if iPtr > h+1 {
			iPtrEnd := iPtr + get2(d[iPtr+2:])
			if iPtrEnd+3 >= start {
				if iPtrEnd > start {
					return corruptf(m.pgno, "freed range overlaps freeblock %d", iPtr)
				}
				nFrag += start - iPtrEnd
				size = iEnd - iPtr
				start = iPtr
			}
		}
		if nFrag > int(d[h+7]) {
			return corruptf(m.pgno, "fragment count too small")
		}
		d[h+7] -= byte(nFrag)
	}
	top := get2(d[h+5:])
	if start <= top {
		if start < top || iPtr != h+1 {
			return corruptf(m.pgno, "freed range below the content area")
		}
		put2(d[h+1:], iFreeBlk)
		put2(d[h+5:], iEnd&0xffff)
	} else {
		put2(d[iPtr:], start)
		put2(d[start:], iFreeBlk)
		put2(d[start+2:], size)
	}
	if m.nFree >= 0 {
		m.nFree += origSize
	}
	return nil
}

// dropCell removes cell i, whose size is sz.
func (m *memPage) dropCell(i, sz int) error {
	d := m.data
	h := m.hdr
	pc, err := m.cellOffset(i)
	if err != nil {
		return err
	}
	if pc+sz > m.bt.usable {
		return corruptf(m.pgno, "cell %d extends off the page", i)
	}
	if err := m.freeRange(pc, sz); err != nil {
		return err
	}
	m.nCell--
	if m.nCell == 0 {
		clear(d[h+1 : h+5])
		d[h+7] = 0
		put2(d[h+5:], m.bt.usable&0xffff)
		m.nFree = m.bt.usable - m.cellOff
	} else {
		copy(d[m.cellOff+2*i:], d[m.cellOff+2*i+2:m.cellOff+2*m.nCell+2])
		if m.nFree >= 0 {
			m.nFree += 2
		}
	}
	put2(d[h+3:], m.nCell)
	return nil
}

// insertCell puts cell at index i. When the page has no room the cell is
// kept in m.ovfl for balance to place; cell is copied in that case.
func (m *memPage) insertCell(i int, cell []byte) error {
	nFree, err := m.freeSpace()
	if err != nil {
		return err
	}
	sz := len(cell)
	if len(m.ovfl) > 0 || sz+2 > nFree {
		m.ovfl = append(m.ovfl, overflowCell{idx: i, cell: append([]byte(nil), cell...)})
		return nil
	}
	idx, err := m.allocateSpace(sz)
	if err != nil {
		return err
	}
	d := m.data
	copy(d[idx:], cell)
	end := m.cellOff + 2*m.nCell
	copy(d[m.cellOff+2*i+2:end+2], d[m.cellOff+2*i:end])
	put2(d[m.cellOff+2*i:], idx)
	m.nCell++
	put2(d[m.hdr+3:], m.nCell)
	m.nFree -= sz + 2
	return nil
}

// defragment packs all cells at the end of the page, leaving one free gap
// between the cell pointer array and the content area.
func (m *memPage) defragment() error {
	d := m.data
	h := m.hdr
	usable := m.bt.usable
	if cap(m.bt.scratch) < usable {
		m.bt.scratch = make([]byte, usable)
	}
	tmp := m.bt.scratch[:usable]
	copy(tmp, d[:usable])
	cbrk := usable
	first := m.cellOff + 2*m.nCell
	for i := 0; i < m.nCell; i++ {
		pc := get2(d[m.cellOff+2*i:])
		if pc < first || pc > usable-4 {
			return corruptf(m.pgno, "cell %d offset %d out of range", i, pc)
		}
		sz := m.cellSizeOf(tmp[pc:usable])
		cbrk -= sz
		if cbrk < first || pc+sz > usable {
			return corruptf(m.pgno, "cells overflow the page while defragmenting")
		}
		copy(d[cbrk:], tmp[pc:pc+sz])
		put2(d[m.cellOff+2*i:], cbrk)
	}
	clear(d[first:cbrk])
	d[h+1], d[h+2], d[h+7] = 0, 0, 0
	put2(d[h+5:], cbrk&0xffff)
	m.nFree = cbrk - first
	return nil
}

// rebuild replaces the page's cells with cells (all of which must fit).
func (m *memPage) rebuild(cells [][]byte) error {
	d := m.data
	h := m.hdr
	usable := m.bt.usable
	first := m.cellOff + 2*len(cells)
	cbrk := usable
	for i, c := range cells {
		cbrk -= len(c)
		if cbrk < first {
			return corruptf(m.pgno, "cells do not fit while rebuilding")
		}
		copy(d[cbrk:], c)
		put2(d[m.cellOff+2*i:], cbrk)
	}
	clear(d[first:cbrk])
	m.nCell = len(cells)
	d[h+1], d[h+2], d[h+7] = 0, 0, 0
	put2(d[h+3:], m.nCell)
	put2(d[h+5:], cbrk&0xffff)
	m.nFree = cbrk - first
	m.ovfl = m.ovfl[:0]
	return nil
}

// allCells returns copies of every cell of the page including overflow
// cells, in key order.
func (m *memPage) allCells() ([][]byte, error) {
	out, _, err := m.appendCells(nil, nil)
	return out, err
}

// appendCells appends copies of every cell (overflow cells included, in key
// order) to out. The copies alias one copy of the whole page made in buf,
// which costs one memmove instead of one per cell.
func (m *memPage) appendCells(out [][]byte, buf []byte) ([][]byte, []byte, error) {
	usable := m.bt.usable
	if cap(buf)-len(buf) < usable {
		buf = make([]byte, 0, 2*usable)
	}
	base := len(buf)
	buf = append(buf, m.data[:usable]...)
	page := buf[base:len(buf):len(buf)]
	start := len(out)
	oi := 0
	ptrs := m.cellOff
	minPC, maxPC := m.cellOff+2*m.nCell, usable-4
	for i := 0; i <= m.nCell; i++ {
		for oi < len(m.ovfl) && m.ovfl[oi].idx == len(out)-start {
			out = append(out, m.ovfl[oi].cell)
			oi++
		}
		if i == m.nCell {
			break
		}
		// cellOffset's check, on local variables: this loop runs for
		// every cell of every page a balance touches.
		pc := int(page[ptrs+2*i])<<8 | int(page[ptrs+2*i+1])
		if pc < minPC || pc > maxPC {
			return nil, buf, corruptf(m.pgno, "cell %d offset %d out of range", i, pc)
		}
		sz, ok := m.fastCellSize(pc)
		if !ok {
			ci, err := m.parseCellAt(pc)
			if err != nil {
				return nil, buf, err
			}
			sz = ci.size
		}
		out = append(out, page[pc:pc+sz:pc+sz])
	}
	for ; oi < len(m.ovfl); oi++ {
		out = append(out, m.ovfl[oi].cell)
	}
	return out, buf, nil
}
