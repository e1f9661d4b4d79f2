package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/resultcode"
)

// openFileDB opens path with cfg (Create set) and returns a function that
// makes connections to it, closed with the test.
func openFileDB(t *testing.T, path string, cfg Config) func() *Conn {
	t.Helper()
	cfg.Create = true
	db, err := Open(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func() *Conn {
		t.Helper()
		c, err := db.Connect()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
}

func mustQuery(t *testing.T, c *Conn, sql string) []string {
	t.Helper()
	out, err := queryRows(t, c, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// TestJournalModeDefaults checks the journal mode a database starts in:
// WAL for a new file, what the config says when it opts out, MEMORY for
// in-memory databases (which cannot be switched to WAL), and the mode a
// file's header says for an existing file.
func TestJournalModeDefaults(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		open func() *Conn
		want []string
	}{
		{"new file", openFileDB(t, filepath.Join(dir, "new.db"), Config{}), []string{"wal"}},
		{"config delete", openFileDB(t, filepath.Join(dir, "delete.db"), Config{JournalMode: "delete"}), []string{"delete"}},
		{"config wal", openFileDB(t, filepath.Join(dir, "wal.db"), Config{JournalMode: "WAL"}), []string{"wal"}},
		{"private memory", func() *Conn { return memConn(t) }, []string{"memory"}},
		{"named memory", openFileDB(t, "walnamed", Config{Memory: true}), []string{"memory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.open()
			mustExec(t, c, "CREATE TABLE t(x)")
			if diff := cmp.Diff(tt.want, mustQuery(t, c, "PRAGMA journal_mode")); diff != "" {
				t.Errorf("journal_mode (-want +got):\n%s", diff)
			}
			// Asking for WAL changes nothing where it is refused or
			// already in force.
			got := mustQuery(t, c, "PRAGMA journal_mode=wal")
			if tt.want[0] == "memory" {
				if diff := cmp.Diff([]string{"memory"}, got); diff != "" {
					t.Errorf("journal_mode=wal on memory (-want +got):\n%s", diff)
				}
			}
			if tt.want[0] == "wal" {
				if diff := cmp.Diff([]string{"wal"}, got); diff != "" {
					t.Errorf("journal_mode=wal on wal (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"wal"}, mustQuery(t, c, "PRAGMA journal_mode")); diff != "" {
					t.Errorf("journal_mode after =wal (-want +got):\n%s", diff)
				}
			}
		})
	}

	// An existing rollback-journal file keeps its mode when opened with
	// the WAL default; a fresh connection reports it before any statement.
	path := filepath.Join(dir, "old.db")
	c := openFileDB(t, path, Config{JournalMode: "delete"})()
	mustExec(t, c, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	c.Close()
	fresh, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	c2, err := fresh.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if diff := cmp.Diff([]string{"delete"}, mustQuery(t, c2, "PRAGMA journal_mode")); diff != "" {
		t.Errorf("existing delete-mode file (-want +got):\n%s", diff)
	}
}

// TestJournalModeSwitch converts a database into WAL mode and back.
func TestJournalModeSwitch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switch.db")
	c := openFileDB(t, path, Config{JournalMode: "delete"})()
	mustExec(t, c, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	steps := []struct{ sql, want string }{
		{"PRAGMA journal_mode=WAL", "wal"},
		{"PRAGMA journal_mode", "wal"},
		{"PRAGMA journal_mode=bogus", "wal"},
		{"PRAGMA journal_mode=delete", "delete"},
		{"PRAGMA journal_mode=truncate", "truncate"},
		{"PRAGMA journal_mode=wal", "wal"},
	}
	for _, st := range steps {
		if diff := cmp.Diff([]string{st.want}, mustQuery(t, c, st.sql)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", st.sql, diff)
		}
	}
	mustExec(t, c, "INSERT INTO t VALUES(2)")
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no -wal file after a write in WAL mode: %v", err)
	}
	mustExec(t, c, "BEGIN; INSERT INTO t VALUES(3)")
	_, err := queryRows(t, c, "PRAGMA journal_mode=delete")
	if err == nil || !strings.Contains(err.Error(), "cannot change out of wal mode from within a transaction") {
		t.Errorf("journal_mode=delete in a transaction: got %v", err)
	}
	mustExec(t, c, "COMMIT")
	if diff := cmp.Diff([]string{"3"}, mustQuery(t, c, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestWALPragmas checks the settings' defaults, that setting one returns
// the new value, and wal_checkpoint's row.
func TestWALPragmas(t *testing.T) {
	c := openFileDB(t, filepath.Join(t.TempDir(), "p.db"), Config{})()
	mustExec(t, c, "CREATE TABLE t(x); INSERT INTO t VALUES(1),(2)")
	steps := []struct {
		sql  string
		want []string
	}{
		{"PRAGMA synchronous", []string{"2"}},
		{"PRAGMA synchronous=normal", nil},
		{"PRAGMA synchronous", []string{"1"}},
		{"PRAGMA synchronous=OFF", nil},
		{"PRAGMA synchronous", []string{"0"}},
		{"PRAGMA synchronous=3", nil},
		{"PRAGMA synchronous", []string{"3"}},
		{"PRAGMA synchronous=yes", nil},
		{"PRAGMA synchronous", []string{"1"}},
		{"PRAGMA synchronous=full", nil},
		{"PRAGMA synchronous", []string{"2"}},
		{"PRAGMA busy_timeout", []string{"5000"}},
		{"PRAGMA busy_timeout=250", []string{"250"}},
		{"PRAGMA busy_timeout", []string{"250"}},
		{"PRAGMA busy_timeout=-5", []string{"0"}},
		{"PRAGMA wal_autocheckpoint", []string{"1000"}},
		{"PRAGMA wal_autocheckpoint=10", []string{"10"}},
		{"PRAGMA journal_size_limit", []string{"-1"}},
		{"PRAGMA journal_size_limit=65536", []string{"65536"}},
		{"PRAGMA journal_size_limit=-7", []string{"-1"}},
		{"PRAGMA mmap_size", []string{"0"}},
		{"PRAGMA mmap_size=1048576", []string{"1048576"}},
		{"PRAGMA mmap_size=99999999999", []string{"2147418112"}},
		// Two commits (CREATE, INSERT) of page 1 and page 2 each: the
		// WAL holds frames, a checkpoint copies them all.
		{"PRAGMA wal_checkpoint(TRUNCATE)", []string{"0|0|0"}},
		{"PRAGMA wal_checkpoint", []string{"0|0|0"}},
	}
	for _, st := range steps {
		if diff := cmp.Diff(st.want, mustQuery(t, c, st.sql)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", st.sql, diff)
		}
	}
	mustExec(t, c, "INSERT INTO t VALUES(3)")
	got := mustQuery(t, c, "PRAGMA wal_checkpoint(PASSIVE)")
	if len(got) != 1 || got[0] == "0|0|0" || !strings.HasPrefix(got[0], "0|") {
		t.Errorf("wal_checkpoint after a commit = %v, want busy 0 and frames", got)
	}
	if parts := strings.Split(got[0], "|"); parts[1] != parts[2] {
		t.Errorf("wal_checkpoint(PASSIVE) with no reader left frames behind: %v", got)
	}
	mustExec(t, c, "BEGIN; SELECT * FROM t")
	if _, err := queryRows(t, c, "PRAGMA wal_checkpoint"); resultcode.Of(err) != resultcode.Locked {
		t.Errorf("wal_checkpoint in a transaction: got %v, want SQLITE_LOCKED", err)
	}
	mustExec(t, c, "COMMIT")

	// Outside WAL mode the row is 0|-1|-1, as SQLite's.
	d := openFileDB(t, filepath.Join(t.TempDir(), "d.db"), Config{JournalMode: "delete"})()
	mustExec(t, d, "CREATE TABLE t(x)")
	if diff := cmp.Diff([]string{"0|-1|-1"}, mustQuery(t, d, "PRAGMA wal_checkpoint")); diff != "" {
		t.Errorf("wal_checkpoint in delete mode (-want +got):\n%s", diff)
	}
}

// TestBusySnapshot: a deferred transaction that read, then wants to write
// after another connection committed, fails at once with BUSY_SNAPSHOT
// (waiting could never help it), even with a long busy timeout.
func TestBusySnapshot(t *testing.T) {
	conn := openFileDB(t, filepath.Join(t.TempDir(), "snap.db"), Config{BusyTimeout: time.Hour})
	a, b := conn(), conn()
	mustExec(t, a, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	mustExec(t, a, "BEGIN")
	mustQuery(t, a, "SELECT * FROM t")
	mustExec(t, b, "INSERT INTO t VALUES(2)")
	err := a.Exec("INSERT INTO t VALUES(3)")
	if resultcode.Of(err) != resultcode.BusySnapshot {
		t.Fatalf("write after a stale read: got %v (code %v), want BUSY_SNAPSHOT", err, resultcode.Of(err))
	}
	if !strings.Contains(err.Error(), "retry the transaction or BEGIN IMMEDIATE") {
		t.Errorf("message %q does not say what to do", err)
	}
	mustExec(t, a, "ROLLBACK")
	mustExec(t, a, "BEGIN IMMEDIATE; INSERT INTO t VALUES(3); COMMIT")
	if diff := cmp.Diff([]string{"3"}, mustQuery(t, a, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestLockWaitContext: a statement's context bounds its wait for a lock,
// and the error wraps both ErrBusy or ErrInterrupt and the context's error.
func TestLockWaitContext(t *testing.T) {
	conn := openFileDB(t, filepath.Join(t.TempDir(), "ctx.db"), Config{BusyTimeout: time.Hour})
	a, b := conn(), conn()
	mustExec(t, a, "CREATE TABLE t(x)")
	mustExec(t, a, "BEGIN IMMEDIATE; INSERT INTO t VALUES(1)")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	b.SetContext(ctx)
	err := b.Exec("INSERT INTO t VALUES(2)")
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, resultcode.ErrBusy) {
		t.Errorf("deadline: got %v, want an error wrapping ErrBusy and DeadlineExceeded", err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	b.SetContext(ctx2)
	go func() {
		waitQueued(t, b, 1)
		cancel2()
	}()
	err = b.Exec("INSERT INTO t VALUES(3)")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancel: got %v, want an error wrapping context.Canceled", err)
	}
	b.SetContext(nil)
	mustExec(t, a, "COMMIT")
	mustExec(t, b, "INSERT INTO t VALUES(4)")
	if diff := cmp.Diff([]string{"1", "4"}, mustQuery(t, b, "SELECT x FROM t ORDER BY x")); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// waitQueued returns once n requests wait in c's file's lock queue.
func waitQueued(t *testing.T, c *Conn, n int) {
	for c.LockStats().Queued < n {
		time.Sleep(100 * time.Microsecond)
	}
}

// TestReaderDoesNotWaitForWriter: in WAL mode a query runs while another
// connection holds the write lock, with a zero busy timeout (any wait
// would fail at once), and sees the last committed state.
func TestReaderDoesNotWaitForWriter(t *testing.T) {
	conn := openFileDB(t, filepath.Join(t.TempDir(), "r.db"), Config{})
	w, r := conn(), conn()
	mustExec(t, w, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	r.SetBusyTimeout(0)
	mustExec(t, w, "BEGIN IMMEDIATE; INSERT INTO t VALUES(2)")
	if diff := cmp.Diff([]string{"1"}, mustQuery(t, r, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("reader during a write transaction (-want +got):\n%s", diff)
	}
	mustExec(t, w, "COMMIT")
	if diff := cmp.Diff([]string{"2"}, mustQuery(t, r, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("reader after the commit (-want +got):\n%s", diff)
	}
}

// TestLockQueueOrder: writers that queue for the write lock get it in
// arrival order, and a priority writer gets it before the normal writers
// that queued earlier. Each writer logs its name while it holds the lock,
// so the log is the order of the grants.
func TestLockQueueOrder(t *testing.T) {
	conn := openFileDB(t, filepath.Join(t.TempDir(), "order.db"), Config{})
	holder := conn()
	mustExec(t, holder, "CREATE TABLE log(name)")
	mustExec(t, holder, "BEGIN IMMEDIATE")

	names := []string{"n1", "n2", "n3", "p1", "n4", "p2"}
	var wg sync.WaitGroup
	errs := make(chan error, len(names))
	for i, name := range names {
		c := conn()
		ctx := context.Background()
		if name[0] == 'p' {
			ctx = lockqueue.WithPriority(ctx)
		}
		c.SetContext(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- c.Exec("INSERT INTO log VALUES('" + name + "')")
		}()
		// One at a time, so that the arrival order is known.
		waitQueued(t, holder, i+1)
	}
	mustExec(t, holder, "COMMIT")
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"p1", "p2", "n1", "n2", "n3", "n4"}
	if diff := cmp.Diff(want, mustQuery(t, holder, "SELECT name FROM log ORDER BY rowid")); diff != "" {
		t.Errorf("grant order (-want +got):\n%s", diff)
	}
}
