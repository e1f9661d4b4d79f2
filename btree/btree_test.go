package btree

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/record"
)

// Ensure that rows inserted in random order come back in rowid order with
// their payloads, across page sizes and payloads that overflow.
func TestTableInsertScan(t *testing.T) {
	for _, ps := range []int{512, 1024, 4096, 65536} {
		t.Run(sizeName(ps), func(t *testing.T) {
			bt := openBT(t, osvfs.NewMem(), "t.db", ps)
			must(t, bt.BeginWrite())
			root := must1[uint32](t)(bt.CreateTable(true))
			c := must1[*Cursor](t)(bt.OpenTable(root))
			want := map[int64][]byte{}
			r := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < 3000; i++ {
				id := int64(r.IntN(10000)) - 100
				size := r.IntN(60)
				if i%50 == 0 {
					size = r.IntN(3 * ps)
				}
				d := rowData(id+int64(i), size)
				must(t, c.Insert(id, d))
				want[id] = d
			}
			c.Close()
			checkIntegrity(t, bt, root)
			must(t, bt.Commit())
			must(t, bt.BeginRead())
			got := scanTable(t, bt, root)
			if len(got) != len(want) {
				t.Fatalf("got %d rows, want %d", len(got), len(want))
			}
			for id, d := range want {
				if !bytes.Equal(got[id], d) {
					t.Fatalf("row %d differs", id)
				}
			}
			checkIntegrity(t, bt, root)
			must(t, bt.EndRead())
		})
	}
}

// Ensure that deleting rows through a cursor while walking keeps the walk
// going and leaves a sound tree.
func TestTableDeleteWhileWalking(t *testing.T) {
	bt := openBT(t, osvfs.NewMem(), "t.db", 1024)
	must(t, bt.BeginWrite())
	root := must1[uint32](t)(bt.CreateTable(true))
	c := must1[*Cursor](t)(bt.OpenTable(root))
	for i := int64(1); i <= 5000; i++ {
		must(t, c.Insert(i, rowData(i, int(i%300))))
	}
	ok, err := c.First()
	n := 0
	for ; ok && err == nil; ok, err = c.Next() {
		id := must1[int64](t)(c.Rowid())
		if id%3 != 0 {
			must(t, c.Delete())
			n++
		}
	}
	must(t, err)
	if n != 5000-5000/3 {
		t.Fatalf("deleted %d rows", n)
	}
	cnt := must1[int64](t)(c.Count())
	if cnt != 5000/3 {
		t.Fatalf("count %d, want %d", cnt, 5000/3)
	}
	c.Close()
	checkIntegrity(t, bt, root)
	got := scanTable(t, bt, root)
	for id := range got {
		if id%3 != 0 {
			t.Fatalf("row %d survived", id)
		}
	}
	must(t, bt.Commit())
}

// Ensure that an index keeps its entries ordered and that Seek finds them.
func TestIndexInsertSeekDelete(t *testing.T) {
	for _, ps := range []int{512, 4096} {
		t.Run(sizeName(ps), func(t *testing.T) {
			bt := openBT(t, osvfs.NewMem(), "t.db", ps)
			must(t, bt.BeginWrite())
			root := must1[uint32](t)(bt.CreateIndex())
			c := must1[*Cursor](t)(bt.OpenIndex(root, nil))
			r := rand.New(rand.NewPCG(3, 4))
			perm := r.Perm(4000)
			for _, i := range perm {
				text := bytes.Repeat([]byte{byte('a' + i%26)}, i%(ps/2))
				must(t, c.InsertIndex(indexKey(record.IntValue(int64(i/2)), record.BlobValue(text), record.IntValue(int64(i)))))
			}
			if n := must1[int64](t)(c.Count()); n != 4000 {
				t.Fatalf("count %d", n)
			}
			checkIntegrity(t, bt, root)
			// every key k/2 has two entries; SeekGE lands on the first.
			for k := int64(0); k < 2000; k += 97 {
				ok := must1[bool](t)(c.Seek([]record.Value{record.IntValue(k)}, SeekGE))
				if !ok {
					t.Fatalf("SeekGE %d found nothing", k)
				}
				p := must1[[]byte](t)(c.Payload(nil))
				v, err := record.Column(p, 2)
				must(t, err)
				if v.Int != 2*k {
					t.Fatalf("SeekGE %d landed on %d", k, v.Int)
				}
				ok = must1[bool](t)(c.Seek([]record.Value{record.IntValue(k)}, SeekLE))
				p = must1[[]byte](t)(c.Payload(nil))
				v, _ = record.Column(p, 2)
				if !ok || v.Int != 2*k+1 {
					t.Fatalf("SeekLE %d landed on %d", k, v.Int)
				}
				ok = must1[bool](t)(c.Seek([]record.Value{record.IntValue(k)}, SeekLT))
				if k == 0 && ok {
					t.Fatal("SeekLT 0 found an entry")
				}
				if k > 0 {
					p = must1[[]byte](t)(c.Payload(nil))
					v, _ = record.Column(p, 2)
					if !ok || v.Int != 2*k-1 {
						t.Fatalf("SeekLT %d landed on %d", k, v.Int)
					}
				}
				ok = must1[bool](t)(c.Seek([]record.Value{record.IntValue(k)}, SeekGT))
				p = must1[[]byte](t)(c.Payload(nil))
				v, _ = record.Column(p, 2)
				if !ok || v.Int != 2*k+2 {
					t.Fatalf("SeekGT %d landed on %d", k, v.Int)
				}
			}
			if ok := must1[bool](t)(c.Seek([]record.Value{record.IntValue(99999)}, SeekEQ)); ok {
				t.Fatal("SeekEQ found a missing key")
			}
			// delete the odd entries
			ok, err := c.First()
			for ; ok && err == nil; ok, err = c.Next() {
				p := must1[[]byte](t)(c.Payload(nil))
				v, _ := record.Column(p, 2)
				if v.Int%2 == 1 {
					must(t, c.Delete())
				}
			}
			must(t, err)
			if n := must1[int64](t)(c.Count()); n != 2000 {
				t.Fatalf("count after delete %d", n)
			}
			checkIntegrity(t, bt, root)
			c.Close()
			must(t, bt.Commit())
		})
	}
}

// Ensure that the tree rooted at page 1 (behind the file header) splits,
// merges back into page 1 when emptied, and stays sound throughout.
func TestPageOneRoot(t *testing.T) {
	bt := openBT(t, osvfs.NewMem(), "t.db", 512)
	must(t, bt.BeginWrite())
	c := must1[*Cursor](t)(bt.OpenTable(1))
	for i := int64(1); i <= 600; i++ {
		must(t, c.Insert(i, rowData(i, 20+int(i%150))))
	}
	checkIntegrity(t, bt)
	m := must1[*memPage](t)(bt.getPage(1))
	if m.leaf {
		t.Fatal("page 1 did not become an interior page")
	}
	m.release()
	ok, err := c.First()
	for ; ok && err == nil; ok, err = c.First() {
		must(t, c.Delete())
	}
	must(t, err)
	checkIntegrity(t, bt)
	m = must1[*memPage](t)(bt.getPage(1))
	defer m.release()
	if !m.leaf || m.nCell != 0 {
		t.Fatalf("emptied page 1: leaf=%v cells=%d", m.leaf, m.nCell)
	}
	if free := bt.header(hdrFreelistCount); free != bt.pager.PageCount()-1 {
		t.Fatalf("%d free pages of %d", free, bt.pager.PageCount())
	}
	c.Close()
	must(t, bt.Commit())
}
