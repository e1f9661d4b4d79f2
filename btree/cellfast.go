package btree

// This file holds the fast paths for the cells nearly every page is made
// of: a payload small enough to lie wholly on the page, whose size varint
// takes one or two bytes. Seeks, reads and balancing call these first and
// fall back to parseCellAt, which handles every cell and reports damage,
// when a cell is anything else. The fast paths check the bounds they rely
// on, so a corrupt cell only ever sends them to the slow path.

// smallPayloadSize reads a payload-size varint of one or two bytes at d[p:]
// (sizes below 16384, which covers every payload that fits on a page of up
// to 16 KiB); n is 0 when the varint is longer or runs off d.
func smallPayloadSize(d []byte, p int) (size, n int) {
	if p >= len(d) {
		return 0, 0
	}
	b0 := d[p]
	if b0 < 0x80 {
		return int(b0), 1
	}
	if p+1 >= len(d) || d[p+1] >= 0x80 {
		return 0, 0
	}
	return int(b0&0x7f)<<7 | int(d[p+1]), 2
}

// skipVarint returns the offset just past the varint at d[p:], or -1 when it
// runs off d.
func skipVarint(d []byte, p int) int {
	for i := 0; i < 9; i++ {
		if p+i >= len(d) {
			return -1
		}
		if d[p+i] < 0x80 || i == 8 {
			return p + i + 1
		}
	}
	return -1
}

// localPayloadAt returns the payload of the cell at offset pc when it is
// stored entirely on the page, aliasing the page; ok is false for a table
// interior cell, a payload with an overflow chain, or anything unusual.
func (m *memPage) localPayloadAt(pc int) (payload []byte, ok bool) {
	d := m.data[:m.bt.usable]
	p := pc
	if !m.leaf {
		if m.intKey {
			return nil, false
		}
		p += 4
	}
	size, n := smallPayloadSize(d, p)
	if n == 0 || size > m.maxLocal {
		return nil, false
	}
	p += n
	if m.intKey {
		if p = skipVarint(d, p); p < 0 {
			return nil, false
		}
	}
	if p+size > len(d) {
		return nil, false
	}
	return d[p : p+size : p+size], true
}

// localPayload is localPayloadAt for cell i.
func (m *memPage) localPayload(i int) ([]byte, bool) {
	pc, err := m.cellOffset(i)
	if err != nil {
		return nil, false
	}
	return m.localPayloadAt(pc)
}

// fastCellSize is the on-page size of the cell at pc when its payload is
// all local (or it is a table interior cell); ok is false otherwise.
func (m *memPage) fastCellSize(pc int) (size int, ok bool) {
	d := m.data[:m.bt.usable]
	p := pc
	if !m.leaf {
		p += 4
		if m.intKey {
			if p = skipVarint(d, p); p < 0 {
				return 0, false
			}
			return p - pc, true
		}
	}
	pl, n := smallPayloadSize(d, p)
	if n == 0 || pl > m.maxLocal {
		return 0, false
	}
	p += n
	if m.intKey {
		if p = skipVarint(d, p); p < 0 {
			return 0, false
		}
	}
	sz := p - pc + pl
	if sz < 4 {
		sz = 4
	}
	if pc+sz > len(d) {
		return 0, false
	}
	return sz, true
}

// rawCell returns the bytes of cell i (aliasing the page), through the
// fast path when it applies.
func (m *memPage) rawCell(i int) ([]byte, error) {
	pc, err := m.cellOffset(i)
	if err != nil {
		return nil, err
	}
	if sz, ok := m.fastCellSize(pc); ok {
		return m.data[pc : pc+sz], nil
	}
	ci, err := m.parseCellAt(pc)
	if err != nil {
		return nil, err
	}
	return m.data[pc : pc+ci.size], nil
}
