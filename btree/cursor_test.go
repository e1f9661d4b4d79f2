package btree

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

// Ensure that a cursor keeps its place while another cursor of the same
// tree inserts and deletes around it, including deleting its own entry.
func TestCursorSurvivesOtherCursorsChanges(t *testing.T) {
	bt := openBT(t, osvfs.NewMem(), "t.db", 512)
	must(t, bt.BeginWrite())
	root := must1[uint32](t)(bt.CreateTable(true))
	w := must1[*Cursor](t)(bt.OpenTable(root))
	for i := int64(0); i < 2000; i += 2 {
		must(t, w.Insert(i, rowData(i, int(i%90))))
	}
	reader := must1[*Cursor](t)(bt.OpenTable(root))
	must1[bool](t)(reader.SeekRowid(1000))
	r := rand.New(rand.NewPCG(9, 9))
	var seen []int64
	for step := 0; step < 400; step++ {
		// the writer churns rows away from the reader's neighbourhood...
		id := int64(r.IntN(2000))
		if id >= 990 {
			id += 3000 // far beyond what the reader will reach
		}
		if id%2 == 1 {
			must(t, w.Insert(id, rowData(id, r.IntN(200))))
		} else if found := must1[bool](t)(w.SeekRowid(id)); found {
			must(t, w.Delete())
		}
		// ...and deletes the reader's current row every 50 steps.
		cur := must1[int64](t)(reader.Rowid())
		if step%50 == 49 {
			must1[bool](t)(w.SeekRowid(cur))
			must(t, w.Delete())
		} else {
			seen = append(seen, cur)
		}
		ok := must1[bool](t)(reader.Next())
		if !ok {
			t.Fatal("reader ran off the end")
		}
	}
	// The reader must have visited consecutive even rowids from 1000 on.
	want := []int64{}
	for i, id := 0, int64(1000); i < len(seen); id += 2 {
		if (id-1000)/2%50 == 49 {
			continue
		}
		want = append(want, id)
		i++
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Fatalf("reader's walk (-want +got):\n%s", diff)
	}
	w.Close()
	reader.Close()
	checkIntegrity(t, bt, root)
	must(t, bt.Commit())
}

// Ensure that ClearTable reports the rows it deleted and frees their pages,
// and that DropTable puts every page of a tree on the freelist.
func TestClearAndDropTable(t *testing.T) {
	bt := openBT(t, osvfs.NewMem(), "t.db", 1024)
	must(t, bt.BeginWrite())
	a := must1[uint32](t)(bt.CreateTable(true))
	b := must1[uint32](t)(bt.CreateTable(false))
	fillTable(t, bt, a, 0, 700, 2500)
	ic := must1[*Cursor](t)(bt.OpenIndex(b, nil))
	for i := int64(0); i < 500; i++ {
		must(t, ic.InsertIndex(indexKey(rowValue(i))))
	}
	ic.Close()
	pages := bt.pager.PageCount()
	n := must1[int64](t)(bt.ClearTable(a))
	if n != 700 {
		t.Fatalf("ClearTable deleted %d rows", n)
	}
	checkIntegrity(t, bt, a, b)
	moved := must1[uint32](t)(bt.DropTable(b))
	if moved != 0 {
		t.Fatalf("DropTable moved page %d without auto_vacuum", moved)
	}
	checkIntegrity(t, bt, a)
	if free := bt.header(hdrFreelistCount); free != pages-2 {
		t.Fatalf("freelist holds %d pages, want %d", free, pages-2)
	}
	// Pages come back from the freelist: the file does not grow.
	fillTable(t, bt, a, 0, 300, 2500)
	if got := bt.pager.PageCount(); got != pages {
		t.Fatalf("file grew from %d to %d pages despite free pages", pages, got)
	}
	checkIntegrity(t, bt, a)
	must(t, bt.Commit())
}

// Ensure that auto_vacuum can only change between none and the others
// before tables exist.
func TestSetAutoVacuumRules(t *testing.T) {
	bt := openBT(t, osvfs.NewMem(), "t.db", 1024)
	must(t, bt.BeginWrite())
	must(t, bt.SetAutoVacuum(AutoVacuumIncremental))
	if bt.AutoVacuum() != AutoVacuumIncremental {
		t.Fatalf("mode %v", bt.AutoVacuum())
	}
	must1[uint32](t)(bt.CreateTable(true))
	if err := bt.SetAutoVacuum(AutoVacuumNone); err == nil {
		t.Fatal("switching to none after creating a table succeeded")
	}
	must(t, bt.SetAutoVacuum(AutoVacuumFull))
	if bt.AutoVacuum() != AutoVacuumFull || bt.header(hdrIncrVacuum) != 0 {
		t.Fatalf("mode %v, header 64 = %d", bt.AutoVacuum(), bt.header(hdrIncrVacuum))
	}
	must(t, bt.Commit())
}
