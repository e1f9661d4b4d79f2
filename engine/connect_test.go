package engine

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// openCountingVFS counts the opens of database files (not journals).
type openCountingVFS struct {
	osvfs.VFS
	opens atomic.Int64
}

func (v *openCountingVFS) Open(name string, flags osvfs.OpenFlag) (osvfs.File, error) {
	if flags&osvfs.OpenMainDB != 0 {
		v.opens.Add(1)
	}
	return v.VFS.Open(name, flags)
}

// Ensure that a statement that reads no table takes no lock: it runs
// while another handle holds the EXCLUSIVE lock of a rollback-mode file,
// where a query of a table cannot.
func TestSelectConstantTakesNoLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock.db")
	connect := openFileDB(t, path, Config{JournalMode: "delete"})
	c := connect()
	mustExec(t, c, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	if got := mustQuery(t, c, "SELECT x FROM t"); !cmp.Equal(got, []string{"1"}) {
		t.Fatalf("reads %v", got)
	}
	other, err := osvfs.NewUnix().Open(path, osvfs.OpenMainDB|osvfs.OpenReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for _, l := range []osvfs.LockLevel{osvfs.LockShared, osvfs.LockReserved, osvfs.LockExclusive} {
		if err := other.Lock(l); err != nil {
			t.Fatalf("lock %v: %v", l, err)
		}
	}
	c.SetBusyTimeout(0)
	for _, sql := range []string{"SELECT 1 + 1", "SELECT abs(-2)", "VALUES(2)"} {
		if got, err := queryRows(t, c, sql); err != nil || !cmp.Equal(got, []string{"2"}) {
			t.Errorf("%s under another handle's EXCLUSIVE lock: %v, %v; want [2]", sql, got, err)
		}
	}
	if _, err := queryRows(t, c, "SELECT count(*) FROM t"); resultcode.Of(err).Primary() != resultcode.Busy {
		t.Errorf("reading t under another handle's EXCLUSIVE lock: %v, want SQLITE_BUSY", err)
	}
	if err := other.Unlock(osvfs.LockNone); err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, c, "SELECT count(*) FROM t"); !cmp.Equal(got, []string{"1"}) {
		t.Errorf("reads %v after the unlock, want [1]", got)
	}
}

// Ensure that a connection opened after another closed reuses its pager
// (no file is opened), and that the settings PRAGMAs changed on the
// closed connection are set back, not passed on to the next one.
func TestConnectReusesIdlePager(t *testing.T) {
	vfs := &openCountingVFS{VFS: osvfs.NewUnix()}
	connect := openFileDB(t, filepath.Join(t.TempDir(), "pool.db"), Config{JournalMode: "delete", VFS: vfs})
	first := connect()
	mustExec(t, first, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	settings := func(c *Conn) []string {
		var out []string
		for _, p := range []string{"cache_size", "synchronous", "journal_mode"} {
			out = append(out, mustQuery(t, c, "PRAGMA "+p)...)
		}
		return out
	}
	fresh := settings(first)
	first.Close()

	opens := vfs.opens.Load()
	second := connect()
	if got := mustQuery(t, second, "SELECT x FROM t"); !cmp.Equal(got, []string{"1"}) {
		t.Fatalf("second connection reads %v", got)
	}
	mustExec(t, second, "PRAGMA cache_size = 17; PRAGMA synchronous = OFF; PRAGMA journal_mode = truncate")
	if got := settings(second); cmp.Equal(got, fresh) {
		t.Fatalf("the PRAGMAs changed nothing: %v", got)
	}
	second.Close()

	third := connect()
	if got := settings(third); !cmp.Equal(got, fresh) {
		t.Errorf("settings after a connection that changed them closed: %v, want %v", got, fresh)
	}
	if n := vfs.opens.Load() - opens; n != 0 {
		t.Errorf("connections after a close opened the file %d time(s), want 0", n)
	}
}

// Ensure that a statement about a table that another process created
// after this connection loaded the schema compiles: a failed compile
// outside a transaction checks the schema cookie and tries again.
func TestPrepareSeesTableOfAnotherProcess(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 is not installed")
	}
	path := filepath.Join(t.TempDir(), "ext.db")
	connect := openFileDB(t, path, Config{JournalMode: "delete"})
	c := connect()
	mustExec(t, c, "CREATE TABLE mine(a); INSERT INTO mine VALUES(1)")
	if got := mustQuery(t, c, "SELECT a FROM mine"); !cmp.Equal(got, []string{"1"}) {
		t.Fatalf("reads %v", got)
	}
	sqlite3Out(t, path, "CREATE TABLE theirs(b); INSERT INTO theirs VALUES(7)")
	got, err := queryRows(t, c, "SELECT b FROM theirs")
	if err != nil || !cmp.Equal(got, []string{"7"}) {
		t.Errorf("SELECT b FROM theirs: %v, %v; want [7]", got, err)
	}
	if _, err := queryRows(t, c, "SELECT b FROM nowhere"); err == nil || !strings.Contains(err.Error(), "no such table: nowhere") {
		t.Errorf("SELECT b FROM nowhere: %v, want no such table", err)
	}
}

// Ensure that in WAL mode a closed connection's pager is reused too, and
// that its SHARED lock (which every WAL connection holds while open) does
// not keep another connection from leaving WAL mode.
func TestConnectReusesWALPager(t *testing.T) {
	vfs := &openCountingVFS{VFS: osvfs.NewUnix()}
	path := filepath.Join(t.TempDir(), "wal.db")
	connect := openFileDB(t, path, Config{VFS: vfs})
	first := connect()
	mustExec(t, first, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	if got := mustQuery(t, first, "PRAGMA journal_mode"); !cmp.Equal(got, []string{"wal"}) {
		t.Fatalf("journal_mode %v, want [wal]", got)
	}
	first.Close()

	opens := vfs.opens.Load()
	second := connect()
	if got := mustQuery(t, second, "SELECT x FROM t"); !cmp.Equal(got, []string{"1"}) {
		t.Fatalf("second connection reads %v", got)
	}
	if n := vfs.opens.Load() - opens; n != 0 {
		t.Errorf("the connection after a WAL connection closed opened the file %d time(s), want 0", n)
	}
	mustExec(t, second, "INSERT INTO t VALUES(2)")
	extra := connect() // a second WAL reader, so that one pager stays idle
	if got := mustQuery(t, extra, "SELECT count(*) FROM t"); !cmp.Equal(got, []string{"2"}) {
		t.Fatalf("extra connection reads %v", got)
	}
	second.Close()
	extra.Close()

	third := connect()
	if got := mustQuery(t, third, "PRAGMA journal_mode = delete"); !cmp.Equal(got, []string{"delete"}) {
		t.Errorf("leaving WAL mode with an idle pager: %v, want [delete]", got)
	}
	if got := mustQuery(t, third, "SELECT count(*) FROM t"); !cmp.Equal(got, []string{"2"}) {
		t.Errorf("after leaving WAL mode: %v, want [2]", got)
	}
	third.Close()
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Errorf("the WAL is still there after leaving WAL mode: %v", err)
	}
}
