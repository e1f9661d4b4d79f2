package pager

import (
	"errors"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

func TestTwoPagersOnOneFile(t *testing.T) {
	vfs := osvfs.NewMem()
	w := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	r := mustOpen(t, vfs, "db", Options{})
	base := pagesOf(4, 1, 512)
	mustCommitPages(t, w, base.clone())

	// The reader caches the pages.
	if got, err := snapshot(r); err != nil || diffPages(base.expected(512), got) != "" {
		t.Fatalf("reader's first look: %v %s", err, diffPages(base.expected(512), got))
	}

	if err := w.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := r.BeginWrite(); !errors.Is(err, resultcode.ErrBusy) {
		t.Fatalf("second writer: %v, want ErrBusy", err)
	}
	if r.InRead() {
		t.Errorf("refused BeginWrite left a read transaction open")
	}
	next := base.clone()
	mustSet(t, w, next, 2, 2)
	mustSet(t, w, next, 6, 2)
	next[5] = make([]byte, 512)

	// A reader may start while the writer holds RESERVED; it sees the old
	// content, and its SHARED lock keeps the writer from committing.
	if err := r.BeginRead(); err != nil {
		t.Fatalf("reader during write: %v", err)
	}
	if d := diffPages(base.expected(512), snapshotOrFail(t, r)); d != "" {
		t.Errorf("reader during write (-want +got):\n%s", d)
	}
	if err := w.Commit(); !errors.Is(err, resultcode.ErrBusy) {
		t.Fatalf("commit with a reader: %v, want ErrBusy", err)
	}
	if !w.InWrite() {
		t.Fatalf("busy commit ended the transaction")
	}
	if err := r.EndRead(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatalf("commit retried: %v", err)
	}

	// The reader's next transaction sees the commit despite its cache.
	got, err := snapshot(r)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(next.expected(512), got); d != "" {
		t.Errorf("reader after commit (-want +got):\n%s", d)
	}
	// And the other way round.
	mustCommitPages(t, r, model{3: stamp(3, 3, 512)})
	next[3] = stamp(3, 3, 512)
	got, err = snapshot(w)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(next.expected(512), got); d != "" {
		t.Errorf("first pager after the second's commit (-want +got):\n%s", d)
	}
}

// A writer that cannot get EXCLUSIVE for a spill (a reader holds SHARED)
// grows its cache instead and still commits once the reader leaves.
func TestSpillWithReaderGrowsCache(t *testing.T) {
	vfs := osvfs.NewMem()
	w := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true, CacheSize: 5})
	r := mustOpen(t, vfs, "db", Options{})
	base := pagesOf(50, 1, 512)
	mustCommitPages(t, w, base.clone())
	if err := r.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if err := w.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	next := base.clone()
	for pgno := uint32(1); pgno <= 50; pgno++ {
		mustSet(t, w, next, pgno, 2)
	}
	if w.dbModified {
		t.Errorf("spilled while a reader holds SHARED")
	}
	if d := diffPages(base.expected(512), snapshotOrFail(t, r)); d != "" {
		t.Errorf("reader sees uncommitted pages (-want +got):\n%s", d)
	}
	r.EndRead()
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := snapshot(r)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(next.expected(512), got); d != "" {
		t.Errorf("after commit (-want +got):\n%s", d)
	}
}

// A writer that fails in the middle of its commit keeps its lock: others
// are kept out until it rolls back or dies; when it dies, the next reader
// finds its journal hot and rolls it back.
func TestHotJournalLeftByDeadPager(t *testing.T) {
	vfs := osvfs.NewFault(osvfs.NewMem())
	a := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	b := mustOpen(t, vfs, "db", Options{})
	base := pagesOf(10, 1, 512)
	mustCommitPages(t, a, base.clone())

	if err := a.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	scratch := base.clone()
	for pgno := uint32(1); pgno <= 10; pgno++ {
		mustSet(t, a, scratch, pgno, 2)
	}
	vfs.FailSync(3) // journal, journal, then the database's sync fails
	if err := a.Commit(); err == nil {
		t.Fatal("Commit succeeded despite the failed sync")
	}
	if err := b.BeginRead(); !errors.Is(err, resultcode.ErrBusy) {
		t.Fatalf("reader while the failed writer holds EXCLUSIVE: %v, want ErrBusy", err)
	}
	// The writer dies: its handle goes away without a rollback (and, as
	// with a process that dies, its place in the lock queue).
	a.file.Close()
	a.holder.Close()
	a.closed = true
	got, err := snapshot(b)
	if err != nil {
		t.Fatalf("reader after the writer died: %v", err)
	}
	if d := diffPages(base.expected(512), got); d != "" {
		t.Errorf("after hot journal rollback (-want +got):\n%s", d)
	}
	if exists, _ := vfs.Exists("db-journal"); exists {
		t.Errorf("hot journal not deleted")
	}
}
