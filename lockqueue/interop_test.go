//go:build unix

package lockqueue

import (
	"bufio"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
)

// sqlite3Holding starts the real sqlite3 shell on db, runs script and
// returns once it has; the process keeps its locks until release.
func sqlite3Holding(t *testing.T, db, script string) (release func()) {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 not in PATH: skipping the test against another process")
	}
	if out, err := exec.Command(bin, db, "CREATE TABLE IF NOT EXISTS t(x);").CombinedOutput(); err != nil {
		t.Fatalf("creating %s: %v %s", db, err, out)
	}
	cmd := exec.Command(bin, db)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			stdin.Close()
			cmd.Wait()
		}
	}
	t.Cleanup(release)
	io.WriteString(stdin, ".timeout 0\n"+script+"\nSELECT 'ready';\n")
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if lines.Text() == "ready" {
			return release
		}
	}
	t.Fatalf("sqlite3 did not get through %q", script)
	return nil
}

// Ensure that a lock held by another process (a real sqlite3) is waited for
// with backoff and taken once that process lets go, and that the busy
// timeout bounds the wait.
func TestWaitForAnotherProcess(t *testing.T) {
	db := filepath.Join(t.TempDir(), "other.db")
	release := sqlite3Holding(t, db, "BEGIN EXCLUSIVE;")
	f, err := osvfs.NewUnix().Open(db, osvfs.OpenReadWrite|osvfs.OpenMainDB)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	q := New()
	c := conn{f, q.NewHolder()}

	// A short busy timeout runs out.
	err = c.lock(context.Background(), osvfs.LockShared, Wait{Timeout: 5 * time.Millisecond})
	wantBusy(t, err)
	if !strings.Contains(err.Error(), "database is locked") || c.h.Level() != osvfs.LockNone {
		t.Fatalf("err %v, level %v", err, c.h.Level())
	}

	// A long one outlasts the other process's transaction.
	retries := q.Stats().OSRetries
	done := make(chan error, 1)
	go func() { done <- c.lock(context.Background(), osvfs.LockShared, Wait{Timeout: time.Minute}) }()
	for q.Stats().OSRetries < retries+2 {
		time.Sleep(time.Millisecond)
	}
	// Meanwhile a connection that needs no OS lock is not held up.
	if err := q.NewHolder().Acquire(context.Background(), Request{Slots: WALSlots(WALWrite, 1), Exclusive: true}); err != nil {
		t.Fatalf("unrelated slot while waiting on another process: %v", err)
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c.h.Level() != osvfs.LockShared || f.LockLevel() != osvfs.LockShared {
		t.Errorf("levels: queue %v, file %v", c.h.Level(), f.LockLevel())
	}
	st := q.Stats()
	if st.Timeouts != 1 || st.Waits != 2 || st.OSRetries < retries+2 {
		t.Errorf("stats: %v", st)
	}
	c.unlock(t)
}
