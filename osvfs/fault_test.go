package osvfs

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/resultcode"
)

// contentOf reads a whole file through a fresh handle; "<none>" if the file
// does not exist.
func contentOf(t *testing.T, v VFS, name string) string {
	t.Helper()
	if ok, err := v.Exists(name); err != nil {
		t.Fatal(err)
	} else if !ok {
		return "<none>"
	}
	f, err := v.Open(name, OpenReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := readAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeString(t *testing.T, f File, off int64, s string) {
	t.Helper()
	if _, err := f.WriteAt([]byte(s), off); err != nil {
		t.Fatalf("WriteAt(%q, %d): %v", s, off, err)
	}
}

func syncFile(t *testing.T, f File) {
	t.Helper()
	if err := f.Sync(SyncNormal); err != nil {
		t.Fatalf("Sync: %v", err)
	}
}

func TestFaultCutAfterWrites(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	v.CutAfterWrites(2)
	writeString(t, f, 0, "one")
	writeString(t, f, 3, "two")
	if _, err := f.WriteAt([]byte("three"), 6); !errors.Is(err, ErrInjected) || resultcode.Of(err) != resultcode.IOErrWrite {
		t.Fatalf("write after the cut: %v, want an injected IOErrWrite", err)
	}
	if !v.IsCut() {
		t.Fatalf("IsCut = false after the cut")
	}
	// Everything fails once the power is off, reads and syncs included.
	if _, err := f.ReadAt(make([]byte, 3), 0); !errors.Is(err, ErrInjected) {
		t.Errorf("read after the cut: %v", err)
	}
	if err := f.Sync(SyncNormal); !errors.Is(err, ErrInjected) {
		t.Errorf("sync after the cut: %v", err)
	}
	if _, err := v.Open("/other", rwc); !errors.Is(err, ErrInjected) {
		t.Errorf("open after the cut: %v", err)
	}
	if got := v.Writes(); got != 2 {
		t.Errorf("Writes = %d, want 2", got)
	}
}

func TestFaultCutAfterSyncs(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	v.CutAfterSyncs(1)
	writeString(t, f, 0, "kept")
	syncFile(t, f)
	writeString(t, f, 0, "lost")
	if err := f.Sync(SyncNormal); !errors.Is(err, ErrInjected) {
		t.Fatalf("second sync: %v, want injected", err)
	}
	if err := v.Crash(); err != nil {
		t.Fatal(err)
	}
	if got := contentOf(t, v, "/db"); got != "kept" {
		t.Errorf("after the crash: %q, want %q", got, "kept")
	}
}

// Each scenario runs operations, crashes, and says what the disk kept.
func TestFaultCrashModel(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, v *FaultVFS)
		want map[string]string // file -> content after the crash
	}{
		{"unsynced writes are dropped, synced kept", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/a", rwc)
			writeString(t, f, 0, "synced")
			syncFile(t, f)
			writeString(t, f, 0, "XX")
			writeString(t, f, 6, "-more")
		}, map[string]string{"/a": "synced"}},
		{"a sync through another handle makes it durable", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/a", rwc)
			g := mustOpen(t, v, "/a", rwc)
			writeString(t, f, 0, "abc")
			syncFile(t, g)
		}, map[string]string{"/a": "abc"}},
		{"a created file never synced is gone", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/new", rwc)
			writeString(t, f, 0, "data")
		}, map[string]string{"/new": "<none>"}},
		{"an unsynced truncate is undone", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/a", rwc)
			writeString(t, f, 0, "0123456789")
			syncFile(t, f)
			if err := f.Truncate(4); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{"/a": "0123456789"}},
		{"a synced truncate holds", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/a", rwc)
			writeString(t, f, 0, "0123456789")
			if err := f.Truncate(4); err != nil {
				t.Fatal(err)
			}
			syncFile(t, f)
		}, map[string]string{"/a": "0123"}},
		{"a delete without directory sync is undone", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/j", rwc)
			writeString(t, f, 0, "journal")
			syncFile(t, f)
			f.Close()
			if err := v.Delete("/j", false); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{"/j": "journal"}},
		{"a delete with directory sync is durable", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/j", rwc)
			writeString(t, f, 0, "journal")
			syncFile(t, f)
			f.Close()
			if err := v.Delete("/j", true); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{"/j": "<none>"}},
		{"a directory sync makes earlier deletes durable", func(t *testing.T, v *FaultVFS) {
			for _, n := range []string{"/x", "/y"} {
				f := mustOpen(t, v, n, rwc)
				writeString(t, f, 0, n)
				syncFile(t, f)
			}
			if err := v.Delete("/x", false); err != nil {
				t.Fatal(err)
			}
			if err := v.Delete("/y", true); err != nil {
				t.Fatal(err)
			}
		}, map[string]string{"/x": "<none>", "/y": "<none>"}},
		{"a file recreated after an unsynced delete", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/j", rwc)
			writeString(t, f, 0, "old")
			syncFile(t, f)
			f.Close()
			if err := v.Delete("/j", false); err != nil {
				t.Fatal(err)
			}
			g := mustOpen(t, v, "/j", rwc)
			writeString(t, g, 0, "N")
		}, map[string]string{"/j": "old"}},
		{"a file recreated and synced", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/j", rwc)
			writeString(t, f, 0, "old content")
			syncFile(t, f)
			f.Close()
			if err := v.Delete("/j", false); err != nil {
				t.Fatal(err)
			}
			g := mustOpen(t, v, "/j", rwc)
			writeString(t, g, 0, "new")
			syncFile(t, g)
		}, map[string]string{"/j": "new"}},
		{"a failed sync makes nothing durable", func(t *testing.T, v *FaultVFS) {
			f := mustOpen(t, v, "/a", rwc)
			writeString(t, f, 0, "first")
			syncFile(t, f)
			writeString(t, f, 0, "again")
			v.FailSync(1)
			if err := f.Sync(SyncNormal); !errors.Is(err, ErrInjected) {
				t.Fatalf("Sync: %v, want injected", err)
			}
		}, map[string]string{"/a": "first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewFault(NewMem())
			tt.run(t, v)
			if err := v.Crash(); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for name := range tt.want {
				got[name] = contentOf(t, v, name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("after the crash (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFaultFilesExistingBeforeAreDurable(t *testing.T) {
	mem := NewMem()
	f := mustOpen(t, mem, "/pre", rwc)
	writeString(t, f, 0, "before")
	f.Close()
	v := NewFault(mem)
	g := mustOpen(t, v, "/pre", rwc)
	writeString(t, g, 0, "AFTER!")
	if err := v.Crash(); err != nil {
		t.Fatal(err)
	}
	if got := contentOf(t, v, "/pre"); got != "before" {
		t.Errorf("after the crash: %q, want %q", got, "before")
	}
}

func TestFaultCrashKillsHandles(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	writeString(t, f, 0, "x")
	syncFile(t, f)
	for _, l := range []LockLevel{LockShared, LockReserved, LockExclusive} {
		if err := f.Lock(l); err != nil {
			t.Fatal(err)
		}
	}
	region, err := f.(SharedMemory).ShmMap(0, ShmRegionSize, true)
	if err != nil {
		t.Fatal(err)
	}
	region[0] = 1
	if err := v.Crash(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadAt(make([]byte, 1), 0); !errors.Is(err, ErrInjected) {
		t.Errorf("read on a handle from before the crash: %v, want injected", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close of a dead handle: %v", err)
	}
	// The dead handle's EXCLUSIVE lock died with it, and the wal-index
	// with the last handle that had it open.
	g := mustOpen(t, v, "/db", rwc)
	if r, err := g.(SharedMemory).ShmMap(0, ShmRegionSize, false); r != nil || err != nil {
		t.Errorf("wal-index region after the crash = %d bytes, %v; want none", len(r), err)
	}
	for _, l := range []LockLevel{LockShared, LockReserved, LockExclusive} {
		if err := g.Lock(l); err != nil {
			t.Fatalf("Lock(%v) after the crash: %v", l, err)
		}
	}
}

func TestFaultFailWriteOnce(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	v.FailWrite(2)
	writeString(t, f, 0, "a")
	if _, err := f.WriteAt([]byte("b"), 1); !errors.Is(err, ErrInjected) || !errors.Is(err, resultcode.ErrIO) {
		t.Fatalf("second write: %v, want an injected I/O error", err)
	}
	writeString(t, f, 1, "c")
	if got := contentOf(t, v, "/db"); got != "ac" {
		t.Errorf("content %q, want %q (the failed write wrote nothing)", got, "ac")
	}
	if got := v.Writes(); got != 2 {
		t.Errorf("Writes = %d, want 2", got)
	}
}

func TestFaultFullAfter(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	v.FullAfter(10)
	writeString(t, f, 0, "12345678")
	if _, err := f.WriteAt([]byte("abc"), 8); !errors.Is(err, resultcode.ErrFull) {
		t.Fatalf("write past the limit: %v, want ErrFull", err)
	}
	if _, err := f.WriteAt([]byte("z"), 0); err != nil {
		t.Fatalf("a write that fits: %v", err)
	}
	v.Reset()
	writeString(t, f, 8, "abc")
	if got, want := (v.Writes()), int64(1); got != want {
		t.Errorf("Writes after Reset = %d, want %d", got, want)
	}
}

func TestFaultCountsSyncs(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	for range 3 {
		syncFile(t, f)
	}
	if got := v.Syncs(); got != 3 {
		t.Errorf("Syncs = %d, want 3", got)
	}
}

// A torn crash keeps, sector by sector, either the old or the new bytes of
// each unsynced write, and different seeds keep different subsets.
func TestFaultCrashTorn(t *testing.T) {
	const sector = 4096
	old := bytes.Repeat([]byte{'o'}, 4*sector)
	outcomes := map[string]bool{}
	for seed := range uint64(16) {
		v := NewFault(NewMem())
		f := mustOpen(t, v, "/db", rwc)
		writeString(t, f, 0, string(old))
		syncFile(t, f)
		writeString(t, f, 0, string(bytes.Repeat([]byte{'n'}, 4*sector)))
		if err := v.CrashTorn(rand.New(rand.NewPCG(seed, 1))); err != nil {
			t.Fatal(err)
		}
		got := contentOf(t, v, "/db")
		if len(got) != len(old) {
			t.Fatalf("seed %d: %d bytes after the crash, want %d", seed, len(got), len(old))
		}
		pattern := ""
		for s := 0; s < len(got); s += sector {
			piece := got[s : s+sector]
			switch piece {
			case string(old[:sector]):
				pattern += "o"
			case string(bytes.Repeat([]byte{'n'}, sector)):
				pattern += "n"
			default:
				t.Fatalf("seed %d: sector %d is neither old nor new", seed, s/sector)
			}
		}
		outcomes[pattern] = true
	}
	if len(outcomes) < 3 {
		t.Errorf("16 torn crashes gave only %d outcomes: %v", len(outcomes), outcomes)
	}
}

func TestFaultKeepsExtensions(t *testing.T) {
	v := NewFault(NewMem())
	f := mustOpen(t, v, "/db", rwc)
	if _, ok := f.(Mapper); !ok {
		t.Errorf("a fault file over memory is not a Mapper")
	}
	if _, ok := f.(SharedMemory); !ok {
		t.Errorf("a fault file over memory is not SharedMemory")
	}
}

// The fault injector works over real files too.
func TestFaultOverUnix(t *testing.T) {
	if unixForTest == nil {
		t.Skip("no unix VFS on this system")
	}
	v := NewFault(unixForTest())
	name := t.TempDir() + "/db"
	f := mustOpen(t, v, name, rwc)
	writeString(t, f, 0, "durable")
	syncFile(t, f)
	writeString(t, f, 0, "gone")
	if err := v.Crash(); err != nil {
		t.Fatal(err)
	}
	if got := contentOf(t, v, name); got != "durable" {
		t.Errorf("after the crash: %q, want %q", got, "durable")
	}
}

// CutAfterOps visits every write and sync point of a workload: a loop over
// n finds every cut, from before the first write to after the last sync.
func TestFaultCutAfterOpsVisitsEveryPoint(t *testing.T) {
	workload := func(v *FaultVFS) error {
		f, err := v.Open("/db", rwc)
		if err != nil {
			return err
		}
		defer f.Close()
		for i, s := range []string{"a", "b"} {
			if _, err := f.WriteAt([]byte(s), int64(i)); err != nil {
				return err
			}
			if err := f.Sync(SyncNormal); err != nil {
				return err
			}
		}
		return nil
	}
	var got []string
	for n := int64(0); ; n++ {
		v := NewFault(NewMem())
		v.CutAfterOps(n)
		err := workload(v)
		if err := v.Crash(); err != nil {
			t.Fatal(err)
		}
		got = append(got, contentOf(t, v, "/db"))
		if err == nil {
			break
		}
		if !errors.Is(err, ErrInjected) {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
	want := []string{"<none>", "<none>", "a", "a", "ab"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("content after a cut at each point (-want +got):\n%s", diff)
	}
}

// The same seed gives the same torn crash, whatever the map order of files.
func TestFaultCrashTornIsReproducible(t *testing.T) {
	run := func() []string {
		v := NewFault(NewMem())
		var names []string
		for i := range 6 {
			name := "/f" + string(rune('a'+i))
			names = append(names, name)
			f := mustOpen(t, v, name, rwc)
			writeString(t, f, 0, string(bytes.Repeat([]byte{'o'}, 8192)))
			syncFile(t, f)
			writeString(t, f, 0, string(bytes.Repeat([]byte{'n'}, 8192)))
		}
		if err := v.CrashTorn(rand.New(rand.NewPCG(7, 7))); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range names {
			c := contentOf(t, v, n)
			got = append(got, c[:1]+c[4096:4097])
		}
		return got
	}
	first := run()
	for range 5 {
		if diff := cmp.Diff(first, run()); diff != "" {
			t.Fatalf("two torn crashes with one seed differ (-first +again):\n%s", diff)
		}
	}
}
