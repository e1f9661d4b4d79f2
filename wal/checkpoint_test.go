package wal

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

// dbFileFills reads the database file itself (not the WAL).
func dbFileFills(t *testing.T, vfs osvfs.VFS, name string) map[uint32]byte {
	t.Helper()
	f, err := vfs.Open(name, osvfs.OpenMainDB|osvfs.OpenReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size, _ := f.Size()
	out := make(map[uint32]byte)
	for pgno := uint32(1); int64(pgno)*testPageSize <= size; pgno++ {
		p := make([]byte, testPageSize)
		f.ReadAt(p, int64(pgno-1)*testPageSize)
		if !bytes.Equal(p, page(pgno, p[testPageSize-1])) {
			t.Fatalf("database file page %d is not a test page", pgno)
		}
		out[pgno] = p[testPageSize-1]
	}
	return out
}

func walSize(t *testing.T, vfs osvfs.VFS, name string) int64 {
	t.Helper()
	f, err := vfs.Open(name+"-wal", osvfs.OpenReadOnly)
	if err != nil {
		t.Fatalf("the WAL is gone: %v", err)
	}
	defer f.Close()
	n, _ := f.Size()
	return n
}

// Ensure that each checkpoint mode copies what it may, waits through the
// BusyFunc for what it must, and reports SQLite's numbers.
func TestCheckpointModes(t *testing.T) {
	tests := []struct {
		mode          CheckpointMode
		releaseReader bool // the BusyFunc ends the reader's transaction
		want          CheckpointResult
		wantDBFile    map[uint32]byte
	}{
		{CheckpointPassive, false, CheckpointResult{Log: 4, Checkpointed: 2}, map[uint32]byte{1: 'a'}},
		{CheckpointFull, false, CheckpointResult{Busy: true, Log: 4, Checkpointed: 2}, map[uint32]byte{1: 'a'}},
		{CheckpointFull, true, CheckpointResult{Log: 4, Checkpointed: 4}, map[uint32]byte{1: 'a', 2: 'b', 3: 'c'}},
		{CheckpointRestart, false, CheckpointResult{Busy: true, Log: 4, Checkpointed: 2}, map[uint32]byte{1: 'a'}},
		{CheckpointRestart, true, CheckpointResult{Log: 4, Checkpointed: 4}, map[uint32]byte{1: 'a', 2: 'b', 3: 'c'}},
		{CheckpointTruncate, true, CheckpointResult{Log: 0, Checkpointed: 0}, map[uint32]byte{1: 'a', 2: 'b', 3: 'c'}},
	}
	// Frames 1-2 are safe to copy, but page 2 has a later frame (3) that
	// the reader does not see: as in SQLite, only a page's latest frame
	// is copied, so page 2 waits for the next checkpoint.
	for _, tt := range tests {
		name := tt.mode.String()
		if tt.releaseReader {
			name += " reader leaves"
		}
		t.Run(name, func(t *testing.T) {
			vfs := osvfs.NewMem()
			w := openConn(t, vfs, "db", Options{})
			defer w.mustClose()
			r := openConn(t, vfs, "db", Options{})
			defer r.mustClose()
			w.mustCommit(map[uint32]byte{1: 'a', 2: 'a'}, 2) // frames 1-2
			if _, err := r.log.BeginRead(); err != nil {
				t.Fatal(err)
			}
			w.mustCommit(map[uint32]byte{2: 'b'}, 2) // frame 3
			w.mustCommit(map[uint32]byte{3: 'c'}, 3) // frame 4

			calls := 0
			busy := func() bool {
				calls++
				if !tt.releaseReader || calls > 10 {
					return false
				}
				r.log.EndRead()
				return true
			}
			got, err := w.log.Checkpoint(tt.mode, busy)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDBFile, dbFileFills(t, vfs, "db")); diff != "" {
				t.Errorf("database file (-want +got):\n%s", diff)
			}
			r.log.EndRead()
			// Whatever happened, every connection still sees the
			// last commit.
			want := map[uint32]byte{1: 'a', 2: 'b', 3: 'c'}
			if diff := cmp.Diff(want, mustSnapshot(r)); diff != "" {
				t.Errorf("content after checkpoint (-want +got):\n%s", diff)
			}
			if tt.mode == CheckpointTruncate {
				if n := walSize(t, vfs, "db"); n != 0 {
					t.Errorf("WAL of %d bytes after TRUNCATE", n)
				}
			}
		})
	}
}

func mustSnapshot(c *conn) map[uint32]byte {
	m, _ := c.snapshot()
	return m
}

// Ensure that after a complete checkpoint with no reader left the next
// writer starts the WAL over from frame 1, in the same file.
func TestRestartReusesWAL(t *testing.T) {
	vfs := osvfs.NewMem()
	c := openConn(t, vfs, "db", Options{})
	for i := range 5 {
		c.mustCommit(map[uint32]byte{1: byte('a' + i), 2: byte('a' + i)}, 2)
	}
	size := walSize(t, vfs, "db")
	if res, err := c.log.Checkpoint(CheckpointRestart, nil); err != nil || res.Busy {
		t.Fatalf("checkpoint: %+v %v", res, err)
	}
	c.mustCommit(map[uint32]byte{3: 'z'}, 3)
	if n := c.log.Frames(); n != 1 {
		t.Errorf("after a restart the commit ends at frame %d, want 1", n)
	}
	if n := walSize(t, vfs, "db"); n != size {
		t.Errorf("WAL size %d after restart, was %d", n, size)
	}
	want := map[uint32]byte{1: 'e', 2: 'e', 3: 'z'}
	if diff := cmp.Diff(want, mustSnapshot(c)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A fresh wal-index (another process) recovers the new generation
	// only: the old frames behind it carry the old salts.
	c.kill()
	r := openConn(t, vfs, "db", Options{})
	defer r.mustClose()
	if diff := cmp.Diff(want, mustSnapshot(r)); diff != "" {
		t.Errorf("after recovery (-want +got):\n%s", diff)
	}
	if r.log.Frames() != 1 {
		t.Errorf("recovery found %d frames, want 1", r.log.Frames())
	}
}

// Ensure the Preserved WAL: close checkpoints but leaves the WAL file with
// its size, the next open has nothing to replay, and running the same
// workload again does not grow the file.
func TestPreservedWAL(t *testing.T) {
	vfs := osvfs.NewMem()
	workload := func(round int) {
		c := openConn(t, vfs, "db", Options{})
		for i := range 20 {
			c.mustCommit(map[uint32]byte{1: byte(round), uint32(2 + i%4): byte(i)}, 5)
			if i == 9 {
				if _, err := c.log.Checkpoint(CheckpointPassive, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		c.mustClose()
	}
	workload(1)
	size := walSize(t, vfs, "db")
	if size <= walHeaderSize {
		t.Fatalf("WAL of %d bytes after close", size)
	}
	want := map[uint32]byte{1: 1, 2: 16, 3: 17, 4: 18, 5: 19}
	if diff := cmp.Diff(want, dbFileFills(t, vfs, "db")); diff != "" {
		t.Errorf("close did not checkpoint (-want +got):\n%s", diff)
	}
	c := openConn(t, vfs, "db", Options{})
	if got := mustSnapshot(c); !cmp.Equal(want, got) || c.log.Frames() != 0 {
		t.Errorf("reopen: %d frames to replay, content %v", c.log.Frames(), got)
	}
	c.mustClose()
	for round := 2; round <= 3; round++ {
		workload(round)
		if n := walSize(t, vfs, "db"); n != size {
			t.Errorf("round %d: WAL of %d bytes, the first round left %d", round, n, size)
		}
	}
}

// Ensure that journal_size_limit cuts the WAL back at close.
func TestJournalSizeLimit(t *testing.T) {
	vfs := osvfs.NewMem()
	limit := frameOffset(3, testPageSize)
	c := openConn(t, vfs, "db", Options{})
	c.log.SetJournalSizeLimit(limit)
	for i := range 10 {
		c.mustCommit(map[uint32]byte{1: byte(i), 2: byte(i)}, 2)
	}
	if n := walSize(t, vfs, "db"); n <= limit {
		t.Fatalf("WAL of %d bytes before close, expected it above the limit %d", n, limit)
	}
	c.mustClose()
	if n := walSize(t, vfs, "db"); n != limit {
		t.Errorf("WAL of %d bytes after close, want the limit %d", n, limit)
	}
	c = openConn(t, vfs, "db", Options{})
	defer c.mustClose()
	if diff := cmp.Diff(map[uint32]byte{1: 9, 2: 9}, mustSnapshot(c)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
