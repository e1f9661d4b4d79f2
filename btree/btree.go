package btree

import (
	"errors"
	"fmt"

	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/resultcode"
)

// AutoVacuum is the database's auto_vacuum mode (header offsets 52 and 64).
type AutoVacuum int

const (
	AutoVacuumNone        AutoVacuum = iota // freed pages go to the freelist and stay in the file
	AutoVacuumFull                          // at every commit, free pages are moved to the end and truncated
	AutoVacuumIncremental                   // pointer maps are kept; IncrementalVacuum shrinks on request
)

func (a AutoVacuum) String() string {
	switch a {
	case AutoVacuumNone:
		return "none"
	case AutoVacuumFull:
		return "full"
	case AutoVacuumIncremental:
		return "incremental"
	}
	return "AutoVacuum(?)"
}

// ErrMisuse is returned for calls made in the wrong state (no transaction,
// a write outside a write transaction, a cursor of the wrong kind).
var ErrMisuse = resultcode.ErrMisuse

// BTree is the set of b-trees stored in one database file, seen through one
// pager (one connection). It is not safe for concurrent use.
type BTree struct {
	pager    *pager.Pager
	pageSize int
	usable   int
	lim      payloadLimits

	autoVacuum  bool // pointer-map pages are maintained
	incrVacuum  bool // ... and pages are only moved on IncrementalVacuum
	pendingMode AutoVacuum

	cursors  []*Cursor    // the open cursors, in no particular order
	scratch  []byte       // defragment's page copy
	cellBuf  []byte       // balance's copies of the siblings it redistributes
	balCells balanceCells // balance's list of those cells
	newCell  []byte       // the cell an insert is adding (see buildCell)

	// freeCursors holds closed cursors for openCursor to reuse: a Cursor
	// is a few kilobytes, and a statement run a million times opens one
	// per run.
	freeCursors []*Cursor

	// hints remember where the last inserts into a few trees went (see
	// hint.go); nextHint is the slot the next new tree takes.
	hints    [maxPathHints]pathHint
	nextHint int
}

// Open wraps a pager. No I/O happens until the first transaction.
func Open(p *pager.Pager) (*BTree, error) {
	if p == nil {
		return nil, fmt.Errorf("btree: nil pager: %w", ErrMisuse)
	}
	bt := &BTree{pager: p}
	bt.loadSettings()
	return bt, nil
}

// Pager is the pager underneath.
func (bt *BTree) Pager() *pager.Pager { return bt.pager }

// UsableSize is the page size minus the reserved bytes at the end of each page.
func (bt *BTree) UsableSize() int { return bt.usable }

// loadSettings reads what the b-tree layer caches from the header.
func (bt *BTree) loadSettings() {
	bt.pageSize = bt.pager.PageSize()
	bt.usable = bt.pager.UsableSize()
	bt.lim = newPayloadLimits(bt.usable)
	if (bt.pager.InRead() || bt.pager.InWrite()) && bt.pager.PageCount() > 0 {
		bt.autoVacuum = bt.pager.HeaderUint32(hdrLargestRoot) != 0
		bt.incrVacuum = bt.autoVacuum && bt.pager.HeaderUint32(hdrIncrVacuum) != 0
	} else {
		bt.autoVacuum = bt.pendingMode != AutoVacuumNone
		bt.incrVacuum = bt.pendingMode == AutoVacuumIncremental
	}
}

// AutoVacuum reports the mode of the database (or the mode a new database
// will get).
func (bt *BTree) AutoVacuum() AutoVacuum {
	switch {
	case bt.incrVacuum:
		return AutoVacuumIncremental
	case bt.autoVacuum:
		return AutoVacuumFull
	}
	return AutoVacuumNone
}

// SetAutoVacuum sets the auto_vacuum mode. As in SQLite, switching between
// none and full/incremental is only possible before the first table is
// created (while the file holds at most page 1); full and incremental can
// be swapped at any time. Outside a write transaction on an existing
// database it only records the mode for a database yet to be created.
func (bt *BTree) SetAutoVacuum(mode AutoVacuum) error {
	if mode < AutoVacuumNone || mode > AutoVacuumIncremental {
		return fmt.Errorf("btree: bad auto_vacuum mode %d: %w", mode, ErrMisuse)
	}
	wantAV := mode != AutoVacuumNone
	inTx := bt.pager.InRead() || bt.pager.InWrite()
	if inTx && bt.pager.PageCount() > 1 && wantAV != bt.autoVacuum {
		return fmt.Errorf("btree: auto_vacuum can only change between none and full/incremental before tables are created: %w", ErrMisuse)
	}
	bt.pendingMode = mode
	if !bt.pager.InWrite() || bt.pager.PageCount() == 0 {
		if !inTx || bt.pager.PageCount() == 0 {
			bt.loadSettings()
		}
		return nil
	}
	if wantAV != bt.autoVacuum {
		largest := uint32(0)
		if wantAV {
			largest = 1
		}
		if err := bt.pager.SetHeaderUint32(hdrLargestRoot, largest); err != nil {
			return err
		}
	}
	incr := uint32(0)
	if mode == AutoVacuumIncremental {
		incr = 1
	}
	if err := bt.pager.SetHeaderUint32(hdrIncrVacuum, incr); err != nil {
		return err
	}
	bt.autoVacuum = wantAV
	bt.incrVacuum = mode == AutoVacuumIncremental
	return nil
}

// BeginRead starts a read transaction.
func (bt *BTree) BeginRead() error {
	if err := bt.pager.BeginRead(); err != nil {
		return err
	}
	bt.loadSettings()
	return nil
}

// EndRead ends a read transaction. Open cursors keep their position (by
// key) for the next transaction.
func (bt *BTree) EndRead() error {
	bt.saveAllCursors(0, nil)
	return bt.pager.EndRead()
}

// BeginWrite starts a write transaction. On an empty file it writes page 1:
// the 100-byte header and the empty sqlite_schema table.
func (bt *BTree) BeginWrite() error {
	if err := bt.pager.BeginWrite(); err != nil {
		return err
	}
	bt.loadSettings()
	if bt.pager.PageCount() == 0 {
		if err := bt.newDatabase(); err != nil {
			return err
		}
	}
	return nil
}

// Commit commits the write transaction (after moving pages to the end and
// truncating in auto_vacuum=full mode). Cursors keep their position by key.
func (bt *BTree) Commit() error {
	bt.saveAllCursors(0, nil)
	if bt.pager.InWrite() && bt.autoVacuum && !bt.incrVacuum {
		if err := bt.autoVacuumCommit(); err != nil {
			return err
		}
	}
	return bt.pager.Commit()
}

// Rollback abandons the write transaction. Cursors lose their position.
func (bt *BTree) Rollback() error {
	bt.invalidateAllCursors()
	err := bt.pager.Rollback()
	bt.loadSettings()
	return err
}

// OpenSavepoint, RollbackTo and Release pass savepoints to the pager, keeping
// cursors consistent: a rollback invalidates cursor positions.
func (bt *BTree) OpenSavepoint(n int) error { return bt.pager.OpenSavepoint(n) }

// RollbackTo restores the state of savepoint n.
func (bt *BTree) RollbackTo(n int) error {
	bt.invalidateAllCursors()
	err := bt.pager.RollbackTo(n)
	bt.loadSettings()
	return err
}

// Release forgets savepoints >= n.
func (bt *BTree) Release(n int) error { return bt.pager.Release(n) }

// newDatabase formats page 1 of an empty file.
func (bt *BTree) newDatabase() error {
	pg, err := bt.pager.Append()
	if err != nil {
		return err
	}
	defer pg.Release()
	if pg.Pgno() != 1 {
		return fmt.Errorf("btree: new database got page %d instead of 1: %w", pg.Pgno(), resultcode.ErrInternal)
	}
	d := pg.Data()
	clear(d)
	copy(d, "SQLite format 3\x00")
	ps := bt.pageSize
	if ps == 65536 {
		put2(d[16:], 1)
	} else {
		put2(d[16:], ps)
	}
	d[18], d[19] = 1, 1
	d[20] = byte(ps - bt.usable)
	d[21], d[22], d[23] = 64, 32, 32
	put4(d[28:], 1)
	put4(d[44:], 4) // schema format 4
	put4(d[56:], 1) // UTF-8
	if bt.pendingMode != AutoVacuumNone {
		put4(d[hdrLargestRoot:], 1)
	}
	if bt.pendingMode == AutoVacuumIncremental {
		put4(d[hdrIncrVacuum:], 1)
	}
	put4(d[96:], 3040001)
	m := &memPage{bt: bt, pg: pg, pgno: 1, data: d, hdr: fileHeaderSize}
	m.init(typeTableLeaf)
	bt.autoVacuum = bt.pendingMode != AutoVacuumNone
	bt.incrVacuum = bt.pendingMode == AutoVacuumIncremental
	return nil
}

// header reads a header field as uint32.
func (bt *BTree) header(off int) uint32 { return bt.pager.HeaderUint32(off) }

func (bt *BTree) setHeader(off int, v uint32) error { return bt.pager.SetHeaderUint32(off, v) }

func (bt *BTree) requireWrite() error {
	if !bt.pager.InWrite() {
		return fmt.Errorf("btree: no write transaction: %w", ErrMisuse)
	}
	return nil
}

func (bt *BTree) requireRead() error {
	if !bt.pager.InRead() && !bt.pager.InWrite() {
		return fmt.Errorf("btree: no transaction: %w", ErrMisuse)
	}
	if bt.pager.PageCount() == 0 {
		return errEmptyDatabase
	}
	return nil
}

// errEmptyDatabase is returned when a tree is read in a file with no pages.
var errEmptyDatabase = fmt.Errorf("btree: database is empty (no page 1 yet): %w", resultcode.ErrMisuse)

// IsCorrupt reports whether err says the file is corrupt.
func IsCorrupt(err error) bool { return errors.Is(err, resultcode.ErrCorrupt) }
