//go:build linux

package osvfs

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// osWriteLocked reports whether some process holds a lock on the -shm lock
// byte of slot, as another process would find it: an open file
// description lock (F_OFD_GETLK) conflicts with this process's own fcntl
// locks too, so the probe sees them.
func osWriteLocked(t *testing.T, shmPath string, slot int) bool {
	t.Helper()
	fd, err := unix.Open(shmPath, unix.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	lk := unix.Flock_t{Type: unix.F_RDLCK, Whence: 0, Start: int64(ShmLockOffset + slot), Len: 1}
	if err := unix.FcntlFlock(uintptr(fd), unix.F_OFD_GETLK, &lk); err != nil {
		t.Fatal(err)
	}
	return lk.Type != unix.F_UNLCK
}

// ShmRetain keeps the OS lock of an exclusive slot for the process while it
// passes from one connection to the next; ShmDropRetained lets it go when
// nobody took it; and after maxShmHandoffs hand-offs in a row it is
// released at the OS anyway.
func TestShmRetain(t *testing.T) {
	name := filepath.Join(t.TempDir(), "retain.db")
	vfs := NewUnix()
	var conns [2]*unixFile
	for i := range conns {
		f, err := vfs.Open(name, OpenMainDB|OpenReadWrite|OpenCreate)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		conns[i] = f.(*unixFile)
		if _, err := conns[i].ShmMap(0, ShmRegionSize, true); err != nil {
			t.Fatal(err)
		}
	}
	shm := name + "-shm"
	const slot = 0
	mustLock := func(c *unixFile, excl, unlock bool) {
		t.Helper()
		if err := c.ShmLock(slot, 1, excl, unlock); err != nil {
			t.Fatalf("ShmLock(excl %v, unlock %v): %v", excl, unlock, err)
		}
	}
	retain := func(c *unixFile) bool {
		t.Helper()
		kept, err := c.ShmRetain(slot, 1)
		if err != nil {
			t.Fatal(err)
		}
		return kept
	}

	mustLock(conns[0], true, false)
	if !retain(conns[0]) {
		t.Fatal("first hand-off not kept")
	}
	if !osWriteLocked(t, shm, slot) {
		t.Error("retained slot not locked at the OS")
	}
	// In the process the slot is free: the other connection takes it.
	mustLock(conns[1], true, false)
	if err := conns[0].ShmLock(slot, 1, true, false); err == nil {
		t.Error("two connections hold the slot exclusive")
	}
	mustLock(conns[1], true, true)
	if osWriteLocked(t, shm, slot) {
		t.Error("slot still locked at the OS after a plain unlock")
	}

	// Retained and not taken: dropped.
	mustLock(conns[0], true, false)
	retain(conns[0])
	if err := conns[0].ShmDropRetained(slot, 1); err != nil {
		t.Fatal(err)
	}
	if osWriteLocked(t, shm, slot) {
		t.Error("slot still locked at the OS after ShmDropRetained")
	}

	// Retained, then taken shared: the write lock serves the shared
	// hold, and the last unlock releases it.
	mustLock(conns[0], true, false)
	retain(conns[0])
	mustLock(conns[1], false, false)
	mustLock(conns[1], false, true)
	if osWriteLocked(t, shm, slot) {
		t.Error("slot still locked at the OS after a shared lock and unlock")
	}

	// Hand-offs in a row are bounded.
	kept := 0
	for i := 0; i < 2*maxShmHandoffs; i++ {
		c := conns[i%2]
		mustLock(c, true, false)
		if !retain(c) {
			if osWriteLocked(t, shm, slot) {
				t.Fatalf("hand-off %d not kept, but the slot is locked at the OS", i)
			}
			break
		}
		kept++
	}
	if kept != maxShmHandoffs {
		t.Errorf("%d hand-offs kept in a row, want %d", kept, maxShmHandoffs)
	}
}
