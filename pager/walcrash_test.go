package pager

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// The crash workload in WAL mode, with automatic checkpoints (every 40
// frames) and explicit ones (PASSIVE and TRUNCATE in turn, every sixth
// transaction), so that cuts land in frame writes, WAL syncs, checkpoint
// copies, database syncs and WAL restarts.
func walCrashRun(vfs osvfs.VFS, sync Synchronous, txs []crashTx) (committed int, inCommit bool) {
	p, err := Open(vfs, "db", Options{PageSize: crashPageSize, CacheSize: crashCache, Create: true,
		JournalMode: JournalWAL, Synchronous: sync})
	if err != nil {
		return 0, false
	}
	defer p.Close()
	p.SetWALAutoCheckpoint(40)
	for i, tx := range txs {
		inCommit, err := runTx(p, i, tx)
		if err != nil {
			p.Rollback()
			return i, inCommit
		}
		if i%6 == 5 {
			mode := CheckpointPassive
			if i%12 == 11 {
				mode = CheckpointTruncate
			}
			if _, err := p.Checkpoint(mode); err != nil {
				return i + 1, false
			}
		}
	}
	return len(txs), false
}

// walAllowed lists the states a crash may leave. Under synchronous=FULL a
// commit is durable once Commit returns (the first one creates the database
// through a rollback journal, whose deletion is made durable for this
// reason). Under NORMAL the WAL is
// synced only by checkpoints, so any number of the last commits may be
// lost, but the result is always some committed state.
func walAllowed(sync Synchronous, committed int, inCommit bool) []int {
	if sync == SyncNormal {
		var all []int
		for k := 0; k <= committed; k++ {
			all = append(all, k)
		}
		if inCommit {
			all = append(all, committed+1)
		}
		return all
	}
	allowed := []int{committed}
	if inCommit {
		allowed = append(allowed, committed+1)
	}
	return allowed
}

// TestWALCrashAtEveryWriteAndSync cuts the power at every write and every
// sync of the WAL workload (and, torn, at every sync with a random subset
// of the unsynced sectors kept), and checks that the reopened database
// holds exactly a state the synchronous level allows.
func TestWALCrashAtEveryWriteAndSync(t *testing.T) {
	txs := crashWorkload()
	states := []model{{}}
	for i, tx := range txs {
		states = append(states, states[i].apply(i, tx))
	}
	for _, sync := range []Synchronous{SyncFull, SyncNormal} {
		t.Run(sync.String(), func(t *testing.T) {
			t.Parallel()
			clean := osvfs.NewFault(osvfs.NewMem())
			if n, _ := walCrashRun(clean, sync, txs); n != len(txs) {
				t.Fatalf("workload without faults committed %d of %d", n, len(txs))
			}
			checkState(t, clean, crashConfig{mode: JournalWAL, sync: sync}, states, []int{len(txs)}, "no fault")
			writes, syncs := clean.Writes(), clean.Syncs()
			t.Logf("workload: %d writes, %d syncs", writes, syncs)
			if testing.Short() {
				writes, syncs = min(writes, 150), min(syncs, 30)
			}
			for _, kind := range []string{"write", "sync", "torn sync"} {
				total := writes
				if kind != "write" {
					total = syncs
				}
				for n := int64(0); n < total; n++ {
					vfs := osvfs.NewFault(osvfs.NewMem())
					if kind == "write" {
						vfs.CutAfterWrites(n)
					} else {
						vfs.CutAfterSyncs(n)
					}
					committed, inCommit := walCrashRun(vfs, sync, txs)
					var err error
					if kind == "torn sync" {
						err = vfs.CrashTorn(rand.New(rand.NewPCG(uint64(n), 7)))
					} else {
						err = vfs.Crash()
					}
					if err != nil {
						t.Fatal(err)
					}
					vfs.Reset()
					what := fmt.Sprintf("cut after %d %ss (%d committed)", n, kind, committed)
					if !checkState(t, vfs, crashConfig{mode: JournalWAL, sync: sync}, states, walAllowed(sync, committed, inCommit), what) {
						return
					}
				}
			}
		})
	}
}

// TestWALIOErrorsRollBackCleanly fails each write and each sync of the WAL
// workload in turn (without a crash): the failing transaction reports the
// error and rolls back (or, failing after its commit frame was written,
// stays committed), and the pager goes on committing.
func TestWALIOErrorsRollBackCleanly(t *testing.T) {
	txs := crashWorkload()
	for _, sync := range []Synchronous{SyncFull, SyncNormal} {
		cfg := crashConfig{mode: JournalWAL, sync: sync}
		t.Run(sync.String(), func(t *testing.T) {
			t.Parallel()
			// Count the workload's writes and syncs, not those of Close's
			// checkpoint, which no transaction would report.
			clean := osvfs.NewFault(osvfs.NewMem())
			p, err := Open(clean, "db", Options{PageSize: crashPageSize, CacheSize: crashCache, Create: true,
				JournalMode: JournalWAL, Synchronous: sync})
			if err != nil {
				t.Fatal(err)
			}
			for i, tx := range txs {
				if _, err := runTx(p, i, tx); err != nil {
					t.Fatal(err)
				}
			}
			writes, syncs := clean.Writes(), clean.Syncs()
			p.Close()
			runWithEachIOError(t, cfg, txs, writes, syncs)
		})
	}
}
