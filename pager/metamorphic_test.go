package pager

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// TestRandomSavepointOps runs random sequences of writes, appends,
// truncations and savepoint operations against a model, with a cache small
// enough to spill, and checks the pages after every savepoint rollback and
// after the final commit or rollback.
func TestRandomSavepointOps(t *testing.T) {
	runs := 300
	if testing.Short() {
		runs = 30
	}
	modes := []JournalMode{JournalDelete, JournalPersist, JournalMemory, JournalOff}
	for run := range runs {
		mode := modes[run%len(modes)]
		rng := rand.New(rand.NewPCG(uint64(run), 7))
		vfs := osvfs.NewMem()
		p, err := Open(vfs, "db", Options{PageSize: 512, Create: true, CacheSize: 2 + rng.IntN(8), JournalMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		committed := pagesOf(uint32(1+rng.IntN(30)), 1, 512)
		mustCommitPages(t, p, committed.clone())
		if err := p.BeginWrite(); err != nil {
			t.Fatal(err)
		}
		cur := committed.clone()
		var stack []model // model at each open savepoint
		var log []string
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("run %d (%v): %s\nops: %v", run, mode, fmt.Sprintf(format, args...), log)
		}
		for op := 2; op < 60; op++ {
			size := uint32(len(cur))
			switch k := rng.IntN(10); {
			case k < 5:
				pgno := 1 + rng.Uint32N(size+3)
				log = append(log, fmt.Sprintf("w%d", pgno))
				for gap := size + 1; gap < pgno; gap++ {
					cur[gap] = make([]byte, 512)
				}
				cur[pgno] = stamp(pgno, op, 512)
				if err := setPage(p, pgno, cur[pgno]); err != nil {
					fail("write %d: %v", pgno, err)
				}
			case k == 5 && size > 1:
				n := 1 + rng.Uint32N(size)
				log = append(log, fmt.Sprintf("t%d", n))
				if err := p.Truncate(n); err != nil {
					fail("truncate %d: %v", n, err)
				}
				for pgno := range cur {
					if pgno > n {
						delete(cur, pgno)
					}
				}
			case k == 6 || k == 7 && len(stack) == 0:
				log = append(log, "open")
				stack = append(stack, cur.clone())
				if err := p.OpenSavepoint(len(stack)); err != nil {
					fail("open: %v", err)
				}
			case k == 7:
				i := rng.IntN(len(stack))
				log = append(log, fmt.Sprintf("rb%d", i))
				if err := p.RollbackTo(i); err != nil {
					fail("rollback to %d: %v", i, err)
				}
				cur = stack[i].clone()
				stack = stack[:i+1]
				if d := diffPages(cur.expected(512), snapshotOrFail(t, p)); d != "" {
					fail("after rollback to %d (-want +got):\n%s", i, d)
				}
			case k == 8 && len(stack) > 0:
				i := rng.IntN(len(stack))
				log = append(log, fmt.Sprintf("rel%d", i))
				if err := p.Release(i); err != nil {
					fail("release %d: %v", i, err)
				}
				stack = stack[:i]
			}
		}
		want := cur
		if rng.IntN(3) == 0 && mode != JournalOff {
			log = append(log, "rollback")
			if err := p.Rollback(); err != nil {
				fail("rollback: %v", err)
			}
			want = committed
		} else {
			log = append(log, "commit")
			if err := p.Commit(); err != nil {
				fail("commit: %v", err)
			}
		}
		q, err := Open(vfs, "db", Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := snapshot(q)
		if err != nil {
			fail("reopen: %v", err)
		}
		if d := diffPages(want.expected(512), got); d != "" {
			fail("final (-want +got):\n%s", d)
		}
		q.Close()
		p.Close()
	}
}
