package btree

import (
	"fmt"

	"github.com/wrendb/wren/record"
)

type cursorState uint8

const (
	stateInvalid     cursorState = iota // no entry: empty tree, before the first move, or past either end
	stateValid                          // pages[depth] / idx[depth] is the current entry
	stateRequireSeek                    // position saved as a key; pages released
	stateFault                          // a previous error sticks
)

// Cursor walks one b-tree. A table cursor's keys are rowids; an index
// cursor's keys are records ordered by the KeyInfo it was opened with.
//
// Cursors stay usable while other cursors of the same BTree change the
// tree: before a change, every other cursor on the tree saves its position
// as a key and releases its pages, and re-seeks that key on its next use
// (SQLite's saveAllCursors). When the saved entry itself was deleted, the
// cursor lands next to where it was, and the following Next or Prev steps
// to the neighbour in that direction.
type Cursor struct {
	bt     *BTree
	root   uint32
	intKey bool
	ki     *record.KeyInfo

	state cursorState
	err   error
	depth int
	pages [maxTreeDepth]*memPage
	idx   [maxTreeDepth]int
	slots [maxTreeDepth]memPage // storage for pages[i] while walking

	savedRowid int64
	savedKey   []byte
	skipNext   int // >0: the entry under the cursor is already the next one; <0: the previous one

	scratch []byte

	openAt int // index in bt.cursors while open, -1 once closed
}

// OpenTable opens a cursor on the table b-tree rooted at root.
func (bt *BTree) OpenTable(root uint32) (*Cursor, error) {
	return bt.openCursor(root, true, nil)
}

// OpenIndex opens a cursor on the index b-tree rooted at root; ki gives the
// collations and sort orders of the key's fields (nil means all BINARY ASC).
func (bt *BTree) OpenIndex(root uint32, ki *record.KeyInfo) (*Cursor, error) {
	return bt.openCursor(root, false, ki)
}

func (bt *BTree) openCursor(root uint32, intKey bool, ki *record.KeyInfo) (*Cursor, error) {
	if err := bt.requireRead(); err != nil {
		return nil, err
	}
	if root < 1 || root > bt.pager.PageCount() {
		return nil, corruptf(root, "root page out of range")
	}
	var c *Cursor
	if n := len(bt.freeCursors); n > 0 {
		// Reset everything but the page slots, which loadPage overwrites
		// whole before use (clearing them would cost as much as a new
		// cursor).
		c = bt.freeCursors[n-1]
		bt.freeCursors = bt.freeCursors[:n-1]
		c.bt, c.root, c.intKey, c.ki = bt, root, intKey, ki
		c.state, c.err, c.depth = stateInvalid, nil, -1
		c.pages, c.idx = [maxTreeDepth]*memPage{}, [maxTreeDepth]int{}
		c.savedRowid, c.savedKey, c.skipNext, c.scratch = 0, nil, 0, nil
	} else {
		c = &Cursor{bt: bt, root: root, intKey: intKey, ki: ki, depth: -1}
	}
	c.openAt = len(bt.cursors)
	bt.cursors = append(bt.cursors, c)
	return c, nil
}

// maxFreeCursors bounds the closed cursors a BTree keeps for reuse.
const maxFreeCursors = 8

// Close releases the cursor's pages. The cursor must not be used
// afterwards: the BTree may hand it out again from OpenTable or OpenIndex.
func (c *Cursor) Close() {
	c.releaseAll()
	open := c.openAt >= 0
	if open {
		// Swap-remove from the open list.
		cs := c.bt.cursors
		last := cs[len(cs)-1]
		cs[c.openAt] = last
		last.openAt = c.openAt
		cs[len(cs)-1] = nil
		c.bt.cursors = cs[:len(cs)-1]
		c.openAt = -1
	}
	c.state = stateInvalid
	if open && len(c.bt.freeCursors) < maxFreeCursors {
		c.bt.freeCursors = append(c.bt.freeCursors, c)
	}
}

// Root is the root page of the cursor's tree.
func (c *Cursor) Root() uint32 { return c.root }

// IsTable reports whether the cursor walks a table (rowid) b-tree.
func (c *Cursor) IsTable() bool { return c.intKey }

func (c *Cursor) releaseAll() {
	for i := 0; i <= c.depth; i++ {
		c.pages[i].release()
		c.pages[i] = nil
	}
	c.depth = -1
}

func (c *Cursor) fail(err error) error {
	if err != nil {
		c.releaseAll()
		c.state = stateFault
		c.err = err
	}
	return err
}

// saveAllCursors saves the position of every cursor on root (every cursor
// when root is 0) except except, so the tree can change under them.
func (bt *BTree) saveAllCursors(root uint32, except *Cursor) {
	for _, c := range bt.cursors {
		if c == except || (root != 0 && c.root != root) {
			continue
		}
		c.savePosition()
	}
}

// invalidateAllCursors forgets every cursor's position (after a rollback).
func (bt *BTree) invalidateAllCursors() {
	for _, c := range bt.cursors {
		c.releaseAll()
		if c.state != stateFault {
			c.state = stateInvalid
		}
		c.savedKey = nil
		c.skipNext = 0
	}
}

// savePosition records the current key and releases the pages.
func (c *Cursor) savePosition() {
	if c.state == stateValid {
		m := c.pages[c.depth]
		ci, err := m.cell(c.idx[c.depth])
		if err == nil {
			if c.intKey {
				c.savedRowid = ci.key
				c.state = stateRequireSeek
			} else {
				key := make([]byte, ci.payload)
				if err = c.bt.readPayload(m, ci, 0, key); err == nil {
					c.savedKey = key
					c.state = stateRequireSeek
				}
			}
		}
		if err != nil {
			c.fail(err)
			return
		}
		c.skipNext = 0
	}
	c.releaseAll()
}

// restore re-seeks a saved position.
func (c *Cursor) restore() error {
	switch c.state {
	case stateFault:
		return c.err
	case stateRequireSeek:
	default:
		return nil
	}
	var cmp int
	var err error
	if c.intKey {
		cmp, err = c.seekRowid(c.savedRowid)
	} else {
		cmp, err = c.seekEncoded(c.savedKey)
	}
	c.savedKey = nil
	if err != nil {
		return c.fail(err)
	}
	if c.state == stateValid {
		c.skipNext = cmp
	}
	return nil
}

// moveToRoot positions the cursor on the root page. An empty tree leaves
// the cursor invalid.
func (c *Cursor) moveToRoot() error {
	if c.state == stateFault {
		return c.err
	}
	c.releaseAll()
	c.skipNext = 0
	m := &c.slots[0]
	if err := c.bt.loadPage(m, c.root); err != nil {
		return c.fail(err)
	}
	if m.intKey != c.intKey {
		m.release()
		return c.fail(corruptf(c.root, "root page is not a %s b-tree", kindName(c.intKey)))
	}
	c.depth = 0
	c.pages[0] = m
	c.idx[0] = 0
	switch {
	case m.nCell > 0:
		c.state = stateValid
	case !m.leaf:
		// An interior root with no cells (page 1 after a root split that
		// left nothing on it) is a virtual root: step to its only child.
		if m.pgno != 1 {
			return c.fail(corruptf(m.pgno, "interior root page with no cells"))
		}
		c.state = stateValid
		return c.moveToChild(m.rightChild())
	default:
		c.state = stateInvalid
	}
	return nil
}

func kindName(intKey bool) string {
	if intKey {
		return "table"
	}
	return "index"
}

// moveToChild descends to page pgno, a child of the current page.
func (c *Cursor) moveToChild(pgno uint32) error {
	if c.depth+1 >= maxTreeDepth {
		return c.fail(corruptf(pgno, "b-tree deeper than %d levels (a loop?)", maxTreeDepth))
	}
	m := &c.slots[c.depth+1]
	if err := c.bt.loadPage(m, pgno); err != nil {
		return c.fail(err)
	}
	if m.intKey != c.intKey || m.nCell < 1 {
		m.release()
		return c.fail(corruptf(pgno, "child page has the wrong type or no cells"))
	}
	for i := 0; i <= c.depth; i++ {
		if c.pages[i].pgno == pgno {
			m.release()
			return c.fail(corruptf(pgno, "page is its own ancestor"))
		}
	}
	c.depth++
	c.pages[c.depth] = m
	c.idx[c.depth] = 0
	return nil
}

func (c *Cursor) moveToParent() {
	c.pages[c.depth].release()
	c.pages[c.depth] = nil
	c.depth--
}

func (c *Cursor) moveToLeftmost() error {
	for {
		m := c.pages[c.depth]
		if m.leaf {
			return nil
		}
		child, err := m.childAt(c.idx[c.depth])
		if err != nil {
			return c.fail(err)
		}
		if err := c.moveToChild(child); err != nil {
			return err
		}
	}
}

func (c *Cursor) moveToRightmost() error {
	for {
		m := c.pages[c.depth]
		if m.leaf {
			c.idx[c.depth] = m.nCell - 1
			return nil
		}
		c.idx[c.depth] = m.nCell
		if err := c.moveToChild(m.rightChild()); err != nil {
			return err
		}
	}
}

// First moves to the smallest entry. It returns false on an empty tree.
func (c *Cursor) First() (bool, error) {
	if err := c.moveToRoot(); err != nil {
		return false, err
	}
	if c.state != stateValid {
		return false, nil
	}
	if err := c.moveToLeftmost(); err != nil {
		return false, err
	}
	return true, nil
}

// Last moves to the largest entry. It returns false on an empty tree.
func (c *Cursor) Last() (bool, error) {
	if err := c.moveToRoot(); err != nil {
		return false, err
	}
	if c.state != stateValid {
		return false, nil
	}
	if err := c.moveToRightmost(); err != nil {
		return false, err
	}
	return true, nil
}

// Valid reports whether the cursor is on an entry. A saved position is
// restored first; an error doing so makes the cursor invalid (see Err).
func (c *Cursor) Valid() bool {
	if c.restore() != nil {
		return false
	}
	return c.state == stateValid
}

// Eof is !Valid.
func (c *Cursor) Eof() bool { return !c.Valid() }

// Err is the error that put the cursor in its fault state, if any.
func (c *Cursor) Err() error {
	if c.state == stateFault {
		return c.err
	}
	return nil
}

// Next moves to the next entry; it returns false past the last one.
func (c *Cursor) Next() (bool, error) {
	if err := c.restore(); err != nil {
		return false, err
	}
	if c.state != stateValid {
		return false, nil
	}
	if c.skipNext > 0 {
		c.skipNext = 0
		return true, nil
	}
	c.skipNext = 0
	for guard := 0; ; guard++ {
		m := c.pages[c.depth]
		c.idx[c.depth]++
		if c.idx[c.depth] >= m.nCell {
			if !m.leaf {
				if c.idx[c.depth] > m.nCell {
					return false, c.fail(corruptf(m.pgno, "cursor index past the right child"))
				}
				if err := c.moveToChild(m.rightChild()); err != nil {
					return false, err
				}
				return true, c.moveToLeftmost()
			}
			for {
				if c.depth == 0 {
					c.releaseAll()
					c.state = stateInvalid
					return false, nil
				}
				c.moveToParent()
				if c.idx[c.depth] < c.pages[c.depth].nCell {
					break
				}
			}
			if c.pages[c.depth].intKey {
				if guard > 2*maxTreeDepth {
					return false, c.fail(corruptf(c.pages[c.depth].pgno, "cursor loop"))
				}
				continue // table interior cells are not entries
			}
			return true, nil
		}
		if m.leaf {
			return true, nil
		}
		return true, c.moveToLeftmost()
	}
}

// Prev moves to the previous entry; it returns false before the first one.
func (c *Cursor) Prev() (bool, error) {
	if err := c.restore(); err != nil {
		return false, err
	}
	if c.state != stateValid {
		return false, nil
	}
	if c.skipNext < 0 {
		c.skipNext = 0
		return true, nil
	}
	c.skipNext = 0
	for guard := 0; ; guard++ {
		m := c.pages[c.depth]
		if !m.leaf {
			child, err := m.childAt(c.idx[c.depth])
			if err != nil {
				return false, c.fail(err)
			}
			if err := c.moveToChild(child); err != nil {
				return false, err
			}
			return true, c.moveToRightmost()
		}
		for c.idx[c.depth] == 0 {
			if c.depth == 0 {
				c.releaseAll()
				c.state = stateInvalid
				return false, nil
			}
			c.moveToParent()
		}
		c.idx[c.depth]--
		if c.pages[c.depth].intKey && !c.pages[c.depth].leaf {
			if guard > 2*maxTreeDepth {
				return false, c.fail(corruptf(c.pages[c.depth].pgno, "cursor loop"))
			}
			continue
		}
		return true, nil
	}
}

// current returns the page and parsed cell under a valid cursor.
func (c *Cursor) current() (*memPage, cellInfo, error) {
	if err := c.restore(); err != nil {
		return nil, cellInfo{}, err
	}
	if c.state != stateValid {
		return nil, cellInfo{}, fmt.Errorf("btree: cursor is not on an entry: %w", ErrMisuse)
	}
	m := c.pages[c.depth]
	ci, err := m.cell(c.idx[c.depth])
	if err != nil {
		return nil, ci, c.fail(err)
	}
	return m, ci, nil
}

// Rowid is the key of the current entry of a table cursor.
func (c *Cursor) Rowid() (int64, error) {
	if !c.intKey {
		return 0, fmt.Errorf("btree: Rowid on an index cursor: %w", ErrMisuse)
	}
	if c.state == stateValid {
		if k, err := c.pages[c.depth].tableKey(c.idx[c.depth]); err == nil {
			return k, nil
		}
	}
	_, ci, err := c.current()
	return ci.key, err
}

// PayloadSize is the size of the current entry's payload: the row record
// of a table, the key record of an index.
func (c *Cursor) PayloadSize() (int, error) {
	_, ci, err := c.current()
	return int(ci.payload), err
}

// Payload appends the current entry's whole payload to dst[:0] and returns it.
func (c *Cursor) Payload(dst []byte) ([]byte, error) {
	m, ci, err := c.current()
	if err != nil {
		return dst, err
	}
	if cap(dst) < int(ci.payload) {
		dst = make([]byte, ci.payload)
	}
	dst = dst[:ci.payload]
	if err := c.bt.readPayload(m, ci, 0, dst); err != nil {
		return dst[:0], c.fail(err)
	}
	return dst, nil
}

// PayloadAt copies payload bytes [off, off+len(dst)) of the current entry.
func (c *Cursor) PayloadAt(off int, dst []byte) error {
	m, ci, err := c.current()
	if err != nil {
		return err
	}
	if off < 0 {
		return fmt.Errorf("btree: negative payload offset: %w", ErrMisuse)
	}
	return c.bt.readPayload(m, ci, off, dst)
}

// LocalPayload returns the current payload without copying when it is
// stored entirely on the page (ok is false when it has an overflow chain).
// The slice aliases the page and is valid until the cursor moves or the
// tree changes.
func (c *Cursor) LocalPayload() (payload []byte, ok bool, err error) {
	if c.state == stateValid {
		m := c.pages[c.depth]
		if p, ok := m.localPayload(c.idx[c.depth]); ok {
			return p, true, nil
		}
	}
	m, ci, err := c.current()
	if err != nil {
		return nil, false, err
	}
	if int64(ci.local) != ci.payload {
		return m.data[ci.payStart : ci.payStart+ci.local], false, nil
	}
	return m.data[ci.payStart : ci.payStart+ci.local], true, nil
}

// Count returns the number of entries in the tree. It walks every page
// and leaves the cursor invalid (re-position it afterwards).
func (c *Cursor) Count() (int64, error) {
	if err := c.moveToRoot(); err != nil {
		return 0, err
	}
	if c.state != stateValid {
		return 0, nil
	}
	var n int64
	// A corrupt tree can name one page as the child of many cells; the
	// visited set keeps the walk linear (and reports the damage).
	visited := make([]uint64, c.bt.pager.PageCount()/64+1)
	for {
		m := c.pages[c.depth]
		if visited[m.pgno/64]&(1<<(m.pgno%64)) != 0 {
			return 0, c.fail(corruptf(m.pgno, "page reached twice while counting"))
		}
		visited[m.pgno/64] |= 1 << (m.pgno % 64)
		if m.leaf || !m.intKey {
			n += int64(m.nCell)
		}
		if !m.leaf {
			// descend into child idx
			child, err := m.childAt(c.idx[c.depth])
			if err != nil {
				return 0, c.fail(err)
			}
			if err := c.moveToChild(child); err != nil {
				return 0, err
			}
			continue
		}
		// leaf done: climb to the next unvisited child
		for {
			if c.depth == 0 {
				c.releaseAll()
				c.state = stateInvalid
				return n, nil
			}
			c.moveToParent()
			p := c.pages[c.depth]
			if c.idx[c.depth] < p.nCell {
				c.idx[c.depth]++
				child, err := p.childAt(c.idx[c.depth])
				if err != nil {
					return 0, c.fail(err)
				}
				if err := c.moveToChild(child); err != nil {
					return 0, err
				}
				break
			}
		}
	}
}
