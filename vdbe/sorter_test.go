package vdbe

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/record"
)

// sorterInput is a row given to a sorter: two key fields and the order it
// was inserted in, which must decide between equal keys.
type sorterInput struct {
	a   record.Value
	b   string
	seq int64
}

// sortedOutput reads every row of s back as "a|b|seq".
func sortedOutput(t *testing.T, s *sorter) []string {
	t.Helper()
	if err := s.sort(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for ok := s.valid; ok; {
		var fields [3]record.Value
		for i := range fields {
			v, err := s.column(i)
			if err != nil {
				t.Fatal(err)
			}
			fields[i] = v
		}
		got = append(got, fmt.Sprintf("%v|%s|%d", fields[0], fields[1].Bytes, fields[2].Int))
		var err error
		if ok, err = s.next(); err != nil {
			t.Fatal(err)
		}
	}
	return got
}

// TestSorterSpillOrder sorts the same rows in memory and with a memory
// limit low enough to write dozens of runs (more than one merge reads at
// once), and checks that the spilled sort really spilled and returns
// exactly the rows in the order of a stable sort by (a DESC, b).
func TestSorterSpillOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	var rows []sorterInput
	for i := 0; i < 20000; i++ {
		in := sorterInput{b: fmt.Sprintf("k%03d", rng.Intn(300)), seq: int64(i)}
		switch i % 10 {
		case 0:
			in.a = record.NullValue()
		case 1:
			in.a = record.RealValue(float64(rng.Intn(50)) + 0.5)
		default:
			in.a = record.IntValue(int64(rng.Intn(50)))
		}
		rows = append(rows, in)
	}
	ki := &record.KeyInfo{Collations: []record.Collation{nil, nil}, Desc: []bool{true, false}}
	want := slices.Clone(rows)
	slices.SortStableFunc(want, func(x, y sorterInput) int {
		if c := record.CompareValues(x.a, y.a, nil); c != 0 {
			return -c
		}
		if x.b != y.b {
			if x.b < y.b {
				return -1
			}
			return 1
		}
		return 0
	})
	var wantText []string
	for _, r := range want {
		wantText = append(wantText, fmt.Sprintf("%v|%s|%d", r.a, r.b, r.seq))
	}

	for _, tc := range []struct {
		name      string
		vfs       osvfs.VFS
		memLimit  int
		minSpills int
	}{
		{"memory", nil, 0, 0},
		{"few runs", osvfs.NewMem(), 128 << 10, 2},
		{"multi-level merge", osvfs.NewMem(), 16 << 10, maxMergeFanIn + 1},
		{"unix temp files", osvfs.NewUnix(), 64 << 10, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSorter(ki, tc.vfs, tc.memLimit)
			defer s.close()
			for _, r := range rows {
				err := s.insert([]record.Value{r.a, record.TextValue(r.b), record.IntValue(r.seq)})
				if err != nil {
					t.Fatal(err)
				}
			}
			got := sortedOutput(t, s)
			if s.spills < tc.minSpills {
				t.Errorf("%d runs written, want at least %d", s.spills, tc.minSpills)
			}
			if tc.minSpills == 0 && s.spills != 0 {
				t.Errorf("an in-memory sort wrote %d runs", s.spills)
			}
			if diff := cmp.Diff(wantText, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSorterIntegerKeys sorts rows keyed by one integer (the radix sort's
// case: GROUP BY an integer column), ascending and descending, with
// negative, huge and repeated keys, in memory and spilled, and checks the
// order of a stable sort.
func TestSorterIntegerKeys(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	keys := make([]int64, 5000)
	for i := range keys {
		switch i % 4 {
		case 0:
			keys[i] = int64(rng.Intn(100))
		case 1:
			keys[i] = -int64(rng.Intn(300))
		case 2:
			keys[i] = rng.Int63() - (1 << 62)
		default:
			keys[i] = []int64{math.MinInt64, math.MaxInt64, 0, -1, 256, 65536}[rng.Intn(6)]
		}
	}
	for _, desc := range []bool{false, true} {
		for _, spill := range []bool{false, true} {
			t.Run(fmt.Sprintf("desc=%v/spill=%v", desc, spill), func(t *testing.T) {
				order := make([]int, len(keys))
				for i := range order {
					order[i] = i
				}
				slices.SortStableFunc(order, func(a, b int) int {
					if desc {
						return cmpInt(keys[b], keys[a])
					}
					return cmpInt(keys[a], keys[b])
				})
				var want []string
				for _, i := range order {
					want = append(want, fmt.Sprintf("%d/%d", keys[i], i))
				}
				ki := &record.KeyInfo{Collations: []record.Collation{nil}, Desc: []bool{desc}}
				var vfs osvfs.VFS
				if spill {
					vfs = osvfs.NewMem()
				}
				s := newSorter(ki, vfs, 32<<10)
				defer s.close()
				for i, k := range keys {
					if err := s.insert([]record.Value{record.IntValue(k), record.IntValue(int64(i))}); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.sort(); err != nil {
					t.Fatal(err)
				}
				if spill != (s.spills > 0) {
					t.Fatalf("spill=%v but %d runs written", spill, s.spills)
				}
				var got []string
				for ok := s.valid; ok; {
					k, _ := s.column(0)
					i, _ := s.column(1)
					got = append(got, fmt.Sprintf("%d/%d", k.Int, i.Int))
					var err error
					if ok, err = s.next(); err != nil {
						t.Fatal(err)
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("order (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
