package wal

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

// crashStep is one step of the crash workload.
type crashStep struct {
	commit     map[uint32]byte // pages to write; nil: not a commit
	dbSize     uint32
	checkpoint CheckpointMode
	ckpt       bool
	readerOn   bool // the reader begins a read transaction
	readerOff  bool
	reopen     bool // close (checkpoint, new generation) and open again
}

// crashWorkload grows, rewrites and shrinks a database across checkpoints
// of every mode, a reader that holds a checkpoint back, WAL restarts and a
// close.
func crashWorkload() []crashStep {
	var steps []crashStep
	n := 0
	commit := func(size uint32, pgnos ...uint32) {
		n++
		m := make(map[uint32]byte)
		for _, p := range pgnos {
			m[p] = byte(n)
		}
		steps = append(steps, crashStep{commit: m, dbSize: size})
	}
	ckpt := func(m CheckpointMode) { steps = append(steps, crashStep{ckpt: true, checkpoint: m}) }
	commit(4, 1, 2, 3, 4)
	commit(4, 2, 3)
	ckpt(CheckpointPassive)
	commit(5, 1, 5)
	steps = append(steps, crashStep{readerOn: true})
	commit(5, 2, 4)
	commit(6, 1, 6)
	ckpt(CheckpointFull) // held back by the reader
	steps = append(steps, crashStep{readerOff: true})
	commit(3, 1, 3) // shrinks the database
	ckpt(CheckpointRestart)
	commit(4, 1, 4) // starts the WAL over
	commit(4, 2)
	ckpt(CheckpointTruncate)
	commit(5, 1, 5)
	steps = append(steps, crashStep{reopen: true})
	commit(5, 3, 4)
	commit(6, 1, 6)
	ckpt(CheckpointPassive)
	commit(6, 2, 6)
	return steps
}

// stateAfter is the database after the first k commits of steps.
func stateAfter(steps []crashStep, k int) map[uint32]byte {
	state := map[uint32]byte{}
	for _, s := range steps {
		if s.commit == nil {
			continue
		}
		if k == 0 {
			break
		}
		k--
		maps.Copy(state, s.commit)
		for p := range state {
			if p > s.dbSize {
				delete(state, p)
			}
		}
	}
	return state
}

// runCrashWorkload runs steps until the first error and returns how many
// commits succeeded.
func runCrashWorkload(vfs osvfs.VFS, steps []crashStep, sync SyncMode) (done int, err error) {
	opts := Options{Sync: sync}
	w, err := tryOpenConn(vfs, "db", opts)
	if err != nil {
		return 0, err
	}
	r, err := tryOpenConn(vfs, "db", opts)
	if err != nil {
		return 0, err
	}
	for _, s := range steps {
		switch {
		case s.commit != nil:
			if err := w.commit(s.commit, s.dbSize); err != nil {
				return done, err
			}
			done++
		case s.ckpt:
			if _, err := w.log.Checkpoint(s.checkpoint, nil); err != nil {
				return done, err
			}
		case s.readerOn:
			if _, err := r.log.BeginRead(); err != nil {
				return done, err
			}
		case s.readerOff:
			r.log.EndRead()
		case s.reopen:
			if err := r.close(); err != nil {
				return done, err
			}
			if err := w.close(); err != nil {
				return done, err
			}
			if w, err = tryOpenConn(vfs, "db", opts); err != nil {
				return done, err
			}
			if r, err = tryOpenConn(vfs, "db", opts); err != nil {
				return done, err
			}
		}
	}
	if err := r.close(); err != nil {
		return done, err
	}
	return done, w.close()
}

// Ensure crash safety: the power is cut at every write and sync of the
// workload (commits, checkpoints of every mode, restarts, close), on a disk
// that loses unsynced writes or keeps a random part of them. After
// recovery the database holds exactly a prefix of the commits: with
// synchronous=FULL every commit that returned, and at most the one in
// flight besides; with NORMAL possibly fewer, never a mix. A checkpoint
// interrupted anywhere loses nothing.
func TestCrashSafety(t *testing.T) {
	steps := crashWorkload()
	commits := 0
	for _, s := range steps {
		if s.commit != nil {
			commits++
		}
	}
	clean := osvfs.NewFault(osvfs.NewMem())
	if done, err := runCrashWorkload(clean, steps, SyncFull); err != nil || done != commits {
		t.Fatalf("workload without faults: %d commits, %v", done, err)
	}
	total := clean.Writes() + clean.Syncs()
	t.Logf("%d commits, %d writes and syncs to cut at", commits, total)

	for _, sync := range []SyncMode{SyncFull, SyncNormal} {
		for _, torn := range []bool{false, true} {
			for cut := int64(0); cut < total; cut++ {
				name := fmt.Sprintf("sync=%d torn=%v cut=%d", sync, torn, cut)
				vfs := osvfs.NewFault(osvfs.NewMem())
				vfs.CutAfterOps(cut)
				done, err := runCrashWorkload(vfs, steps, sync)
				if err == nil && sync == SyncFull && done == commits {
					continue // the cut came after the last write
				}
				if err != nil && !errors.Is(err, osvfs.ErrInjected) {
					t.Fatalf("%s: workload failed with a real error: %v", name, err)
				}
				if torn {
					err = vfs.CrashTorn(rand.New(rand.NewPCG(uint64(cut), 7)))
				} else {
					err = vfs.Crash()
				}
				if err != nil {
					t.Fatalf("%s: crash: %v", name, err)
				}
				vfs.Reset()
				checkAfterCrash(t, name, vfs, steps, done, sync == SyncFull)
			}
		}
	}
}

func checkAfterCrash(t *testing.T, name string, vfs osvfs.VFS, steps []crashStep, done int, durable bool) {
	t.Helper()
	c, err := tryOpenConn(vfs, "db", Options{})
	if err != nil {
		t.Fatalf("%s: reopen: %v", name, err)
	}
	c.t = t
	defer c.mustClose()
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatalf("%s: BeginRead after the crash: %v", name, err)
	}
	got, _, err := c.fills()
	c.log.EndRead()
	if err != nil && !(done == 0 && errors.Is(err, errCorruptSentinel)) {
		t.Fatalf("%s: reading after the crash: %v", name, err)
	}
	lowest := 0
	if durable {
		lowest = done
	}
	matched := -1
	for k := done + 1; k >= lowest; k-- {
		if cmp.Equal(stateAfter(steps, k), got) {
			matched = k
			break
		}
	}
	if matched < 0 {
		t.Fatalf("%s: after %d acknowledged commits the database is no prefix of the commits: %v", name, done, got)
	}
	// The recovered database takes a checkpoint that puts exactly that
	// state into the database file.
	if res, err := c.log.Checkpoint(CheckpointTruncate, nil); err != nil || res.Busy {
		t.Fatalf("%s: checkpoint after recovery: %+v %v", name, res, err)
	}
	if len(got) > 0 {
		if diff := cmp.Diff(got, dbFileFillsVFS(t, vfs)); diff != "" {
			t.Fatalf("%s: database file after the checkpoint (-want +got):\n%s", name, diff)
		}
	}
}

var errCorruptSentinel = errors.New("never")

func dbFileFillsVFS(t *testing.T, vfs osvfs.VFS) map[uint32]byte {
	return dbFileFills(t, vfs, "db")
}
