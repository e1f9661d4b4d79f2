package pager

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// sqlite3 reads what Wren committed to the WAL of a database sqlite3
// created: while Wren still has it open (through the WAL and the -shm
// index), after Wren's checkpoint, and after Wren closed it.
func TestSQLiteReadsWrenWAL(t *testing.T) {
	needSQLite(t)
	db := filepath.Join(t.TempDir(), "w.db")
	sqlite3(t, db, "PRAGMA journal_mode=wal;\n"+fillTable)
	p := mustOpen(t, osvfs.NewUnix(), db, Options{CacheSize: 5})
	p.SetWALAutoCheckpoint(0)
	for version := uint32(1); version <= 3; version++ {
		if err := p.BeginWrite(); err != nil {
			t.Fatal(err)
		}
		if !p.WALMode() {
			t.Fatal("a database sqlite3 made WAL is not opened in WAL mode")
		}
		if err := p.SetHeaderUint32(60, 4240+version); err != nil { // user_version
			t.Fatal(err)
		}
		rewriteAllPages(t, p) // through the spill path
		if err := p.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, version uint32) {
		t.Helper()
		want := fmt.Sprintf("%d\nok\n2000", 4240+version)
		if got := sqlite3(t, db, "PRAGMA user_version;\nPRAGMA integrity_check;\nSELECT count(*) FROM t;"); got != want {
			t.Errorf("sqlite3 %s: %q, want %q", when, got, want)
		}
	}
	// Read through osvfs: os.ReadFile would drop this process's locks.
	unix := osvfs.NewUnix()
	before := readAll(t, unix, db)
	check("before the checkpoint", 3)
	if !bytes.Equal(before, readAll(t, unix, db)) {
		t.Fatal("sqlite3 checkpointed while Wren had the database open")
	}
	res, err := p.Checkpoint(CheckpointPassive)
	if err != nil || res.Busy || res.Log != res.Checkpointed || res.Log == 0 {
		t.Fatalf("checkpoint: %+v %v", res, err)
	}
	check("after the checkpoint", 3)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	check("after Wren closed", 3)
}

// A live sqlite3 process inserts into a WAL database while a Wren pager
// reads it: Wren keeps its snapshot while sqlite3 commits, sees each commit
// in its next transaction (the database size grows as sqlite3's
// page_count says), and the pages it read are what sqlite3 then
// checkpoints into the database file.
func TestWrenReadsLiveSQLiteWAL(t *testing.T) {
	needSQLite(t)
	db := filepath.Join(t.TempDir(), "live.db")
	sh := startSQLite(t, db)
	sh.run(t, "PRAGMA journal_mode=wal; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(a INTEGER PRIMARY KEY, b);")
	p := mustOpen(t, osvfs.NewUnix(), db, Options{})
	var last map[uint32][]byte
	for round := 1; round <= 5; round++ {
		if err := p.BeginRead(); err != nil {
			t.Fatal(err)
		}
		held := p.PageCount()
		sh.run(t, fmt.Sprintf("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<40) "+
			"INSERT INTO t(b) SELECT randomblob(300) FROM c;"))
		if p.PageCount() != held {
			t.Errorf("round %d: the snapshot's size moved from %d to %d during a read transaction", round, held, p.PageCount())
		}
		p.EndRead()
		want, err := strconv.Atoi(sh.run(t, "PRAGMA page_count;"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := snapshot(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != want || int(held) >= want {
			t.Errorf("round %d: Wren sees %d pages (before: %d), sqlite3 says %d", round, len(got), held, want)
		}
		last = got
	}
	if !p.WALMode() {
		t.Errorf("not in WAL mode")
	}
	sh.run(t, "PRAGMA wal_checkpoint(TRUNCATE);")
	raw := readAll(t, osvfs.NewUnix(), db)
	ps := p.PageSize()
	if len(raw) != len(last)*ps {
		t.Fatalf("file of %d bytes after the checkpoint, Wren read %d pages", len(raw), len(last))
	}
	for pgno := uint32(1); int(pgno) <= len(last); pgno++ {
		page := raw[int(pgno-1)*ps : int(pgno)*ps]
		if pgno == 1 {
			page = append([]byte(nil), page...)
			for _, off := range []int{offChangeCounter, offDBSize, offVersionValid, offVersionNumber} {
				clear(page[off : off+4])
			}
			page[offWriteVersion], page[offReadVersion] = 0, 0
		}
		if !bytes.Equal(page, last[pgno]) {
			t.Errorf("page %d: Wren read something else than sqlite3 checkpointed", pgno)
		}
	}
}

// sqliteShell is a running sqlite3 process fed statements one at a time.
type sqliteShell struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

const shellSync = "--sync--"

func startSQLite(t *testing.T, db string) *sqliteShell {
	t.Helper()
	cmd := exec.Command(sqlite3Path, db)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sh := &sqliteShell{cmd: cmd, in: in, out: bufio.NewReader(out)}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return sh
}

// run sends sql and returns its output, once sqlite3 has finished it.
func (sh *sqliteShell) run(t *testing.T, sql string) string {
	t.Helper()
	if _, err := fmt.Fprintf(sh.in, "%s\n.print %s\n", sql, shellSync); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for {
		line, err := sh.out.ReadString('\n')
		if err != nil {
			t.Fatalf("sqlite3: %v (output so far %q)", err, lines)
		}
		line = strings.TrimRight(line, "\n")
		if line == shellSync {
			break
		}
		lines = append(lines, line)
	}
	out := strings.Join(lines, "\n")
	if strings.Contains(out, "Error") {
		t.Fatalf("sqlite3 %q: %s", sql, out)
	}
	return out
}

// A database Wren creates in WAL mode is a WAL database to sqlite3, which
// can then write to it while Wren has it open; Wren sees the new pages.
func TestSQLiteUsesWrenCreatedWAL(t *testing.T) {
	needSQLite(t)
	db := filepath.Join(t.TempDir(), "new.db")
	p := mustOpen(t, osvfs.NewUnix(), db, Options{Create: true, JournalMode: JournalWAL})
	for range 2 { // the second commit goes to the WAL
		if err := p.BeginWrite(); err != nil {
			t.Fatal(err)
		}
		if p.PageCount() == 0 {
			pg, err := p.Append()
			if err != nil {
				t.Fatal(err)
			}
			newHeaderPage(pg.Data())
			pg.Release()
		}
		if err := p.SetHeaderUint32(60, 7); err != nil {
			t.Fatal(err)
		}
		if err := p.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if got := sqlite3(t, db, "PRAGMA journal_mode;\nPRAGMA user_version;\nPRAGMA integrity_check;\nCREATE TABLE t(a);\nINSERT INTO t VALUES(1);"); got != "wal\n7\nok" {
		t.Errorf("sqlite3 on Wren's new WAL database: %q", got)
	}
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if p.PageCount() != 2 {
		t.Errorf("after sqlite3's CREATE TABLE Wren sees %d pages, want 2", p.PageCount())
	}
	p.EndRead()
}

// A sqlite3 process holds the write lock: Wren fails at once without a busy
// timeout, and with one it waits (backing off, since another process is
// not in the queue) until sqlite3 commits. In rollback mode for EXCLUSIVE,
// which keeps even Wren's readers out, and for RESERVED, where Wren must
// let go of SHARED between tries or sqlite3 could not commit; in WAL mode
// for the writer's lock.
func TestWaitsForSQLiteProcess(t *testing.T) {
	needSQLite(t)
	for _, mode := range []string{"delete", "delete-reserved", "wal"} {
		t.Run(mode, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "x.db")
			sh := startSQLite(t, db)
			sh.run(t, ".timeout 10000")
			sh.run(t, "PRAGMA journal_mode="+strings.TrimSuffix(mode, "-reserved")+"; CREATE TABLE t(a); INSERT INTO t VALUES(1);")
			p := mustOpen(t, osvfs.NewUnix(), db, Options{})
			if _, err := snapshot(p); err != nil {
				t.Fatal(err)
			}
			lock, try := "BEGIN EXCLUSIVE; INSERT INTO t VALUES(2);", p.BeginRead
			if mode != "delete" {
				// sqlite3 holds RESERVED (in WAL mode, the WAL's WRITE
				// lock); its commit must not be held up by Wren's wait.
				lock, try = "BEGIN IMMEDIATE; INSERT INTO t VALUES(2);", p.BeginWrite
			}
			sh.run(t, lock)
			if err := try(); !errors.Is(err, resultcode.ErrBusy) {
				t.Fatalf("while sqlite3 holds the lock, without a busy timeout: %v, want ErrBusy", err)
			}
			p.SetBusyTimeout(10 * time.Second)
			done := make(chan error)
			go func() { done <- try() }()
			time.Sleep(20 * time.Millisecond) // let it start waiting (not asserted)
			sh.run(t, "COMMIT;")
			if err := <-done; err != nil {
				t.Fatalf("after sqlite3 committed: %v", err)
			}
			if p.PageCount() != 2 {
				t.Errorf("%d pages after sqlite3's commit, want 2", p.PageCount())
			}
			p.Rollback()
		})
	}
}

// A Wren reader that asks to write while a sqlite3 process holds RESERVED
// is refused at once, as SQLite refuses it, rather than waiting (sqlite3's
// commit may need the reader's SHARED lock gone).
func TestReaderUpgradeAgainstSQLiteWriterIsBusy(t *testing.T) {
	needSQLite(t)
	db := filepath.Join(t.TempDir(), "x.db")
	sh := startSQLite(t, db)
	sh.run(t, "CREATE TABLE t(a); INSERT INTO t VALUES(1);")
	p := mustOpen(t, osvfs.NewUnix(), db, Options{BusyTimeout: time.Hour})
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	sh.run(t, "BEGIN IMMEDIATE; INSERT INTO t VALUES(2);")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := p.BeginWriteContext(ctx)
	if !errors.Is(err, resultcode.ErrBusy) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("upgrading reader against sqlite3's RESERVED: %v, want an immediate ErrBusy", err)
	}
	if !p.InRead() || p.InWrite() {
		t.Errorf("after the refusal: InRead %v, InWrite %v; want the read transaction kept", p.InRead(), p.InWrite())
	}
	p.EndRead()
	sh.run(t, "COMMIT;")
}
