package btree

import (
	"bytes"
	"fmt"
)

func (c *Cursor) beginChange() error {
	if err := c.bt.requireWrite(); err != nil {
		return err
	}
	if c.state == stateFault {
		return c.err
	}
	c.bt.saveAllCursors(c.root, c)
	return nil
}

// finishChange leaves the cursor saved at key, to be re-sought lazily.
func (c *Cursor) finishChange(rowid int64, key []byte) {
	c.releaseAll()
	if c.state == stateFault {
		return
	}
	c.savedRowid = rowid
	c.savedKey = key
	c.state = stateRequireSeek
	c.skipNext = 0
}

// Insert writes the row (rowid, data) into a table, replacing the row with
// that rowid if there is one. Afterwards the cursor is on the new row.
func (c *Cursor) Insert(rowid int64, data []byte) error {
	if !c.intKey {
		return fmt.Errorf("btree: Insert on an index cursor: %w", ErrMisuse)
	}
	if err := c.beginChange(); err != nil {
		return err
	}
	r, ok := c.insertShortcut(rowid)
	if !ok {
		var err error
		if r, err = c.seekRowid(rowid); err != nil {
			return err
		}
	}
	idx, balanced, err := c.insertHere(r, rowid, data)
	if err != nil {
		c.bt.forgetPath(c.root)
		return c.fail(err)
	}
	if balanced {
		c.bt.forgetPath(c.root)
		c.finishChange(rowid, nil)
	} else {
		c.settleAt(idx)
	}
	return nil
}

// settleAt leaves the cursor on entry idx of its leaf after an insert that
// did not rebalance, so that its path is still the tree's, and remembers
// the path for the next insert into the tree.
func (c *Cursor) settleAt(idx int) {
	c.idx[c.depth] = idx
	c.state = stateValid
	c.savedKey = nil
	c.skipNext = 0
	c.bt.rememberPath(c)
}

// insertShortcut spares Insert a seek from the root when the cursor
// already sits on the leaf where a seek for rowid would land, as the
// SeekRowid that found rowid free leaves it (SQLite's USESEEKRESULT). It
// returns that seek's result, or false when it cannot tell cheaply.
func (c *Cursor) insertShortcut(rowid int64) (int, bool) {
	if c.state != stateValid || c.depth < 0 || c.skipNext != 0 {
		return 0, false
	}
	m := c.pages[c.depth]
	idx := c.idx[c.depth]
	if !m.leaf || !m.intKey || len(m.ovfl) > 0 || idx < 0 || idx >= m.nCell {
		return 0, false
	}
	k, err := m.tableKey(idx)
	switch {
	case err != nil:
		return 0, false
	case k == rowid:
		return 0, true
	case k > rowid:
		if idx == 0 {
			return 0, false
		}
		prev, err := m.tableKey(idx - 1)
		if err != nil || prev >= rowid {
			return 0, false
		}
		return 1, true
	}
	if idx+1 < m.nCell {
		next, err := m.tableKey(idx + 1)
		if err != nil || next <= rowid {
			return 0, false
		}
		return -1, true
	}
	// rowid follows the leaf's last entry: it belongs on this leaf if no
	// ancestor's divider (the largest rowid of the child the cursor went
	// down into) is below it.
	for d := 0; d < c.depth; d++ {
		p := c.pages[d]
		if c.idx[d] < p.nCell {
			divider, err := p.tableKey(c.idx[d])
			if err != nil || divider < rowid {
				return 0, false
			}
		}
	}
	return -1, true
}

// InsertIndex adds the encoded record key to an index; an entry comparing
// equal is replaced. Afterwards the cursor is on the new entry.
func (c *Cursor) InsertIndex(key []byte) error {
	if c.intKey {
		return fmt.Errorf("btree: InsertIndex on a table cursor: %w", ErrMisuse)
	}
	if err := c.beginChange(); err != nil {
		return err
	}
	r, ok, err := c.seekIndexByPath(key)
	if err != nil {
		return err
	}
	if !ok {
		if r, err = c.seekEncoded(key); err != nil {
			return err
		}
	}
	idx, balanced, err := c.insertHere(r, 0, key)
	if err != nil {
		c.bt.forgetPath(c.root)
		return c.fail(err)
	}
	if balanced {
		c.bt.forgetPath(c.root)
		c.finishChange(0, append([]byte(nil), key...))
	} else {
		c.settleAt(idx)
	}
	return nil
}

// insertHere puts a new cell where the preceding seek left the cursor: r is
// the seek's result (0 means replace the entry under the cursor). It
// returns the cell's index on the cursor's page, or balanced true when the
// page overflowed and was rebalanced (the cursor's pages are then stale).
func (c *Cursor) insertHere(r int, rowid int64, payload []byte) (idx int, balanced bool, err error) {
	bt := c.bt
	m := c.pages[c.depth]
	if err := m.writable(); err != nil {
		return 0, false, err
	}
	cell, err := bt.buildCell(m, rowid, payload)
	if err != nil {
		return 0, false, err
	}
	idx = c.idx[c.depth]
	switch {
	case c.state != stateValid:
		idx = 0 // empty tree: the root leaf
	case r == 0:
		old, ci, err := m.cellBytes(idx)
		if err != nil {
			return 0, false, err
		}
		if !m.leaf {
			// Replacing an index entry on an interior page keeps its child.
			withChild := make([]byte, 4, 4+len(cell))
			copy(withChild, old[:4])
			cell = append(withChild, cell...)
			cell = cell[:m.cellSizeOf(cell)]
		}
		if ci.ovfl == 0 && bytes.Equal(old, cell) {
			return idx, false, nil
		}
		if err := bt.freeOverflow(m, ci); err != nil {
			return 0, false, err
		}
		if err := m.dropCell(idx, ci.size); err != nil {
			return 0, false, err
		}
	case r < 0:
		idx++
	}
	if err := m.insertCell(idx, cell); err != nil {
		return 0, false, err
	}
	if len(m.ovfl) == 0 {
		// As in SQLite, an insert rebalances only a page that overflowed.
		return idx, false, bt.cellPtrmaps(m, cell)
	}
	return 0, true, c.balance()
}

// Delete removes the entry under the cursor. Afterwards Next moves to the
// entry that followed it and Prev to the one that preceded it.
func (c *Cursor) Delete() error {
	if err := c.restore(); err != nil {
		return err
	}
	if c.state != stateValid {
		return fmt.Errorf("btree: Delete with the cursor not on an entry: %w", ErrMisuse)
	}
	if err := c.beginChange(); err != nil {
		return err
	}
	bt := c.bt
	m := c.pages[c.depth]
	idx := c.idx[c.depth]
	ci, err := m.cell(idx)
	if err != nil {
		return c.fail(err)
	}
	var savedKey []byte
	if !c.intKey {
		savedKey = make([]byte, ci.payload)
		if err := bt.readPayload(m, ci, 0, savedKey); err != nil {
			return c.fail(err)
		}
	}
	cellDepth := c.depth
	if !m.leaf {
		// An index entry on an interior page is replaced by its predecessor,
		// the last entry of the leaf at the right end of its left subtree.
		if err := c.moveToChild(ci.child); err != nil {
			return err
		}
		if err := c.moveToRightmost(); err != nil {
			return err
		}
	}
	if err := m.writable(); err != nil {
		return c.fail(err)
	}
	if err := bt.freeOverflow(m, ci); err != nil {
		return c.fail(err)
	}
	if err := m.dropCell(idx, ci.size); err != nil {
		return c.fail(err)
	}
	if cellDepth < c.depth {
		leaf := c.pages[c.depth]
		li := leaf.nCell - 1
		lc, lci, err := leaf.cellBytes(li)
		if err != nil {
			return c.fail(err)
		}
		cell := make([]byte, 4, 4+len(lc))
		put4(cell, ci.child)
		cell = append(cell, lc...)
		cell = cell[:m.cellSizeOf(cell)]
		if err := leaf.writable(); err != nil {
			return c.fail(err)
		}
		if err := m.insertCell(idx, cell); err != nil {
			return c.fail(err)
		}
		if len(m.ovfl) == 0 {
			if err := bt.cellPtrmaps(m, cell); err != nil {
				return c.fail(err)
			}
		}
		if err := leaf.dropCell(li, lci.size); err != nil {
			return c.fail(err)
		}
	}
	if err := c.balance(); err != nil {
		return c.fail(err)
	}
	if c.depth > cellDepth {
		for c.depth > cellDepth {
			c.moveToParent()
		}
		if err := c.balance(); err != nil {
			return c.fail(err)
		}
	}
	c.finishChange(ci.key, savedKey)
	return nil
}
