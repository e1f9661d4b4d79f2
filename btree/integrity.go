package btree

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/wrendb/wren/resultcode"
)

// IntegrityCheck verifies the whole file as SQLite's PRAGMA integrity_check
// does at the b-tree level: every tree in roots (which must list every tree
// of the file, sqlite_schema's root 1 included) is walked, each page and
// overflow page must be referenced exactly once, cells and freeblocks must
// tile each page exactly, rowids must ascend, the freelist must hold as
// many pages as the header says, and in auto_vacuum files every pointer-map
// entry must be right. It returns at most maxErrors messages, worded as
// SQLite 3.40 words them; an empty result means the file is sound.
func (bt *BTree) IntegrityCheck(roots []uint32, maxErrors int) []string {
	if maxErrors <= 0 {
		maxErrors = 100
	}
	if err := bt.requireRead(); err != nil {
		if errors.Is(err, errEmptyDatabase) {
			return nil
		}
		return []string{err.Error()}
	}
	ck := &checker{bt: bt, nPage: bt.pager.PageCount(), maxErr: maxErrors}
	ck.refs = make([]bool, ck.nPage+1)
	if pb := bt.pager.PendingBytePage(); pb <= ck.nPage {
		ck.refs[pb] = true
	}
	ck.prefix = "Main freelist: "
	ck.checkList(true, bt.header(hdrFreelistTrunk), bt.header(hdrFreelistCount))
	ck.prefix = ""
	if bt.autoVacuum {
		mx := uint32(0)
		for _, r := range roots {
			mx = max(mx, r)
		}
		if hdr := bt.header(hdrLargestRoot); mx != hdr {
			ck.msg("max rootpage (%d) disagrees with header (%d)", mx, hdr)
		}
	} else if bt.header(hdrIncrVacuum) != 0 {
		ck.msg("incremental_vacuum enabled with a max rootpage of zero")
	}
	for _, r := range roots {
		if ck.full() {
			break
		}
		if r == 0 {
			continue
		}
		if bt.autoVacuum && r > 1 {
			ck.checkPtrmap(r, ptrmapRootPage, 0)
		}
		var minKey int64
		ck.checkTreePage(r, &minKey, math.MaxInt64, 0)
	}
	for i := uint32(1); i <= ck.nPage && !ck.full(); i++ {
		isMap := bt.autoVacuum && bt.ptrmapPageFor(i) == i
		if !ck.refs[i] && !isMap {
			ck.msg("Page %d is never used", i)
		}
		if ck.refs[i] && isMap {
			ck.msg("Pointer map page %d is referenced", i)
		}
	}
	return ck.msgs
}

type checker struct {
	bt     *BTree
	nPage  uint32
	refs   []bool
	msgs   []string
	maxErr int
	prefix string
}

func (ck *checker) full() bool { return len(ck.msgs) >= ck.maxErr }

func (ck *checker) msg(format string, args ...any) {
	if ck.full() {
		return
	}
	ck.msgs = append(ck.msgs, ck.prefix+fmt.Sprintf(format, args...))
}

// checkRef marks a page used; it reports and returns true for an invalid
// page number or a second reference.
func (ck *checker) checkRef(pgno uint32) bool {
	if pgno == 0 || pgno > ck.nPage {
		ck.msg("invalid page number %d", pgno)
		return true
	}
	if ck.refs[pgno] {
		ck.msg("2nd reference to page %d", pgno)
		return true
	}
	ck.refs[pgno] = true
	return false
}

func (ck *checker) checkPtrmap(child uint32, typ byte, parent uint32) {
	gotTyp, gotParent, err := ck.bt.ptrmapGet(child)
	if err != nil {
		ck.msg("Failed to read ptrmap key=%d", child)
		return
	}
	if gotTyp != typ || gotParent != parent {
		ck.msg("Bad ptr map entry key=%d expected=(%d,%d) got=(%d,%d)", child, typ, parent, gotTyp, gotParent)
	}
}

// checkList walks the freelist (isFree) or an overflow chain of n pages.
func (ck *checker) checkList(isFree bool, pgno uint32, n uint32) {
	expected := n
	nErr := len(ck.msgs)
	bt := ck.bt
	usable := uint32(bt.usable)
	for pgno != 0 && !ck.full() {
		if ck.checkRef(pgno) {
			break
		}
		n--
		pg, err := bt.pager.Get(pgno)
		if err != nil {
			ck.msg("failed to get page %d", pgno)
			break
		}
		d := pg.Data()
		if isFree {
			k := get4(d[4:])
			if bt.autoVacuum {
				ck.checkPtrmap(pgno, ptrmapFreePage, 0)
			}
			if k > usable/4-2 {
				ck.msg("freelist leaf count too big on page %d", pgno)
				n--
			} else {
				for i := uint32(0); i < k; i++ {
					leaf := get4(d[8+4*i:])
					if bt.autoVacuum {
						ck.checkPtrmap(leaf, ptrmapFreePage, 0)
					}
					ck.checkRef(leaf)
				}
				n -= k
			}
		} else if bt.autoVacuum && n > 0 && n < expected {
			ck.checkPtrmap(get4(d), ptrmapOverflow2, pgno)
		}
		pgno = get4(d)
		pg.Release()
	}
	if n != 0 && nErr == len(ck.msgs) {
		what := "overflow list length"
		if isFree {
			what = "size"
		}
		ck.msg("%s is %d but should be %d", what, expected-n, expected)
	}
}

type span struct{ start, end int } // inclusive byte range on a page

// checkTreePage checks one page and, recursively, its children. It returns
// the height of the subtree (leaves are 1) and sets *minKey to the smallest
// rowid found.
func (ck *checker) checkTreePage(pgno uint32, minKey *int64, maxKey int64, depth int) int {
	bt := ck.bt
	if ck.full() || pgno == 0 {
		return 0
	}
	if ck.checkRef(pgno) {
		return 0
	}
	savedPrefix := ck.prefix
	defer func() { ck.prefix = savedPrefix }()
	ck.prefix = fmt.Sprintf("Page %d: ", pgno)
	if depth > 64 {
		ck.msg("b-tree too deep")
		return 0
	}
	pg, err := bt.pager.Get(pgno)
	if err != nil {
		ck.msg("unable to get the page. error code=%d", int(resultcode.Of(err)))
		return 0
	}
	defer pg.Release()
	m := &memPage{bt: bt, pg: pg, pgno: pgno, data: pg.Data(), nFree: -1}
	if pgno == 1 {
		m.hdr = fileHeaderSize
	}
	if err := m.parse(); err != nil {
		ck.msg("btreeInitPage() returns error code %d", int(resultcode.Corrupt))
		return 0
	}
	if err := m.computeFreeSpace(); err != nil {
		ck.msg("free space corruption")
		return 0
	}
	d := m.data
	usable := bt.usable
	contentOffset := m.contentStart()
	doCoverage := true
	keyCanBeEqual := true
	height := -1
	if !m.leaf {
		child := m.rightChild()
		if bt.autoVacuum {
			ck.prefix = fmt.Sprintf("On page %d at right child: ", pgno)
			ck.checkPtrmap(child, ptrmapBTree, pgno)
		}
		height = ck.checkTreePage(child, &maxKey, maxKey, depth+1)
		keyCanBeEqual = false
	}
	var spans []span
	for i := m.nCell - 1; i >= 0 && !ck.full(); i-- {
		ck.prefix = fmt.Sprintf("On tree page %d cell %d: ", pgno, i)
		pc := get2(d[m.cellOff+2*i:])
		if pc < contentOffset || pc > usable-4 {
			ck.msg("Offset %d out of range %d..%d", pc, contentOffset, usable-4)
			doCoverage = false
			continue
		}
		ci, err := m.parseCellAt(pc)
		if err != nil || pc+ci.size > usable {
			ck.msg("Extends off end of page")
			doCoverage = false
			continue
		}
		if m.intKey {
			if (keyCanBeEqual && ci.key > maxKey) || (!keyCanBeEqual && ci.key >= maxKey) {
				ck.msg("Rowid %d out of order", ci.key)
			}
			maxKey = ci.key
			keyCanBeEqual = false
		}
		if ci.payload > int64(ci.local) {
			nPages := uint32((ci.payload - int64(ci.local) + int64(usable) - 5) / int64(usable-4))
			if bt.autoVacuum {
				ck.checkPtrmap(ci.ovfl, ptrmapOverflow1, pgno)
			}
			ck.checkList(false, ci.ovfl, nPages)
		}
		if !m.leaf {
			if bt.autoVacuum {
				ck.checkPtrmap(ci.child, ptrmapBTree, pgno)
			}
			h := ck.checkTreePage(ci.child, &maxKey, maxKey, depth+1)
			keyCanBeEqual = false
			if h != height {
				ck.msg("Child page depth differs")
				height = h
			}
		}
		spans = append(spans, span{pc, pc + ci.size - 1})
	}
	*minKey = maxKey
	ck.prefix = ""
	if doCoverage && !ck.full() {
		for i := get2(d[m.hdr+1:]); i > 0; i = get2(d[i:]) {
			size := get2(d[i+2:])
			spans = append(spans, span{i, i + size - 1})
		}
		slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
		nFrag := 0
		prev := contentOffset - 1
		overlap := false
		for _, s := range spans {
			if prev >= s.start {
				ck.msg("Multiple uses for byte %d of page %d", s.start, pgno)
				overlap = true
				break
			}
			nFrag += s.start - prev - 1
			prev = s.end
		}
		if !overlap {
			nFrag += usable - prev - 1
			if nFrag != int(d[m.hdr+7]) {
				ck.msg("Fragmentation of %d bytes reported as %d on page %d", nFrag, d[m.hdr+7], pgno)
			}
		}
	}
	return height + 1
}
