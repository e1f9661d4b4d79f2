//go:build unix

package osvfs

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrendb/wren/resultcode"
)

// sqlite3Path finds the real sqlite3 shell, the oracle for locking: a Wren
// handle and a sqlite3 process must see each other's locks.
func sqlite3Path(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 not found in PATH: skipping the lock interoperability test (install sqlite3 to run it)")
	}
	return p
}

// runSQLite runs a script in sqlite3 with no busy timeout and returns its
// output.
func runSQLite(t *testing.T, bin, db, script string) string {
	t.Helper()
	cmd := exec.Command(bin, db)
	cmd.Stdin = strings.NewReader(".timeout 0\n" + script + "\n")
	out, _ := cmd.CombinedOutput() // a refused lock is an exit status of 1
	return string(out)
}

func newSQLiteDB(t *testing.T, bin string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "interop.db")
	if out := runSQLite(t, bin, db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);"); out != "" {
		t.Fatalf("creating the database: %s", out)
	}
	return db
}

func TestInteropSQLiteSeesWrenLocks(t *testing.T) {
	bin := sqlite3Path(t)
	const (
		read  = "SELECT count(*) FROM t;"
		write = "BEGIN IMMEDIATE; INSERT INTO t VALUES(2); COMMIT;"
	)
	tests := []struct {
		level      LockLevel
		script     string
		wantLocked bool
	}{
		{LockNone, write, false},
		{LockShared, read, false},
		{LockShared, "BEGIN IMMEDIATE;", false},
		{LockShared, write, true}, // the commit needs EXCLUSIVE
		{LockReserved, read, false},
		{LockReserved, "BEGIN IMMEDIATE;", true},
		{LockPending, read, true},
		{LockExclusive, read, true},
		{LockExclusive, "BEGIN IMMEDIATE;", true},
	}
	db := newSQLiteDB(t, bin)
	f := mustOpen(t, NewUnix(), db, OpenReadWrite|OpenMainDB)
	for _, tt := range tests {
		t.Run(tt.level.String()+" "+tt.script, func(t *testing.T) {
			for l := LockShared; l <= tt.level; l++ {
				if err := f.Lock(l); err != nil {
					t.Fatalf("Lock(%v): %v", l, err)
				}
			}
			defer f.Unlock(LockNone)
			out := runSQLite(t, bin, db, tt.script)
			if got := strings.Contains(out, "database is locked"); got != tt.wantLocked {
				t.Errorf("sqlite3 %q while Wren holds %v: output %q; want locked %v", tt.script, tt.level, out, tt.wantLocked)
			}
		})
	}
}

// sqlite3Holding starts sqlite3, runs script in it and waits until it has
// done so; the process keeps its transaction open until the returned
// function closes its input.
func sqlite3Holding(t *testing.T, bin, db, script string) (release func()) {
	t.Helper()
	cmd := exec.Command(bin, db)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			stdin.Close()
			cmd.Wait()
		}
	}
	t.Cleanup(release)
	// The shell flushes after each statement: "ready" means the script ran.
	if _, err := io.WriteString(stdin, ".timeout 0\n"+script+"\nSELECT 'ready';\n"); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	var seen []string
	for lines.Scan() {
		if lines.Text() == "ready" {
			return release
		}
		seen = append(seen, lines.Text())
	}
	t.Fatalf("sqlite3 did not get through %q: %q", script, seen)
	return nil
}

func TestInteropWrenSeesSQLiteLocks(t *testing.T) {
	bin := sqlite3Path(t)
	tests := []struct {
		script string
		// steps are the levels Wren climbs, in order; the first refused
		// one must be refused with busy, and the ones after are not tried.
		steps        []LockLevel
		busyAt       LockLevel
		wantReserved bool
	}{
		{"BEGIN EXCLUSIVE;", []LockLevel{LockShared}, LockShared, true},
		{"BEGIN IMMEDIATE;", []LockLevel{LockShared, LockReserved}, LockReserved, true},
		{"BEGIN IMMEDIATE; INSERT INTO t VALUES(3);", []LockLevel{LockShared, LockReserved}, LockReserved, true},
		{"BEGIN; SELECT count(*) FROM t;", []LockLevel{LockShared, LockReserved, LockExclusive}, LockExclusive, false},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			db := newSQLiteDB(t, bin)
			f := mustOpen(t, NewUnix(), db, OpenReadWrite|OpenMainDB)
			release := sqlite3Holding(t, bin, db, tt.script)
			if got, err := f.CheckReservedLock(); err != nil || got != tt.wantReserved {
				t.Errorf("CheckReservedLock = %v, %v; want %v", got, err, tt.wantReserved)
			}
			for _, l := range tt.steps {
				err := f.Lock(l)
				if l < tt.busyAt && err != nil {
					t.Fatalf("Lock(%v): %v", l, err)
				}
				if l == tt.busyAt {
					if !errors.Is(err, resultcode.ErrBusy) {
						t.Fatalf("Lock(%v) while sqlite3 ran %q: %v, want busy", l, tt.script, err)
					}
					break
				}
			}
			// Once sqlite3 has gone, everything is granted.
			release()
			if err := f.Unlock(LockShared); err != nil {
				t.Fatal(err)
			}
			if err := f.Unlock(LockNone); err != nil {
				t.Fatal(err)
			}
			for _, l := range []LockLevel{LockShared, LockReserved, LockExclusive} {
				if err := f.Lock(l); err != nil {
					t.Fatalf("Lock(%v) after sqlite3 exited: %v", l, err)
				}
			}
			if err := f.Unlock(LockNone); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// In WAL mode the processes meet in the -shm file: Wren must find
// sqlite3's wal-index (not wipe it, since the DMS byte says it is in use)
// and see its WAL write lock on slot 0.
func TestInteropWALIndexWithSQLite(t *testing.T) {
	bin := sqlite3Path(t)
	db := filepath.Join(t.TempDir(), "wal.db")
	if out := runSQLite(t, bin, db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x);"); out != "wal\n" {
		t.Fatalf("creating a WAL database: %q", out)
	}
	release := sqlite3Holding(t, bin, db, "BEGIN IMMEDIATE; INSERT INTO t VALUES(1);")
	f := mustOpen(t, NewUnix(), db, OpenReadWrite|OpenMainDB)
	shm := f.(SharedMemory)
	region, err := shm.ShmMap(0, ShmRegionSize, false)
	if err != nil || region == nil {
		t.Fatalf("ShmMap(0) beside sqlite3 = %d bytes, %v", len(region), err)
	}
	// The wal-index header starts with its version, 3007000, in native
	// byte order.
	if v := binary.NativeEndian.Uint32(region[0:4]); v != 3007000 {
		t.Errorf("wal-index version %d, want 3007000 (sqlite3's header, not an emptied file)", v)
	}
	if err := shm.ShmLock(0, 1, true, false); !errors.Is(err, resultcode.ErrBusy) {
		t.Errorf("WAL write lock while sqlite3 writes: %v, want busy", err)
	}
	release()
	if err := shm.ShmLock(0, 1, true, false); err != nil {
		t.Errorf("WAL write lock after sqlite3 exited: %v", err)
	}
	if err := shm.ShmUnmap(false); err != nil {
		t.Fatal(err)
	}
}
