package btree

import (
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

// buildCell encodes a leaf cell for page kind m: for tables varint(len)
// varint(rowid) then the payload, for indexes varint(len) then the key.
// Payload beyond the local size goes to a chain of freshly allocated
// overflow pages. Cells shorter than 4 bytes are padded to 4, as SQLite
// does, so that a cell can always become a freeblock. The cell is valid
// until the next call.
func (bt *BTree) buildCell(m *memPage, rowid int64, payload []byte) ([]byte, error) {
	n := len(payload)
	local := localSize(int64(n), m.maxLocal, m.minLocal, bt.usable)
	hdr := record.VarintLen(uint64(n))
	if m.intKey {
		hdr += record.VarintLen(uint64(rowid))
	}
	size := hdr + local
	if local < n {
		size += 4
	}
	// The cell is built in a buffer kept for the next insert: insertCell
	// copies it onto the page (or, when it overflows, into the page's
	// overflow list), so nothing keeps it past the insert.
	if cap(bt.newCell) < max(size, 4) {
		bt.newCell = make([]byte, max(size, 4, 64))
	}
	cell := bt.newCell[:max(size, 4)]
	if size < 4 {
		clear(cell[size:])
	}
	p := record.PutVarint(cell, uint64(n))
	if m.intKey {
		p += record.PutVarint(cell[p:], uint64(rowid))
	}
	copy(cell[p:], payload[:local])
	if local == n {
		return cell, nil
	}
	first, err := bt.writeOverflow(m.pgno, payload[local:])
	if err != nil {
		return nil, err
	}
	put4(cell[p+local:], first)
	return cell, nil
}

// writeOverflow stores rest in a new overflow chain and returns its first
// page. owner is the b-tree page the cell is destined for (for the
// pointer map; balance corrects it if the cell moves).
func (bt *BTree) writeOverflow(owner uint32, rest []byte) (uint32, error) {
	per := bt.usable - 4
	var first uint32
	var prev *pager.Page
	defer func() {
		if prev != nil {
			prev.Release()
		}
	}()
	near := owner
	for len(rest) > 0 {
		if bt.autoVacuum {
			// Like SQLite, ask for the page after the previous one, skipping
			// pointer-map pages, so chains stay contiguous.
			near++
			for bt.isPtrmapPage(near) || near == bt.pager.PendingBytePage() {
				near++
			}
		}
		pg, err := bt.allocatePage(near, allocAny)
		if err != nil {
			return 0, err
		}
		pgno := pg.Pgno()
		if prev == nil {
			first = pgno
			err = bt.ptrmapPut(pgno, ptrmapOverflow1, owner)
		} else {
			put4(prev.Data(), pgno)
			err = bt.ptrmapPut(pgno, ptrmapOverflow2, prev.Pgno())
			prev.Release()
		}
		prev = pg
		if err != nil {
			return 0, err
		}
		d := pg.Data()
		k := min(per, len(rest))
		put4(d, 0)
		copy(d[4:], rest[:k])
		clear(d[4+k : bt.usable])
		rest = rest[k:]
		near = pgno
	}
	return first, nil
}

// overflowPages is the number of overflow pages a cell needs.
func (bt *BTree) overflowPages(ci cellInfo) int {
	if ci.payload <= int64(ci.local) {
		return 0
	}
	per := int64(bt.usable - 4)
	return int((ci.payload - int64(ci.local) + per - 1) / per)
}

// readPayload copies payload bytes [off, off+len(dst)) of the cell ci on
// page m into dst, following the overflow chain as needed.
func (bt *BTree) readPayload(m *memPage, ci cellInfo, off int, dst []byte) error {
	if int64(off)+int64(len(dst)) > ci.payload {
		return corruptf(m.pgno, "payload read past its end")
	}
	if off < ci.local {
		n := copy(dst, m.data[ci.payStart+off:ci.payStart+ci.local])
		dst = dst[n:]
		off += n
	}
	if len(dst) == 0 {
		return nil
	}
	per := bt.usable - 4
	ovfl := ci.ovfl
	pos := ci.local // payload offset of the current overflow page's first byte
	nPages := bt.overflowPages(ci)
	for i := 0; i < nPages && len(dst) > 0; i++ {
		if ovfl < 2 || ovfl > bt.pager.PageCount() {
			return corruptf(m.pgno, "overflow page %d out of range", ovfl)
		}
		pg, err := bt.pager.Get(ovfl)
		if err != nil {
			return err
		}
		d := pg.Data()
		next := get4(d)
		if off < pos+per {
			n := copy(dst, d[4+off-pos:4+per])
			dst = dst[n:]
			off += n
		}
		pg.Release()
		pos += per
		ovfl = next
	}
	if len(dst) > 0 {
		return corruptf(m.pgno, "overflow chain too short")
	}
	return nil
}

// freeOverflow frees the overflow chain of a cell.
func (bt *BTree) freeOverflow(m *memPage, ci cellInfo) error {
	n := bt.overflowPages(ci)
	ovfl := ci.ovfl
	nPage := bt.pager.PageCount()
	seen := make(map[uint32]bool, n)
	for i := 0; i < n; i++ {
		if ovfl < 2 || ovfl > nPage || seen[ovfl] {
			return corruptf(m.pgno, "overflow page %d out of range or in a loop", ovfl)
		}
		seen[ovfl] = true
		next := uint32(0)
		if i+1 < n {
			pg, err := bt.pager.Get(ovfl)
			if err != nil {
				return err
			}
			next = get4(pg.Data())
			pg.Release()
		}
		if err := bt.freePage(ovfl); err != nil {
			return err
		}
		ovfl = next
	}
	return nil
}
