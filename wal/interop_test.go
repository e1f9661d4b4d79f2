//go:build unix

package wal

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
)

// The real sqlite3 is the oracle for the file formats: it must accept the
// frames Wren writes, Wren must recover the WALs it leaves, and the two
// must share a live wal-index.

func sqlite3Bin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 not found in PATH: skipping the interoperability test")
	}
	return p
}

// runSQL runs a script in a sqlite3 process and returns its output.
func runSQL(t *testing.T, db, script string) string {
	t.Helper()
	cmd := exec.Command(sqlite3Bin(t), db)
	cmd.Stdin = strings.NewReader(script + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %s: %v\n%s", db, err, out)
	}
	return strings.TrimSpace(string(out))
}

// leafPage2 makes a WAL-mode database in dir with table t holding rows and
// returns its page 2, the table's only (leaf) page.
func leafPage2(t *testing.T, dir, rows string) []byte {
	t.Helper()
	db := filepath.Join(dir, "donor.db")
	runSQL(t, db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES"+rows+";")
	b, err := os.ReadFile(db)
	if err != nil || len(b) < 8192 {
		t.Fatalf("donor database: %d bytes, %v", len(b), err)
	}
	return b[4096:8192]
}

// unixConn opens a connection on a real file.
func unixConn(t *testing.T, db string) *conn {
	return openConn(t, osvfs.NewUnix(), db, Options{})
}

// readPageN reads page pgno of the snapshot, of pageSize bytes.
func (c *conn) readPageN(pgno uint32, pageSize int) ([]byte, error) {
	f, err := c.log.FindFrame(pgno)
	if err != nil {
		return nil, err
	}
	if f != 0 {
		return c.log.FrameData(f)
	}
	buf := make([]byte, pageSize)
	if _, err := c.db.ReadAt(buf, int64(pgno-1)*int64(pageSize)); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf, nil
}

// appendPage2 commits page as page 2 of a 2-page database.
func (c *conn) appendPage2(t *testing.T, page []byte) {
	t.Helper()
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	defer c.log.EndRead()
	if err := c.log.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := c.log.Append([]Page{{Pgno: 2, Data: page}}, 2); err != nil {
		t.Fatal(err)
	}
	if err := c.log.EndWrite(); err != nil {
		t.Fatal(err)
	}
}

// Ensure that sqlite3 reads the frames Wren appends (their checksums,
// salts and commit frame are right), whether Wren closed cleanly
// (checkpoint into the database file) or was killed (sqlite3 must recover
// the WAL itself).
func TestInteropSQLiteReadsWrenFrames(t *testing.T) {
	for _, killed := range []bool{true, false} {
		name := "closed"
		if killed {
			name = "killed"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			donor := leafPage2(t, t.TempDir(), "(10),(20),('wren')")
			db := filepath.Join(dir, "a.db")
			runSQL(t, db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES(1),(2),(3);")

			c := unixConn(t, db)
			c.appendPage2(t, donor)
			if killed {
				c.kill()
				if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() != frameOffset(2, 4096) {
					t.Fatalf("WAL after the kill: %v, %v; want one frame", fi, err)
				}
			} else {
				c.mustClose()
				fi, err := os.Stat(db + "-wal")
				if err != nil || fi.Size() != frameOffset(2, 4096) {
					t.Fatalf("WAL after close: %v, %v; want it kept with its size", fi, err)
				}
				// A second run reuses the WAL: same size after it.
				c := unixConn(t, db)
				c.appendPage2(t, donor)
				c.mustClose()
				if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() != frameOffset(2, 4096) {
					t.Fatalf("WAL after a second run: %v, %v; want the same size", fi, err)
				}
			}
			got := runSQL(t, db, "SELECT group_concat(x) FROM t; PRAGMA integrity_check;")
			if want := "10,20,wren\nok"; got != want {
				t.Errorf("sqlite3 says %q, want %q", got, want)
			}
		})
	}
}

// Ensure that Wren recovers a WAL sqlite3 left behind, finding the latest
// frame of every page: the pages Wren reads equal the database sqlite3
// itself makes by checkpointing a copy.
func TestInteropWrenRecoversSQLiteWAL(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	var script strings.Builder
	script.WriteString(".dbconfig no_ckpt_on_close on\nPRAGMA journal_mode=WAL; CREATE TABLE t(x, y); CREATE INDEX ty ON t(y);\n")
	for i := range 40 {
		script.WriteString("INSERT INTO t SELECT value, randomblob(300) FROM generate_series(1, 20);\n")
		if i%7 == 0 {
			script.WriteString("DELETE FROM t WHERE rowid % 3 = 0;\n")
		}
	}
	// An uncommitted tail: a transaction still open when the process
	// ends leaves nothing, and recovery must ignore nothing else.
	runSQL(t, db, script.String())
	wal, err := os.ReadFile(db + "-wal")
	if err != nil || len(wal) < 10*4096 {
		t.Fatalf("sqlite3 left no WAL: %d bytes, %v", len(wal), err)
	}

	// The truth: a copy, checkpointed by sqlite3.
	truthDir := t.TempDir()
	truth := filepath.Join(truthDir, "s.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(truth+suffix, b, 0o644)
	}
	runSQL(t, truth, "PRAGMA wal_checkpoint(TRUNCATE);")
	want, err := os.ReadFile(truth)
	if err != nil {
		t.Fatal(err)
	}

	c := unixConn(t, db)
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if c.log.Frames() == 0 {
		t.Fatal("recovery found no frames")
	}
	nPage := c.log.DBSize()
	if int(nPage)*4096 != len(want) {
		t.Errorf("database size %d pages, sqlite3 says %d", nPage, len(want)/4096)
	}
	for pgno := uint32(1); pgno <= nPage && int(pgno)*4096 <= len(want); pgno++ {
		got, err := c.readPageN(pgno, 4096)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[(pgno-1)*4096:pgno*4096]) {
			t.Errorf("page %d differs from sqlite3's", pgno)
		}
	}
	c.log.EndRead()
	c.mustClose()
	if got := runSQL(t, db, "PRAGMA integrity_check; SELECT count(*) FROM t;"); !strings.HasPrefix(got, "ok\n") {
		t.Errorf("after Wren's checkpoint, sqlite3 says %q", got)
	}
}

// shell is a sqlite3 process reading statements from a pipe, so that it
// keeps the database, its WAL and its wal-index open between them.
type shell struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startShell(t *testing.T, db string) *shell {
	t.Helper()
	cmd := exec.Command(sqlite3Bin(t), db)
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
	s := &shell{cmd: cmd, in: in, out: bufio.NewReader(out)}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	s.exec(t, ".timeout 2000")
	return s
}

// exec runs sql and returns its output.
func (s *shell) exec(t *testing.T, sql string) string {
	t.Helper()
	const end = "__wal_test_end__"
	if _, err := io.WriteString(s.in, sql+"\n.print "+end+"\n"); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for {
		line, err := s.out.ReadString('\n')
		if err != nil {
			t.Fatalf("sqlite3 output: %v (so far %q)", err, lines)
		}
		line = strings.TrimRight(line, "\n")
		if line == end {
			return strings.Join(lines, "\n")
		}
		lines = append(lines, line)
	}
}

// Ensure that a sqlite3 process and Wren share a live WAL database: Wren's
// readers find sqlite3's commits through the -shm it maintains (header,
// read marks, hash tables), and sqlite3 sees the commits Wren publishes
// there, with checkpoints from both sides in between.
func TestInteropLiveSharedIndex(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	donor := leafPage2(t, t.TempDir(), "(10),(20),('from-wren')")
	runSQL(t, db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES(1);")

	sh := startShell(t, db)
	if got := sh.exec(t, "SELECT group_concat(x) FROM t;"); got != "1" {
		t.Fatalf("sqlite3 starts with %q", got)
	}
	sh.exec(t, "INSERT INTO t VALUES('hello-from-sqlite3');")

	c := unixConn(t, db)
	defer c.mustClose()
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	p2, err := c.readPageN(2, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := c.log.FindFrame(2); f == 0 || !bytes.Contains(p2, []byte("hello-from-sqlite3")) {
		t.Errorf("Wren does not see sqlite3's commit in the shared index (frame %d)", f)
	}
	c.log.EndRead()

	c.appendPage2(t, donor)
	got := sh.exec(t, "SELECT group_concat(x) FROM t; PRAGMA integrity_check;")
	if want := "10,20,from-wren\nok"; got != want {
		t.Errorf("after Wren's commit sqlite3 says %q, want %q", got, want)
	}

	sh.exec(t, "INSERT INTO t VALUES('second-from-sqlite3');")
	changed, err := c.log.BeginRead()
	if err != nil {
		t.Fatal(err)
	}
	p2, _ = c.readPageN(2, 4096)
	if !changed || !bytes.Contains(p2, []byte("second-from-sqlite3")) || !bytes.Contains(p2, []byte("from-wren")) {
		t.Errorf("Wren misses sqlite3's second commit (changed %v)", changed)
	}
	c.log.EndRead()

	res, err := c.log.Checkpoint(CheckpointFull, nil)
	if err != nil || res.Busy || res.Log != res.Checkpointed {
		t.Errorf("Wren's FULL checkpoint with sqlite3 idle: %+v, %v", res, err)
	}
	if got := sh.exec(t, "PRAGMA wal_checkpoint; SELECT count(*) FROM t; PRAGMA integrity_check;"); !strings.HasSuffix(got, "\n4\nok") {
		t.Errorf("sqlite3 after the checkpoints: %q", got)
	}
	// sqlite3 restarts the WAL after the checkpoint; Wren follows.
	sh.exec(t, "INSERT INTO t VALUES('third');")
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	p2, _ = c.readPageN(2, 4096)
	if !bytes.Contains(p2, []byte("third")) {
		t.Error("Wren misses sqlite3's commit after a WAL restart")
	}
	c.log.EndRead()
}

// Ensure that the hash tables after the first block (frames past 4062)
// are laid out as SQLite's: sqlite3 finds a page Wren wrote in block 1,
// and Wren finds a page sqlite3 wrote there.
func TestInteropSecondHashBlock(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "big.db")
	donor := leafPage2(t, t.TempDir(), "(10),(20),('block-one')")
	runSQL(t, db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES('zero');")
	sh := startShell(t, db)
	sh.exec(t, "PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=OFF; SELECT count(*) FROM t;")

	c := unixConn(t, db)
	defer c.mustClose()
	c.log.SetSync(SyncOff)
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	old, err := c.readPageN(2, 4096)
	if err != nil {
		t.Fatal(err)
	}
	old = append([]byte(nil), old...)
	c.log.EndRead()
	// 4100 frames of page 2 in one transaction: the old content, and
	// the donor's in the last frame, which lands in block 1.
	var batch []Page
	for range 4099 {
		batch = append(batch, Page{Pgno: 2, Data: old})
	}
	batch = append(batch, Page{Pgno: 2, Data: donor})
	c.log.BeginRead()
	if err := c.log.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := c.log.Append(batch, 2); err != nil {
		t.Fatal(err)
	}
	c.log.EndWrite()
	c.log.EndRead()
	if got := sh.exec(t, "SELECT group_concat(x) FROM t;"); got != "10,20,block-one" {
		t.Errorf("sqlite3 reads %q from a WAL of 4100 frames, want the last frame's rows", got)
	}

	// Now sqlite3 writes many frames (one per update), into block 1 and 2.
	var script strings.Builder
	for i := range 4200 {
		script.WriteString("UPDATE t SET x='sq-" + strings.Repeat("v", i%7) + "' WHERE rowid=1;\n")
	}
	script.WriteString("UPDATE t SET x='sqlite3-last' WHERE rowid=1;")
	sh.exec(t, script.String())
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	f, _ := c.log.FindFrame(2)
	p2, _ := c.readPageN(2, 4096)
	if f <= firstBlockFrames+blockFrames || !bytes.Contains(p2, []byte("sqlite3-last")) {
		t.Errorf("page 2: frame %d, has sqlite3's last update: %v", f, bytes.Contains(p2, []byte("sqlite3-last")))
	}
	c.log.EndRead()
}

// Ensure that sqlite3 recovers the WAL of a Wren process killed (SIGKILL)
// in the middle of a stream of commits: every commit the process
// acknowledged is there, and the database is intact.
func TestInteropKilledWriterProcess(t *testing.T) {
	if dir := os.Getenv("WREN_WAL_KILL_DIR"); dir != "" {
		killedWriter(t, dir)
		return
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	runSQL(t, db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES(0);")
	for i := 1; i <= 20; i++ {
		donor := leafPage2(t, t.TempDir(), "("+itoa(i)+"),('row-"+itoa(i)+"')")
		os.WriteFile(filepath.Join(dir, "donor"+itoa(i)), donor, 0o644)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInteropKilledWriterProcess$")
	cmd.Env = append(os.Environ(), "WREN_WAL_KILL_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	r := bufio.NewReader(out)
	for acked < 8 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("child: %v after %d commits", err, acked)
		}
		if strings.HasPrefix(line, "committed ") {
			acked++
		}
	}
	cmd.Process.Kill()
	cmd.Wait()

	got := runSQL(t, db, "SELECT x FROM t LIMIT 1; PRAGMA integrity_check;")
	lines := strings.Split(got, "\n")
	if len(lines) != 2 || lines[1] != "ok" {
		t.Fatalf("sqlite3 after the kill: %q", got)
	}
	if n := atoi(lines[0]); n < acked {
		t.Errorf("sqlite3 sees commit %d, the killed process acknowledged %d", n, acked)
	}
}

// killedWriter is the child of TestInteropKilledWriterProcess: it commits
// donor pages one by one, says so after each, and never closes.
func killedWriter(t *testing.T, dir string) {
	c := unixConn(t, filepath.Join(dir, "k.db"))
	for i := 1; i <= 20; i++ {
		donor, err := os.ReadFile(filepath.Join(dir, "donor"+itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		c.appendPage2(t, donor)
		os.Stdout.WriteString("committed " + itoa(i) + "\n")
	}
	time.Sleep(time.Minute) // the parent kills us long before
	t.Fatal("the parent did not kill this process")
}

func itoa(i int) string { return strconv.Itoa(i) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
