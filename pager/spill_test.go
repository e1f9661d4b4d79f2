package pager

import (
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// A transaction ten times larger than the cache spills, and both commits
// and rolls back correctly, in every journal mode that can roll back.
func TestSpillLargeTransaction(t *testing.T) {
	const cache = 20
	for _, mode := range []JournalMode{JournalDelete, JournalTruncate, JournalPersist, JournalMemory} {
		for _, sync := range []Synchronous{SyncFull, SyncNormal, SyncOff} {
			t.Run(mode.String()+"/"+sync.String(), func(t *testing.T) {
				vfs := osvfs.NewMem()
				p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true, CacheSize: cache, JournalMode: mode, Synchronous: sync})
				base := pagesOf(100, 1, 512)
				mustCommitPages(t, p, base.clone())

				big := base.clone()
				for pgno := uint32(1); pgno <= 10*cache; pgno++ {
					if pgno%3 != 0 {
						big[pgno] = stamp(pgno, 2, 512)
					}
				}
				for pgno := uint32(1); pgno <= 10*cache; pgno++ {
					if _, ok := big[pgno]; !ok {
						big[pgno] = make([]byte, 512)
					}
				}
				write := func() {
					t.Helper()
					if err := p.BeginWrite(); err != nil {
						t.Fatal(err)
					}
					for pgno := uint32(1); pgno <= 10*cache; pgno++ {
						if pgno%3 != 0 {
							if err := setPage(p, pgno, stamp(pgno, 2, 512)); err != nil {
								t.Fatal(err)
							}
						}
					}
					if !p.dbModified {
						t.Fatalf("a %d-page transaction with a %d-page cache did not spill", 10*cache, cache)
					}
					if n := len(p.cache.pages); n > cache {
						t.Errorf("cache holds %d pages, more than its size %d", n, cache)
					}
				}

				write()
				if err := p.Rollback(); err != nil {
					t.Fatal(err)
				}
				q := mustOpen(t, vfs, "db", Options{})
				got, err := snapshot(q)
				if err != nil {
					t.Fatal(err)
				}
				if d := diffPages(base.expected(512), got); d != "" {
					t.Fatalf("after rollback (-want +got):\n%s", d)
				}

				write()
				if err := p.Commit(); err != nil {
					t.Fatal(err)
				}
				got, err = snapshot(q)
				if err != nil {
					t.Fatal(err)
				}
				if d := diffPages(big.expected(512), got); d != "" {
					t.Fatalf("after commit (-want +got):\n%s", d)
				}
			})
		}
	}
}

// The cache never evicts a referenced page: holding more references than
// the cache size grows the cache instead.
func TestReferencedPagesStay(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true, CacheSize: 3})
	mustCommitPages(t, p, pagesOf(10, 1, 512))
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	defer p.EndRead()
	var held []*Page
	for pgno := uint32(2); pgno <= 10; pgno++ {
		pg, err := p.Get(pgno)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, pg)
	}
	for i, pg := range held {
		if want := stamp(uint32(i+2), 1, 512); string(pg.Data()) != string(want) {
			t.Errorf("page %d changed while referenced", pg.Pgno())
		}
		pg.Release()
	}
	pg, err := p.Get(2)
	if err != nil {
		t.Fatal(err)
	}
	pg.Release()
	if n := len(p.cache.pages); n > 3 {
		t.Errorf("cache holds %d pages after releasing, want at most 3", n)
	}
}

// A spill before any page was journaled writes a header with no records;
// pages journaled after it go to a second segment, which rollback must
// still find.
func TestRollbackAfterSpillOfAppendedPagesOnly(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true, CacheSize: 5})
	base := pagesOf(2, 1, 512)
	mustCommitPages(t, p, base.clone())
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	scratch := base.clone()
	for pgno := uint32(3); pgno <= 30; pgno++ {
		mustSet(t, p, scratch, pgno, 2)
	}
	if !p.dbModified {
		t.Fatal("no spill")
	}
	mustSet(t, p, scratch, 1, 2)
	mustSet(t, p, scratch, 2, 2)
	for pgno := uint32(31); pgno <= 40; pgno++ {
		mustSet(t, p, scratch, pgno, 2) // spills pages 1 and 2
	}
	if err := p.Rollback(); err != nil {
		t.Fatal(err)
	}
	q := mustOpen(t, vfs, "db", Options{})
	got, err := snapshot(q)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(base.expected(512), got); d != "" {
		t.Errorf("after rollback (-want +got):\n%s", d)
	}
}
