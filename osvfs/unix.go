//go:build unix

package osvfs

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/wrendb/wren/resultcode"
)

// UnixVFS is the VFS of real files on a unix system. Its locks are SQLite's
// own fcntl byte-range locks at SQLite's offsets, so a sqlite3 process and a
// Wren process can share a database file safely.
type UnixVFS struct{}

// NewUnix returns the unix VFS. It has no state of its own: the lock state
// of open files is kept per process, whatever UnixVFS value opened them.
func NewUnix() *UnixVFS { return &UnixVFS{} }

var _ VFS = (*UnixVFS)(nil)

// FullPathname returns the absolute, cleaned form of name.
func (v *UnixVFS) FullPathname(name string) (string, error) {
	if name == "" {
		return "", pathError(resultcode.CantOpen, "open", name, fs.ErrInvalid)
	}
	full, err := filepath.Abs(name)
	if err != nil {
		return "", pathError(resultcode.CantOpen, "abs", name, err)
	}
	return full, nil
}

// Open opens or creates a file (mode 0644 before the umask). A database, a
// journal and a WAL opened from different names but the same file share
// their lock state, because it is kept per inode.
func (v *UnixVFS) Open(name string, flags OpenFlag) (File, error) {
	full, err := v.FullPathname(name)
	if err != nil {
		return nil, err
	}
	mode := unix.O_CLOEXEC
	readOnly := flags&(OpenReadWrite|OpenCreate) == 0
	if readOnly {
		mode |= unix.O_RDONLY
	} else {
		mode |= unix.O_RDWR
	}
	if flags&OpenCreate != 0 {
		mode |= unix.O_CREAT
		if flags&OpenExclusive != 0 {
			mode |= unix.O_EXCL
		}
	}
	fd, err := openRetry(full, mode, 0o644)
	if err != nil {
		code := resultcode.CantOpen
		if errors.Is(err, unix.EISDIR) {
			code = resultcode.CantOpenIsDir
		}
		return nil, pathError(code, "open", full, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, pathError(resultcode.CantOpen, "fstat", full, err)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		unix.Close(fd)
		return nil, pathError(resultcode.CantOpenIsDir, "open", full, unix.EISDIR)
	}
	if flags&OpenDeleteOnClose != 0 {
		// Unlinked at once, as SQLite does: the file lives as long as
		// the descriptor and never outlives a crash.
		unix.Unlink(full)
	}
	f := &unixFile{
		name:     full,
		fd:       fd,
		readOnly: readOnly,
		// A new journal or WAL is only durable once its directory
		// entry is: the first Sync of the file syncs the directory too.
		dirSync: flags&OpenCreate != 0 && flags&(OpenMainJournal|OpenWAL) != 0,
		inode:   acquireInode(inodeKey{dev: uint64(st.Dev), ino: uint64(st.Ino)}),
	}
	return f, nil
}

func openRetry(path string, mode int, perm uint32) (int, error) {
	for {
		fd, err := unix.Open(path, mode, perm)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// Delete removes the file; with syncDir the directory is synced so that
// the removal survives a power loss.
func (v *UnixVFS) Delete(name string, syncDir bool) error {
	full, err := v.FullPathname(name)
	if err != nil {
		return err
	}
	if err := unix.Unlink(full); err != nil {
		return pathError(resultcode.IOErrDelete, "delete", full, err)
	}
	if syncDir {
		return syncDirectory(filepath.Dir(full))
	}
	return nil
}

func syncDirectory(dir string) error {
	fd, err := openRetry(dir, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_DIRECTORY, 0)
	if err != nil {
		return pathError(resultcode.IOErrFsync, "open directory", dir, err)
	}
	defer unix.Close(fd)
	if err := fsyncRetry(fd, 0); err != nil {
		return pathError(resultcode.IOErrFsync, "fsync directory", dir, err)
	}
	return nil
}

// Exists reports whether the named file exists (an empty file exists).
func (v *UnixVFS) Exists(name string) (bool, error) {
	full, err := v.FullPathname(name)
	if err != nil {
		return false, err
	}
	var st unix.Stat_t
	switch err := unix.Stat(full, &st); err {
	case nil:
		return true, nil
	case unix.ENOENT, unix.ENOTDIR:
		return false, nil
	default:
		return false, pathError(resultcode.IOErr, "stat", full, err)
	}
}

// FileID names the file by device and inode, so that connections that
// opened it under different paths (links, relative names) agree on it: the
// key of the pager's per-file lock queue.
func (f *unixFile) FileID() string {
	return "unix:" + strconv.FormatUint(f.inode.key.dev, 10) + ":" + strconv.FormatUint(f.inode.key.ino, 10)
}

// unixFile is an open file descriptor with SQLite's locking on top.
type unixFile struct {
	name     string
	fd       int
	readOnly bool
	inode    *inodeInfo
	closed   atomic.Bool

	// level is this handle's lock level; guarded by inode.mu.
	level LockLevel

	mu      sync.Mutex // guards the fields below
	dirSync bool
	maps    [][]byte
	shm     *unixShmConn
}

var (
	_ File         = (*unixFile)(nil)
	_ Mapper       = (*unixFile)(nil)
	_ SharedMemory = (*unixFile)(nil)
	_ ShmRetainer  = (*unixFile)(nil)
)

// ReadAt reads with pread. Past the end of the file it returns the count
// read and io.EOF, and zeroes the rest of p.
func (f *unixFile) ReadAt(p []byte, off int64) (int, error) {
	if f.closed.Load() {
		return 0, errClosed
	}
	if off < 0 {
		return 0, errNegativeOffset("read", off)
	}
	total := 0
	for total < len(p) {
		n, err := unix.Pread(f.fd, p[total:], off+int64(total))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return total, pathError(resultcode.IOErrRead, "read", f.name, err)
		}
		if n == 0 {
			clear(p[total:])
			return total, io.EOF
		}
		total += n
	}
	return total, nil
}

// WriteAt writes all of p with pwrite. A full disk is resultcode.ErrFull.
func (f *unixFile) WriteAt(p []byte, off int64) (int, error) {
	if f.closed.Load() {
		return 0, errClosed
	}
	if off < 0 {
		return 0, errNegativeOffset("write", off)
	}
	total := 0
	for total < len(p) {
		n, err := unix.Pwrite(f.fd, p[total:], off+int64(total))
		if err == unix.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			code := resultcode.IOErrWrite
			if err == unix.ENOSPC || err == unix.EDQUOT {
				code = resultcode.Full
			}
			return total, pathError(code, "write", f.name, err)
		}
		total += n
	}
	return total, nil
}

func (f *unixFile) Truncate(size int64) error {
	if f.closed.Load() {
		return errClosed
	}
	for {
		err := unix.Ftruncate(f.fd, size)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return pathError(resultcode.IOErrTruncate, "truncate", f.name, err)
		}
		return nil
	}
}

// Sync uses fdatasync for SyncDataOnly and fsync otherwise. The first Sync
// of a newly created journal or WAL also syncs its directory.
func (f *unixFile) Sync(flags SyncFlag) error {
	if f.closed.Load() {
		return errClosed
	}
	if err := fsyncRetry(f.fd, flags); err != nil {
		return pathError(resultcode.IOErrFsync, "fsync", f.name, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dirSync {
		if err := syncDirectory(filepath.Dir(f.name)); err != nil {
			return err
		}
		f.dirSync = false
	}
	return nil
}

func fsyncRetry(fd int, flags SyncFlag) error {
	for {
		if err := fileSync(fd, flags); err != unix.EINTR {
			return err
		}
	}
}

func (f *unixFile) Size() (int64, error) {
	if f.closed.Load() {
		return 0, errClosed
	}
	var st unix.Stat_t
	if err := unix.Fstat(f.fd, &st); err != nil {
		return 0, pathError(resultcode.IOErrFstat, "fstat", f.name, err)
	}
	return st.Size, nil
}

// SectorSize is 4096, as SQLite's unix VFS reports.
func (f *unixFile) SectorSize() int { return 4096 }

// Map maps the first size bytes of the file read-only and shared, so the
// mapping sees every write made through WriteAt. Each call makes a new
// mapping; all of them stay valid until Unmap or Close.
func (f *unixFile) Map(size int64) ([]byte, error) {
	if f.closed.Load() {
		return nil, errClosed
	}
	if size < 0 || int64(int(size)) != size {
		return nil, resultcode.Errorf(resultcode.IOErrMmap, "osvfs: map %d bytes of %s", size, f.name)
	}
	if size == 0 {
		return []byte{}, nil
	}
	if have, err := f.Size(); err != nil {
		return nil, err
	} else if have < size {
		return nil, resultcode.Errorf(resultcode.IOErrMmap, "osvfs: map %d bytes of %s, which has %d", size, f.name, have)
	}
	m, err := unix.Mmap(f.fd, 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, pathError(resultcode.IOErrMmap, "mmap", f.name, err)
	}
	f.mu.Lock()
	f.maps = append(f.maps, m)
	f.mu.Unlock()
	return m, nil
}

// Unmap releases every mapping made by Map.
func (f *unixFile) Unmap() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unmapLocked()
}

func (f *unixFile) unmapLocked() error {
	var first error
	for _, m := range f.maps {
		if err := unix.Munmap(m); err != nil && first == nil {
			first = pathError(resultcode.IOErrMmap, "munmap", f.name, err)
		}
	}
	f.maps = nil
	return first
}

// Close releases the handle's locks, mappings and wal-index connection.
// The descriptor itself is closed later if another handle of this process
// still holds a lock on the file: closing any descriptor of a file drops
// all of the process's POSIX locks on it.
func (f *unixFile) Close() error {
	if f.closed.Swap(true) {
		return nil
	}
	f.mu.Lock()
	err := f.unmapLocked()
	f.mu.Unlock()
	if e := f.detachShm(false); e != nil && err == nil {
		err = e
	}
	if e := f.inode.closeFile(f); e != nil && err == nil {
		err = e
	}
	return err
}
