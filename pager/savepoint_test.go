package pager

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/osvfs"
)

// snapshotOrFail reads every page inside the current transaction.
func snapshotOrFail(t *testing.T, p *Pager) map[uint32][]byte {
	t.Helper()
	got, err := snapshotIn(p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSavepointRollbackRestoresOnlyInnerChanges(t *testing.T) {
	for _, cacheSize := range []int{1000, 4} { // 4: the pages spill in between
		vfs := osvfs.NewMem()
		p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true, CacheSize: cacheSize})
		base := pagesOf(10, 1, 512)
		mustCommitPages(t, p, base.clone())
		if err := p.BeginWrite(); err != nil {
			t.Fatal(err)
		}
		// Outside any savepoint: page 2 -> tx 2.
		state0 := base.clone()
		mustSet(t, p, state0, 2, 2)
		// Savepoint 0: pages 3, 2 (again) and new pages 11, 12.
		if err := p.OpenSavepoint(1); err != nil {
			t.Fatal(err)
		}
		state1 := state0.clone()
		mustSet(t, p, state1, 3, 3)
		mustSet(t, p, state1, 2, 3)
		mustSet(t, p, state1, 12, 3) // appends 11 and 12
		state1[11] = make([]byte, 512)
		// Savepoint 1: pages 4, 3, 12 and 1.
		if err := p.OpenSavepoint(2); err != nil {
			t.Fatal(err)
		}
		state2 := state1.clone()
		mustSet(t, p, state2, 4, 4)
		mustSet(t, p, state2, 3, 4)
		mustSet(t, p, state2, 12, 4)
		mustSet(t, p, state2, 1, 4)
		mustSet(t, p, state2, 14, 4)
		state2[13] = make([]byte, 512)
		if d := diffPages(state2.expected(512), snapshotOrFail(t, p)); d != "" {
			t.Fatalf("before rollback (-want +got):\n%s", d)
		}

		if err := p.RollbackTo(1); err != nil {
			t.Fatal(err)
		}
		if d := diffPages(state1.expected(512), snapshotOrFail(t, p)); d != "" {
			t.Fatalf("cache %d: after RollbackTo(1) (-want +got):\n%s", cacheSize, d)
		}
		// Savepoint 1 is still open: change and roll back again.
		mustSet(t, p, state2, 5, 5)
		mustSet(t, p, state2, 3, 5)
		if err := p.RollbackTo(1); err != nil {
			t.Fatal(err)
		}
		if d := diffPages(state1.expected(512), snapshotOrFail(t, p)); d != "" {
			t.Fatalf("cache %d: after second RollbackTo(1) (-want +got):\n%s", cacheSize, d)
		}
		if err := p.RollbackTo(0); err != nil {
			t.Fatal(err)
		}
		if d := diffPages(state0.expected(512), snapshotOrFail(t, p)); d != "" {
			t.Fatalf("cache %d: after RollbackTo(0) (-want +got):\n%s", cacheSize, d)
		}
		// Release keeps the changes made inside the savepoint.
		mustSet(t, p, state0, 6, 6)
		if err := p.Release(0); err != nil {
			t.Fatal(err)
		}
		if err := p.Commit(); err != nil {
			t.Fatal(err)
		}
		q := mustOpen(t, vfs, "db", Options{})
		got, err := snapshot(q)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffPages(state0.expected(512), got); d != "" {
			t.Errorf("cache %d: committed (-want +got):\n%s", cacheSize, d)
		}
	}
}

// A page first changed inside an inner savepoint must still be restored
// by rolling back to the outer one after the inner is rolled back.
func TestSavepointOuterSurvivesInnerRollback(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	base := pagesOf(5, 1, 512)
	mustCommitPages(t, p, base.clone())
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	defer p.Rollback()
	if err := p.OpenSavepoint(2); err != nil {
		t.Fatal(err)
	}
	scratch := base.clone()
	mustSet(t, p, scratch, 3, 2) // saved once, for both savepoints
	if err := p.RollbackTo(1); err != nil {
		t.Fatal(err)
	}
	mustSet(t, p, scratch, 3, 3) // must be saved again for savepoint 0
	if err := p.Release(1); err != nil {
		t.Fatal(err)
	}
	if err := p.RollbackTo(0); err != nil {
		t.Fatal(err)
	}
	if d := diffPages(base.expected(512), snapshotOrFail(t, p)); d != "" {
		t.Errorf("after RollbackTo(0) (-want +got):\n%s", d)
	}
}

func TestSavepointAndTruncate(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	base := pagesOf(8, 1, 512)
	mustCommitPages(t, p, base.clone())
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	defer p.Rollback()
	state := base.clone()
	mustSet(t, p, state, 7, 2)
	if err := p.OpenSavepoint(1); err != nil {
		t.Fatal(err)
	}
	if err := p.Truncate(4); err != nil {
		t.Fatal(err)
	}
	scratch := state.clone()
	mustSet(t, p, scratch, 6, 3) // re-appends 5 and 6
	if err := p.RollbackTo(0); err != nil {
		t.Fatal(err)
	}
	if p.PageCount() != 8 {
		t.Errorf("PageCount after RollbackTo = %d, want 8", p.PageCount())
	}
	if d := diffPages(state.expected(512), snapshotOrFail(t, p)); d != "" {
		t.Errorf("after RollbackTo(0) (-want +got):\n%s", d)
	}
}

// mustSet writes stamp(pgno, tx) into page pgno and records it in m.
func mustSet(t *testing.T, p *Pager, m model, pgno uint32, tx int) {
	t.Helper()
	content := stamp(pgno, tx, p.PageSize())
	if err := setPage(p, pgno, content); err != nil {
		t.Fatalf("write page %d: %v", pgno, err)
	}
	m[pgno] = content
}

// Pages changed before a savepoint and again inside it need their
// savepoint-time images kept; past 64 KiB they go to a temporary file,
// which is gone when the transaction ends.
func TestSavepointStatementJournalSpillsToFile(t *testing.T) {
	for _, name := range []string{"mem", "unix"} {
		t.Run(name, func(t *testing.T) {
			var vfs osvfs.VFS = osvfs.NewMem()
			dir := t.TempDir()
			db := "db"
			if name == "unix" {
				vfs = osvfs.NewUnix()
				db = filepath.Join(dir, "db")
			}
			p := mustOpen(t, vfs, db, Options{PageSize: 512, Create: true, CacheSize: 50})
			base := pagesOf(300, 1, 512)
			mustCommitPages(t, p, base.clone())
			if err := p.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			before := base.clone()
			for pgno := uint32(2); pgno <= 300; pgno++ {
				mustSet(t, p, before, pgno, 2)
			}
			if err := p.OpenSavepoint(1); err != nil {
				t.Fatal(err)
			}
			scratch := before.clone()
			for pgno := uint32(2); pgno <= 320; pgno++ {
				mustSet(t, p, scratch, pgno, 3)
			}
			if p.stmt.f == nil {
				t.Errorf("%d statement records (%d bytes) stayed in memory", p.stmt.len(), p.stmt.len()*512)
			}
			if err := p.RollbackTo(0); err != nil {
				t.Fatal(err)
			}
			if d := diffPages(before.expected(512), snapshotOrFail(t, p)); d != "" {
				t.Fatalf("after RollbackTo(0) (-want +got):\n%s", d)
			}
			if err := p.Commit(); err != nil {
				t.Fatal(err)
			}
			if name == "unix" {
				entries, _ := os.ReadDir(dir)
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				if diff := cmp.Diff([]string{"db"}, names); diff != "" {
					t.Errorf("files left (-want +got):\n%s", diff)
				}
			}
			got, err := snapshot(p)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffPages(before.expected(512), got); d != "" {
				t.Errorf("committed (-want +got):\n%s", d)
			}
		})
	}
}

// Pages first journaled inside a savepoint are restored from the main
// journal: no statement record is kept for them.
func TestSavepointUsesMainJournal(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	base := pagesOf(20, 1, 512)
	mustCommitPages(t, p, base.clone())
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	defer p.Rollback()
	if err := p.OpenSavepoint(1); err != nil {
		t.Fatal(err)
	}
	scratch := base.clone()
	for pgno := uint32(1); pgno <= 20; pgno++ {
		mustSet(t, p, scratch, pgno, 2)
	}
	if p.stmt.len() != 0 {
		t.Errorf("%d statement records for pages the main journal holds", p.stmt.len())
	}
	if err := p.RollbackTo(0); err != nil {
		t.Fatal(err)
	}
	if d := diffPages(base.expected(512), snapshotOrFail(t, p)); d != "" {
		t.Errorf("after RollbackTo(0) (-want +got):\n%s", d)
	}
}
