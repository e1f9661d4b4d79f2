package osvfs

import (
	"testing"

	"github.com/wrendb/wren/resultcode"
)

func TestShmRegionsAreShared(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		name := tv.path("wal.db")
		a := mustOpen(t, tv.vfs, name, rwc).(SharedMemory)
		b := mustOpen(t, tv.vfs, name, rwc).(SharedMemory)
		if r, err := a.ShmMap(0, ShmRegionSize, false); r != nil || err != nil {
			t.Fatalf("ShmMap of a missing region without extend = %d bytes, %v; want nil, nil", len(r), err)
		}
		ra, err := a.ShmMap(1, ShmRegionSize, true)
		if err != nil || len(ra) != ShmRegionSize {
			t.Fatalf("ShmMap(1, extend) = %d bytes, %v", len(ra), err)
		}
		rb, err := b.ShmMap(1, ShmRegionSize, false)
		if err != nil || len(rb) != ShmRegionSize {
			t.Fatalf("second connection ShmMap(1) = %d bytes, %v", len(rb), err)
		}
		if r0, err := b.ShmMap(0, ShmRegionSize, false); err != nil || len(r0) != ShmRegionSize {
			t.Fatalf("region 0 after region 1 was created = %d bytes, %v", len(r0), err)
		}
		ra[7] = 42
		a.ShmBarrier()
		if rb[7] != 42 {
			t.Errorf("a write through one connection's region is not seen by the other")
		}
		if _, err := a.ShmMap(2, 2*ShmRegionSize, true); err == nil {
			t.Errorf("ShmMap with a different region size succeeded")
		}
		if err := a.ShmUnmap(false); err != nil {
			t.Fatal(err)
		}
		if err := b.ShmUnmap(false); err != nil {
			t.Fatal(err)
		}
	})
}

func TestShmLockSlots(t *testing.T) {
	type step struct {
		conn      int
		offset, n int
		excl      bool
		unlock    bool
		want      resultcode.Code
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"shared and shared", []step{{0, 3, 1, false, false, ok}, {1, 3, 1, false, false, ok}}},
		{"shared excludes exclusive", []step{{0, 3, 1, false, false, ok}, {1, 3, 1, true, false, busy}}},
		{"exclusive excludes shared", []step{{0, 0, 1, true, false, ok}, {1, 0, 1, false, false, busy}}},
		{"exclusive excludes exclusive over a range", []step{{0, 1, 2, true, false, ok}, {1, 2, 3, true, false, busy}, {1, 3, 2, true, false, ok}}},
		{"unlock frees the slot", []step{{0, 0, 1, true, false, ok}, {0, 0, 1, true, true, ok}, {1, 0, 1, true, false, ok}}},
		{"shared held by two survives one unlock", []step{
			{0, 4, 1, false, false, ok}, {1, 4, 1, false, false, ok}, {0, 4, 1, false, true, ok},
			{0, 4, 1, true, false, busy}, {1, 4, 1, false, true, ok}, {0, 4, 1, true, false, ok},
		}},
		{"own shared upgrades to exclusive", []step{{0, 5, 1, false, false, ok}, {0, 5, 1, true, false, ok}, {1, 5, 1, false, false, busy}}},
		{"slots out of range", []step{{0, 7, 2, true, false, misuse}, {0, -1, 1, false, false, misuse}, {0, 0, 0, false, false, misuse}}},
	}
	eachVFS(t, func(t *testing.T, tv testVFS) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				name := tv.path("shm" + string(rune('a'+i)) + ".db")
				conns := []SharedMemory{
					mustOpen(t, tv.vfs, name, rwc).(SharedMemory),
					mustOpen(t, tv.vfs, name, rwc).(SharedMemory),
				}
				for j, st := range tt.steps {
					err := conns[st.conn].ShmLock(st.offset, st.n, st.excl, st.unlock)
					if got := resultcode.Of(err).Primary(); got != st.want {
						t.Fatalf("step %d: %v (%v), want %v", j, got, err, st.want)
					}
				}
				for _, c := range conns {
					if err := c.ShmUnmap(false); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	})
}

// Closing a connection releases its wal-index locks.
func TestShmCloseReleasesSlots(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		name := tv.path("shmclose.db")
		a := mustOpen(t, tv.vfs, name, rwc)
		b := mustOpen(t, tv.vfs, name, rwc).(SharedMemory)
		if err := a.(SharedMemory).ShmLock(0, ShmLockCount, true, false); err != nil {
			t.Fatal(err)
		}
		if err := b.ShmLock(2, 1, false, false); resultcode.Of(err).Primary() != busy {
			t.Fatalf("shared beside exclusive: %v, want busy", err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.ShmLock(0, ShmLockCount, true, false); err != nil {
			t.Fatalf("exclusive after the holder closed: %v", err)
		}
	})
}
