package osvfs

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/resultcode"
)

// lockStep is one lock or unlock by handle h and the outcome it must have.
type lockStep struct {
	h      int
	unlock bool
	level  LockLevel
	want   resultcode.Code // OK, Busy or Misuse (primary codes)
}

func lk(h int, level LockLevel, want resultcode.Code) lockStep {
	return lockStep{h: h, level: level, want: want}
}

func ul(h int, level LockLevel) lockStep {
	return lockStep{h: h, unlock: true, level: level, want: resultcode.OK}
}

const (
	ok     = resultcode.OK
	busy   = resultcode.Busy
	misuse = resultcode.Misuse
)

var lockScenarios = []struct {
	name       string
	steps      []lockStep
	wantLevels [2]LockLevel
	wantCheck  bool // CheckReservedLock afterwards
	// wantOS is the process's fcntl locks afterwards, as another process
	// sees them (unix only): pending byte, reserved byte, shared range.
	wantOS osLocks
}{
	{
		name:       "SHARED and SHARED coexist",
		steps:      []lockStep{lk(0, LockShared, ok), lk(1, LockShared, ok)},
		wantLevels: [2]LockLevel{LockShared, LockShared},
		wantOS:     osLocks{Pending: "none", Reserved: "none", Shared: "read"},
	},
	{
		name:       "RESERVED excludes RESERVED",
		steps:      []lockStep{lk(0, LockShared, ok), lk(1, LockShared, ok), lk(0, LockReserved, ok), lk(1, LockReserved, busy)},
		wantLevels: [2]LockLevel{LockReserved, LockShared},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "none", Reserved: "write", Shared: "read"},
	},
	{
		name:       "RESERVED admits new SHARED",
		steps:      []lockStep{lk(0, LockShared, ok), lk(0, LockReserved, ok), lk(1, LockShared, ok)},
		wantLevels: [2]LockLevel{LockReserved, LockShared},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "none", Reserved: "write", Shared: "read"},
	},
	{
		name:       "PENDING blocks new SHARED",
		steps:      []lockStep{lk(0, LockShared, ok), lk(0, LockPending, ok), lk(1, LockShared, busy)},
		wantLevels: [2]LockLevel{LockPending, LockNone},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "write", Reserved: "none", Shared: "read"},
	},
	{
		name: "EXCLUSIVE waits at PENDING for readers to leave",
		steps: []lockStep{
			lk(0, LockShared, ok), lk(1, LockShared, ok),
			lk(0, LockReserved, ok), lk(0, LockExclusive, busy),
		},
		wantLevels: [2]LockLevel{LockPending, LockShared},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "write", Reserved: "write", Shared: "read"},
	},
	{
		name: "EXCLUSIVE once the other reader is gone",
		steps: []lockStep{
			lk(0, LockShared, ok), lk(1, LockShared, ok),
			lk(0, LockReserved, ok), lk(0, LockExclusive, busy),
			ul(1, LockNone), lk(0, LockExclusive, ok), lk(1, LockShared, busy),
		},
		wantLevels: [2]LockLevel{LockExclusive, LockNone},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "write", Reserved: "write", Shared: "write"},
	},
	{
		name: "EXCLUSIVE back to SHARED admits readers",
		steps: []lockStep{
			lk(0, LockShared, ok), lk(0, LockReserved, ok), lk(0, LockExclusive, ok),
			ul(0, LockShared), lk(1, LockShared, ok), lk(1, LockReserved, ok),
		},
		wantLevels: [2]LockLevel{LockShared, LockReserved},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "none", Reserved: "write", Shared: "read"},
	},
	{
		name: "all unlocked releases the OS locks",
		steps: []lockStep{
			lk(0, LockShared, ok), lk(1, LockShared, ok), lk(1, LockReserved, ok),
			ul(0, LockNone), ul(1, LockNone),
		},
		wantLevels: [2]LockLevel{LockNone, LockNone},
		wantOS:     osLocks{Pending: "none", Reserved: "none", Shared: "none"},
	},
	{
		name:       "RESERVED without SHARED is misuse",
		steps:      []lockStep{lk(0, LockReserved, misuse), lk(0, LockExclusive, misuse)},
		wantLevels: [2]LockLevel{LockNone, LockNone},
		wantOS:     osLocks{Pending: "none", Reserved: "none", Shared: "none"},
	},
	{
		name:       "relocking a held level is a no-op",
		steps:      []lockStep{lk(0, LockShared, ok), lk(0, LockReserved, ok), lk(0, LockShared, ok), lk(0, LockReserved, ok)},
		wantLevels: [2]LockLevel{LockReserved, LockNone},
		wantCheck:  true,
		wantOS:     osLocks{Pending: "none", Reserved: "write", Shared: "read"},
	},
}

func TestLockTransitions(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		for i, sc := range lockScenarios {
			t.Run(sc.name, func(t *testing.T) {
				name := tv.path("lock" + string(rune('a'+i)) + ".db")
				h := [2]File{mustOpen(t, tv.vfs, name, rwc), mustOpen(t, tv.vfs, name, rwc)}
				for j, st := range sc.steps {
					var err error
					if st.unlock {
						err = h[st.h].Unlock(st.level)
					} else {
						err = h[st.h].Lock(st.level)
					}
					if got := resultcode.Of(err).Primary(); got != st.want {
						t.Fatalf("step %d (handle %d, %v): got %v (%v), want %v", j, st.h, st.level, got, err, st.want)
					}
				}
				got := [2]LockLevel{h[0].LockLevel(), h[1].LockLevel()}
				if diff := cmp.Diff(sc.wantLevels, got); diff != "" {
					t.Errorf("levels (-want +got):\n%s", diff)
				}
				for k := range h {
					res, err := h[k].CheckReservedLock()
					if err != nil || res != sc.wantCheck {
						t.Errorf("handle %d: CheckReservedLock = %v, %v; want %v", k, res, err, sc.wantCheck)
					}
				}
				if tv.name == "unix" && probeOSLocks != nil {
					if diff := cmp.Diff(sc.wantOS, probeOSLocks(t, name)); diff != "" {
						t.Errorf("fcntl locks seen by another process (-want +got):\n%s", diff)
					}
				}
			})
		}
	})
}

// osLocks is the strongest fcntl lock another process sees on each of
// SQLite's lock ranges: "none", "read" or "write".
type osLocks struct{ Pending, Reserved, Shared string }

// probeOSLocks asks another process which locks are held on a file; nil
// where there is no such probe.
var probeOSLocks func(t *testing.T, path string) osLocks

func TestCloseReleasesLocks(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		name := tv.path("close.db")
		a := mustOpen(t, tv.vfs, name, rwc)
		b := mustOpen(t, tv.vfs, name, rwc)
		for _, l := range []LockLevel{LockShared, LockReserved, LockExclusive} {
			if err := a.Lock(l); err != nil {
				t.Fatalf("Lock(%v): %v", l, err)
			}
		}
		if err := b.Lock(LockShared); !errors.Is(err, resultcode.ErrBusy) {
			t.Fatalf("Lock(SHARED) beside EXCLUSIVE: %v, want busy", err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.Lock(LockShared); err != nil {
			t.Fatalf("Lock(SHARED) after the holder closed: %v", err)
		}
		if err := b.Lock(LockExclusive); err != nil {
			t.Fatalf("Lock(EXCLUSIVE) after the holder closed: %v", err)
		}
	})
}

// Handles racing for the locks never break the rules: while one holds
// EXCLUSIVE nobody else holds anything, and there is one writer at most.
func TestLockConcurrentHandles(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		name := tv.path("race.db")
		const workers, rounds = 4, 300
		var holders, writers atomic.Int32
		var exclusives atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan string, workers)
		for range workers {
			f := mustOpen(t, tv.vfs, name, rwc)
			wg.Go(func() {
				for range rounds {
					if f.Lock(LockShared) != nil {
						continue
					}
					holders.Add(1)
					if f.Lock(LockReserved) == nil {
						if w := writers.Add(1); w != 1 {
							errs <- "two writers at once"
							return
						}
						if f.Lock(LockExclusive) == nil {
							exclusives.Add(1)
							if h := holders.Load(); h > 1 {
								errs <- "EXCLUSIVE granted beside other readers"
								return
							}
						}
						writers.Add(-1)
					}
					holders.Add(-1)
					if err := f.Unlock(LockNone); err != nil {
						errs <- err.Error()
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		if exclusives.Load() == 0 {
			t.Errorf("no handle ever got EXCLUSIVE in %d rounds", workers*rounds)
		}
	})
}
