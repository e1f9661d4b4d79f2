package pager

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

const sqlite3Path = "/usr/bin/sqlite3"

func needSQLite(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
}

// sqlite3 runs script (statements and dot-commands) on db and returns the
// output.
func sqlite3(t *testing.T, db, script string) string {
	t.Helper()
	cmd := exec.Command(sqlite3Path, db)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %s: %v\n%s", db, err, out)
	}
	return strings.TrimSpace(string(out))
}

func mustReadFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	if err := os.WriteFile(to, mustReadFile(t, from), 0o644); err != nil {
		t.Fatal(err)
	}
}

const fillTable = `CREATE TABLE t(a INTEGER PRIMARY KEY, b);
CREATE INDEX tb ON t(b);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<2000)
INSERT INTO t SELECT x, randomblob(150) FROM c;
`

// Files sqlite3 writes, at the smallest and largest page sizes, read back
// page for page.
func TestReadsSQLiteFiles(t *testing.T) {
	needSQLite(t)
	for _, ps := range []int{512, 65536} {
		db := filepath.Join(t.TempDir(), "s.db")
		sqlite3(t, db, "PRAGMA page_size="+strconv.Itoa(ps)+";\n"+fillTable)
		raw := mustReadFile(t, db)
		p := mustOpen(t, osvfs.NewUnix(), db, Options{})
		if err := p.BeginRead(); err != nil {
			t.Fatal(err)
		}
		if p.PageSize() != ps || int(p.PageCount())*ps != len(raw) {
			t.Fatalf("page size %d, %d pages; file has %d bytes of %d-byte pages", p.PageSize(), p.PageCount(), len(raw), ps)
		}
		for pgno := uint32(1); pgno <= p.PageCount(); pgno++ {
			pg, err := p.Get(pgno)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pg.Data(), raw[int(pgno-1)*ps:int(pgno)*ps]) {
				t.Errorf("page size %d: page %d differs from the file", ps, pgno)
			}
			pg.Release()
		}
		p.EndRead()
	}
}

// A commit by Wren is a valid SQLite commit: sqlite3 sees the change and the
// file passes integrity_check.
func TestSQLiteReadsWrenCommit(t *testing.T) {
	needSQLite(t)
	db := filepath.Join(t.TempDir(), "w.db")
	sqlite3(t, db, fillTable)
	before := mustReadFile(t, db)
	p := mustOpen(t, osvfs.NewUnix(), db, Options{CacheSize: 5})
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := p.SetHeaderUint32(60, 4242); err != nil { // user_version
		t.Fatal(err)
	}
	rewriteAllPages(t, p) // through the spill path
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := sqlite3(t, db, "PRAGMA user_version;\nPRAGMA integrity_check;\nSELECT count(*) FROM t;"); got != "4242\nok\n2000" {
		t.Errorf("sqlite3 after Wren's commit: %q", got)
	}
	after := mustReadFile(t, db)
	if be32(after[24:]) != be32(before[24:])+1 || be32(after[92:]) != be32(after[24:]) {
		t.Errorf("change counter %d -> %d, version-valid-for %d", be32(before[24:]), be32(after[24:]), be32(after[92:]))
	}
	if _, err := os.Stat(db + "-journal"); !os.IsNotExist(err) {
		t.Errorf("journal left after a DELETE-mode commit: %v", err)
	}
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// Wren leaves a hot journal (the commit dies after writing the database
// file, before syncing it), and sqlite3 rolls it back.
func TestSQLiteRollsBackWrenHotJournal(t *testing.T) {
	needSQLite(t)
	for _, mode := range []JournalMode{JournalDelete, JournalPersist} {
		dir := t.TempDir()
		db := filepath.Join(dir, "w.db")
		sqlite3(t, db, fillTable)
		orig := mustReadFile(t, db)

		vfs := osvfs.NewFault(osvfs.NewUnix())
		p := mustOpen(t, vfs, db, Options{CacheSize: 10, JournalMode: mode})
		if err := p.BeginWrite(); err != nil {
			t.Fatal(err)
		}
		for pgno := uint32(1); pgno <= p.PageCount(); pgno++ {
			pg, err := p.Get(pgno)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Write(pg); err != nil {
				t.Fatal(err)
			}
			for i := range pg.Data() {
				pg.Data()[i] ^= 0x5a
			}
			pg.Release()
		}
		for range 5 {
			pg, err := p.Append()
			if err != nil {
				t.Fatal(err)
			}
			pg.Release()
		}
		// FULL: the journal is synced twice (unless the last spill left
		// nothing unsynced in it), then the database pages are written;
		// the sync after that, of the database, fails.
		if p.jrnl.synced {
			vfs.FailSync(1)
		} else {
			vfs.FailSync(3)
		}
		if err := p.Commit(); err == nil {
			t.Fatal("Commit succeeded despite the failed sync")
		}
		damaged := mustReadFile(t, db)
		if bytes.Equal(damaged, orig) {
			t.Fatal("the database file was not written before the failure")
		}
		// What the disk holds now is what a crash would leave: copy it
		// aside, away from our locks.
		crashDir := t.TempDir()
		copyDB := filepath.Join(crashDir, "w.db")
		copyFile(t, db, copyDB)
		copyFile(t, db+"-journal", copyDB+"-journal")
		p.Rollback()

		if got := sqlite3(t, copyDB, "PRAGMA integrity_check;\nSELECT count(*) FROM t;"); got != "ok\n2000" {
			t.Errorf("%v: sqlite3 on the crashed file: %q", mode, got)
		}
		if got := mustReadFile(t, copyDB); !bytes.Equal(got, orig) {
			t.Errorf("%v: after sqlite3's rollback the file (%d bytes) differs from the original (%d bytes)", mode, len(got), len(orig))
		}
		if got := mustReadFile(t, db); !bytes.Equal(got, orig) {
			t.Errorf("%v: after Wren's own rollback the file differs from the original", mode)
		}
	}
}

// sqlite3 leaves a hot journal (a copy of the file and its journal taken
// while a transaction that spilled is open), and Wren rolls it back.
func TestWrenRollsBackSQLiteHotJournal(t *testing.T) {
	needSQLite(t)
	// synchronous=OFF journals have a single segment with an unknown
	// record count; FULL ones a segment per spill.
	for _, tt := range []struct {
		pageSize int
		sync     string
	}{{512, "OFF"}, {4096, "FULL"}, {16384, "OFF"}} {
		t.Run(strconv.Itoa(tt.pageSize), func(t *testing.T) { testWrenRollsBackSQLiteHotJournal(t, tt.pageSize, tt.sync) })
	}
}

func testWrenRollsBackSQLiteHotJournal(t *testing.T, pageSize int, sync string) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	sqlite3(t, db, "PRAGMA page_size="+strconv.Itoa(pageSize)+";\n"+fillTable)
	orig := mustReadFile(t, db)
	crashDir := t.TempDir()
	copyDB := filepath.Join(crashDir, "s.db")
	sqlite3(t, db, "PRAGMA synchronous="+sync+";\nPRAGMA cache_size=2;\nBEGIN;\nUPDATE t SET b=randomblob(150);\n"+
		".shell cp '"+db+"' '"+copyDB+"' && cp '"+db+"-journal' '"+copyDB+"-journal'\nROLLBACK;\n")
	if bytes.Equal(mustReadFile(t, copyDB), orig) {
		t.Fatal("sqlite3 did not spill: the copied file equals the original")
	}
	// Opened with another page size than the file's: the journal's wins.
	p := mustOpen(t, osvfs.NewUnix(), copyDB, Options{PageSize: 1024})
	p.pageSize = 1024 // as if the header had been unreadable
	if err := p.BeginRead(); err != nil {
		t.Fatalf("BeginRead with a hot journal: %v", err)
	}
	if p.PageSize() != pageSize {
		t.Errorf("page size %d after recovery, want %d", p.PageSize(), pageSize)
	}
	p.EndRead()
	if got := mustReadFile(t, copyDB); !bytes.Equal(got, orig) {
		t.Errorf("after Wren's rollback the file (%d bytes) differs from the original (%d bytes)", len(got), len(orig))
	}
	if _, err := os.Stat(copyDB + "-journal"); !os.IsNotExist(err) {
		t.Errorf("hot journal not deleted: %v", err)
	}
	if got := sqlite3(t, copyDB, "PRAGMA integrity_check;"); got != "ok" {
		t.Errorf("integrity_check: %q", got)
	}

	// A read-only pager refuses to roll back.
	sqlite3(t, db, "PRAGMA synchronous=OFF;\nPRAGMA cache_size=2;\nBEGIN;\nUPDATE t SET b=randomblob(150);\n"+
		".shell cp '"+db+"' '"+copyDB+"' && cp '"+db+"-journal' '"+copyDB+"-journal'\nROLLBACK;\n")
	ro := mustOpen(t, osvfs.NewUnix(), copyDB, Options{ReadOnly: true})
	if err := ro.BeginRead(); resultcode.Of(err) != resultcode.ReadOnlyRollback {
		t.Errorf("read-only BeginRead with a hot journal: %v, want ReadOnlyRollback", err)
	}
}

// A commit by a sqlite3 process invalidates Wren's cache: the change
// counter moved.
func TestSeesSQLiteCommit(t *testing.T) {
	needSQLite(t)
	db := filepath.Join(t.TempDir(), "s.db")
	sqlite3(t, db, "CREATE TABLE t(a);\nINSERT INTO t VALUES('before');")
	p := mustOpen(t, osvfs.NewUnix(), db, Options{})
	before, err := snapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	sqlite3(t, db, "UPDATE t SET a='after';")
	raw := mustReadFile(t, db)
	after, err := snapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(raw)/p.PageSize() {
		t.Fatalf("%d pages, file has %d", len(after), len(raw)/p.PageSize())
	}
	if !bytes.Equal(after[2], raw[p.PageSize():2*p.PageSize()]) || bytes.Equal(after[2], before[2]) {
		t.Errorf("page 2 after sqlite3's UPDATE is not what the file holds")
	}
}
