package btree

import "github.com/wrendb/wren/record"

// An INSERT statement opens fresh cursors on its table and indexes every
// time it runs, so a cursor cannot remember where the previous row went.
// The BTree does instead: after an insert that did not rebalance, it keeps
// the path from the root to the leaf (the page numbers and the child taken
// at each level). The next insert into the same tree follows that path,
// checking each child pointer as it goes, and then checks with at most a
// few comparisons that the key belongs on that leaf. Rows that arrive in
// key order (an autoincrementing id, a creation time, a parent id) then
// cost one or two comparisons instead of a binary search per level. A
// rowid seek from a fresh cursor (an INSERT's existence check, a foreign
// key's parent lookup) uses and records paths the same way.
//
// A path is only ever a hint: it is verified against the pages as they are
// now, so it needs no invalidation when the tree changes. It is dropped
// after a balance, because the leaf it names has then been split or merged.

// pathHint is the route of the last insert into one tree.
type pathHint struct {
	root  uint32
	depth int                  // level of the leaf; 0 when the root is a leaf
	pgno  [maxTreeDepth]uint32 // page at each level
	idx   [maxTreeDepth]int    // child taken at each interior level

	// For a table: the leaf's first and last rowids when the path was
	// recorded, and whether it is the tree's rightmost leaf. They let a
	// seek for a rowid far from the leaf skip the hint without loading a
	// page (random point lookups in a tree that was appended to).
	lo, hi    int64
	rightmost bool

	// misses counts consecutive inserts the path did not fit; after a few
	// (keys arriving in random order) the path is tried only now and then.
	misses int
	skips  int
}

// maxHintMisses is how many misses in a row turn a path into one tried
// only every hintRetryEvery inserts.
const (
	maxHintMisses  = 2
	hintRetryEvery = 16
)

// useful reports whether an insert should try the path, counting the
// attempts of a path that keeps missing.
func (h *pathHint) useful() bool {
	if h.misses < maxHintMisses {
		return true
	}
	h.skips++
	return h.skips%hintRetryEvery == 0
}

func (h *pathHint) missed() {
	if h.misses < maxHintMisses {
		h.misses++
	}
}

// maxPathHints bounds the trees a BTree remembers paths for: a table and
// its indexes, or the few tables of one transaction.
const maxPathHints = 8

func (bt *BTree) pathHint(root uint32) *pathHint {
	for i := range bt.hints {
		if bt.hints[i].root == root {
			return &bt.hints[i]
		}
	}
	return nil
}

// rememberPath records the cursor's path after an insert that left the
// tree's shape alone.
func (bt *BTree) rememberPath(c *Cursor) {
	h := bt.pathHint(c.root)
	if h == nil {
		h = &bt.hints[bt.nextHint]
		bt.nextHint = (bt.nextHint + 1) % maxPathHints
		h.misses, h.skips = 0, 0
	}
	h.root = c.root
	h.depth = c.depth
	h.rightmost = true
	for d := 0; d <= c.depth; d++ {
		h.pgno[d] = c.pages[d].pgno
		h.idx[d] = c.idx[d]
		if d < c.depth && c.idx[d] != c.pages[d].nCell {
			h.rightmost = false
		}
	}
	if m := c.pages[c.depth]; c.intKey && m.leaf && m.nCell > 0 {
		lo, err1 := m.tableKey(0)
		hi, err2 := m.tableKey(m.nCell - 1)
		if err1 != nil || err2 != nil {
			h.root = 0
			return
		}
		h.lo, h.hi = lo, hi
	}
}

// hintForRowid returns root's path when a seek for rowid may find its leaf
// there, judging by the leaf's rowids when the path was recorded.
func (bt *BTree) hintForRowid(root uint32, rowid int64) *pathHint {
	h := bt.pathHint(root)
	if h == nil || h.depth < 0 || rowid < h.lo || (rowid > h.hi && !h.rightmost) {
		return nil
	}
	return h
}

// forgetPath drops the path of root (after a balance, or a failed
// insert), keeping its count of misses.
func (bt *BTree) forgetPath(root uint32) {
	if h := bt.pathHint(root); h != nil {
		h.depth = -1
	}
}

// followPath moves the cursor down the remembered path of its tree. It
// returns false, with no error, when there is no hint or the tree no
// longer has that path.
func (c *Cursor) followPath(h *pathHint) (bool, error) {
	if err := c.moveToRoot(); err != nil {
		return false, err
	}
	if c.state != stateValid || c.depth != 0 {
		return false, nil // empty tree, or page 1's virtual root
	}
	for d := 0; d < h.depth; d++ {
		m := c.pages[d]
		i := h.idx[d]
		if m.leaf || i > m.nCell {
			return false, nil
		}
		child, err := m.childAt(i)
		if err != nil || child != h.pgno[d+1] {
			return false, nil // a damaged pointer is the full seek's to report
		}
		c.idx[d] = i
		if err := c.moveToChild(child); err != nil {
			return false, err
		}
	}
	m := c.pages[c.depth]
	return m.leaf && m.nCell > 0, nil
}

// seekIndexByPath is seekEncoded for an insert, through the remembered
// path when the key belongs on its leaf. ok is false when the caller must
// seek from the root; r is what seekEncoded would have returned.
func (c *Cursor) seekIndexByPath(key []byte) (r int, ok bool, err error) {
	h := c.bt.pathHint(c.root)
	if h == nil || h.depth < 0 || !h.useful() {
		return 0, false, nil
	}
	r, ok, err = c.seekIndexAlong(h, key)
	switch {
	case err != nil:
	case ok:
		h.misses = 0
	default:
		h.missed()
	}
	return r, ok, err
}

func (c *Cursor) seekIndexAlong(h *pathHint, key []byte) (r int, ok bool, err error) {
	if ok, err := c.followPath(h); !ok || err != nil {
		return 0, false, err
	}
	m := c.pages[c.depth]
	cmpCell := func(p *memPage, i int) (int, error) {
		cell, err := c.cellPayloadForCompare(p, i)
		if err != nil {
			return 0, err
		}
		return record.Compare(cell, key, c.ki)
	}
	last := m.nCell - 1
	rl, err := cmpCell(m, last)
	if err != nil {
		return 0, false, c.fail(err)
	}
	switch {
	case rl == 0:
		c.idx[c.depth] = last
		return 0, true, nil
	case rl < 0:
		// After the leaf's last entry: the key belongs here only if every
		// ancestor's divider to the right of the path is greater.
		for d := 0; d < c.depth; d++ {
			p := c.pages[d]
			if c.idx[d] == p.nCell {
				continue
			}
			rd, err := cmpCell(p, c.idx[d])
			if err != nil {
				return 0, false, c.fail(err)
			}
			if rd <= 0 {
				return 0, false, nil
			}
		}
		c.idx[c.depth] = last
		return -1, true, nil
	}
	rf, err := cmpCell(m, 0)
	if err != nil {
		return 0, false, c.fail(err)
	}
	switch {
	case rf == 0:
		c.idx[c.depth] = 0
		return 0, true, nil
	case rf > 0:
		// Before the leaf's first entry: every divider to the left of the
		// path must be smaller.
		for d := 0; d < c.depth; d++ {
			if c.idx[d] == 0 {
				continue
			}
			rd, err := cmpCell(c.pages[d], c.idx[d]-1)
			if err != nil {
				return 0, false, c.fail(err)
			}
			if rd >= 0 {
				return 0, false, nil
			}
		}
		c.idx[c.depth] = 0
		return 1, true, nil
	}
	// Strictly between the first and last entries of the leaf.
	lo, hi := 1, last
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		rm, err := cmpCell(m, mid)
		if err != nil {
			return 0, false, c.fail(err)
		}
		if rm == 0 {
			c.idx[c.depth] = mid
			return 0, true, nil
		}
		if rm < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	c.idx[c.depth] = lo
	return 1, true, nil
}

// seekRowidNear is seekRowid without the descent from the root when the
// rowid belongs on the leaf the cursor is already on (a join looking up
// rows in the order they were inserted, the row after the one just read),
// or on the leaf of the tree's remembered insert path (an INSERT's
// existence check for the next rowid). ok is false when neither applies.
func (c *Cursor) seekRowidNear(rowid int64) (r int, ok bool, err error) {
	if c.state != stateValid || c.depth < 0 {
		if c.state != stateInvalid {
			return 0, false, nil
		}
		h := c.bt.hintForRowid(c.root, rowid)
		if h == nil {
			return 0, false, nil
		}
		if ok, err := c.followPath(h); !ok || err != nil {
			return 0, false, err
		}
	}
	m := c.pages[c.depth]
	if !m.leaf || !m.intKey || len(m.ovfl) > 0 || m.nCell == 0 {
		return 0, false, nil
	}
	first, err := m.tableKey(0)
	if err != nil || rowid < first {
		return 0, false, nil // a damaged cell is the full seek's to report
	}
	last, err := m.tableKey(m.nCell - 1)
	if err != nil {
		return 0, false, nil
	}
	c.skipNext = 0
	if rowid > last {
		// Past the leaf's last row: this is still the place when the leaf
		// is the rightmost one of the tree.
		for d := 0; d < c.depth; d++ {
			if c.idx[d] != c.pages[d].nCell {
				return 0, false, nil
			}
		}
		c.idx[c.depth] = m.nCell - 1
		return -1, true, nil
	}
	lo, hi := 0, m.nCell-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		k, err := m.tableKey(mid)
		if err != nil {
			return 0, false, nil
		}
		if k < rowid {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	c.idx[c.depth] = lo
	if k, err := m.tableKey(lo); err != nil || k != rowid {
		return 1, err == nil, nil
	}
	return 0, true, nil
}

// rememberSeek records the path of a rowid seek that descended from the
// root, so that the next seek near that rowid, by a fresh cursor (the
// next statement's), can start at the same leaf.
func (c *Cursor) rememberSeek(fresh bool) {
	if fresh && c.depth > 0 {
		c.bt.rememberPath(c)
	}
}
