package btree

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wrendb/wren/osvfs"
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
