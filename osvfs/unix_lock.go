//go:build unix

package osvfs

import (
	"fmt"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/wrendb/wren/resultcode"
)

// inodeKey names a file independently of the path used to open it.
type inodeKey struct{ dev, ino uint64 }

// inodeInfo is what this process knows about one open file, shared by all
// its handles: the lock state (see fileLocks), the descriptors whose close
// must wait until no handle holds a lock, and the wal-index node.
type inodeInfo struct {
	key  inodeKey
	refs int // handles using this inode; guarded by inodes.mu

	mu           sync.Mutex // guards the fields below and the handles' level
	locks        fileLocks
	pendingClose []int
	shm          *unixShmNode
}

// inodes is the process-wide table of open files, keyed by device and inode.
var inodes = struct {
	mu sync.Mutex
	m  map[inodeKey]*inodeInfo
}{m: make(map[inodeKey]*inodeInfo)}

func acquireInode(key inodeKey) *inodeInfo {
	inodes.mu.Lock()
	defer inodes.mu.Unlock()
	in := inodes.m[key]
	if in == nil {
		in = &inodeInfo{key: key}
		inodes.m[key] = in
	}
	in.refs++
	return in
}

func releaseInode(in *inodeInfo) {
	inodes.mu.Lock()
	defer inodes.mu.Unlock()
	in.refs--
	if in.refs > 0 {
		return
	}
	delete(inodes.m, in.key)
	in.mu.Lock()
	for _, fd := range in.pendingClose {
		unix.Close(fd)
	}
	in.pendingClose = nil
	in.mu.Unlock()
}

// closeFile drops f's locks and closes (or parks) its descriptor.
func (in *inodeInfo) closeFile(f *unixFile) error {
	in.mu.Lock()
	err := in.locks.unlock(&f.level, LockNone, fdLocker(f.fd))
	if in.locks.holders > 0 {
		in.pendingClose = append(in.pendingClose, f.fd)
	} else {
		if cerr := unix.Close(f.fd); cerr != nil && err == nil {
			err = pathError(resultcode.IOErr, "close", f.name, cerr)
		}
		in.closePendingLocked()
	}
	in.mu.Unlock()
	releaseInode(in)
	return err
}

// closePendingLocked closes the parked descriptors once no lock is held.
// Callers hold in.mu.
func (in *inodeInfo) closePendingLocked() {
	if in.locks.holders > 0 {
		return
	}
	for _, fd := range in.pendingClose {
		unix.Close(fd)
	}
	in.pendingClose = nil
}

func (f *unixFile) Lock(level LockLevel) error {
	if f.closed.Load() {
		return errClosed
	}
	in := f.inode
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.locks.lock(&f.level, level, fdLocker(f.fd))
}

func (f *unixFile) Unlock(level LockLevel) error {
	if f.closed.Load() {
		return errClosed
	}
	in := f.inode
	in.mu.Lock()
	defer in.mu.Unlock()
	err := in.locks.unlock(&f.level, level, fdLocker(f.fd))
	in.closePendingLocked()
	return err
}

func (f *unixFile) LockLevel() LockLevel {
	f.inode.mu.Lock()
	defer f.inode.mu.Unlock()
	return f.level
}

// CheckReservedLock looks at this process first, then asks the OS whether
// another process holds a lock on the RESERVED byte.
func (f *unixFile) CheckReservedLock() (bool, error) {
	if f.closed.Load() {
		return false, errClosed
	}
	in := f.inode
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.locks.reserved() {
		return true, nil
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: ReservedByte, Len: 1}
	if err := unix.FcntlFlock(uintptr(f.fd), unix.F_GETLK, &lk); err != nil {
		return false, pathError(resultcode.IOErrLock, "fcntl F_GETLK", f.name, err)
	}
	return lk.Type != unix.F_UNLCK, nil
}

// fdLocker takes fcntl locks through one descriptor. The locks belong to the
// process, whichever descriptor of the file is used.
type fdLocker int

func (fd fdLocker) lockRange(kind rangeLock, start, length int64) error {
	lk := unix.Flock_t{Whence: 0, Start: start, Len: length}
	switch kind {
	case readLockRange:
		lk.Type = unix.F_RDLCK
	case writeLockRange:
		lk.Type = unix.F_WRLCK
	default:
		lk.Type = unix.F_UNLCK
	}
	for {
		err := unix.FcntlFlock(uintptr(fd), unix.F_SETLK, &lk)
		switch err {
		case nil:
			return nil
		case unix.EINTR:
			continue
		case unix.EAGAIN, unix.EACCES:
			return resultcode.Wrap(resultcode.Busy, &lockError{start: start, length: length, err: err})
		}
		code := resultcode.IOErrLock
		if kind == unlockRange {
			code = resultcode.IOErrUnlock
		}
		return resultcode.Wrap(code, &lockError{start: start, length: length, err: err})
	}
}

// lockError says which byte range another process holds.
type lockError struct {
	start, length int64
	err           error
}

func (e *lockError) Error() string {
	return fmt.Sprintf("osvfs: fcntl lock of bytes %d+%d held elsewhere: %v", e.start, e.length, e.err)
}

func (e *lockError) Unwrap() error { return e.err }
