package btree

import (
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

// memPage is a b-tree page as this package sees it: the pager's page plus the
// parsed header. It is cheap to build, so it is rebuilt on every fetch rather
// than cached; nothing in it survives a change to the page by another path.
type memPage struct {
	bt       *BTree
	pg       *pager.Page
	pgno     uint32
	data     []byte
	hdr      int  // 100 on page 1, else 0
	flags    byte // page type byte
	leaf     bool
	intKey   bool // table b-tree page
	leafData bool // table leaf: holds row data
	nCell    int
	cellOff  int // first byte of the cell pointer array
	nFree    int // free bytes, -1 until computed
	maxLocal int
	minLocal int

	// ovfl holds cells that did not fit while inserting; balance moves them
	// onto pages. Each sits logically at index idx of the cell array.
	ovfl []overflowCell
}

type overflowCell struct {
	idx  int
	cell []byte
}

// getPage fetches and parses page pgno. The caller releases it.
func (bt *BTree) getPage(pgno uint32) (*memPage, error) {
	m := new(memPage)
	if err := bt.loadPage(m, pgno); err != nil {
		return nil, err
	}
	return m, nil
}

// loadPage is getPage into caller-provided storage (a cursor's slot), so
// that walking a tree does not allocate.
func (bt *BTree) loadPage(m *memPage, pgno uint32) error {
	if pgno == 0 || pgno > bt.pager.PageCount() {
		return corruptf(pgno, "page number out of range (database has %d pages)", bt.pager.PageCount())
	}
	pg, err := bt.pager.Get(pgno)
	if err != nil {
		return err
	}
	*m = memPage{bt: bt, pg: pg, pgno: pgno, data: pg.Data(), nFree: -1, ovfl: m.ovfl[:0]}
	if pgno == 1 {
		m.hdr = fileHeaderSize
	}
	if err := m.parse(); err != nil {
		pg.Release()
		m.pg = nil
		return err
	}
	return nil
}

func (m *memPage) release() {
	if m != nil && m.pg != nil {
		m.pg.Release()
		m.pg = nil
	}
}

// parse reads the page header and checks what can be checked cheaply.
func (m *memPage) parse() error {
	d := m.data
	usable := m.bt.usable
	m.flags = d[m.hdr]
	switch m.flags {
	case typeTableLeaf:
		m.leaf, m.intKey, m.leafData = true, true, true
		m.maxLocal, m.minLocal = m.bt.lim.maxLeaf, m.bt.lim.minLeaf
	case typeTableInterior:
		m.leaf, m.intKey, m.leafData = false, true, false
		m.maxLocal, m.minLocal = m.bt.lim.maxLeaf, m.bt.lim.minLeaf
	case typeIndexLeaf:
		m.leaf, m.intKey, m.leafData = true, false, false
		m.maxLocal, m.minLocal = m.bt.lim.maxLocal, m.bt.lim.minLocal
	case typeIndexInterior:
		m.leaf, m.intKey, m.leafData = false, false, false
		m.maxLocal, m.minLocal = m.bt.lim.maxLocal, m.bt.lim.minLocal
	default:
		return corruptf(m.pgno, "invalid page type %d", m.flags)
	}
	m.cellOff = m.hdr + 12
	if m.leaf {
		m.cellOff = m.hdr + 8
	}
	m.nCell = get2(d[m.hdr+3:])
	if m.nCell > m.bt.lim.maxCellsPage || m.cellOff+2*m.nCell > usable {
		return corruptf(m.pgno, "too many cells (%d)", m.nCell)
	}
	top := m.contentStart()
	if top > usable || top < m.cellOff+2*m.nCell {
		if !(m.nCell == 0 && top == usable) {
			return corruptf(m.pgno, "cell content area starts at %d", top)
		}
	}
	return nil
}

// init formats the page as an empty page of the given type.
func (m *memPage) init(flags byte) {
	d := m.data
	h := m.hdr
	clear(d[h : h+12])
	d[h] = flags
	put2(d[h+5:], m.bt.usable&0xffff) // 65536 is stored as 0
	if err := m.parse(); err != nil {
		panic("btree: init produced an unparsable page") // unreachable: flags are valid constants
	}
	m.nFree = m.bt.usable - m.cellOff
	m.ovfl = m.ovfl[:0]
}

// contentStart is the offset of the cell content area; 0 in the header means 65536.
func (m *memPage) contentStart() int {
	v := get2(m.data[m.hdr+5:])
	if v == 0 {
		return 65536
	}
	return v
}

func (m *memPage) rightChild() uint32 { return get4(m.data[m.hdr+8:]) }

func (m *memPage) setRightChild(pgno uint32) { put4(m.data[m.hdr+8:], pgno) }

// cellOffset is the page offset of cell i, validated to lie in the content area.
func (m *memPage) cellOffset(i int) (int, error) {
	pc := get2(m.data[m.cellOff+2*i:])
	if pc < m.cellOff+2*m.nCell || pc > m.bt.usable-4 {
		return 0, corruptf(m.pgno, "cell %d offset %d out of range", i, pc)
	}
	return pc, nil
}

// parseCellAt parses the cell starting at offset pc.
func (m *memPage) parseCellAt(pc int) (cellInfo, error) {
	var ci cellInfo
	d := m.data[:m.bt.usable]
	p := pc
	if !m.leaf {
		if p+4 > len(d) {
			return ci, corruptf(m.pgno, "cell at %d runs off the page", pc)
		}
		ci.child = get4(d[p:])
		p += 4
	}
	if m.intKey && !m.leaf {
		k, n := record.Varint(d[p:])
		if n == 0 {
			return ci, corruptf(m.pgno, "cell at %d: bad rowid varint", pc)
		}
		ci.key = int64(k)
		ci.size = p + n - pc
		ci.payStart = p + n
		return ci, nil
	}
	pl, n := getVarint32(d[p:])
	if n == 0 {
		return ci, corruptf(m.pgno, "cell at %d: bad payload size varint", pc)
	}
	p += n
	ci.payload = int64(pl)
	if m.intKey {
		k, n := record.Varint(d[p:])
		if n == 0 {
			return ci, corruptf(m.pgno, "cell at %d: bad rowid varint", pc)
		}
		ci.key = int64(k)
		p += n
	} else {
		ci.key = int64(pl)
	}
	ci.payStart = p
	ci.local = localSize(ci.payload, m.maxLocal, m.minLocal, m.bt.usable)
	sz := p - pc + ci.local
	if ci.local < int(ci.payload) {
		if p+ci.local+4 > len(d) {
			return ci, corruptf(m.pgno, "cell at %d runs off the page", pc)
		}
		ci.ovfl = get4(d[p+ci.local:])
		sz += 4
	}
	if sz < 4 {
		sz = 4
	}
	if pc+sz > len(d) {
		return ci, corruptf(m.pgno, "cell at %d runs off the page", pc)
	}
	if ci.payload > int64(ci.local) && ci.payload-int64(ci.local) > int64(m.bt.pager.PageCount())*int64(m.bt.usable-4) {
		// More overflow than the file has pages for: refuse before anyone
		// allocates a buffer of that size.
		return ci, corruptf(m.pgno, "cell at %d claims a %d-byte payload", pc, ci.payload)
	}
	ci.size = sz
	return ci, nil
}

// cell parses cell i.
func (m *memPage) cell(i int) (cellInfo, error) {
	pc, err := m.cellOffset(i)
	if err != nil {
		return cellInfo{}, err
	}
	return m.parseCellAt(pc)
}

// cellBytes returns the raw bytes of cell i (aliasing the page).
func (m *memPage) cellBytes(i int) ([]byte, cellInfo, error) {
	pc, err := m.cellOffset(i)
	if err != nil {
		return nil, cellInfo{}, err
	}
	ci, err := m.parseCellAt(pc)
	if err != nil {
		return nil, ci, err
	}
	return m.data[pc : pc+ci.size], ci, nil
}

// childAt is the page number of child i of an interior page (i == nCell is
// the right child).
func (m *memPage) childAt(i int) (uint32, error) {
	if i == m.nCell {
		return m.rightChild(), nil
	}
	pc, err := m.cellOffset(i)
	if err != nil {
		return 0, err
	}
	return get4(m.data[pc:]), nil
}

// cellSizeOf computes the on-page size of a cell given as bytes, for a page
// of m's kind.
func (m *memPage) cellSizeOf(cell []byte) int {
	p := 0
	if !m.leaf {
		p = 4
	}
	if m.intKey && !m.leaf {
		_, n := record.Varint(cell[p:])
		return p + n
	}
	pl, n := getVarint32(cell[p:])
	p += n
	if m.intKey {
		_, n := record.Varint(cell[p:])
		p += n
	}
	local := localSize(int64(pl), m.maxLocal, m.minLocal, m.bt.usable)
	sz := p + local
	if local < int(pl) {
		sz += 4
	}
	if sz < 4 {
		sz = 4
	}
	return sz
}

// cellOverflowPgno returns the first overflow page of a cell given as bytes,
// or 0 when all its payload is local.
func (m *memPage) cellOverflowPgno(cell []byte) uint32 {
	if m.intKey && !m.leaf {
		return 0
	}
	p := 0
	if !m.leaf {
		p = 4
	}
	pl, n := getVarint32(cell[p:])
	p += n
	if m.intKey {
		_, n := record.Varint(cell[p:])
		p += n
	}
	local := localSize(int64(pl), m.maxLocal, m.minLocal, m.bt.usable)
	if local >= int(pl) || p+local+4 > len(cell) {
		return 0
	}
	return get4(cell[p+local:])
}

// computeFreeSpace walks the freeblock list and sets nFree, checking the
// list as SQLite's btreeComputeFreeSpace does.
func (m *memPage) computeFreeSpace() error {
	d := m.data
	usable := m.bt.usable
	top := m.contentStart()
	nFree := int(d[m.hdr+7]) + top
	pc := get2(d[m.hdr+1:])
	if pc > 0 {
		if pc < top {
			return corruptf(m.pgno, "freeblock at %d before the content area", pc)
		}
		for n := 0; ; n++ {
			if pc > usable-4 || n > usable/4 {
				return corruptf(m.pgno, "freeblock list broken at %d", pc)
			}
			next := get2(d[pc:])
			size := get2(d[pc+2:])
			nFree += size
			if next == 0 {
				if pc+size > usable {
					return corruptf(m.pgno, "freeblock at %d extends off the page", pc)
				}
				break
			}
			if next <= pc+size+3 {
				return corruptf(m.pgno, "freeblocks at %d and %d out of order or overlapping", pc, next)
			}
			pc = next
		}
	}
	nFree -= m.cellOff + 2*m.nCell
	if nFree > usable || nFree < 0 {
		return corruptf(m.pgno, "free space %d out of range", nFree)
	}
	m.nFree = nFree
	return nil
}

func (m *memPage) freeSpace() (int, error) {
	if m.nFree < 0 {
		if err := m.computeFreeSpace(); err != nil {
			return 0, err
		}
	}
	return m.nFree, nil
}
