package btree_test

import (
	"fmt"

	"github.com/wrendb/wren/btree"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

// A table b-tree: insert rows by rowid, then walk them in order.
func Example() {
	p, _ := pager.Open(osvfs.NewMem(), "example.db", pager.Options{Create: true})
	defer p.Close()
	bt, _ := btree.Open(p)

	bt.BeginWrite()
	root, _ := bt.CreateTable(true)
	c, _ := bt.OpenTable(root)
	for _, id := range []int64{30, 10, 20} {
		row := record.AppendRecord(nil, []record.Value{record.TextValue(fmt.Sprint("row ", id))})
		c.Insert(id, row)
	}
	bt.Commit()

	bt.BeginRead()
	for ok, _ := c.First(); ok; ok, _ = c.Next() {
		id, _ := c.Rowid()
		payload, _ := c.Payload(nil)
		v, _ := record.Column(payload, 0)
		fmt.Println(id, string(v.Bytes))
	}
	c.Close()
	fmt.Println(bt.IntegrityCheck([]uint32{1, root}, 10))
	bt.EndRead()
	// Output:
	// 10 row 10
	// 20 row 20
	// 30 row 30
	// []
}

// An index b-tree: keys are records; Seek positions by a key prefix.
func ExampleCursor_Seek() {
	p, _ := pager.Open(osvfs.NewMem(), "example.db", pager.Options{Create: true})
	defer p.Close()
	bt, _ := btree.Open(p)
	bt.BeginWrite()
	root, _ := bt.CreateIndex()
	c, _ := bt.OpenIndex(root, &record.KeyInfo{Collations: []record.Collation{record.NoCase}})
	for i, name := range []string{"carol", "Alice", "bob"} {
		c.InsertIndex(record.AppendRecord(nil, []record.Value{record.TextValue(name), record.IntValue(int64(i + 1))}))
	}
	found, _ := c.Seek([]record.Value{record.TextValue("BOB")}, btree.SeekEQ)
	key, _ := c.Payload(nil)
	name, _ := record.Column(key, 0)
	rowid, _ := record.Column(key, 1)
	fmt.Println(found, string(name.Bytes), rowid.Int)
	c.Close()
	bt.Rollback()
	// Output:
	// true bob 3
}
