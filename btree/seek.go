package btree

import (
	"fmt"

	"github.com/wrendb/wren/record"
)

// SeekOp says which entry Seek lands on, relative to the key.
type SeekOp int

const (
	SeekGE SeekOp = iota // first entry >= key
	SeekGT               // first entry > key
	SeekLE               // last entry <= key
	SeekLT               // last entry < key
	SeekEQ               // first entry whose leading fields equal key
)

func (op SeekOp) String() string {
	return [...]string{"GE", "GT", "LE", "LT", "EQ"}[op]
}

// tableKey reads the rowid of cell i of a table page without a full parse.
func (m *memPage) tableKey(i int) (int64, error) {
	pc, err := m.cellOffset(i)
	if err != nil {
		return 0, err
	}
	d := m.data[:m.bt.usable]
	p := pc
	if !m.leaf {
		p += 4
	} else {
		_, n := getVarint32(d[p:])
		if n == 0 {
			return 0, corruptf(m.pgno, "cell %d: bad payload size", i)
		}
		p += n
	}
	if p >= len(d) {
		return 0, corruptf(m.pgno, "cell %d runs off the page", i)
	}
	k, n := record.Varint(d[p:])
	if n == 0 {
		return 0, corruptf(m.pgno, "cell %d: bad rowid", i)
	}
	return int64(k), nil
}

// seekRowid descends to the leaf where rowid is or would be. It returns 0
// when the cursor is on rowid, <0 when the cursor's entry is smaller, >0
// when larger; on an empty tree the cursor is invalid.
func (c *Cursor) seekRowid(rowid int64) (int, error) {
	// Only a fresh cursor's seek is remembered for the next statement's:
	// a cursor that seeks again and again has its own position to start
	// from.
	fresh := c.state == stateInvalid
	if r, ok, err := c.seekRowidNear(rowid); ok || err != nil {
		return r, err
	}
	if err := c.moveToRoot(); err != nil {
		return 0, err
	}
	if c.state != stateValid {
		return -1, nil
	}
	for {
		m := c.pages[c.depth]
		lo, hi := 0, m.nCell
		if !m.leaf {
			// Interior cell i holds the largest rowid of child i.
			for lo < hi {
				mid := int(uint(lo+hi) >> 1)
				k, err := m.tableKey(mid)
				if err != nil {
					return 0, c.fail(err)
				}
				if k < rowid {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			c.idx[c.depth] = lo
			child, err := m.childAt(lo)
			if err != nil {
				return 0, c.fail(err)
			}
			if err := c.moveToChild(child); err != nil {
				return 0, err
			}
			continue
		}
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			k, err := m.tableKey(mid)
			if err != nil {
				return 0, c.fail(err)
			}
			if k == rowid {
				c.idx[c.depth] = mid
				c.rememberSeek(fresh)
				return 0, nil
			}
			if k < rowid {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo < m.nCell {
			c.idx[c.depth] = lo
			c.rememberSeek(fresh)
			return 1, nil
		}
		c.idx[c.depth] = m.nCell - 1
		c.rememberSeek(fresh)
		return -1, nil
	}
}

// cellPayloadForCompare returns the whole payload of cell i of an index
// page: the page bytes when it is all local, else a copy in c.scratch.
func (c *Cursor) cellPayloadForCompare(m *memPage, i int) ([]byte, error) {
	if p, ok := m.localPayload(i); ok {
		return p, nil
	}
	ci, err := m.cell(i)
	if err != nil {
		return nil, err
	}
	if int64(ci.local) == ci.payload {
		return m.data[ci.payStart : ci.payStart+ci.local], nil
	}
	if cap(c.scratch) < int(ci.payload) {
		c.scratch = make([]byte, ci.payload)
	}
	buf := c.scratch[:ci.payload]
	if err := c.bt.readPayload(m, ci, 0, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// seekIndexWith descends an index tree using cmp, which orders a cell's
// payload against the sought key. It returns like seekRowid; an exact
// match (cmp == 0) may stop on an interior page.
func (c *Cursor) seekIndexWith(cmp func(cell []byte) (int, error)) (int, error) {
	if err := c.moveToRoot(); err != nil {
		return 0, err
	}
	if c.state != stateValid {
		return -1, nil
	}
	for {
		m := c.pages[c.depth]
		lo, hi := 0, m.nCell
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			cell, err := c.cellPayloadForCompare(m, mid)
			if err != nil {
				return 0, c.fail(err)
			}
			r, err := cmp(cell)
			if err != nil {
				return 0, c.fail(err)
			}
			if r == 0 {
				c.idx[c.depth] = mid
				return 0, nil
			}
			if r < 0 {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if m.leaf {
			if lo < m.nCell {
				c.idx[c.depth] = lo
				return 1, nil
			}
			c.idx[c.depth] = m.nCell - 1
			return -1, nil
		}
		c.idx[c.depth] = lo
		child, err := m.childAt(lo)
		if err != nil {
			return 0, c.fail(err)
		}
		if err := c.moveToChild(child); err != nil {
			return 0, err
		}
	}
}

// seekEncoded seeks an exact encoded key (a saved position, or a key
// being inserted).
func (c *Cursor) seekEncoded(key []byte) (int, error) {
	return c.seekIndexWith(func(cell []byte) (int, error) {
		return record.Compare(cell, key, c.ki)
	})
}

// SeekRowid moves a table cursor to rowid. found reports an exact match;
// otherwise the cursor is on a neighbouring entry (or invalid on an empty
// tree), and Next/Prev continue from there.
func (c *Cursor) SeekRowid(rowid int64) (found bool, err error) {
	if !c.intKey {
		return false, fmt.Errorf("btree: SeekRowid on an index cursor: %w", ErrMisuse)
	}
	r, err := c.seekRowid(rowid)
	return err == nil && r == 0 && c.state == stateValid, err
}

// SeekNear is SeekRowid that also reports where the cursor landed: 0 on
// rowid, <0 on a smaller entry, >0 on a larger one.
func (c *Cursor) SeekNear(rowid int64) (int, error) {
	if !c.intKey {
		return 0, fmt.Errorf("btree: SeekNear on an index cursor: %w", ErrMisuse)
	}
	return c.seekRowid(rowid)
}

// Seek positions an index cursor by key (a prefix of the index's fields,
// compared with record.CompareUnpacked under the cursor's KeyInfo) and op.
// It returns whether the cursor is on an entry that satisfies op.
func (c *Cursor) Seek(key []record.Value, op SeekOp) (bool, error) {
	if c.intKey {
		return false, fmt.Errorf("btree: Seek on a table cursor: %w", ErrMisuse)
	}
	// A bias decides equal prefixes: +1 treats them as greater than key
	// (land before them), -1 as smaller (land after them).
	bias := 1
	if op == SeekGT || op == SeekLE {
		bias = -1
	}
	r, err := c.seekIndexWith(func(cell []byte) (int, error) {
		r, err := record.CompareUnpacked(cell, key, c.ki)
		if r == 0 {
			r = bias
		}
		return r, err
	})
	if err != nil || c.state != stateValid {
		return false, err
	}
	switch op {
	case SeekGE, SeekGT, SeekEQ:
		if r < 0 {
			if ok, err := c.Next(); !ok || err != nil {
				return false, err
			}
		}
	case SeekLE, SeekLT:
		if r > 0 {
			if ok, err := c.Prev(); !ok || err != nil {
				return false, err
			}
		}
	}
	if op != SeekEQ {
		return true, nil
	}
	m := c.pages[c.depth]
	cell, err := c.cellPayloadForCompare(m, c.idx[c.depth])
	if err != nil {
		return false, c.fail(err)
	}
	r, err = record.CompareUnpacked(cell, key, c.ki)
	if err != nil {
		return false, c.fail(err)
	}
	return r == 0, nil
}
