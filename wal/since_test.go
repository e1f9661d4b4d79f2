package wal

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

// beginSince runs BeginReadSince and returns the pages it names, sorted
// and without repeats.
func (c *conn) beginSince() (pages []uint32, all bool) {
	c.t.Helper()
	_, all, err := c.log.BeginReadSince(func(pgno uint32) { pages = append(pages, pgno) })
	if err != nil {
		c.t.Fatalf("BeginReadSince: %v", err)
	}
	slices.Sort(pages)
	return slices.Compact(pages), all
}

// BeginReadSince names exactly the pages written by the commits since the
// connection's previous snapshot (its own commits excepted), FindFrame
// finds them through the list it keeps, and a WAL that started over
// in between makes it answer "everything".
func TestBeginReadSince(t *testing.T) {
	vfs := osvfs.NewMem()
	w := openConn(t, vfs, "db", Options{})
	defer w.mustClose()
	r := openConn(t, vfs, "db", Options{})
	defer r.mustClose()

	w.mustCommit(map[uint32]byte{1: 'a', 2: 'a', 3: 'a'}, 3)
	if _, all := r.beginSince(); !all {
		t.Errorf("first snapshot: all = false, want true")
	}
	r.log.EndRead()

	w.mustCommit(map[uint32]byte{2: 'b'}, 3)
	w.mustCommit(map[uint32]byte{1: 'c', 2: 'c'}, 4)
	pages, all := r.beginSince()
	if all || !cmp.Equal(pages, []uint32{1, 2}) {
		t.Errorf("after two commits: pages %v, all %v; want [1 2], false", pages, all)
	}
	for pgno := uint32(1); pgno <= 3; pgno++ {
		got, err := r.log.FindFrame(pgno)
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.log.lookup(pgno, r.log.minFrame, r.log.hdr.mxFrame)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("FindFrame(%d) = %d, the hash tables say %d", pgno, got, want)
		}
	}
	r.log.EndRead()

	// Nothing new: nothing to drop.
	if pages, all := r.beginSince(); all || len(pages) != 0 {
		t.Errorf("unchanged: pages %v, all %v; want none", pages, all)
	}
	r.log.EndRead()

	// The reader's own commit is not a change for it.
	r.mustCommit(map[uint32]byte{3: 'd'}, 4)
	if pages, all := r.beginSince(); all || len(pages) != 0 {
		t.Errorf("after its own commit: pages %v, all %v; want none", pages, all)
	}
	r.log.EndRead()

	// A WAL started over: the old frames are gone, so is the list.
	if res, err := w.log.Checkpoint(CheckpointRestart, nil); err != nil || res.Busy {
		t.Fatalf("RESTART: %+v %v", res, err)
	}
	w.mustCommit(map[uint32]byte{2: 'e'}, 4)
	if _, all := r.beginSince(); !all {
		t.Errorf("after the WAL started over: all = false, want true")
	}
	if got, err := r.readPage(2); err != nil || got[4] != 'e' {
		t.Errorf("page 2 after the restart holds %q, want 'e'", got[4])
	}
	r.log.EndRead()
}

// BeginReadSince names a page written by several of the commits in between
// once (page 1, which every commit writes, above all), and still names
// every page when more pages changed than it keeps a list of.
func TestBeginReadSinceNamesPagesOnce(t *testing.T) {
	vfs := osvfs.NewMem()
	w := openConn(t, vfs, "db", Options{})
	defer w.mustClose()
	r := openConn(t, vfs, "db", Options{})
	defer r.mustClose()
	w.mustCommit(map[uint32]byte{1: 'a'}, 1)
	r.beginSince()
	r.log.EndRead()

	const pages = maxRecent + 20
	for pgno := uint32(2); pgno <= pages; pgno++ {
		w.mustCommit(map[uint32]byte{1: byte(pgno), pgno: 'b'}, pages)
	}
	named := map[uint32]int{}
	if _, all, err := r.log.BeginReadSince(func(pgno uint32) { named[pgno]++ }); err != nil || all {
		t.Fatalf("BeginReadSince: all %v, err %v", all, err)
	}
	defer r.log.EndRead()
	if named[1] != 1 {
		t.Errorf("page 1, written by every commit, named %d times; want once", named[1])
	}
	for pgno := uint32(1); pgno <= pages; pgno++ {
		if named[pgno] == 0 {
			t.Errorf("page %d changed and was not named", pgno)
		}
	}
}
