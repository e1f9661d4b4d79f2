package btree

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

// openBT opens (creating) a database on vfs with the given page size.
func openBT(t testing.TB, vfs osvfs.VFS, name string, pageSize int) *BTree {
	t.Helper()
	p, err := pager.Open(vfs, name, pager.Options{PageSize: pageSize, Create: true, CacheSize: 4000})
	if err != nil {
		t.Fatalf("pager.Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	bt, err := Open(p)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return bt
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func must1[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// rowData makes a deterministic payload for rowid of roughly size bytes.
func rowData(rowid int64, size int) []byte {
	b := make([]byte, size)
	r := rand.New(rand.NewPCG(uint64(rowid), 7))
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// scanTable returns all rows of a table in order.
func scanTable(t testing.TB, bt *BTree, root uint32) map[int64][]byte {
	t.Helper()
	c, err := bt.OpenTable(root)
	must(t, err)
	defer c.Close()
	out := map[int64][]byte{}
	prev := int64(-1 << 63)
	first := true
	ok, err := c.First()
	for ; ok && err == nil; ok, err = c.Next() {
		id, err := c.Rowid()
		must(t, err)
		if !first && id <= prev {
			t.Fatalf("rowids out of order: %d after %d", id, prev)
		}
		first = false
		prev = id
		p, err := c.Payload(nil)
		must(t, err)
		out[id] = p
	}
	must(t, err)
	return out
}

// checkIntegrity fails the test when IntegrityCheck reports anything.
func checkIntegrity(t testing.TB, bt *BTree, roots ...uint32) {
	t.Helper()
	if msgs := bt.IntegrityCheck(append([]uint32{1}, roots...), 20); len(msgs) > 0 {
		t.Fatalf("integrity check: %q", msgs)
	}
}

func indexKey(vals ...record.Value) []byte { return record.AppendRecord(nil, vals) }

func sizeName(n int) string { return fmt.Sprintf("page%d", n) }

func rowValue(i int64) record.Value { return record.IntValue(i*7919%10007 - 5000) }

func fillTable(t testing.TB, bt *BTree, root uint32, from, to int64, big int) {
	t.Helper()
	c := must1[*Cursor](t)(bt.OpenTable(root))
	defer c.Close()
	for i := from; i < to; i++ {
		size := int(i % 50)
		if big > 0 && i%10 == 0 {
			size = big
		}
		must(t, c.Insert(i, record.AppendRecord(nil, []record.Value{record.IntValue(i), record.BlobValue(rowData(i, size))})))
	}
}
