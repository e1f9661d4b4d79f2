package pager

import (
	"errors"
	"fmt"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// TestIOErrorsRollBackCleanly fails the Nth write, or the Nth sync, once,
// for every N of the workload. The transaction that hits it must return the
// error, Rollback must succeed and leave the previous state (or, for a
// failure after the commit point, the new one), and the pager must go on
// committing the next transactions.
func TestIOErrorsRollBackCleanly(t *testing.T) {
	txs := crashWorkload()
	for _, cfg := range []crashConfig{
		{mode: JournalDelete, sync: SyncFull},
		{mode: JournalTruncate, sync: SyncNormal},
		{mode: JournalPersist, sync: SyncFull},
		{mode: JournalMemory, sync: SyncFull},
	} {
		t.Run(fmt.Sprintf("%v/%v", cfg.mode, cfg.sync), func(t *testing.T) {
			t.Parallel()
			clean := osvfs.NewFault(osvfs.NewMem())
			crashRun(clean, cfg, txs)
			runWithEachIOError(t, cfg, txs, clean.Writes(), clean.Syncs())
		})
	}
}

// runWithEachIOError runs the workload once per write and once per sync
// of a clean run (the first 100 writes and 20 syncs with -short), failing
// that one operation, and checks each run with runWithIOError. It stops at
// the first run that fails.
func runWithEachIOError(t *testing.T, cfg crashConfig, txs []crashTx, writes, syncs int64) {
	t.Helper()
	if testing.Short() {
		writes, syncs = min(writes, 100), min(syncs, 20)
	}
	for _, kind := range []string{"write", "sync"} {
		total := writes
		if kind == "sync" {
			total = syncs
		}
		for n := int64(1); n <= total; n++ {
			vfs := osvfs.NewFault(osvfs.NewMem())
			if kind == "write" {
				vfs.FailWrite(n)
			} else {
				vfs.FailSync(n)
			}
			if !runWithIOError(t, vfs, cfg, txs, fmt.Sprintf("failing %s %d", kind, n)) {
				return
			}
		}
	}
}

func runWithIOError(t *testing.T, vfs *osvfs.FaultVFS, cfg crashConfig, txs []crashTx, what string) bool {
	t.Helper()
	p, err := Open(vfs, "db", Options{PageSize: crashPageSize, CacheSize: crashCache, Create: true,
		JournalMode: cfg.mode, Synchronous: cfg.sync})
	if err != nil {
		t.Errorf("%s: open: %v", what, err)
		return false
	}
	defer p.Close()
	cur := model{}
	failures, failedAt := 0, 0
	for i, tx := range txs {
		if failures > 0 && i > failedAt+2 {
			break // the pager went on working; that is enough
		}
		inCommit, err := runTx(p, i, tx)
		if err == nil {
			cur = cur.apply(i, tx)
			continue
		}
		failures++
		failedAt = i
		if !errors.Is(err, osvfs.ErrInjected) {
			t.Errorf("%s: transaction %d: error %v does not wrap the injected fault", what, i, err)
			return false
		}
		if err := p.Rollback(); err != nil {
			t.Errorf("%s: transaction %d: Rollback: %v", what, i, err)
			return false
		}
		got, err := snapshot(p)
		if err != nil {
			t.Errorf("%s: transaction %d: read after rollback: %v", what, i, err)
			return false
		}
		switch {
		case diffPages(cur.expected(crashPageSize), got) == "":
		case inCommit && diffPages(cur.apply(i, tx).expected(crashPageSize), got) == "":
			cur = cur.apply(i, tx) // failed after the commit point
		default:
			t.Errorf("%s: transaction %d failed (in commit: %v); after rollback (-want +got):\n%s",
				what, i, inCommit, diffPages(cur.expected(crashPageSize), got))
			return false
		}
	}
	if failures != 1 {
		t.Errorf("%s: %d transactions failed, want 1", what, failures)
		return false
	}
	q, err := Open(vfs, "db", Options{})
	if err != nil {
		t.Errorf("%s: reopen: %v", what, err)
		return false
	}
	defer q.Close()
	got, err := snapshot(q)
	if err != nil {
		t.Errorf("%s: reopen: %v", what, err)
		return false
	}
	if d := diffPages(cur.expected(crashPageSize), got); d != "" {
		t.Errorf("%s: final database (-want +got):\n%s", what, d)
		return false
	}
	return true
}

// TestDiskFull fills the disk at points spread over the workload: the
// failing transaction reports ErrFull, and once space is back the database
// holds the committed transactions (a rollback that could not write is
// finished by the next reader from the hot journal).
func TestDiskFull(t *testing.T) {
	txs := crashWorkload()
	states := []model{{}}
	for i, tx := range txs {
		states = append(states, states[i].apply(i, tx))
	}
	cfg := crashConfig{mode: JournalDelete, sync: SyncFull}
	failed := 0
	for n := int64(0); n < 600_000; n += 7_000 {
		vfs := osvfs.NewFault(osvfs.NewMem())
		vfs.FullAfter(n)
		p, err := Open(vfs, "db", Options{PageSize: crashPageSize, CacheSize: crashCache, Create: true})
		if err != nil {
			t.Fatal(err)
		}
		committed, inCommit := len(txs), false
		for i, tx := range txs {
			var err error
			if inCommit, err = runTx(p, i, tx); err != nil {
				if !errors.Is(err, resultcode.ErrFull) {
					t.Fatalf("full after %d bytes: transaction %d: %v, want ErrFull", n, i, err)
				}
				p.Rollback()
				committed = i
				failed++
				break
			}
		}
		p.Close()
		vfs.Reset()
		allowed := []int{committed}
		if inCommit {
			allowed = append(allowed, committed+1)
		}
		if !checkState(t, vfs, cfg, states, allowed, fmt.Sprintf("full after %d bytes", n)) {
			return
		}
	}
	if failed < 20 {
		t.Errorf("only %d of the runs hit the full disk", failed)
	}
}
