package vdbe

import (
	"github.com/wrendb/wren/btree"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

type cursorKind uint8

const (
	cursorBTree cursorKind = iota
	cursorEphemeral
	cursorSorter
	cursorEmpty // a table of a file that has no pages yet
)

// cursor is one open cursor of a running program: a b-tree cursor on the
// database or on a private temporary b-tree, or a sorter. It caches the
// current entry's record so that several Column reads parse its header
// once (lazily, through record.Header). A new field must also be reset
// by reuse.
type cursor struct {
	kind    cursorKind
	bc      *btree.Cursor
	keyInfo *record.KeyInfo
	isIndex bool

	eph    *ephemeral
	sorter *sorter

	nullRow bool
	seq     int64

	// The cached record of the current entry; valid while gen matches the
	// VM's write generation and the cursor has not moved.
	cached  bool
	gen     uint64
	payload []byte
	hdr     record.Header

	// The current entry's rowid, when a seek or an earlier Rowid learnt
	// it; valid while rowidGen matches the VM's write generation and the
	// cursor has not moved. A join reads its outer rows' rowids once per
	// inner row, and parsing the cell each time is most of that cost.
	rowidKnown bool
	rowidGen   uint64
	rowid      int64
}

// ephemeral is a temporary b-tree on a private in-memory pager.
type ephemeral struct {
	pg   *pager.Pager
	bt   *btree.BTree
	root uint32
}

func newEphemeral(index bool) (*ephemeral, error) {
	vfs := osvfs.NewMem()
	pg, err := pager.Open(vfs, "ephemeral", pager.Options{Create: true, JournalMode: pager.JournalOff, PageSize: 4096})
	if err != nil {
		return nil, err
	}
	bt, err := btree.Open(pg)
	if err != nil {
		pg.Close()
		return nil, err
	}
	if err := bt.BeginWrite(); err != nil {
		pg.Close()
		return nil, err
	}
	root, err := bt.CreateTable(!index)
	if err != nil {
		pg.Close()
		return nil, err
	}
	return &ephemeral{pg: pg, bt: bt, root: root}, nil
}

func (e *ephemeral) close() {
	e.bt.Rollback()
	e.pg.Close()
}

func (c *cursor) close() {
	if c.bc != nil {
		c.bc.Close()
		c.bc = nil
	}
	if c.eph != nil {
		c.eph.close()
		c.eph = nil
	}
	if c.sorter != nil {
		c.sorter.close()
		c.sorter = nil
	}
}

// reuse readies a closed b-tree cursor for another OpenRead or
// OpenWrite, as a zero cursor but keeping its payload buffer and its
// header's slices for the next records. It sets the fields one by one:
// assigning a whole struct would copy it with write barriers.
func (c *cursor) reuse() {
	c.kind, c.bc, c.keyInfo, c.isIndex = cursorBTree, nil, nil, false
	c.eph, c.sorter = nil, nil
	c.nullRow, c.seq = false, 0
	c.cached, c.gen, c.payload = false, 0, c.payload[:0]
	c.rowidKnown, c.rowidGen, c.rowid = false, 0, 0
}

func (c *cursor) moved() {
	c.cached = false
	c.rowidKnown = false
	c.nullRow = false
}

// knowRowid records that the cursor is on the entry with rowid id.
func (c *cursor) knowRowid(id int64, gen uint64) {
	c.rowid, c.rowidGen, c.rowidKnown = id, gen, true
}

// record returns the current entry's record, reading it from the b-tree
// (without copying when it lies on one page) or the sorter.
func (c *cursor) record(gen uint64) (*record.Header, error) {
	if c.cached && c.gen == gen {
		return &c.hdr, nil
	}
	var rec []byte
	switch c.kind {
	case cursorSorter:
		rec = nil
	default:
		if !c.bc.Valid() {
			rec = nil
			break
		}
		p, ok, err := c.bc.LocalPayload()
		if err != nil {
			return nil, err
		}
		if !ok {
			p, err = c.bc.Payload(c.payload[:0])
			if err != nil {
				return nil, err
			}
			c.payload = p
		}
		rec = p
	}
	if rec == nil {
		rec = emptyRecord
	}
	if err := c.hdr.Parse(rec); err != nil {
		return nil, err
	}
	c.cached = true
	c.gen = gen
	return &c.hdr, nil
}

var emptyRecord = []byte{1}
