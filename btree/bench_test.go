package btree

import (
	"math/rand/v2"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

// Benchmarks run on the in-memory VFS with a cache large enough for the
// whole tree, so they measure the b-tree, not the disk. One op is one row:
// run with -benchtime=1000000x for the 1M-row figures.

func benchTree(b *testing.B) (*BTree, uint32) {
	p, err := pager.Open(osvfs.NewMem(), "bench.db", pager.Options{PageSize: 4096, Create: true, CacheSize: 1 << 20, JournalMode: pager.JournalMemory})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	bt, err := Open(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := bt.BeginWrite(); err != nil {
		b.Fatal(err)
	}
	root, err := bt.CreateTable(true)
	if err != nil {
		b.Fatal(err)
	}
	return bt, root
}

// reportCPU adds a cpu-ns/op metric measured from start (see processCPU).
func reportCPU(b *testing.B, start int64) {
	if start > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}

func benchRow(i int64) []byte {
	return record.AppendRecord(nil, []record.Value{record.IntValue(i), record.TextValue("some text of a typical length"), record.IntValue(i * 3)})
}

func BenchmarkInsertSequential(b *testing.B) {
	bt, root := benchTree(b)
	c, _ := bt.OpenTable(root)
	row := benchRow(1)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if err := c.Insert(int64(i), row); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportCPU(b, cpu)
	if err := bt.Commit(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkInsertRandom(b *testing.B) {
	bt, root := benchTree(b)
	c, _ := bt.OpenTable(root)
	row := benchRow(1)
	r := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if err := c.Insert(r.Int64(), row); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportCPU(b, cpu)
	if err := bt.Commit(); err != nil {
		b.Fatal(err)
	}
}

const benchRows = 1_000_000

func filledTree(b *testing.B) (*BTree, uint32) {
	bt, root := benchTree(b)
	c, _ := bt.OpenTable(root)
	for i := int64(0); i < benchRows; i++ {
		if err := c.Insert(i, benchRow(i)); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	if err := bt.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := bt.BeginRead(); err != nil {
		b.Fatal(err)
	}
	return bt, root
}

func BenchmarkPointLookup(b *testing.B) {
	bt, root := filledTree(b)
	c, _ := bt.OpenTable(root)
	r := rand.New(rand.NewPCG(2, 2))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		found, err := c.SeekRowid(r.Int64N(benchRows))
		if err != nil || !found {
			b.Fatal(found, err)
		}
		if _, _, err := c.LocalPayload(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkFullScan: one op is one row of a forward scan (restarted at the
// end), so ns/op is the cost per row.
func BenchmarkFullScan(b *testing.B) {
	bt, root := filledTree(b)
	c, _ := bt.OpenTable(root)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	ok, err := c.First()
	for i := 0; i < b.N; i++ {
		if err != nil {
			b.Fatal(err)
		}
		if !ok {
			ok, err = c.First()
			continue
		}
		if _, _, err := c.LocalPayload(); err != nil {
			b.Fatal(err)
		}
		ok, err = c.Next()
	}
	reportCPU(b, cpu)
}

// BenchmarkIndexInsertAppend inserts ascending (created, rowid) keys into an
// index with a fresh cursor each time, as an INSERT statement maintaining an
// index on an ever-growing column does: one op is one key.
func BenchmarkIndexInsertAppend(b *testing.B) {
	bt, _ := benchTree(b)
	root, err := bt.CreateIndex()
	if err != nil {
		b.Fatal(err)
	}
	var key []byte
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		c, err := bt.OpenIndex(root, nil)
		if err != nil {
			b.Fatal(err)
		}
		key = record.AppendRecord(key[:0], []record.Value{record.IntValue(1_700_000_000 + int64(i)), record.IntValue(int64(i))})
		if err := c.InsertIndex(key); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
	b.StopTimer()
	reportCPU(b, cpu)
	if err := bt.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIndexInsertGrouped is BenchmarkIndexInsertAppend for an index on
// a foreign key whose value repeats (20 rows per parent), still ascending.
func BenchmarkIndexInsertGrouped(b *testing.B) {
	bt, _ := benchTree(b)
	root, err := bt.CreateIndex()
	if err != nil {
		b.Fatal(err)
	}
	var key []byte
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		c, err := bt.OpenIndex(root, nil)
		if err != nil {
			b.Fatal(err)
		}
		key = record.AppendRecord(key[:0], []record.Value{record.IntValue(int64(i / 20)), record.IntValue(int64(i))})
		if err := c.InsertIndex(key); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
	b.StopTimer()
	reportCPU(b, cpu)
	if err := bt.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPointLookupFresh is BenchmarkPointLookup with a new cursor per
// lookup, as a SELECT statement run once per key opens one.
func BenchmarkPointLookupFresh(b *testing.B) {
	bt, root := filledTree(b)
	r := rand.New(rand.NewPCG(2, 2))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		c, err := bt.OpenTable(root)
		if err != nil {
			b.Fatal(err)
		}
		found, err := c.SeekRowid(r.Int64N(benchRows))
		if err != nil || !found {
			b.Fatal(found, err)
		}
		if _, _, err := c.LocalPayload(); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
	reportCPU(b, cpu)
}
