package pager

import (
	"errors"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// Ensure that a failed journal write loses none of the records gathered
// before it: a transaction that goes on after the error (as one whose
// statement failed does) must still be able to roll back every page it
// wrote, even after those pages reached the database file.
func TestJournalWriteErrorKeepsEarlierRecords(t *testing.T) {
	const pageSize = 512
	// Enough pages that journaling them fills the journal's buffer more
	// than once, so that a buffered write reaches the file mid-transaction.
	nPages := uint32(3 * journalBufSize / pageSize)
	vfs := osvfs.NewFault(osvfs.NewMem())
	p := mustOpen(t, vfs, "db", Options{PageSize: pageSize, CacheSize: int(2 * nPages), Create: true,
		JournalMode: JournalPersist, Synchronous: SyncNormal})
	orig := model{}
	for pgno := uint32(1); pgno <= nPages; pgno++ {
		orig[pgno] = stamp(pgno, 0, pageSize)
	}
	mustCommitPages(t, p, orig)

	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	vfs.FailWrite(1) // the journal buffer's first write
	failed := uint32(0)
	for pgno := uint32(2); pgno <= nPages; pgno++ {
		err := setPage(p, pgno, stamp(pgno, 1, pageSize))
		if err == nil {
			continue
		}
		if !errors.Is(err, osvfs.ErrInjected) || failed != 0 {
			t.Fatalf("page %d: %v", pgno, err)
		}
		failed = pgno
		// The page whose write failed is not changed; the transaction
		// goes on with the next one.
	}
	if failed == 0 {
		t.Fatal("no journal write failed")
	}
	// The database pages are written, then the database sync fails: the
	// commit fails after the file changed, and Rollback must put back
	// every original from the journal.
	vfs.FailSync(2)
	if err := p.Commit(); !errors.Is(err, osvfs.ErrInjected) {
		t.Fatalf("Commit: %v, want the injected sync failure", err)
	}
	if err := p.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	got, err := snapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(orig.expected(pageSize), got); d != "" {
		t.Errorf("after rollback (-want +got):\n%s", d)
	}
}

// Ensure that a page whose statement-journal record could not be written
// is not taken as saved: written again after the error, it must still be
// restored by the savepoint's rollback.
func TestStatementJournalWriteErrorSavesNothing(t *testing.T) {
	const pageSize = 512
	// More pages than the statement journal keeps in memory, so that its
	// records go to a file whose writes can fail.
	nPages := uint32(2*stmtSpillBytes/pageSize + 10)
	vfs := osvfs.NewFault(osvfs.NewMem())
	p := mustOpen(t, vfs, "db", Options{PageSize: pageSize, CacheSize: int(2 * nPages), Create: true})
	orig := model{}
	for pgno := uint32(1); pgno <= nPages; pgno++ {
		orig[pgno] = stamp(pgno, 0, pageSize)
	}
	mustCommitPages(t, p, orig)

	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	// Change every page before the savepoint: their originals are in the
	// main journal, so the savepoint needs statement records for them.
	for pgno := uint32(2); pgno <= nPages; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 1, pageSize)); err != nil {
			t.Fatal(err)
		}
	}
	want, err := snapshotIn(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.OpenSavepoint(1); err != nil {
		t.Fatal(err)
	}
	last := nPages
	for pgno := uint32(2); pgno < last; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 2, pageSize)); err != nil {
			t.Fatal(err)
		}
	}
	if p.stmt.f == nil {
		t.Fatal("the statement journal did not spill to a file")
	}
	vfs.FailWrite(1)
	if err := setPage(p, last, stamp(last, 2, pageSize)); !errors.Is(err, osvfs.ErrInjected) {
		t.Fatalf("write with a failing statement journal: %v", err)
	}
	if err := setPage(p, last, stamp(last, 2, pageSize)); err != nil {
		t.Fatalf("write after the failure: %v", err)
	}
	if err := p.RollbackTo(0); err != nil {
		t.Fatal(err)
	}
	got, err := snapshotIn(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(want, got); d != "" {
		t.Errorf("after rolling back the savepoint (-want +got):\n%s", d)
	}
	if err := p.Rollback(); err != nil {
		t.Fatal(err)
	}
}

// fullJournalVFS fails every write to a rollback journal while full is set,
// as a full disk fails the writes that need new blocks.
type fullJournalVFS struct {
	osvfs.VFS
	full *bool
}

type fullJournalFile struct {
	osvfs.File
	full *bool
}

func (v fullJournalVFS) Open(name string, flags osvfs.OpenFlag) (osvfs.File, error) {
	f, err := v.VFS.Open(name, flags)
	if err != nil || flags&osvfs.OpenMainJournal == 0 {
		return f, err
	}
	return fullJournalFile{f, v.full}, nil
}

func (f fullJournalFile) WriteAt(p []byte, off int64) (int, error) {
	if *f.full {
		return 0, resultcode.Errorf(resultcode.Full, "test: journal write on a full disk")
	}
	return f.File.WriteAt(p, off)
}

// Ensure that Rollback needs no journal write: on a full disk, a
// transaction whose spilled pages reached the database file still rolls
// back, from the journal records already on disk.
func TestRollbackOnFullDisk(t *testing.T) {
	const pageSize = 512
	const nPages = 400
	full := false
	vfs := fullJournalVFS{osvfs.NewMem(), &full}
	p := mustOpen(t, vfs, "db", Options{PageSize: pageSize, CacheSize: 20, Create: true})
	orig := model{}
	for pgno := uint32(1); pgno <= nPages; pgno++ {
		orig[pgno] = stamp(pgno, 0, pageSize)
	}
	mustCommitPages(t, p, orig)

	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	// The small cache spills: the first pages reach the database file.
	half := uint32(nPages / 2)
	for pgno := uint32(2); pgno <= half; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 1, pageSize)); err != nil {
			t.Fatal(err)
		}
	}
	// The disk fills up while the next records are still buffered.
	full = true
	for pgno := half + 1; pgno <= nPages; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 1, pageSize)); err != nil {
			if !errors.Is(err, resultcode.ErrFull) {
				t.Fatalf("page %d: %v", pgno, err)
			}
			break
		}
	}
	if err := p.Rollback(); err != nil {
		t.Fatalf("Rollback on a full disk: %v", err)
	}
	full = false
	got, err := snapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(orig.expected(pageSize), got); d != "" {
		t.Errorf("after rollback (-want +got):\n%s", d)
	}
}
