package btree

import (
	"encoding/binary"
	"fmt"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// Page type flags: byte 0 of every b-tree page header.
const (
	flagIntKey   = 0x01
	flagZeroData = 0x02
	flagLeafData = 0x04
	flagLeaf     = 0x08

	typeIndexInterior = flagZeroData              // 2
	typeTableInterior = flagIntKey | flagLeafData // 5
	typeIndexLeaf     = flagZeroData | flagLeaf   // 10
	typeTableLeaf     = typeTableInterior | flagLeaf
)

// Offsets of the database header fields this package owns.
const (
	hdrFreelistTrunk  = 32
	hdrFreelistCount  = 36
	hdrLargestRoot    = 52
	hdrIncrVacuum     = 64
	fileHeaderSize    = 100
	maxFragmentedByte = 60 // SQLite defragments before a page holds more than this
	maxTreeDepth      = 20 // SQLite's BTCURSOR_MAX_DEPTH
)

func get2(b []byte) int       { return int(binary.BigEndian.Uint16(b)) }
func put2(b []byte, v int)    { binary.BigEndian.PutUint16(b, uint16(v)) }
func get4(b []byte) uint32    { return binary.BigEndian.Uint32(b) }
func put4(b []byte, v uint32) { binary.BigEndian.PutUint32(b, v) }

// corruptf builds an error wrapping resultcode.ErrCorrupt that names the page.
func corruptf(pgno uint32, format string, args ...any) error {
	return fmt.Errorf("btree: page %d: %s: %w", pgno, fmt.Sprintf(format, args...), resultcode.ErrCorrupt)
}

// getVarint32 reads the payload-size varint; values above 2^32-1 are
// clamped as SQLite does (they can only appear in corrupt files).
func getVarint32(b []byte) (uint32, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint32(b[0]), 1
	}
	v, n := record.Varint(b)
	if v > 0xffffffff {
		v = 0xffffffff
	}
	return uint32(v), n
}

// payloadLimits holds the fileformat2 quantities for one usable size U:
// X (maxLocal) and M (minLocal) for table leaves and for index pages.
type payloadLimits struct {
	usable       int
	maxLeaf      int // X for table leaves: U-35
	minLeaf      int // M for table leaves
	maxLocal     int // X for index pages: ((U-12)*64/255)-23
	minLocal     int // M: ((U-12)*32/255)-23
	ovflPerPage  int // U-4: payload bytes on one overflow page
	maxCellsPage int // an upper bound on cells per page, for sanity checks
}

func newPayloadLimits(usable int) payloadLimits {
	return payloadLimits{
		usable:       usable,
		maxLeaf:      usable - 35,
		minLeaf:      (usable-12)*32/255 - 23,
		maxLocal:     (usable-12)*64/255 - 23,
		minLocal:     (usable-12)*32/255 - 23,
		ovflPerPage:  usable - 4,
		maxCellsPage: (usable - 8) / 6,
	}
}

// localSize is the number of payload bytes of a P-byte payload stored on the
// b-tree page itself, by fileformat2's rule: all of it when P <= X, else
// K = M + (P-M) % (U-4) when K <= X, else M.
func localSize(p int64, maxL, minL, usable int) int {
	if p <= int64(maxL) {
		return int(p)
	}
	k := int64(minL) + (p-int64(minL))%int64(usable-4)
	if k <= int64(maxL) {
		return int(k)
	}
	return minL
}

// cellInfo is one parsed cell.
type cellInfo struct {
	key      int64  // rowid (table pages), or payload size (index pages)
	payload  int64  // total payload bytes (0 on table interior pages)
	local    int    // payload bytes stored on the page
	payStart int    // offset in the page of the first payload byte
	size     int    // bytes the cell occupies on the page (at least 4)
	ovfl     uint32 // first overflow page, 0 when none
	child    uint32 // left child, interior pages only
}
