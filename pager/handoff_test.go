//go:build linux

package pager

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wrendb/wren/osvfs"
)

// shmLocksHeld lists the wal-index lock slots some process holds at the
// OS, as another process would find them: an open file description lock
// probe (F_OFD_GETLK) conflicts with this process's fcntl locks too.
func shmLocksHeld(t *testing.T, shmPath string) []int {
	t.Helper()
	fd, err := unix.Open(shmPath, unix.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	var held []int
	for slot := range osvfs.ShmLockCount {
		lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: int64(osvfs.ShmLockOffset + slot), Len: 1}
		if err := unix.FcntlFlock(uintptr(fd), unix.F_OFD_GETLK, &lk); err != nil {
			t.Fatal(err)
		}
		if lk.Type != unix.F_UNLCK {
			held = append(held, slot)
		}
	}
	return held
}

// Writers of one process hand the WAL's WRITE lock (and the read mark they
// raise) on to each other without releasing it at the OS; once they are
// done, nothing is left locked for other processes to trip on, and every
// commit is there.
func TestWALHandOffReleasesAtTheEnd(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "db")
	vfs := osvfs.NewUnix()
	opts := Options{PageSize: 512, Create: true, JournalMode: JournalWAL, BusyTimeout: 10 * time.Second}
	first := mustOpen(t, vfs, name, opts)
	mustCommitPages(t, first, pagesOf(8, 0, 512))
	const writers, txs = 4, 40
	pagers := make([]*Pager, writers)
	for i := range pagers {
		pagers[i] = mustOpen(t, vfs, name, opts)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i, p := range pagers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pgno := uint32(2 + i)
			for tx := 1; tx <= txs; tx++ {
				if err := p.BeginWrite(); err != nil {
					errs <- err
					return
				}
				if err := setPage(p, pgno, stamp(pgno, tx, 512)); err != nil {
					errs <- err
					return
				}
				if err := p.Commit(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if held := shmLocksHeld(t, name+"-shm"); len(held) != 0 {
		t.Errorf("after the writers finished, wal-index slots %v are locked at the OS", held)
	}
	want := pagesOf(8, 0, 512)
	for i := range writers {
		want[uint32(2+i)] = stamp(uint32(2+i), txs, 512)
	}
	if d := diffPages(want.expected(512), mustSnapshot(t, first)); d != "" {
		t.Errorf("after the writers (-want +got):\n%s", d)
	}
}
