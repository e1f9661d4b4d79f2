package pager

import (
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
)

// A read transaction keeps the automatic checkpoint from copying the frames
// committed after its snapshot, and the WAL from starting over: the
// checkpoint leaves those frames alone (the reader keeps its snapshot), and
// once the reader has moved on, the next commit's checkpoint copies
// everything, after which the commit after it starts the WAL over.
func TestAutoCheckpointAfterPinningReader(t *testing.T) {
	for _, bg := range []bool{false, true} {
		name := "foreground"
		if bg {
			name = "background"
		}
		t.Run(name, func(t *testing.T) {
			vfs := osvfs.NewMem()
			opts := walOpts()
			opts.BusyTimeout = 5 * time.Second
			opts.BackgroundCheckpoint = bg
			p := mustOpen(t, vfs, "db", opts)
			p.SetWALAutoCheckpoint(10)
			r := mustOpen(t, vfs, "db", opts)
			m := pagesOf(4, 1, 512)
			mustCommitPages(t, p, m)
			pinned := m.expected(512)
			if err := r.BeginRead(); err != nil {
				t.Fatal(err)
			}
			commit := func(tx int) {
				m = m.clone()
				m[uint32(2+tx%3)] = stamp(uint32(2+tx%3), tx, 512)
				mustCommitPages(t, p, m)
			}
			for tx := 2; tx <= 60; tx++ {
				commit(tx)
			}
			if bg {
				waitCheckpoints(t, p, 1)
			}
			if d := diffPages(pinned, mustSnapshotIn(t, r)); d != "" {
				t.Fatalf("reader's snapshot after 59 commits and checkpoints (-want +got):\n%s", d)
			}
			if got := p.log.Committed(); got < 59 {
				t.Fatalf("the WAL holds %d frames with a reader on the first commit's snapshot; want at least one per commit since", got)
			}
			if err := r.EndRead(); err != nil {
				t.Fatal(err)
			}
			// The first commit's checkpoint copies every frame, the
			// next commit starts the WAL over. (The background
			// checkpointer may have been busy with a signal from before
			// EndRead: it gets a few more commits.)
			commits := 2
			if bg {
				commits = 6
			}
			for tx := 61; tx < 61+commits && p.log.Committed() > 4; tx++ {
				runs := int64(0)
				if bg {
					runs = p.ckpt.runs.Load()
				}
				commit(tx)
				if bg && p.log.Committed() >= 10 { // signalled
					waitCheckpoints(t, p, runs+1)
				}
			}
			if got := p.log.Committed(); got > 4 {
				t.Errorf("%d commits after the reader left, the WAL holds %d frames; want it started over", commits, got)
			}
			if d := diffPages(m.expected(512), mustSnapshot(t, r)); d != "" {
				t.Errorf("reader after the WAL started over (-want +got):\n%s", d)
			}
		})
	}
}
