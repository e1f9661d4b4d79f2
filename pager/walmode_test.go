package pager

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

func walOpts() Options {
	return Options{PageSize: 512, Create: true, JournalMode: JournalWAL}
}

// fileHeaderVersions reads header bytes 18 and 19 of the database file
// itself (not through a pager).
func fileHeaderVersions(t *testing.T, vfs osvfs.VFS, name string) [2]byte {
	t.Helper()
	b := readAll(t, vfs, name)
	if len(b) < 100 {
		return [2]byte{}
	}
	return [2]byte{b[18], b[19]}
}

func fileSize(t *testing.T, vfs osvfs.VFS, name string) int64 {
	t.Helper()
	return int64(len(readAll(t, vfs, name)))
}

// A new database opened with JournalWAL becomes a WAL database with its
// first commit; later commits go to the WAL, not to the database file, and
// a second pager and a reopen read them back.
func TestWALRoundTrip(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", walOpts())
	if !p.WALMode() || p.JournalMode() != JournalWAL {
		t.Fatalf("WALMode %v, JournalMode %v", p.WALMode(), p.JournalMode())
	}
	m := pagesOf(5, 1, 512)
	mustCommitPages(t, p, m)
	if got := fileHeaderVersions(t, vfs, "db"); got != [2]byte{2, 2} {
		t.Fatalf("header bytes 18/19 after the first commit: %v, want 2/2", got)
	}
	if p.log == nil {
		// The first commit wrote the file; the next transaction opens the WAL.
		if _, err := snapshot(p); err != nil {
			t.Fatal(err)
		}
	}
	if p.log == nil {
		t.Fatal("not in WAL mode after the first commit")
	}
	dbBefore := readAll(t, vfs, "db")
	for tx := 2; tx <= 4; tx++ {
		next := m.clone()
		for pgno := uint32(1); pgno <= 5; pgno += 2 {
			next[pgno] = stamp(pgno, tx, 512)
		}
		mustCommitPages(t, p, next)
		m = next
	}
	if d := cmp.Diff(dbBefore, readAll(t, vfs, "db")); d != "" {
		t.Errorf("WAL-mode commits changed the database file")
	}
	if size := fileSize(t, vfs, "db-wal"); size <= 32 {
		t.Errorf("-wal holds %d bytes after three commits", size)
	}
	if d := diffPages(m.expected(512), mustSnapshot(t, p)); d != "" {
		t.Errorf("writer's view (-want +got):\n%s", d)
	}
	q := mustOpen(t, vfs, "db", Options{})
	if d := diffPages(m.expected(512), mustSnapshot(t, q)); d != "" {
		t.Errorf("second pager (-want +got):\n%s", d)
	}
	if !q.WALMode() {
		t.Errorf("second pager not in WAL mode")
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed by the last connection: everything checkpointed, the -wal
	// preserved at its size.
	if d := diffPages(m.expected(512), dbFilePages(t, vfs, "db")); d != "" {
		t.Errorf("database file after the last close (-want +got):\n%s", d)
	}
	if exists, _ := vfs.Exists("db-wal"); !exists {
		t.Errorf("-wal deleted by Close")
	}
	r := mustOpen(t, vfs, "db", Options{})
	if d := diffPages(m.expected(512), mustSnapshot(t, r)); d != "" {
		t.Errorf("after reopen (-want +got):\n%s", d)
	}
	if !r.WALMode() {
		t.Errorf("reopened pager not in WAL mode")
	}
}

// dbFilePages reads the database file's pages through a fresh rollback-mode
// view: the raw file, page by page, normalized as snapshot does.
func dbFilePages(t *testing.T, vfs osvfs.VFS, name string) map[uint32][]byte {
	t.Helper()
	b := readAll(t, vfs, name)
	out := make(map[uint32][]byte)
	for i := 0; i+512 <= len(b); i += 512 {
		pg := append([]byte(nil), b[i:i+512]...)
		if i == 0 {
			for _, off := range []int{offChangeCounter, offDBSize, offVersionValid, offVersionNumber} {
				clear(pg[off : off+4])
			}
			pg[offWriteVersion], pg[offReadVersion] = 0, 0
		}
		out[uint32(i/512)+1] = pg
	}
	return out
}

// A reader keeps its snapshot while a writer commits, and sees the commit
// in its next transaction; a read transaction cannot become a write after
// another commit (BusySnapshot).
func TestWALSnapshotIsolation(t *testing.T) {
	vfs := osvfs.NewMem()
	w := mustOpen(t, vfs, "db", walOpts())
	base := pagesOf(6, 1, 512)
	mustCommitPages(t, w, base)
	mustCommitPages(t, w, base) // now in WAL mode
	r := mustOpen(t, vfs, "db", Options{})
	if err := r.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if d := diffPages(base.expected(512), mustSnapshotIn(t, r)); d != "" {
		t.Fatalf("reader's first look (-want +got):\n%s", d)
	}
	next := base.clone()
	next[3] = stamp(3, 2, 512)
	next[8] = stamp(8, 2, 512)
	next[7] = make([]byte, 512)
	// The writer needs no lock the reader holds.
	mustCommitPages(t, w, next)
	if d := diffPages(base.expected(512), mustSnapshotIn(t, r)); d != "" {
		t.Errorf("reader's snapshot changed under it (-want +got):\n%s", d)
	}
	// Waiting cannot cure a stale snapshot: refused at once despite the
	// busy timeout (the context's deadline would show a wait).
	r.SetBusyTimeout(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := r.BeginWriteContext(ctx)
	if resultcode.Of(err) != resultcode.BusySnapshot || !errors.Is(err, resultcode.ErrBusy) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("BeginWrite on a stale snapshot: %v, want BUSY_SNAPSHOT", err)
	}
	if !r.InRead() || r.InWrite() {
		t.Errorf("after the refused BeginWrite: InRead %v InWrite %v", r.InRead(), r.InWrite())
	}
	r.EndRead()
	if d := diffPages(next.expected(512), mustSnapshot(t, r)); d != "" {
		t.Errorf("reader's next transaction (-want +got):\n%s", d)
	}
	// And from nothing, BeginWrite takes a fresh snapshot.
	if err := r.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := r.Rollback(); err != nil {
		t.Fatal(err)
	}
}

func mustSnapshotIn(t *testing.T, p *Pager) map[uint32][]byte {
	t.Helper()
	got, err := snapshotIn(p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Rollback, savepoints and spills in WAL mode: a transaction far larger than
// the cache spills frames that the rollback (or a savepoint rollback)
// discards.
func TestWALRollbackSavepointSpill(t *testing.T) {
	vfs := osvfs.NewMem()
	opts := walOpts()
	opts.CacheSize = 8
	p := mustOpen(t, vfs, "db", opts)
	base := pagesOf(40, 1, 512)
	mustCommitPages(t, p, base)
	mustCommitPages(t, p, base)
	other := mustOpen(t, vfs, "db", Options{})

	// Rollback after spills.
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	for pgno := uint32(1); pgno <= 50; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 9, 512)); err != nil {
			t.Fatal(err)
		}
	}
	if !p.dbModified {
		t.Fatal("a transaction of 50 pages in a cache of 8 did not spill")
	}
	if d := diffPages(base.expected(512), mustSnapshot(t, other)); d != "" {
		t.Errorf("another connection sees spilled frames (-want +got):\n%s", d)
	}
	if err := p.Rollback(); err != nil {
		t.Fatal(err)
	}
	if d := diffPages(base.expected(512), mustSnapshot(t, p)); d != "" {
		t.Errorf("after rollback (-want +got):\n%s", d)
	}

	// A savepoint rolled back after spills, then a commit.
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	want := base.clone()
	for pgno := uint32(1); pgno <= 10; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 10, 512)); err != nil {
			t.Fatal(err)
		}
		want[pgno] = stamp(pgno, 10, 512)
	}
	if err := p.OpenSavepoint(1); err != nil {
		t.Fatal(err)
	}
	for pgno := uint32(1); pgno <= 45; pgno++ {
		if err := setPage(p, pgno, stamp(pgno, 11, 512)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.RollbackTo(0); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if d := diffPages(want.expected(512), mustSnapshot(t, other)); d != "" {
		t.Errorf("after savepoint rollback and commit (-want +got):\n%s", d)
	}
}

// PRAGMA wal_checkpoint's numbers, mode by mode, and the automatic
// checkpoint.
func TestWALCheckpoint(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", walOpts())
	p.SetWALAutoCheckpoint(0)
	m := pagesOf(4, 1, 512)
	mustCommitPages(t, p, m)
	for tx := 2; tx <= 4; tx++ {
		m = m.clone()
		m[2], m[3] = stamp(2, tx, 512), stamp(3, tx, 512)
		mustCommitPages(t, p, m) // pages 1, 2, 3: three frames each
	}
	res, err := p.Checkpoint(CheckpointPassive)
	if err != nil {
		t.Fatal(err)
	}
	// Three commits of four pages each (mustCommitPages writes them all).
	if want := (CheckpointResult{Busy: false, Log: 12, Checkpointed: 12}); res != want {
		t.Errorf("PASSIVE: %+v, want %+v", res, want)
	}
	if d := diffPages(m.expected(512), dbFilePages(t, vfs, "db")); d != "" {
		t.Errorf("database file after the checkpoint (-want +got):\n%s", d)
	}

	// A reader on an old snapshot holds a FULL checkpoint back: Busy.
	r := mustOpen(t, vfs, "db", Options{})
	if err := r.BeginRead(); err != nil {
		t.Fatal(err)
	}
	m = m.clone()
	m[4] = stamp(4, 5, 512)
	mustCommitPages(t, p, m) // restarts the WAL: frames 1 to 4
	res, err = p.Checkpoint(CheckpointFull)
	if err != nil {
		t.Fatal(err)
	}
	if want := (CheckpointResult{Busy: true, Log: 4, Checkpointed: 0}); res != want {
		t.Errorf("FULL with a reader on the old snapshot: %+v, want %+v", res, want)
	}
	r.EndRead()
	res, err = p.Checkpoint(CheckpointRestart)
	if err != nil {
		t.Fatal(err)
	}
	if want := (CheckpointResult{Busy: false, Log: 4, Checkpointed: 4}); res != want {
		t.Errorf("RESTART: %+v, want %+v", res, want)
	}
	res, err = p.Checkpoint(CheckpointTruncate)
	if err != nil {
		t.Fatal(err)
	}
	if want := (CheckpointResult{Busy: false, Log: 0, Checkpointed: 0}); res != want {
		t.Errorf("TRUNCATE: %+v, want %+v", res, want)
	}
	if size := fileSize(t, vfs, "db-wal"); size != 0 {
		t.Errorf("-wal after TRUNCATE: %d bytes", size)
	}
	if d := diffPages(m.expected(512), mustSnapshot(t, r)); d != "" {
		t.Errorf("after the checkpoints (-want +got):\n%s", d)
	}
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Checkpoint(CheckpointPassive); resultcode.Of(err) != resultcode.Locked {
		t.Errorf("checkpoint inside a transaction: %v, want LOCKED", err)
	}
	p.EndRead()

	// The automatic checkpoint: the commit that brings the WAL to 10
	// frames or more brings the database file up to date.
	p.SetWALAutoCheckpoint(10)
	for tx := 6; tx <= 8; tx++ {
		m = m.clone()
		m[2] = stamp(2, tx, 512)
		mustCommitPages(t, p, m)
		upToDate := diffPages(m.expected(512), dbFilePages(t, vfs, "db")) == ""
		if upToDate != (tx == 8) {
			t.Errorf("after commit %d (%d frames), database file up to date: %v", tx, 4*(tx-5), upToDate)
		}
	}
	m = m.clone()
	m[2] = stamp(2, 9, 512)
	mustCommitPages(t, p, m) // a new generation of the WAL: 4 frames
	if res, _ := p.Checkpoint(CheckpointPassive); res != (CheckpointResult{Log: 4, Checkpointed: 4}) {
		t.Errorf("after the automatic checkpoint and one more commit: %+v", res)
	}
	q := mustOpen(t, vfs, "db2", Options{PageSize: 512, Create: true})
	if res, err := q.Checkpoint(CheckpointPassive); err != nil || res != (CheckpointResult{Log: -1, Checkpointed: -1}) {
		t.Errorf("checkpoint in rollback mode: %+v %v", res, err)
	}
}

// journal_mode=WAL and back to DELETE, with SQLite's rules.
func TestWALJournalModeSwitch(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	m := pagesOf(5, 1, 512)
	mustCommitPages(t, p, m)
	other := mustOpen(t, vfs, "db", Options{})
	if d := diffPages(m.expected(512), mustSnapshot(t, other)); d != "" {
		t.Fatal(d)
	}
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if err := p.SetJournalMode(JournalWAL); err == nil {
		t.Errorf("into WAL mode inside a read transaction: no error")
	}
	p.EndRead()
	if err := p.SetJournalMode(JournalWAL); err != nil {
		t.Fatal(err)
	}
	if p.JournalMode() != JournalWAL || p.log == nil {
		t.Fatalf("journal mode %v after SetJournalMode(WAL)", p.JournalMode())
	}
	if got := fileHeaderVersions(t, vfs, "db"); got != [2]byte{2, 2} {
		t.Errorf("header bytes 18/19: %v, want 2/2", got)
	}
	// The other connection follows at its next transaction.
	m = m.clone()
	m[2] = stamp(2, 2, 512)
	mustCommitPages(t, p, m)
	if d := diffPages(m.expected(512), mustSnapshot(t, other)); d != "" {
		t.Errorf("other connection after the switch (-want +got):\n%s", d)
	}
	if !other.WALMode() {
		t.Errorf("other connection not in WAL mode")
	}
	// Back to DELETE: refused while the other connection has the file open.
	if err := p.SetJournalMode(JournalDelete); !errors.Is(err, resultcode.ErrBusy) {
		t.Errorf("leaving WAL mode with another connection open: %v, want ErrBusy", err)
	}
	if p.JournalMode() != JournalWAL {
		t.Errorf("journal mode %v after the refused switch", p.JournalMode())
	}
	mustCommitPages(t, p, m) // still works
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.SetJournalMode(JournalDelete); err != nil {
		t.Fatal(err)
	}
	if p.JournalMode() != JournalDelete || p.WALMode() {
		t.Errorf("journal mode %v after SetJournalMode(DELETE)", p.JournalMode())
	}
	if got := fileHeaderVersions(t, vfs, "db"); got != [2]byte{1, 1} {
		t.Errorf("header bytes 18/19: %v, want 1/1", got)
	}
	if exists, _ := vfs.Exists("db-wal"); exists {
		t.Errorf("-wal still there after leaving WAL mode")
	}
	m = m.clone()
	m[3] = stamp(3, 3, 512)
	mustCommitPages(t, p, m)
	if d := diffPages(m.expected(512), dbFilePages(t, vfs, "db")); d != "" {
		t.Errorf("rollback-mode commit after leaving WAL (-want +got):\n%s", d)
	}
	// A database with no pages becomes WAL with its first commit.
	e := mustOpen(t, vfs, "empty", Options{PageSize: 512, Create: true})
	if err := e.SetJournalMode(JournalWAL); err != nil || e.JournalMode() != JournalWAL {
		t.Fatalf("SetJournalMode(WAL) on an empty database: %v, mode %v", err, e.JournalMode())
	}
	mustCommitPages(t, e, pagesOf(2, 1, 512))
	if got := fileHeaderVersions(t, vfs, "empty"); got != [2]byte{2, 2} {
		t.Errorf("header bytes 18/19 of the new WAL database: %v", got)
	}
}

// Options.JournalMode = JournalWAL does not convert an existing rollback
// database: the file's header decides.
func TestWALOptionKeepsExistingMode(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	mustCommitPages(t, p, pagesOf(3, 1, 512))
	p.Close()
	q := mustOpen(t, vfs, "db", walOpts())
	if _, err := snapshot(q); err != nil {
		t.Fatal(err)
	}
	if q.WALMode() {
		t.Errorf("an existing rollback database opened with JournalWAL is in WAL mode")
	}
}

// The -wal file is never deleted or truncated by Close, and a second run of
// the same workload reuses it instead of growing it.
func TestWALPreserved(t *testing.T) {
	vfs := osvfs.NewMem()
	run := func() int64 {
		p := mustOpen(t, vfs, "db", walOpts())
		for tx := 1; tx <= 20; tx++ {
			mustCommitPages(t, p, pagesOf(6, tx, 512))
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if exists, _ := vfs.Exists("db-wal"); !exists {
			t.Fatal("-wal deleted by Close")
		}
		return fileSize(t, vfs, "db-wal")
	}
	run() // the first commit of a new database is not in the WAL
	first := run()
	if first <= 32 {
		t.Fatalf("-wal of %d bytes after 20 commits", first)
	}
	if second := run(); second != first {
		t.Errorf("-wal grew from %d to %d bytes on the second run", first, second)
	}
}

// mustSnapshot is snapshot (in a read transaction of its own), failing the
// test on error.
func mustSnapshot(t *testing.T, p *Pager) map[uint32][]byte {
	t.Helper()
	got, err := snapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// journal_size_limit caps the preserved WAL when a new generation begins.
func TestWALJournalSizeLimit(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", walOpts())
	p.SetWALAutoCheckpoint(0)
	mustCommitPages(t, p, pagesOf(20, 1, 512))
	for tx := 2; tx <= 5; tx++ {
		mustCommitPages(t, p, pagesOf(20, tx, 512))
	}
	big := fileSize(t, vfs, "db-wal")
	if _, err := p.Checkpoint(CheckpointPassive); err != nil {
		t.Fatal(err)
	}
	p.SetJournalSizeLimit(4096)
	mustCommitPages(t, p, pagesOf(20, 6, 512)) // a new generation: cut to the limit
	if size := fileSize(t, vfs, "db-wal"); size >= big || size > 32+20*536 {
		t.Errorf("-wal of %d bytes (was %d) after a new generation with a 4096-byte limit", size, big)
	}
	if p.JournalSizeLimit() != 4096 {
		t.Errorf("JournalSizeLimit %d", p.JournalSizeLimit())
	}
}
