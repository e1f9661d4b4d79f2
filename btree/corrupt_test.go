package btree

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// The corruption tests start from a small valid database and damage it.
// Whatever the damage, every operation must return (no panic, no hang) and
// any error must say what is wrong with a result code; integrity_check must
// notice what SQLite's would.

const corruptPageSize = 512

// baseImage builds a small database: page 1 schema, a table (root 2) with
// overflow rows, an index (root 3), and some free pages.
func baseImage(t testing.TB) []byte { return baseImageMode(t, AutoVacuumNone) }

// baseImageMode is baseImage in the given auto_vacuum mode (with pointer
// maps, page 2 is the first pointer-map page and the roots are 3 and 4).
func baseImageMode(t testing.TB, av AutoVacuum) []byte {
	t.Helper()
	vfs := osvfs.NewMem()
	p, err := pager.Open(vfs, "base.db", pager.Options{PageSize: corruptPageSize, Create: true})
	must(t, err)
	bt := must1[*BTree](t)(Open(p))
	must(t, bt.SetAutoVacuum(av))
	must(t, bt.BeginWrite())
	tab := must1[uint32](t)(bt.CreateTable(true))
	idx := must1[uint32](t)(bt.CreateTable(false))
	if want := baseRoots(av); tab != want[0] || idx != want[1] {
		t.Fatalf("roots %d %d", tab, idx)
	}
	if av != AutoVacuumNone {
		// a third tree to drop, so DropTable has a root to move
		extra := must1[uint32](t)(bt.CreateTable(true))
		fillTable(t, bt, extra, 0, 50, 700)
	}
	tc := must1[*Cursor](t)(bt.OpenTable(tab))
	ic := must1[*Cursor](t)(bt.OpenIndex(idx, nil))
	for i := int64(1); i <= 120; i++ {
		size := int(i % 40)
		if i%15 == 0 {
			size = 1500
		}
		must(t, tc.Insert(i, rowData(i, size)))
		must(t, ic.InsertIndex(indexKey(record.IntValue(i*37%101), record.BlobValue(rowData(i, int(i%20))), record.IntValue(i))))
	}
	for i := int64(40); i < 60; i++ {
		must1[bool](t)(tc.SeekRowid(i))
		must(t, tc.Delete())
	}
	tc.Close()
	ic.Close()
	must(t, bt.Commit())
	must(t, p.Close())
	return readImage(t, vfs, "base.db")
}

func readImage(t testing.TB, vfs osvfs.VFS, name string) []byte {
	f, err := vfs.Open(name, osvfs.OpenReadOnly|osvfs.OpenMainDB)
	must(t, err)
	defer f.Close()
	n, err := f.Size()
	must(t, err)
	b := make([]byte, n)
	if _, err := f.ReadAt(b, 0); err != nil {
		t.Fatal(err)
	}
	return b
}

func writeImage(t testing.TB, img []byte) osvfs.VFS {
	vfs := osvfs.NewMem()
	f, err := vfs.Open("c.db", osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenMainDB)
	must(t, err)
	_, err = f.WriteAt(img, 0)
	must(t, err)
	must(t, f.Close())
	return vfs
}

// baseRoots are the table and index roots of baseImageMode.
func baseRoots(av AutoVacuum) [2]uint32 {
	if av == AutoVacuumNone {
		return [2]uint32{2, 3}
	}
	return [2]uint32{3, 4}
}

// acceptable reports whether err is nil or a proper error with a result code.
func acceptable(err error) bool {
	if err == nil {
		return true
	}
	var e *resultcode.E
	return errors.As(err, &e)
}

// exercise runs every read path and a write transaction over the database;
// it returns the integrity messages and the first corrupt error seen.
func exercise(t testing.TB, vfs osvfs.VFS) (msgs []string, firstErr error) {
	return exerciseRoots(t, vfs, [2]uint32{2, 3}, false)
}

func exerciseRoots(t testing.TB, vfs osvfs.VFS, roots [2]uint32, av bool) (msgs []string, firstErr error) {
	note := func(err error) {
		if err != nil && !acceptable(err) {
			t.Fatalf("error without a result code: %v", err)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	p, err := pager.Open(vfs, "c.db", pager.Options{CacheSize: 50})
	if err != nil {
		note(err)
		return nil, firstErr
	}
	defer p.Close()
	bt, err := Open(p)
	if err != nil {
		note(err)
		return nil, firstErr
	}
	if err := bt.BeginRead(); err != nil {
		note(err)
		return nil, firstErr
	}
	all := []uint32{1, roots[0], roots[1]}
	if av {
		all = append(all, 5)
	}
	msgs = bt.IntegrityCheck(all, 50)
	walk := func(c *Cursor, forward bool) {
		var ok bool
		var err error
		if forward {
			ok, err = c.First()
		} else {
			ok, err = c.Last()
		}
		for n := 0; ok && err == nil && n < 10000; n++ {
			if _, err = c.Payload(nil); err != nil {
				break
			}
			if forward {
				ok, err = c.Next()
			} else {
				ok, err = c.Prev()
			}
		}
		note(err)
	}
	for _, root := range []uint32{1, roots[0]} {
		if c, err := bt.OpenTable(root); err != nil {
			note(err)
		} else {
			walk(c, true)
			walk(c, false)
			for _, id := range []int64{1, 15, 50, 77, 120, 1000} {
				_, err := c.SeekRowid(id)
				note(err)
			}
			_, err := c.Count()
			note(err)
			c.Close()
		}
	}
	if c, err := bt.OpenIndex(roots[1], nil); err != nil {
		note(err)
	} else {
		walk(c, true)
		walk(c, false)
		for _, k := range []int64{0, 5, 50, 100} {
			for _, op := range []SeekOp{SeekGE, SeekGT, SeekLE, SeekLT, SeekEQ} {
				_, err := c.Seek([]record.Value{record.IntValue(k)}, op)
				note(err)
			}
		}
		c.Close()
	}
	note(bt.EndRead())
	// A write transaction over the damage must fail cleanly too.
	if err := bt.BeginWrite(); err != nil {
		note(err)
		return msgs, firstErr
	}
	if c, err := bt.OpenTable(roots[0]); err == nil {
		for i := int64(200); i < 230; i++ {
			if err := c.Insert(i, rowData(i, int(i%7)*100)); err != nil {
				note(err)
				break
			}
		}
		for _, id := range []int64{1, 2, 3, 15, 30, 100} {
			if found, err := c.SeekRowid(id); err != nil {
				note(err)
				break
			} else if found {
				if err := c.Delete(); err != nil {
					note(err)
					break
				}
			}
		}
		c.Close()
	} else {
		note(err)
	}
	if _, err := bt.ClearTable(roots[1]); err != nil {
		note(err)
	}
	if av {
		if _, err := bt.DropTable(roots[0]); err != nil {
			note(err)
		}
		if _, err := bt.IncrementalVacuum(10); err != nil {
			note(err)
		}
		note(bt.Commit())
	}
	note(bt.Rollback())
	return msgs, firstErr
}

func putU16(img []byte, off int, v uint16) { binary.BigEndian.PutUint16(img[off:], v) }
func putU32(img []byte, off int, v uint32) { binary.BigEndian.PutUint32(img[off:], v) }

// pageOff is the file offset of page pgno.
func pageOff(pgno int) int { return (pgno - 1) * corruptPageSize }

// findOverflowCell returns the page and file offset of a table-leaf cell
// with an overflow chain, and the offset of its overflow pointer.
func findOverflowCell(t *testing.T, img []byte) (leafPg int, ovflPtrOff int, ovflPgno uint32) {
	vfs := writeImage(t, img)
	p, err := pager.Open(vfs, "c.db", pager.Options{})
	must(t, err)
	defer p.Close()
	bt := must1[*BTree](t)(Open(p))
	must(t, bt.BeginRead())
	defer bt.EndRead()
	c := must1[*Cursor](t)(bt.OpenTable(2))
	defer c.Close()
	must1[bool](t)(c.SeekRowid(15))
	m := c.pages[c.depth]
	ci := must1[cellInfo](t)(m.cell(c.idx[c.depth]))
	return int(m.pgno), pageOff(int(m.pgno)) + ci.payStart + ci.local, ci.ovfl
}

// Ensure that specific kinds of damage are detected, reported as
// corruption and never loop.
func TestCorruptFiles(t *testing.T) {
	base := baseImage(t)
	if msgs, err := exercise(t, writeImage(t, base)); len(msgs) > 0 || err != nil {
		t.Fatalf("base image not clean: %q %v", msgs, err)
	}
	avBase := baseImageMode(t, AutoVacuumFull)
	if msgs, err := exerciseRoots(t, writeImage(t, avBase), baseRoots(AutoVacuumFull), true); len(msgs) > 0 || err != nil {
		t.Fatalf("auto_vacuum base image not clean: %q %v", msgs, err)
	}
	_, ovflPtr, ovflPg := findOverflowCell(t, base)
	tests := []struct {
		name    string
		damage  func(img []byte) []byte
		wantMsg string // substring of some integrity message ("" = any error)
	}{
		{"truncated-half", func(img []byte) []byte { return img[:len(img)/2] }, ""},
		{"truncated-to-2-pages", func(img []byte) []byte { return img[:2*corruptPageSize] }, ""},
		{"bad-page-type", func(img []byte) []byte { img[pageOff(2)] = 7; return img }, "btreeInitPage() returns error code 11"},
		{"cell-pointer-out-of-range", func(img []byte) []byte {
			putU16(img, pageOff(3)+12, 0xfff0)
			return img
		}, "out of range"},
		{"child-pointer-loop", func(img []byte) []byte {
			putU32(img, pageOff(2)+8, 2) // root's right child is the root
			return img
		}, "2nd reference to page 2"},
		{"overflow-points-at-itself", func(img []byte) []byte {
			putU32(img, pageOff(int(ovflPg)), ovflPg)
			return img
		}, "2nd reference to page"},
		{"overflow-pointer-out-of-range", func(img []byte) []byte {
			putU32(img, ovflPtr, 99999)
			return img
		}, "invalid page number 99999"},
		{"freelist-count-wrong", func(img []byte) []byte {
			putU32(img, 36, binary.BigEndian.Uint32(img[36:])+3)
			return img
		}, "Main freelist: size is"},
		{"cell-count-huge", func(img []byte) []byte { putU16(img, pageOff(2)+3, 0x7fff); return img }, ""},
		{"fragment-count-wrong", func(img []byte) []byte { img[pageOff(3)+7] += 5; return img }, "Fragmentation of"},
		{"zeroed-root", func(img []byte) []byte { clear(img[pageOff(2):pageOff(3)]); return img }, ""},
		{"header-page-size", func(img []byte) []byte { putU16(img, 16, 1000); return img }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.damage(append([]byte(nil), base...))
			msgs, err := exercise(t, writeImage(t, img))
			if len(msgs) == 0 && err == nil {
				t.Fatal("damage went unnoticed")
			}
			if err != nil && !errors.Is(err, resultcode.ErrCorrupt) && !errors.Is(err, resultcode.ErrNotADB) {
				t.Errorf("first error %v does not wrap ErrCorrupt", err)
			}
			if tc.wantMsg != "" && !strings.Contains(strings.Join(msgs, "\n"), tc.wantMsg) {
				t.Errorf("integrity messages %q lack %q", msgs, tc.wantMsg)
			}
		})
	}
}

// FuzzCorruptPage flips bytes of a small valid database and runs cursor
// walks, seeks, writes and IntegrityCheck over it: none may panic or hang,
// and every error must carry a result code.
//
// Inputs of odd length damage an auto_vacuum=full database instead, whose
// pointer maps, root moves and commit-time relocation are exercised too.
func FuzzCorruptPage(f *testing.F) {
	bases := [2][]byte{baseImage(f), baseImageMode(f, AutoVacuumFull)}
	f.Add([]byte{0, 2, 0, 0, 7})          // page type
	f.Add([]byte{0, 2, 0, 8, 0, 0, 2, 2}) // right child
	f.Add([]byte{0, 3, 0, 12, 0xff})      // cell pointer
	f.Add([]byte{0, 1, 0, 36, 0xff})      // freelist count
	f.Add([]byte{0, 4, 0, 0, 0, 0, 0, 4}) // next-pointer of an overflow/free page
	f.Add([]byte{0, 2, 1, 0xf0, 0x80, 0x81})
	f.Add([]byte{0, 2, 0, 5, 2, 0, 0, 0, 0})              // a pointer-map entry (auto_vacuum)
	f.Add([]byte{0, 1, 0, 52, 0, 0, 0, 1, 0, 1, 0, 0, 9}) // largest root page
	f.Fuzz(func(t *testing.T, mut []byte) {
		av := len(mut)%2 == 1
		base := bases[len(mut)%2]
		nPages := len(base) / corruptPageSize
		img := append([]byte(nil), base...)
		// mut is a list of (page u16, offset u16, bytes...) edits of up to 4
		// bytes each.
		for len(mut) >= 5 {
			pg := int(binary.BigEndian.Uint16(mut))%nPages + 1
			off := int(binary.BigEndian.Uint16(mut[2:])) % corruptPageSize
			n := min(len(mut)-4, 4)
			copy(img[pageOff(pg)+off:min(pageOff(pg)+corruptPageSize, pageOff(pg)+off+n)], mut[4:4+n])
			mut = mut[4+n:]
		}
		mode := AutoVacuumNone
		if av {
			mode = AutoVacuumFull
		}
		exerciseRoots(t, writeImage(t, img), baseRoots(mode), av)
	})
}
