package wal

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

// TestAppendHintsKeepSQLiteLayout checks that the hash tables indexAppend
// builds with its per-page hints are slot for slot those of SQLite's
// walIndexAppend, which walks every collision chain from the page's hash
// key: two connections take turns committing page 1 and one other page
// (page 1's chain grows with every commit), with rollbacks of spilled
// frames between, across the end of the first block.
func TestAppendHintsKeepSQLiteLayout(t *testing.T) {
	vfs := osvfs.NewMem()
	conns := []*conn{openConn(t, vfs, "db", Options{}), openConn(t, vfs, "db", Options{})}
	defer conns[0].mustClose()
	defer conns[1].mustClose()
	const txs = 2200 // two frames each: past firstBlockFrames
	for n := range txs {
		c := conns[min(n%3, 1)] // the second one often twice in a row
		if n%7 == 3 {
			// Spill frames, then roll them back: their slots are
			// emptied, and the hints that point at them go stale.
			if _, err := c.log.BeginRead(); err != nil {
				t.Fatal(err)
			}
			if err := c.log.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			if err := c.log.Append([]Page{{1, page(1, 'x')}, {9, page(9, 'x')}}, 0); err != nil {
				t.Fatal(err)
			}
			if err := c.log.Rollback(); err != nil {
				t.Fatal(err)
			}
			c.log.EndRead()
		}
		c.mustCommit(map[uint32]byte{1: byte(n), uint32(2 + n%5): byte(n)}, 8)
	}

	l := conns[0].log
	if _, err := l.BeginRead(); err != nil {
		t.Fatal(err)
	}
	defer l.EndRead()
	mx := l.hdr.mxFrame
	if blockOf(mx) < 1 {
		t.Fatalf("the WAL has %d frames, not past the first block", mx)
	}
	for block := 0; block <= blockOf(mx); block++ {
		r, err := l.mustRegion(block)
		if err != nil {
			t.Fatal(err)
		}
		var want, got [hashSlots]uint16
		last := min(mx-blockBase(block), blockFrames)
		if block == 0 {
			last = min(mx, firstBlockFrames)
		}
		for idx := uint32(1); idx <= last; idx++ {
			pgno := load32(r, pgnoOffset(block, idx))
			key := hashKey(pgno)
			for want[key] != 0 {
				key = (key + 1) & (hashSlots - 1)
			}
			want[key] = uint16(idx)
		}
		for key := range hashSlots {
			got[key] = load16(r, hashSlotOffset(key))
		}
		if diff := cmp.Diff(want[:], got[:]); diff != "" {
			t.Errorf("hash table of block %d differs from SQLite's layout (-want +got):\n%s", block, diff)
		}
	}
	for pgno := uint32(1); pgno <= 6; pgno++ {
		f, err := l.FindFrame(pgno)
		if err != nil || f == 0 {
			t.Errorf("FindFrame(%d) = %d, %v; want a frame", pgno, f, err)
		}
	}
}
