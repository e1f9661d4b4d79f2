package wren_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wrendb/wren"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// countingVFS is the operating system's VFS, counting the ReadAt calls
// that reach -wal files: frames read from the WAL's memory mapping never
// get here.
type countingVFS struct {
	osvfs.VFS
	walReads atomic.Int64
}

func newCountingVFS() *countingVFS { return &countingVFS{VFS: osvfs.NewUnix()} }

func (v *countingVFS) Open(name string, flags osvfs.OpenFlag) (osvfs.File, error) {
	f, err := v.VFS.Open(name, flags)
	if err != nil || !strings.HasSuffix(name, "-wal") {
		return f, err
	}
	cf := &countingFile{File: f, n: &v.walReads}
	if m, ok := f.(osvfs.Mapper); ok {
		return &struct {
			*countingFile
			osvfs.Mapper
		}{cf, m}, nil
	}
	return cf, nil
}

type countingFile struct {
	osvfs.File
	n *atomic.Int64
}

func (f *countingFile) ReadAt(p []byte, off int64) (int, error) {
	f.n.Add(1)
	return f.File.ReadAt(p, off)
}

// openConfig opens a *sql.DB for cfg.
func openConfig(t testing.TB, cfg wren.Config) *sql.DB {
	t.Helper()
	c, err := cfg.Connector()
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}

// fileSize returns the size of path, failing the test when it is missing.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return fi.Size()
}

// Ensure that the WAL is preserved: after the database closes the -wal
// file is still there with the size it grew to (its header rewritten, so
// the next open has nothing to replay), a second run of the same workload
// reuses it instead of growing it, and sqlite3 finds the database sound
// and complete.
func TestWALPreserved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keep.db")
	workload := func(run int) {
		db := openConfig(t, wren.Config{Path: path})
		mustExec(t, db, "CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v BLOB, run INTEGER)")
		for tx := range 30 {
			mustExec(t, db, `WITH RECURSIVE k(i) AS (SELECT ? UNION ALL SELECT i+1 FROM k WHERE i < ?+19)
				INSERT OR REPLACE INTO t SELECT i, zeroblob(300), ? FROM k`, tx*20%200, tx*20%200, run)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	workload(1)
	first := fileSize(t, path+"-wal")
	if first <= 32 {
		t.Fatalf("-wal after the first run: %d bytes, want the frames' space kept", first)
	}
	workload(2)
	second := fileSize(t, path+"-wal")
	if second > first {
		t.Errorf("-wal grew from %d to %d bytes on the second run of the same workload", first, second)
	}
	t.Logf("-wal: %d bytes after run 1, %d after run 2", first, second)
	db := openConfig(t, wren.Config{Path: path})
	var n, runs int
	if err := db.QueryRow("SELECT count(*), count(DISTINCT run) FROM t WHERE run = 2").Scan(&n, &runs); err != nil || n != 200 {
		t.Errorf("rows of run 2 = %d, %v; want 200", n, err)
	}
	db.Close()
	if got := sqlite3(t, path, "PRAGMA integrity_check; SELECT count(*) FROM t WHERE run = 2; PRAGMA journal_mode"); got != "ok\n200\nwal" {
		t.Errorf("sqlite3 after Wren closed: %q, want ok, 200 rows, wal", got)
	}
}

// Ensure that WAL frames are read through the memory mapping: a fresh
// connection reads every row of a table whose pages are only in the WAL
// (automatic checkpoints are off), and no ReadAt reaches the -wal file.
func TestWALReadsFromMapping(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mapped.db")
	vfs := newCountingVFS()
	db := openConfig(t, wren.Config{Path: path, VFS: vfs, Pragmas: []string{"wal_autocheckpoint(0)"}})
	db.SetMaxOpenConns(2)
	ctx := context.Background()
	writer, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if _, err := writer.ExecContext(ctx, "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)"); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := writer.ExecContext(ctx, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM k WHERE i < 50)
			INSERT INTO t(v) SELECT randomblob(100 + ?) FROM k`, i); err != nil {
			t.Fatal(err)
		}
	}
	dbPages := fileSize(t, path) / 4096
	reader, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	// The first statement opens the connection's WAL (reading its header
	// is allowed to use ReadAt); the query after it reads frames.
	var mode string
	if err := reader.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	before := vfs.walReads.Load()
	var n, total int64
	if err := reader.QueryRowContext(ctx, "SELECT count(*), sum(length(v)) FROM t").Scan(&n, &total); err != nil {
		t.Fatal(err)
	}
	if n != 1000 {
		t.Fatalf("rows = %d, want 1000", n)
	}
	if reads := vfs.walReads.Load() - before; reads != 0 {
		t.Errorf("%d ReadAt calls on the -wal to read %d rows; want every frame read from the mapping", reads, n)
	}
	var pages int64
	if err := reader.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if pages <= dbPages {
		t.Fatalf("the database has %d pages and its file %d: the query did not need the WAL", pages, dbPages)
	}
	t.Logf("%d pages, %d in the database file, the rest read from WAL frames", pages, dbPages)
}

// Ensure that in WAL mode with synchronous=FULL every committed
// transaction survives a power loss at any point of the workload,
// including during automatic checkpoints (every 8 frames) and explicit
// TRUNCATE checkpoints, and that the database stays sound: the power is
// cut after each number of writes and syncs in turn (a fault-injecting
// file system over memory), and the recovered database must hold exactly
// the transactions whose commit returned, or one more (the one in flight
// may have reached the disk).
func TestWALCrashSafety(t *testing.T) {
	const txs = 40
	run := func(vfs *osvfs.FaultVFS) (committed int) {
		cfg := wren.Config{Path: "/crash.db", VFS: vfs, Pragmas: []string{"synchronous(full)", "wal_autocheckpoint(8)"}}
		c, err := cfg.Connector()
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(c)
		defer db.Close()
		db.SetMaxOpenConns(1)
		if _, err := db.Exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX IF NOT EXISTS tv ON t(v)"); err != nil {
			return 0
		}
		for i := 1; i <= txs; i++ {
			_, err := db.Exec("INSERT INTO t VALUES(?, ?); UPDATE t SET v = v || 'x' WHERE id % 5 = ?", i, strings.Repeat("v", 200), i%5)
			if err != nil {
				return committed
			}
			committed = i
			if i%10 == 0 {
				if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
					return committed
				}
			}
		}
		return committed
	}
	check := func(vfs *osvfs.FaultVFS) (rows int, integrity string, err error) {
		cfg := wren.Config{Path: "/crash.db", VFS: vfs}
		c, err := cfg.Connector()
		if err != nil {
			return 0, "", err
		}
		db := sql.OpenDB(c)
		defer db.Close()
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil {
			return 0, "", err
		}
		var maxID sql.NullInt64
		if err := db.QueryRow("SELECT count(*), max(id) FROM t").Scan(&rows, &maxID); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				return 0, integrity, nil
			}
			return 0, "", err
		}
		if rows != int(maxID.Int64) {
			return rows, integrity, fmt.Errorf("%d rows but max(id) = %d: a transaction was lost in the middle", rows, maxID.Int64)
		}
		return rows, integrity, nil
	}

	clean := osvfs.NewFault(osvfs.NewMem())
	if n := run(clean); n != txs {
		t.Fatalf("the workload without faults committed %d of %d", n, txs)
	}
	ops := clean.Writes() + clean.Syncs()
	step := max(ops/60, 1) // about 60 cuts spread over the workload
	if os.Getenv("WREN_LONG") != "" {
		step = 1
	}
	t.Logf("workload: %d writes and syncs; cutting every %d", ops, step)
	for cut := int64(0); cut < ops; cut += step {
		vfs := osvfs.NewFault(osvfs.NewMem())
		vfs.CutAfterOps(cut)
		committed := run(vfs)
		if err := vfs.Crash(); err != nil {
			t.Fatal(err)
		}
		vfs.Reset()
		rows, integrity, err := check(vfs)
		if err != nil {
			t.Errorf("cut after %d ops: reopen: %v", cut, err)
			continue
		}
		if integrity != "ok" {
			t.Errorf("cut after %d ops: integrity_check: %s", cut, integrity)
		}
		if rows != committed && rows != committed+1 {
			t.Errorf("cut after %d ops: %d transactions committed, %d survived", cut, committed, rows)
		}
	}
}

// Ensure that new files start in WAL mode through the driver and that
// _pragma=journal_mode(delete) opts out, and that the WAL pragmas are
// reachable through database/sql.
func TestJournalModeDSN(t *testing.T) {
	tests := []struct {
		params []string
		want   string
	}{
		{nil, "wal"},
		{[]string{"_pragma=journal_mode(delete)"}, "delete"},
		{[]string{"_pragma=journal_mode(WAL)"}, "wal"},
	}
	for _, tt := range tests {
		db, path := openDB(t, tt.params...)
		mustExec(t, db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
		var mode string
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != tt.want {
			t.Errorf("%v: journal_mode = %q, %v; want %s", tt.params, mode, err, tt.want)
		}
		_, err := os.Stat(path + "-wal")
		if (err == nil) != (tt.want == "wal") {
			t.Errorf("%v: -wal file exists = %v, want %v", tt.params, err == nil, tt.want == "wal")
		}
	}
	db, _ := openDB(t)
	mustExec(t, db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	got := queryAll(t, db, "PRAGMA wal_checkpoint(TRUNCATE)")
	if len(got) != 1 || len(got[0]) != 3 || fmt.Sprint(got[0]) != "[0 0 0]" {
		t.Errorf("wal_checkpoint(TRUNCATE) = %v, want [[0 0 0]]", got)
	}
	var timeout int
	if err := db.QueryRow("PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout != 5000 {
		t.Errorf("busy_timeout = %d, %v; want the default 5000", timeout, err)
	}
}

// Ensure that a deferred transaction that read, then writes after another
// connection committed, fails at once with SQLITE_BUSY_SNAPSHOT and a
// message that says what to do; with _txlock=immediate the same sequence
// succeeds.
func TestBusySnapshotSQL(t *testing.T) {
	for _, txlock := range []string{"deferred", "immediate"} {
		db, _ := openDB(t, "_txlock="+txlock)
		mustExec(t, db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		other := make(chan error, 1)
		go func() { _, err := db.Exec("INSERT INTO t VALUES(2)"); other <- err }()
		if txlock == "deferred" {
			if err := <-other; err != nil {
				t.Fatal(err)
			}
			_, err = tx.Exec("INSERT INTO t VALUES(3)")
			var we *wren.Error
			if !errors.As(err, &we) || we.ExtendedCode != resultcode.BusySnapshot {
				t.Fatalf("deferred: write after a stale read: %v, want SQLITE_BUSY_SNAPSHOT", err)
			}
			if !errors.Is(err, wren.ErrBusy) || !strings.Contains(err.Error(), "retry the transaction or BEGIN IMMEDIATE") {
				t.Errorf("deferred: error %q does not match ErrBusy or does not say what to do", err)
			}
			tx.Rollback()
			continue
		}
		// Immediate: the other writer waits for this transaction.
		if _, err := tx.Exec("INSERT INTO t VALUES(3)"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-other; err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 3 {
			t.Errorf("immediate: %d rows, %v; want 3", n, err)
		}
	}
}
