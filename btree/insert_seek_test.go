package btree

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/record"
)

// TestInsertAfterSeek inserts rows the way an INSERT statement does, each
// after a SeekRowid for its rowid on the same cursor (so that Insert may
// use where the seek left the cursor instead of seeking again), sometimes
// after moving the cursor elsewhere, and checks every row and the tree's
// integrity against inserts that always seek.
func TestInsertAfterSeek(t *testing.T) {
	orders := map[string]func(i int, r *rand.Rand) int64{
		"ascending":  func(i int, _ *rand.Rand) int64 { return int64(i) },
		"descending": func(i int, _ *rand.Rand) int64 { return int64(5000 - i) },
		"gaps":       func(i int, _ *rand.Rand) int64 { return int64(i * 3 % 4001) },
		"random":     func(_ int, r *rand.Rand) int64 { return r.Int64N(3000) - 1500 },
	}
	for name, rowidOf := range orders {
		t.Run(name, func(t *testing.T) {
			bt := openBT(t, osvfs.NewMem(), "t.db", 512)
			must(t, bt.BeginWrite())
			root := must1[uint32](t)(bt.CreateTable(true))
			c := must1[*Cursor](t)(bt.OpenTable(root))
			want := map[int64][]byte{}
			rng := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < 4000; i++ {
				rowid := rowidOf(i, rng)
				data := rowData(rowid+int64(i), int(rng.IntN(60)))
				switch i % 7 {
				case 3:
					// Somewhere else first: the insert must not trust it.
					must1[bool](t)(c.First())
					must1[bool](t)(c.Next())
				case 5:
					// No seek at all, as after the previous insert.
				default:
					must1[bool](t)(c.SeekRowid(rowid))
				}
				must(t, c.Insert(rowid, data))
				want[rowid] = data
			}
			c.Close()
			checkIntegrity(t, bt, root)
			got := scanTable(t, bt, root)
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for id, w := range want {
				if !bytes.Equal(got[id], w) {
					t.Fatal(fmt.Sprintf("row %d: got %x want %x", id, got[id], w))
				}
			}
			must(t, bt.Commit())
		})
	}
}

// TestIndexInsertByPath inserts index keys the way INSERT statements do, a
// fresh cursor per key (so that InsertIndex may follow the path of the
// previous insert into the tree), in orders that keep that path right,
// make it wrong, and interleave deletes, replacements and inserts into a
// second tree, and checks the index's contents and integrity against a
// model.
func TestIndexInsertByPath(t *testing.T) {
	orders := map[string]func(i int, r *rand.Rand) int64{
		"ascending":  func(i int, _ *rand.Rand) int64 { return int64(i) },
		"descending": func(i int, _ *rand.Rand) int64 { return int64(-i) },
		"grouped":    func(i int, _ *rand.Rand) int64 { return int64(i / 20) },
		"sawtooth":   func(i int, _ *rand.Rand) int64 { return int64(i%300*10 + i/300) },
		"random":     func(_ int, r *rand.Rand) int64 { return r.Int64N(2000) },
	}
	for name, valueOf := range orders {
		t.Run(name, func(t *testing.T) {
			bt := openBT(t, osvfs.NewMem(), "t.db", 512)
			must(t, bt.BeginWrite())
			root := must1[uint32](t)(bt.CreateIndex())
			other := must1[uint32](t)(bt.CreateIndex())
			rng := rand.New(rand.NewPCG(3, 4))
			want := map[string]bool{}
			for i := 0; i < 3000; i++ {
				// Keys of varying sizes, so that balances move cells of
				// different lengths between pages.
				pad := record.TextValue(strings.Repeat("x", rng.IntN(60)))
				v := valueOf(i, rng)
				rowid := int64(i)
				if i%11 == 7 {
					rowid = int64(i - 1) // replaces an entry when v repeats
				}
				key := indexKey(record.IntValue(v), pad, record.IntValue(rowid))
				c := must1[*Cursor](t)(bt.OpenIndex(root, nil))
				must(t, c.InsertIndex(key))
				want[string(key)] = true
				switch i % 13 {
				case 5:
					// Delete a random earlier entry through a seek.
					ok := must1[bool](t)(c.Seek([]record.Value{record.IntValue(rng.Int64N(2000))}, SeekGE))
					if ok {
						p := must1[[]byte](t)(c.Payload(nil))
						must(t, c.Delete())
						delete(want, string(p))
					}
				case 9:
					// Another tree changes in between.
					o := must1[*Cursor](t)(bt.OpenIndex(other, nil))
					must(t, o.InsertIndex(indexKey(record.IntValue(int64(i)))))
					o.Close()
				}
				c.Close()
			}
			checkIntegrity(t, bt, root, other)
			c := must1[*Cursor](t)(bt.OpenIndex(root, nil))
			defer c.Close()
			n := 0
			var prev []byte
			ok, err := c.First()
			for ; ok && err == nil; ok, err = c.Next() {
				p := must1[[]byte](t)(c.Payload(nil))
				if !want[string(p)] {
					t.Fatalf("unexpected entry %x", p)
				}
				if prev != nil {
					if r := must1[int](t)(record.Compare(prev, p, nil)); r >= 0 {
						t.Fatalf("entries out of order: %x then %x", prev, p)
					}
				}
				prev = p
				n++
			}
			must(t, err)
			if n != len(want) {
				t.Fatalf("%d entries, want %d", n, len(want))
			}
			must(t, bt.Commit())
		})
	}
}

// TestSeekRowidNear seeks rowids on a cursor already positioned somewhere
// (so that the seek may stay on the cursor's leaf, or follow the tree's
// last insert path) and checks that it lands exactly where a seek on a
// fresh cursor does: same result, same row under the cursor, same next row.
func TestSeekRowidNear(t *testing.T) {
	bt := openBT(t, osvfs.NewMem(), "t.db", 512)
	must(t, bt.BeginWrite())
	root := must1[uint32](t)(bt.CreateTable(true))
	for i := int64(0); i < 3000; i++ {
		// Fresh cursors, an existence check and then the insert, as an
		// INSERT statement does; every third rowid is left out.
		if i%3 == 2 {
			continue
		}
		c := must1[*Cursor](t)(bt.OpenTable(root))
		if must1[bool](t)(c.SeekRowid(i)) {
			t.Fatalf("rowid %d found before its insert", i)
		}
		must(t, c.Insert(i, rowData(i, int(i%40))))
		c.Close()
	}
	checkIntegrity(t, bt, root)
	landing := func(c *Cursor, rowid int64) [3]int64 {
		t.Helper()
		found := must1[bool](t)(c.SeekRowid(rowid))
		var out [3]int64
		if found {
			out[0] = 1
		}
		if !c.Valid() {
			return out
		}
		out[1] = must1[int64](t)(c.Rowid())
		out[2] = -1
		if must1[bool](t)(c.Next()) {
			out[2] = must1[int64](t)(c.Rowid())
		}
		return out
	}
	rng := rand.New(rand.NewPCG(5, 6))
	near := must1[*Cursor](t)(bt.OpenTable(root))
	defer near.Close()
	rowid := int64(0)
	for i := 0; i < 5000; i++ {
		switch i % 4 {
		case 0:
			rowid = rng.Int64N(3100) - 50
		default:
			rowid += rng.Int64N(7) - 2
		}
		got := landing(near, rowid)
		fresh := must1[*Cursor](t)(bt.OpenTable(root))
		want := landing(fresh, rowid)
		fresh.Close()
		if got != want {
			t.Fatalf("seek %d: got (found, at, next) %v, want %v", rowid, got, want)
		}
	}
	must(t, bt.Commit())
}
