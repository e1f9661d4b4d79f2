package pager

import (
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
)

func bgOpts() Options {
	o := walOpts()
	o.BackgroundCheckpoint = true
	// The checkpointer's short FULL pass holds the WRITE lock: writers
	// wait for it as for any writer.
	o.BusyTimeout = 5 * time.Second
	return o
}

// waitCheckpoints waits until the background checkpointer of p's file has
// run at least n times. It fails the test after a generous bound: the
// checkpointer is signalled already, it has only to be scheduled.
func waitCheckpoints(t *testing.T, p *Pager, n int64) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); p.ckpt.runs.Load() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("the background checkpointer ran %d times, want %d", p.ckpt.runs.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func runningCheckpointers() int {
	checkpointers.Lock()
	defer checkpointers.Unlock()
	return len(checkpointers.m)
}

// With BackgroundCheckpoint the automatic checkpoint runs in the file's
// checkpointer goroutine, shared by the connections that asked for it;
// readers see every commit meanwhile, the last Close stops the goroutine,
// and the last connection still checkpoints everything at Close.
func TestBackgroundCheckpoint(t *testing.T) {
	for _, fs := range []string{"mem", "unix"} {
		t.Run(fs, func(t *testing.T) {
			var vfs osvfs.VFS = osvfs.NewMem()
			name := "db"
			if fs == "unix" {
				vfs, name = osvfs.NewUnix(), t.TempDir()+"/db"
			}
			before := runningCheckpointers()
			p := mustOpen(t, vfs, name, bgOpts())
			p.SetWALAutoCheckpoint(10)
			r := mustOpen(t, vfs, name, bgOpts())
			m := pagesOf(4, 1, 512)
			mustCommitPages(t, p, m) // creates the file, in rollback mode
			for tx := 2; tx <= 60; tx++ {
				m = m.clone()
				m[uint32(2+tx%3)] = stamp(uint32(2+tx%3), tx, 512)
				mustCommitPages(t, p, m)
				if d := diffPages(m.expected(512), mustSnapshot(t, r)); d != "" {
					t.Fatalf("reader after commit %d (-want +got):\n%s", tx, d)
				}
				if tx == 30 {
					if p.ckpt == nil || p.ckpt != r.ckpt {
						t.Fatalf("checkpointers: writer %p, reader %p; want one shared", p.ckpt, r.ckpt)
					}
					waitCheckpoints(t, p, 1)
				}
			}
			if got := runningCheckpointers(); got != before+1 {
				t.Errorf("%d checkpointers running, want %d", got, before+1)
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if got := runningCheckpointers(); got != before {
				t.Errorf("after the last Close %d checkpointers running, want %d", got, before)
			}
			if d := diffPages(m.expected(512), dbFilePages(t, vfs, name)); d != "" {
				t.Errorf("database file after the last Close (-want +got):\n%s", d)
			}
		})
	}
}

// The only connection can leave WAL mode although its checkpointer's
// connection has the database open: it stops the checkpointer first.
func TestBackgroundCheckpointLeaveWAL(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", bgOpts())
	p.SetWALAutoCheckpoint(2)
	m := pagesOf(4, 1, 512)
	for tx := 1; tx <= 3; tx++ {
		m = m.clone()
		m[2] = stamp(2, tx, 512)
		mustCommitPages(t, p, m)
	}
	waitCheckpoints(t, p, 1)
	if err := p.SetJournalMode(JournalDelete); err != nil {
		t.Fatalf("leave WAL mode: %v", err)
	}
	if p.ckpt != nil {
		t.Errorf("checkpointer still attached in rollback mode")
	}
	if d := diffPages(m.expected(512), dbFilePages(t, vfs, "db")); d != "" {
		t.Errorf("database file in rollback mode (-want +got):\n%s", d)
	}
}
