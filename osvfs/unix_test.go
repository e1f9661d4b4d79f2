//go:build unix

package osvfs

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/wrendb/wren/resultcode"
)

func init() {
	unixForTest = func() VFS { return NewUnix() }
	probeOSLocks = func(t *testing.T, path string) osLocks {
		// The first and last bytes of the shared range, and the bytes
		// either side of SQLite's lock page, pin the offsets down.
		got := probeRanges(t, path, [][2]int64{
			{PendingByte, 1}, {ReservedByte, 1},
			{SharedFirst, 1}, {SharedFirst + SharedSize - 1, 1},
			{PendingByte - 1, 1}, {SharedFirst + SharedSize, 1},
		})
		if got[4] != "none" || got[5] != "none" {
			t.Errorf("locks outside SQLite's lock bytes: %v", got[4:])
		}
		shared := got[2]
		if got[3] != got[2] {
			shared = got[2] + "/" + got[3]
		}
		return osLocks{Pending: got[0], Reserved: got[1], Shared: shared}
	}
}

// probeEnv makes the test binary, run again as a child, report the fcntl
// locks on a file instead of running tests: POSIX locks are invisible to
// the process that holds them, so only another process can check them.
const probeEnv = "WREN_OSVFS_LOCK_PROBE"

func TestMain(m *testing.M) {
	if spec := os.Getenv(probeEnv); spec != "" {
		os.Exit(runProbe(spec))
	}
	os.Exit(m.Run())
}

// runProbe handles "PATH|start:len,start:len": it prints, for each range,
// the type of a lock another process holds on it ("none", "read", "write").
func runProbe(spec string) int {
	path, ranges, _ := strings.Cut(spec, "|")
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var out []string
	for _, r := range strings.Split(ranges, ",") {
		s, l, _ := strings.Cut(r, ":")
		start, _ := strconv.ParseInt(s, 10, 64)
		length, _ := strconv.ParseInt(l, 10, 64)
		lk := unix.Flock_t{Type: unix.F_WRLCK, Start: start, Len: length}
		if err := unix.FcntlFlock(uintptr(fd), unix.F_GETLK, &lk); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		switch lk.Type {
		case unix.F_UNLCK:
			out = append(out, "none")
		case unix.F_RDLCK:
			out = append(out, "read")
		default:
			out = append(out, "write")
		}
	}
	fmt.Println(strings.Join(out, " "))
	return 0
}

func probeRanges(t *testing.T, path string, ranges [][2]int64) []string {
	t.Helper()
	var spec []string
	for _, r := range ranges {
		spec = append(spec, fmt.Sprintf("%d:%d", r[0], r[1]))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), probeEnv+"="+path+"|"+strings.Join(spec, ","))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("lock probe: %v: %s", err, out)
	}
	return strings.Fields(string(out))
}

// The lock record is per inode: a second handle on the same file, opened
// and closed while the first holds a lock, must not release the process's
// fcntl locks, though closing a descriptor drops them at the OS level.
func TestInodeCloseKeepsOtherHandlesLocks(t *testing.T) {
	dir := t.TempDir()
	v := NewUnix()
	name := dir + "/inode.db"
	holder := mustOpen(t, v, name, rwc)
	for _, l := range []LockLevel{LockShared, LockReserved} {
		if err := holder.Lock(l); err != nil {
			t.Fatal(err)
		}
	}
	// Another name for the same file: still the same inode.
	if err := os.Link(name, dir+"/alias.db"); err != nil {
		t.Fatal(err)
	}
	other, err := v.Open(dir+"/alias.db", OpenReadWrite|OpenMainDB)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Lock(LockShared); err != nil {
		t.Fatalf("SHARED beside an in-process RESERVED: %v", err)
	}
	if err := other.Lock(LockReserved); !errors.Is(err, resultcode.ErrBusy) {
		t.Fatalf("RESERVED through an alias of a RESERVED file: %v, want busy", err)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	want := osLocks{Pending: "none", Reserved: "write", Shared: "read"}
	if diff := cmp.Diff(want, probeOSLocks(t, name)); diff != "" {
		t.Fatalf("after closing the second handle (-want +got):\n%s", diff)
	}
	in := holder.(*unixFile).inode
	in.mu.Lock()
	parked := len(in.pendingClose)
	in.mu.Unlock()
	if parked != 1 {
		t.Errorf("%d descriptors parked, want 1 (the closed handle's)", parked)
	}
	if err := holder.Unlock(LockNone); err != nil {
		t.Fatal(err)
	}
	in.mu.Lock()
	parked = len(in.pendingClose)
	in.mu.Unlock()
	if parked != 0 {
		t.Errorf("%d descriptors still parked after the last unlock", parked)
	}
	want = osLocks{Pending: "none", Reserved: "none", Shared: "none"}
	if diff := cmp.Diff(want, probeOSLocks(t, name)); diff != "" {
		t.Errorf("after the last unlock (-want +got):\n%s", diff)
	}
}

func TestUnixOpenDirectory(t *testing.T) {
	_, err := NewUnix().Open(t.TempDir(), OpenReadOnly)
	if resultcode.Of(err) != resultcode.CantOpenIsDir {
		t.Errorf("opening a directory: %v, want CantOpenIsDir", err)
	}
}

func TestUnixSync(t *testing.T) {
	dir := t.TempDir()
	v := NewUnix()
	f := mustOpen(t, v, dir+"/x-journal", rwc|OpenMainJournal)
	if _, err := f.WriteAt([]byte("journal"), 0); err != nil {
		t.Fatal(err)
	}
	for _, flags := range []SyncFlag{SyncNormal, SyncFull, SyncDataOnly} {
		if err := f.Sync(flags); err != nil {
			t.Errorf("Sync(%d): %v", flags, err)
		}
	}
	if err := v.Delete(dir+"/x-journal", true); err != nil {
		t.Errorf("Delete with directory sync: %v", err)
	}
}

func TestUnixShmLocksSeenByOtherProcesses(t *testing.T) {
	dir := t.TempDir()
	v := NewUnix()
	name := dir + "/wal.db"
	a := mustOpen(t, v, name, rwc).(SharedMemory)
	b := mustOpen(t, v, name, rwc).(SharedMemory)
	if _, err := a.ShmMap(0, ShmRegionSize, true); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		conn      SharedMemory
		offset, n int
		excl      bool
		want      resultcode.Code
	}{
		{a, 3, 1, false, ok},
		{b, 3, 1, false, ok},
		{a, 0, 1, true, ok},
	}
	for i, st := range steps {
		if got := resultcode.Of(st.conn.ShmLock(st.offset, st.n, st.excl, false)); got != st.want {
			t.Fatalf("step %d: %v, want %v", i, got, st.want)
		}
	}
	slots := func() []string {
		var ranges [][2]int64
		for i := range ShmLockCount + 1 {
			ranges = append(ranges, [2]int64{int64(ShmLockOffset + i), 1})
		}
		return probeRanges(t, name+"-shm", ranges)
	}
	want := []string{"write", "none", "none", "read", "none", "none", "none", "none", "read"}
	if diff := cmp.Diff(want, slots()); diff != "" {
		t.Errorf("shm locks (-want +got):\n%s", diff)
	}
	// Slot 3 stays locked while b still holds it.
	a.ShmLock(3, 1, false, true)
	a.ShmLock(0, 1, true, true)
	want = []string{"none", "none", "none", "read", "none", "none", "none", "none", "read"}
	if diff := cmp.Diff(want, slots()); diff != "" {
		t.Errorf("shm locks after a unlocked (-want +got):\n%s", diff)
	}
	if err := a.ShmUnmap(false); err != nil {
		t.Fatal(err)
	}
	if err := b.ShmUnmap(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name + "-shm"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("-shm file after ShmUnmap(true): %v", err)
	}
}
