package btree

import (
	"fmt"
)

// CreateTable makes a new empty b-tree and returns its root page: a table
// (rowid keys) when intKey is true, else an index. In auto_vacuum databases
// roots are kept at the front of the file as SQLite keeps them: the new root
// goes right after the largest existing root, and whatever page was there
// moves elsewhere first.
func (bt *BTree) CreateTable(intKey bool) (uint32, error) {
	if err := bt.requireWrite(); err != nil {
		return 0, err
	}
	flags := byte(typeIndexLeaf)
	if intKey {
		flags = typeTableLeaf
	}
	if !bt.autoVacuum {
		m, err := bt.newPage(1, flags)
		if err != nil {
			return 0, err
		}
		defer m.release()
		return m.pgno, nil
	}
	bt.saveAllCursors(0, nil)
	root := bt.header(hdrLargestRoot) + 1
	for bt.isPtrmapPage(root) || root == bt.pager.PendingBytePage() {
		root++
	}
	pg, err := bt.allocatePage(root, allocExact)
	if err != nil {
		return 0, err
	}
	got := pg.Pgno()
	pg.Release()
	if got != root {
		// root is in use: move that page to the one just allocated.
		typ, parent, err := bt.ptrmapGet(root)
		if err != nil {
			return 0, err
		}
		if typ == ptrmapRootPage || typ == ptrmapFreePage {
			return 0, corruptf(root, "page after the last root is a %s page", ptrmapTypeName(typ))
		}
		if err := bt.relocatePage(root, typ, parent, got); err != nil {
			return 0, err
		}
	}
	if err := bt.ptrmapPut(root, ptrmapRootPage, 0); err != nil {
		return 0, err
	}
	if err := bt.setHeader(hdrLargestRoot, root); err != nil {
		return 0, err
	}
	m, err := bt.getRawPage(root)
	if err != nil {
		return 0, err
	}
	defer m.release()
	if err := m.writable(); err != nil {
		return 0, err
	}
	m.init(flags)
	return root, nil
}

func ptrmapTypeName(t byte) string {
	switch t {
	case ptrmapRootPage:
		return "root"
	case ptrmapFreePage:
		return "free"
	case ptrmapOverflow1, ptrmapOverflow2:
		return "overflow"
	case ptrmapBTree:
		return "b-tree"
	}
	return fmt.Sprintf("type-%d", t)
}

// getRawPage fetches a page without parsing it as a b-tree page.
func (bt *BTree) getRawPage(pgno uint32) (*memPage, error) {
	if pgno == 0 || pgno > bt.pager.PageCount() {
		return nil, corruptf(pgno, "page number out of range")
	}
	pg, err := bt.pager.Get(pgno)
	if err != nil {
		return nil, err
	}
	m := &memPage{bt: bt, pg: pg, pgno: pgno, data: pg.Data(), nFree: -1}
	if pgno == 1 {
		m.hdr = fileHeaderSize
	}
	return m, nil
}

// ClearTable deletes every entry of the tree at root, freeing all its pages
// but the root, and returns the number of entries deleted (rows of a table,
// entries of an index).
func (bt *BTree) ClearTable(root uint32) (int64, error) {
	if err := bt.requireWrite(); err != nil {
		return 0, err
	}
	bt.saveAllCursors(root, nil)
	visited := make(map[uint32]bool)
	return bt.clearPage(root, true, 0, visited)
}

func (bt *BTree) clearPage(pgno uint32, isRoot bool, depth int, visited map[uint32]bool) (int64, error) {
	if depth > maxTreeDepth {
		return 0, corruptf(pgno, "b-tree too deep")
	}
	if visited[pgno] {
		return 0, corruptf(pgno, "page referenced twice in one b-tree")
	}
	visited[pgno] = true
	m, err := bt.getPage(pgno)
	if err != nil {
		return 0, err
	}
	defer m.release()
	var n int64
	for i := 0; i < m.nCell; i++ {
		ci, err := m.cell(i)
		if err != nil {
			return n, err
		}
		if !m.leaf {
			k, err := bt.clearPage(ci.child, false, depth+1, visited)
			n += k
			if err != nil {
				return n, err
			}
		}
		if err := bt.freeOverflow(m, ci); err != nil {
			return n, err
		}
	}
	if !m.leaf {
		k, err := bt.clearPage(m.rightChild(), false, depth+1, visited)
		n += k
		if err != nil {
			return n, err
		}
	}
	if m.leaf || !m.intKey {
		n += int64(m.nCell)
	}
	if isRoot {
		if err := m.writable(); err != nil {
			return n, err
		}
		m.init(m.flags | flagLeaf)
		return n, nil
	}
	return n, bt.freePage(pgno)
}

// DropTable deletes the tree at root entirely. In auto_vacuum databases the
// last root page then moves into the freed slot, as SQLite's OP_Destroy
// does: moved is that page's old number (0 when nothing moved), and the
// caller must update sqlite_schema so the tree rooted at moved is now
// rooted at root.
func (bt *BTree) DropTable(root uint32) (moved uint32, err error) {
	if err := bt.requireWrite(); err != nil {
		return 0, err
	}
	if root < 2 {
		return 0, fmt.Errorf("btree: cannot drop the tree at page %d: %w", root, ErrMisuse)
	}
	for _, c := range bt.cursors {
		if c.root == root {
			return 0, fmt.Errorf("btree: cannot drop a tree with open cursors: %w", ErrMisuse)
		}
	}
	if _, err := bt.ClearTable(root); err != nil {
		return 0, err
	}
	if !bt.autoVacuum {
		return 0, bt.freePage(root)
	}
	bt.saveAllCursors(0, nil)
	maxRoot := bt.header(hdrLargestRoot)
	if root > maxRoot {
		return 0, corruptf(root, "dropped root beyond the largest root %d", maxRoot)
	}
	if root != maxRoot {
		if err := bt.relocatePage(maxRoot, ptrmapRootPage, 0, root); err != nil {
			return 0, err
		}
		if err := bt.freePage(maxRoot); err != nil {
			return 0, err
		}
		moved = maxRoot
	} else if err := bt.freePage(root); err != nil {
		return 0, err
	}
	maxRoot--
	for maxRoot > 1 && (maxRoot == bt.pager.PendingBytePage() || bt.isPtrmapPage(maxRoot)) {
		maxRoot--
	}
	return moved, bt.setHeader(hdrLargestRoot, maxRoot)
}

// CreateIndex is CreateTable(false).
func (bt *BTree) CreateIndex() (uint32, error) { return bt.CreateTable(false) }
