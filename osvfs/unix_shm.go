//go:build unix

package osvfs

import (
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/wrendb/wren/resultcode"
)

// unixShmNode is this process's view of a database's -shm file (SQLite's
// unixShmNode): one descriptor, the regions mapped from it, and the lock
// slots accounted across the process's connections. It hangs off the
// database file's inodeInfo, so there is one per file per process.
type unixShmNode struct {
	path string
	fd   int
	refs int // connections attached; guarded by the inode's mutex

	mu         sync.Mutex // guards the fields below
	regionSize int
	regions    [][]byte // nil entries: not mapped yet
	slots      shmSlots
}

// unixShmConn is one connection's attachment to the node.
type unixShmConn struct {
	node   *unixShmNode
	holder shmHolder
}

// openShmNode opens the -shm file and follows SQLite's protocol for the DMS
// byte: the first process to open the wal-index (nobody holds a lock on the
// byte) takes it exclusively and empties the file, since whatever it holds
// may be left from a crash; every process then holds a read lock on the
// byte for as long as it has the file open.
func openShmNode(path string) (*unixShmNode, error) {
	fd, err := openRetry(path, unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, pathError(resultcode.IOErrShmOpen, "open", path, err)
	}
	if err := claimDMS(fd, path); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &unixShmNode{path: path, fd: fd}, nil
}

func claimDMS(fd int, path string) error {
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: ShmDMSOffset, Len: 1}
	if err := unix.FcntlFlock(uintptr(fd), unix.F_GETLK, &lk); err != nil {
		return pathError(resultcode.IOErrLock, "fcntl F_GETLK", path, err)
	}
	switch lk.Type {
	case unix.F_WRLCK:
		return errBusy("the wal-index is being initialized by another process")
	case unix.F_UNLCK:
		if err := fdLocker(fd).lockRange(writeLockRange, ShmDMSOffset, 1); err != nil {
			return err
		}
		if err := unix.Ftruncate(fd, 0); err != nil {
			return pathError(resultcode.IOErrShmOpen, "truncate", path, err)
		}
	}
	return fdLocker(fd).lockRange(readLockRange, ShmDMSOffset, 1)
}

// attachShm joins this process's wal-index node for the file, opening it
// for the first connection.
func (f *unixFile) attachShm() (*unixShmConn, error) {
	if f.closed.Load() {
		return nil, errClosed
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.shm != nil {
		return f.shm, nil
	}
	in := f.inode
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.shm == nil {
		node, err := openShmNode(f.name + "-shm")
		if err != nil {
			return nil, err
		}
		in.shm = node
	}
	in.shm.refs++
	f.shm = &unixShmConn{node: in.shm}
	return f.shm, nil
}

// detachShm releases the connection's slots; the last connection of the
// process unmaps the regions, closes the file and, with del, removes it.
func (f *unixFile) detachShm(del bool) error {
	f.mu.Lock()
	conn := f.shm
	f.shm = nil
	f.mu.Unlock()
	if conn == nil {
		return nil
	}
	in := f.inode
	in.mu.Lock()
	defer in.mu.Unlock()
	node := conn.node
	node.mu.Lock()
	defer node.mu.Unlock()
	err := node.slots.releaseAll(&conn.holder, fdLocker(node.fd))
	node.refs--
	if node.refs > 0 {
		return err
	}
	for _, r := range node.regions {
		if r != nil {
			unix.Munmap(r)
		}
	}
	node.regions = nil
	unix.Close(node.fd)
	if del {
		if e := unix.Unlink(node.path); e != nil && err == nil {
			err = pathError(resultcode.IOErrDelete, "delete", node.path, e)
		}
	}
	if in.shm == node {
		in.shm = nil
	}
	return err
}

// ShmMap maps region n of the -shm file, growing the file first when extend
// is set. The space is allocated by writing to every page, so that a full
// disk shows up here as an error rather than later as SIGBUS.
func (f *unixFile) ShmMap(region int, regionSize int, extend bool) ([]byte, error) {
	if region < 0 || region >= maxShmRegions || regionSize <= 0 || regionSize > 1<<24 || regionSize%os.Getpagesize() != 0 {
		return nil, resultcode.Errorf(resultcode.IOErrShmMap, "osvfs: shm region %d of size %d (must be a multiple of the page size)", region, regionSize)
	}
	conn, err := f.attachShm()
	if err != nil {
		return nil, err
	}
	node := conn.node
	node.mu.Lock()
	defer node.mu.Unlock()
	if node.regionSize != regionSize {
		if len(node.regions) > 0 {
			return nil, resultcode.Errorf(resultcode.IOErrShmMap, "osvfs: shm region size %d, already mapped with %d", regionSize, node.regionSize)
		}
		node.regionSize = regionSize
	}
	if region < len(node.regions) && node.regions[region] != nil {
		return node.regions[region], nil
	}
	var st unix.Stat_t
	if err := unix.Fstat(node.fd, &st); err != nil {
		return nil, pathError(resultcode.IOErrShmMap, "fstat", node.path, err)
	}
	need := int64(region+1) * int64(regionSize)
	if st.Size < need {
		if !extend {
			return nil, nil
		}
		if err := growShm(node.fd, st.Size, need); err != nil {
			return nil, pathError(resultcode.IOErrShmMap, "extend", node.path, err)
		}
	}
	m, err := unix.Mmap(node.fd, int64(region)*int64(regionSize), regionSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, pathError(resultcode.IOErrShmMap, "mmap", node.path, err)
	}
	for len(node.regions) <= region {
		node.regions = append(node.regions, nil)
	}
	node.regions[region] = m
	return m, nil
}

// growShm extends the file from size to need bytes by writing a zero at the
// last byte of each 4 KiB page past size.
func growShm(fd int, size, need int64) error {
	const page = 4096
	zero := []byte{0}
	for last := (size/page+1)*page - 1; last < need; last += page {
		if _, err := unix.Pwrite(fd, zero, last); err != nil {
			return err
		}
	}
	if need%page != 0 {
		return unix.Ftruncate(fd, need)
	}
	return nil
}

// ShmLock takes or releases wal-index lock slots: in-process conflicts are
// settled by the node's accounting, other processes by fcntl locks on bytes
// 120..127 of the -shm file.
func (f *unixFile) ShmLock(offset, n int, exclusive, unlock bool) error {
	conn, err := f.attachShm()
	if err != nil {
		return err
	}
	node := conn.node
	node.mu.Lock()
	defer node.mu.Unlock()
	if err := node.slots.lock(&conn.holder, offset, n, exclusive, unlock, fdLocker(node.fd)); err != nil {
		return fmt.Errorf("osvfs: %s: %w", node.path, err)
	}
	return nil
}

// ShmRetain implements ShmRetainer: the slots pass to the next connection
// of the process that takes them, without fcntl calls.
func (f *unixFile) ShmRetain(offset, n int) (bool, error) {
	conn, err := f.attachShm()
	if err != nil {
		return false, err
	}
	node := conn.node
	node.mu.Lock()
	defer node.mu.Unlock()
	kept, err := node.slots.retain(&conn.holder, offset, n, fdLocker(node.fd))
	if err != nil {
		return kept, fmt.Errorf("osvfs: %s: %w", node.path, err)
	}
	return kept, nil
}

// ShmDropRetained implements ShmRetainer.
func (f *unixFile) ShmDropRetained(offset, n int) error {
	conn, err := f.attachShm()
	if err != nil {
		return err
	}
	node := conn.node
	node.mu.Lock()
	defer node.mu.Unlock()
	if err := node.slots.dropRetained(offset, n, fdLocker(node.fd)); err != nil {
		return fmt.Errorf("osvfs: %s: %w", node.path, err)
	}
	return nil
}

// ShmBarrier orders memory accesses to the regions; an atomic
// read-modify-write is a full barrier in Go's memory model.
func (f *unixFile) ShmBarrier() { shmBarrier.Add(1) }

// ShmUnmap detaches this connection from the wal-index; with del, the last
// connection of the process removes the -shm file.
func (f *unixFile) ShmUnmap(del bool) error { return f.detachShm(del) }
