package wal

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// Ensure that committed pages are found in the WAL, the latest version of
// each, and that the database size follows the commits.
func TestCommitThenRead(t *testing.T) {
	vfs := osvfs.NewMem()
	c := openConn(t, vfs, "db", Options{})
	defer c.mustClose()
	c.mustCommit(map[uint32]byte{1: 'a', 2: 'b'}, 2)
	c.mustCommit(map[uint32]byte{2: 'c', 3: 'd'}, 3)
	got, size := c.snapshot()
	want := map[uint32]byte{1: 'a', 2: 'c', 3: 'd'}
	if diff := cmp.Diff(want, got); diff != "" || size != 3 {
		t.Errorf("size %d, pages (-want +got):\n%s", size, diff)
	}
	if n := c.log.Frames(); n != 4 {
		t.Errorf("Frames() = %d, want 4", n)
	}
}

// Ensure that a second connection in the process sees the first one's
// commits through the shared wal-index.
func TestSecondConnectionSeesCommits(t *testing.T) {
	vfs := osvfs.NewMem()
	a := openConn(t, vfs, "db", Options{})
	defer a.mustClose()
	b := openConn(t, vfs, "db", Options{})
	defer b.mustClose()
	a.mustCommit(map[uint32]byte{1: 'x'}, 1)
	b.mustCommit(map[uint32]byte{2: 'y'}, 2)
	got, _ := a.snapshot()
	if diff := cmp.Diff(map[uint32]byte{1: 'x', 2: 'y'}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Ensure that a reader's snapshot does not move while another connection
// commits, that the reader cannot turn into a writer on its stale
// snapshot (BusySnapshot, with a message that says what to do), and that a
// new read transaction sees the commit.
func TestSnapshotIsolation(t *testing.T) {
	vfs := osvfs.NewMem()
	reader := openConn(t, vfs, "db", Options{})
	defer reader.mustClose()
	writer := openConn(t, vfs, "db", Options{})
	defer writer.mustClose()
	writer.mustCommit(map[uint32]byte{1: 'a', 2: 'a'}, 2)

	if _, err := reader.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	for i, fill := range []byte{'b', 'c', 'd'} {
		writer.mustCommit(map[uint32]byte{2: fill, uint32(3 + i): fill}, uint32(3+i))
		got, size, err := reader.fills()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[uint32]byte{1: 'a', 2: 'a'}, got); diff != "" || size != 2 {
			t.Fatalf("after commit %c the reader's snapshot moved: size %d (-want +got):\n%s", fill, size, diff)
		}
	}
	err := reader.log.BeginWrite()
	if resultcode.Of(err) != resultcode.BusySnapshot {
		t.Fatalf("BeginWrite on a stale snapshot: %v (code %v), want BusySnapshot", err, resultcode.Of(err))
	}
	if !errors.Is(err, resultcode.ErrBusy) || !strings.Contains(err.Error(), "retry the transaction or BEGIN IMMEDIATE") {
		t.Errorf("error %q should be a busy error that says to retry or BEGIN IMMEDIATE", err)
	}
	reader.log.EndRead()

	changed, err := reader.log.BeginRead()
	if err != nil {
		t.Fatal(err)
	}
	if !changed {
		t.Error("BeginRead after other commits reported no change")
	}
	got, size, _ := reader.fills()
	reader.log.EndRead()
	want := map[uint32]byte{1: 'a', 2: 'd', 3: 'b', 4: 'c', 5: 'd'}
	if diff := cmp.Diff(want, got); diff != "" || size != 5 {
		t.Errorf("new snapshot: size %d (-want +got):\n%s", size, diff)
	}
	if changed, _ := reader.log.BeginRead(); changed {
		t.Error("BeginRead with no commit in between reported a change")
	}
	reader.log.EndRead()
}

// Ensure that there is one writer at a time.
func TestOneWriter(t *testing.T) {
	vfs := osvfs.NewMem()
	a := openConn(t, vfs, "db", Options{})
	defer a.mustClose()
	b := openConn(t, vfs, "db", Options{})
	defer b.mustClose()
	a.mustCommit(map[uint32]byte{1: 'a'}, 1)
	for _, c := range []*conn{a, b} {
		if _, err := c.log.BeginRead(); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.log.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	err := b.log.BeginWrite()
	if !errors.Is(err, resultcode.ErrBusy) || resultcode.Of(err) == resultcode.BusySnapshot {
		t.Errorf("second writer: %v, want a plain busy error", err)
	}
	if err := a.log.Append([]Page{{1, page(1, 'z')}}, 1); err != nil {
		t.Fatal(err)
	}
	a.log.EndWrite()
	if err := b.log.BeginWrite(); resultcode.Of(err) != resultcode.BusySnapshot {
		t.Errorf("writer after a commit on its snapshot: %v, want BusySnapshot", err)
	}
	a.log.EndRead()
	b.log.EndRead()
}

// Ensure that frames appended without a commit are invisible to others
// and gone after Rollback, and that RollbackTo cuts back to a mark.
func TestRollback(t *testing.T) {
	vfs := osvfs.NewMem()
	a := openConn(t, vfs, "db", Options{})
	defer a.mustClose()
	b := openConn(t, vfs, "db", Options{})
	defer b.mustClose()
	a.mustCommit(map[uint32]byte{1: 'a', 2: 'a'}, 2)

	if _, err := a.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if err := a.log.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := a.log.Append([]Page{{2, page(2, 'b')}}, 0); err != nil {
		t.Fatal(err)
	}
	mark := a.log.Mark()
	if err := a.log.Append([]Page{{1, page(1, 'c')}, {3, page(3, 'c')}}, 0); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.fills(); got[1] != 'c' || got[2] != 'b' {
		t.Errorf("the writer does not see its own frames: %v", got)
	}
	if got, _ := b.snapshot(); got[1] != 'a' || got[2] != 'a' {
		t.Errorf("another connection sees uncommitted frames: %v", got)
	}
	if err := a.log.RollbackTo(mark); err != nil {
		t.Fatal(err)
	}
	if f, _ := a.log.FindFrame(1); f != 1 {
		t.Errorf("after RollbackTo, page 1 is in frame %d, want 1", f)
	}
	if f, _ := a.log.FindFrame(2); f != 3 {
		t.Errorf("after RollbackTo, page 2 is in frame %d, want 3", f)
	}
	var dropped []uint32
	if err := a.log.Undo(func(pgno uint32) { dropped = append(dropped, pgno) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]uint32{2}, dropped); diff != "" {
		t.Errorf("Undo dropped (-want +got):\n%s", diff)
	}
	if err := a.log.Rollback(); err != nil {
		t.Fatal(err)
	}
	a.log.EndRead()
	a.mustCommit(map[uint32]byte{2: 'd'}, 2)
	got, _ := b.snapshot()
	if diff := cmp.Diff(map[uint32]byte{1: 'a', 2: 'd'}, got); diff != "" {
		t.Errorf("after rollback and commit (-want +got):\n%s", diff)
	}
}

// Ensure that API misuse is an error, not a panic.
func TestMisuse(t *testing.T) {
	vfs := osvfs.NewMem()
	c := openConn(t, vfs, "db", Options{})
	defer c.mustClose()
	if err := c.log.BeginWrite(); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("BeginWrite outside a read: %v", err)
	}
	if _, err := c.log.FindFrame(1); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("FindFrame outside a read: %v", err)
	}
	if err := c.log.Append([]Page{{1, page(1, 1)}}, 1); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("Append without BeginWrite: %v", err)
	}
	c.log.BeginRead()
	if _, err := c.log.Checkpoint(CheckpointPassive, nil); !errors.Is(err, resultcode.ErrLocked) {
		t.Errorf("Checkpoint in a transaction: %v", err)
	}
	c.log.BeginWrite()
	if err := c.log.Append([]Page{{1, make([]byte, 1000)}}, 1); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("Append of a 1000-byte page: %v", err)
	}
	if err := c.log.Append([]Page{{0, page(1, 1)}}, 1); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("Append of page 0: %v", err)
	}
	if _, err := c.log.FrameData(7); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("FrameData beyond the snapshot: %v", err)
	}
	c.log.Rollback()
	c.log.EndRead()
}

// Ensure that a wal-index rebuilt from the WAL file (another process, or
// after a crash) finds every commit, and that recovery stops at a damaged
// frame, keeping the commits before it.
func TestRecovery(t *testing.T) {
	tests := []struct {
		name      string
		damage    uint32 // frame whose page gets a changed byte; 0: none
		wantFills map[uint32]byte
		wantSize  uint32
	}{
		{"intact", 0, map[uint32]byte{1: 'a', 2: 'c', 3: 'c', 4: 'd'}, 4},
		{"last commit damaged", 5, map[uint32]byte{1: 'a', 2: 'c', 3: 'c'}, 3},
		{"middle commit damaged", 3, map[uint32]byte{1: 'a', 2: 'a'}, 2},
		{"first frame damaged", 1, map[uint32]byte{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vfs := osvfs.NewMem()
			c := openConn(t, vfs, "db", Options{})
			c.mustCommit(map[uint32]byte{1: 'a', 2: 'a'}, 2) // frames 1, 2
			c.mustCommit(map[uint32]byte{2: 'c', 3: 'c'}, 3) // frames 3, 4
			c.mustCommit(map[uint32]byte{4: 'd'}, 4)         // frame 5
			c.kill()
			if tt.damage != 0 {
				f, _ := vfs.Open("db-wal", osvfs.OpenReadWrite)
				off := frameOffset(tt.damage, testPageSize) + frameHeaderSize + 100
				f.WriteAt([]byte{'!'}, off)
				f.Close()
			}
			r := openConn(t, vfs, "db", Options{})
			defer r.mustClose()
			got, size := r.snapshot()
			if diff := cmp.Diff(tt.wantFills, got); diff != "" || size != tt.wantSize {
				t.Errorf("size %d, want %d; pages (-want +got):\n%s", size, tt.wantSize, diff)
			}
			// The recovered index takes new commits on top.
			r.mustCommit(map[uint32]byte{1: 'z'}, max(tt.wantSize, 1))
			if got, _ := r.snapshot(); got[1] != 'z' {
				t.Errorf("commit after recovery not visible: %v", got)
			}
		})
	}
}

// kill ends the connection as a killed process would: no checkpoint, no
// cleanup; the handles just go away.
func (c *conn) kill() {
	c.log.file.Close()
	c.log.shm.ShmUnmap(false)
	c.db.Close()
}

// Ensure that the read marks follow SQLite's protocol: a reader on a
// snapshot that includes the whole WAL, after a checkpoint, uses READ0.
func TestReadLockZeroWhenBackfilled(t *testing.T) {
	vfs := osvfs.NewMem()
	c := openConn(t, vfs, "db", Options{})
	defer c.mustClose()
	c.mustCommit(map[uint32]byte{1: 'a'}, 1)
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if c.log.readLock == 0 {
		t.Error("a reader of an un-checkpointed WAL took READ0")
	}
	c.log.EndRead()
	if res, err := c.log.Checkpoint(CheckpointPassive, nil); err != nil || res != (CheckpointResult{Log: 1, Checkpointed: 1}) {
		t.Fatalf("checkpoint: %+v %v", res, err)
	}
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if c.log.readLock != 0 {
		t.Errorf("readLock %d after a full checkpoint, want 0", c.log.readLock)
	}
	if f, _ := c.log.FindFrame(1); f != 0 {
		t.Errorf("FindFrame on READ0 = %d, want 0", f)
	}
	c.log.EndRead()
	got, _ := c.snapshot()
	if got[1] != 'a' {
		t.Errorf("page 1 from the database file: %c", got[1])
	}
}

// Ensure that only the last connection's Close checkpoints, and that
// CloseAndDelete (leaving WAL mode) puts everything into the database file
// and removes the -wal file.
func TestCloseCheckpointsWhenLast(t *testing.T) {
	vfs := osvfs.NewMem()
	a := openConn(t, vfs, "db", Options{})
	b := openConn(t, vfs, "db", Options{})
	a.mustCommit(map[uint32]byte{1: 'a', 2: 'a'}, 2)
	a.mustClose()
	if got := dbFileFills(t, vfs, "db"); len(got) != 0 {
		t.Errorf("a close with another connection open checkpointed: %v", got)
	}
	b.mustCommit(map[uint32]byte{2: 'b'}, 2)
	if err := b.log.CloseAndDelete(); err != nil {
		t.Fatal(err)
	}
	b.db.Close()
	if diff := cmp.Diff(map[uint32]byte{1: 'a', 2: 'b'}, dbFileFills(t, vfs, "db")); diff != "" {
		t.Errorf("database file after CloseAndDelete (-want +got):\n%s", diff)
	}
	if ok, _ := vfs.Exists("db-wal"); ok {
		t.Error("CloseAndDelete left the WAL")
	}
}

// Ensure that a reader that finds the wal-index being rebuilt by another
// connection gets BusyRecovery, and succeeds once recovery is over.
func TestBusyRecovery(t *testing.T) {
	vfs := osvfs.NewMem()
	a := openConn(t, vfs, "db", Options{})
	defer a.mustClose()
	b := openConn(t, vfs, "db", Options{})
	defer b.mustClose()
	a.mustCommit(map[uint32]byte{1: 'a'}, 1)
	// a plays a recovering connection: the header is invalid and it
	// holds WRITE and RECOVER.
	store32(a.log.regions[0], 0, 12345)
	if err := a.log.lockExclusive(slotWrite, 1); err != nil {
		t.Fatal(err)
	}
	if err := a.log.lockExclusive(slotRecover, 1); err != nil {
		t.Fatal(err)
	}
	_, err := b.log.BeginRead()
	if resultcode.Of(err) != resultcode.BusyRecovery {
		t.Errorf("BeginRead during recovery: %v, want BusyRecovery", err)
	}
	a.log.unlockExclusive(slotRecover, 1)
	a.log.unlockExclusive(slotWrite, 1)
	if got := mustSnapshot(b); got[1] != 'a' {
		t.Errorf("after recovery: %v", got)
	}
}
