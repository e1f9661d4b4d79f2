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
