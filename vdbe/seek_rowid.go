package vdbe

import "github.com/wrendb/wren/btree"

// seekRowidRange positions a table cursor for a rowid range: on the first
// row whose rowid is >= id (SeekGE), > id (SeekGT), or on the last whose
// rowid is <= id (SeekLE), < id (SeekLT). It reports whether such a row
// exists.
func seekRowidRange(bc *btree.Cursor, id int64, code Opcode) (bool, error) {
	r, err := bc.SeekNear(id)
	if err != nil || !bc.Valid() {
		return false, err
	}
	switch code {
	case CodeSeekGE:
		if r < 0 {
			return bc.Next()
		}
	case CodeSeekGT:
		if r <= 0 {
			return bc.Next()
		}
	case CodeSeekLE:
		if r > 0 {
			return bc.Prev()
		}
	default:
		if r >= 0 {
			return bc.Prev()
		}
	}
	return true, nil
}

// seekRowidNearby tries to reach rowid id from where a table cursor is,
// cheaper than a seek from the root: it reports true when the cursor is
// now on id, false when a real seek is needed. The cursor must be on a
// known rowid (c.rowidKnown) that no write has disturbed.
//
// Joins by rowid make two patterns common. The inner loop of a join to a
// parent table (comments to their article, articles to their user) seeks
// the same parent row over and over: the cursor stays, with its parsed
// record. A lookup through an index of rows inserted in key order
// (the comments of one article) seeks rowids in ascending order, mostly
// the next entry: one step forward on the leaf finds it.
func seekRowidNearby(c *cursor, id int64, gen uint64) (bool, error) {
	switch {
	case id == c.rowid:
		c.nullRow = false
		return true, nil
	case id < c.rowid:
		return false, nil
	}
	c.moved()
	ok, err := c.bc.Next()
	if err != nil || !ok {
		return false, err
	}
	got, err := c.bc.Rowid()
	if err != nil || got != id {
		return false, err
	}
	c.knowRowid(id, gen)
	return true, nil
}
