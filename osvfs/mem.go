package osvfs

import (
	"io"
	"io/fs"
	"math"
	"path"
	"sync"
	"sync/atomic"

	"github.com/wrendb/wren/resultcode"
)

// MemVFS keeps files in memory. Every File opened by name from one MemVFS
// sees the same bytes and takes part in the same locks, exactly as two
// handles of one process on a real file would, so several connections can
// share an in-memory database and the locking code is exercised without a
// disk. Nothing is written anywhere; Sync does nothing.
type MemVFS struct {
	mu      sync.Mutex
	files   map[string]*memNode
	maxSize atomic.Int64
}

// DefaultMemMaxSize is the size an in-memory file may grow to unless
// SetMaxSize says otherwise. Like SQLite's memdb limit, it turns a write at
// an absurd offset (a corrupt page number, say) into SQLITE_FULL instead of
// an allocation that brings the process down.
const DefaultMemMaxSize = min(4<<30, math.MaxInt)

// NewMem returns an empty in-memory VFS.
func NewMem() *MemVFS {
	v := &MemVFS{files: make(map[string]*memNode)}
	v.maxSize.Store(DefaultMemMaxSize)
	return v
}

// SetMaxSize sets the largest size a file of v may grow to; beyond it
// writes and truncates fail with resultcode.ErrFull.
func (v *MemVFS) SetMaxSize(n int64) { v.maxSize.Store(n) }

func (n *memNode) checkSize(op string, size int64) error {
	if limit := min(n.vfs.maxSize.Load(), math.MaxInt); size > limit {
		return resultcode.Errorf(resultcode.Full, "osvfs: %s %s: size %d beyond the in-memory limit of %d bytes", op, n.name, size, limit)
	}
	return nil
}

var _ VFS = (*MemVFS)(nil)

// memNode is one in-memory file, shared by its handles (the inode).
type memNode struct {
	mu    sync.Mutex
	data  []byte
	locks fileLocks
	shm   *memShm
	// maps holds the live mappings handed out by Map, per handle. While
	// data keeps its backing array they see every write; after data grows
	// into a new array, writes are copied into them too.
	maps map[*memFile][][]byte
	vfs  *MemVFS
	name string
}

// memShm is the wal-index of one in-memory file: regions in memory, lock
// slots shared by its connections. It is dropped when its last connection
// unmaps, as SQLite rebuilds a wal-index nobody has open.
type memShm struct {
	regions    [][]byte
	regionSize int
	slots      shmSlots
	refs       int
}

func memName(name string) (string, error) {
	if name == "" {
		return "", pathError(resultcode.CantOpen, "open", name, fs.ErrInvalid)
	}
	return path.Clean("/" + name), nil
}

// FullPathname cleans name and roots it at "/".
func (v *MemVFS) FullPathname(name string) (string, error) { return memName(name) }

// Open opens or creates an in-memory file.
func (v *MemVFS) Open(name string, flags OpenFlag) (File, error) {
	full, err := memName(name)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	node, ok := v.files[full]
	switch {
	case ok && flags&OpenCreate != 0 && flags&OpenExclusive != 0:
		return nil, pathError(resultcode.CantOpen, "open", full, fs.ErrExist)
	case !ok && flags&OpenCreate == 0:
		return nil, pathError(resultcode.CantOpen, "open", full, fs.ErrNotExist)
	case !ok:
		node = &memNode{vfs: v, name: full, maps: make(map[*memFile][][]byte)}
		v.files[full] = node
	}
	if flags&OpenDeleteOnClose != 0 {
		// Gone from the directory at once, as the unix VFS does: the
		// handle keeps the content until it closes.
		delete(v.files, full)
	}
	readOnly := flags&(OpenReadWrite|OpenCreate) == 0
	return &memFile{node: node, readOnly: readOnly}, nil
}

// Delete removes the named file. Handles still open keep its content, as on
// unix.
func (v *MemVFS) Delete(name string, syncDir bool) error {
	full, err := memName(name)
	if err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.files[full]; !ok {
		return pathError(resultcode.IOErrDelete, "delete", full, fs.ErrNotExist)
	}
	delete(v.files, full)
	return nil
}

// Exists reports whether the named file exists.
func (v *MemVFS) Exists(name string) (bool, error) {
	full, err := memName(name)
	if err != nil {
		return false, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.files[full]
	return ok, nil
}

// memFile is one handle on a memNode.
type memFile struct {
	node     *memNode
	readOnly bool
	closed   bool
	level    LockLevel
	shm      *shmHolder // non-nil while attached to node.shm
}

var (
	_ File         = (*memFile)(nil)
	_ Mapper       = (*memFile)(nil)
	_ SharedMemory = (*memFile)(nil)
)

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	if off < 0 {
		return 0, errNegativeOffset("read", off)
	}
	var got int
	if off < int64(len(n.data)) {
		got = copy(p, n.data[off:])
	}
	if got < len(p) {
		clear(p[got:])
		return got, io.EOF
	}
	return got, nil
}

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	if f.readOnly {
		return 0, pathError(resultcode.IOErrWrite, "write", n.name, errReadOnlyHandle)
	}
	if off < 0 {
		return 0, errNegativeOffset("write", off)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if err := n.checkSize("write", off+int64(len(p))); err != nil {
		return 0, err
	}
	n.resize(off+int64(len(p)), false)
	copy(n.data[off:], p)
	n.copyToStaleMaps(p, off)
	return len(p), nil
}

// resize sets the file's length. Growth zeroes the new bytes (the backing
// array may hold old content from before a truncate); with shrinkToo false it
// only ever grows.
func (n *memNode) resize(size int64, shrinkToo bool) {
	old := int64(len(n.data))
	switch {
	case size < old:
		if shrinkToo {
			n.data = n.data[:size]
		}
	case size <= int64(cap(n.data)):
		n.data = n.data[:size]
		clear(n.data[old:])
		n.copyToStaleMaps(n.data[old:], old)
	case size > old:
		grown := make([]byte, size, max(size, 2*int64(cap(n.data))))
		copy(grown, n.data)
		n.data = grown
		n.copyToStaleMaps(n.data[old:], old)
	}
}

// copyToStaleMaps keeps mappings made before data moved to a bigger array
// coherent with a write of p at off.
func (n *memNode) copyToStaleMaps(p []byte, off int64) {
	for _, ms := range n.maps {
		for _, m := range ms {
			if len(m) == 0 || off >= int64(len(m)) {
				continue
			}
			if len(n.data) > 0 && &m[0] == &n.data[0] {
				continue
			}
			copy(m[off:], p)
		}
	}
}

func (f *memFile) Truncate(size int64) error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return errClosed
	}
	if f.readOnly {
		return pathError(resultcode.IOErrTruncate, "truncate", n.name, errReadOnlyHandle)
	}
	if size < 0 {
		return resultcode.Errorf(resultcode.IOErrTruncate, "osvfs: truncate %s to negative size %d", n.name, size)
	}
	if err := n.checkSize("truncate", size); err != nil {
		return err
	}
	n.resize(size, true)
	return nil
}

func (f *memFile) Sync(flags SyncFlag) error {
	if f.isClosed() {
		return errClosed
	}
	return nil
}

func (f *memFile) Size() (int64, error) {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	return int64(len(n.data)), nil
}

func (f *memFile) isClosed() bool {
	f.node.mu.Lock()
	defer f.node.mu.Unlock()
	return f.closed
}

func (f *memFile) Lock(level LockLevel) error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return errClosed
	}
	return n.locks.lock(&f.level, level, nil)
}

func (f *memFile) Unlock(level LockLevel) error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return errClosed
	}
	return n.locks.unlock(&f.level, level, nil)
}

func (f *memFile) CheckReservedLock() (bool, error) {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return false, errClosed
	}
	return n.locks.reserved(), nil
}

func (f *memFile) LockLevel() LockLevel {
	f.node.mu.Lock()
	defer f.node.mu.Unlock()
	return f.level
}

func (f *memFile) SectorSize() int { return 4096 }

// Map returns the file's first size bytes: the live content, not a copy.
func (f *memFile) Map(size int64) ([]byte, error) {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return nil, errClosed
	}
	if size < 0 || size > int64(len(n.data)) {
		return nil, resultcode.Errorf(resultcode.IOErrMmap, "osvfs: map %d bytes of %s, which has %d", size, n.name, len(n.data))
	}
	m := n.data[:size:size]
	n.maps[f] = append(n.maps[f], m)
	return m, nil
}

func (f *memFile) Unmap() error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.maps, f)
	return nil
}

func (f *memFile) ShmMap(region int, regionSize int, extend bool) ([]byte, error) {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return nil, errClosed
	}
	if region < 0 || region >= maxShmRegions || regionSize <= 0 || regionSize > 1<<24 {
		return nil, resultcode.Errorf(resultcode.IOErrShmMap, "osvfs: shm region %d of size %d", region, regionSize)
	}
	shm := f.attachShm()
	if shm.regionSize != regionSize {
		if len(shm.regions) > 0 {
			return nil, resultcode.Errorf(resultcode.IOErrShmMap, "osvfs: shm region size %d, already mapped with %d", regionSize, shm.regionSize)
		}
		shm.regionSize = regionSize
	}
	if region >= len(shm.regions) {
		if !extend {
			return nil, nil
		}
		for len(shm.regions) <= region {
			shm.regions = append(shm.regions, make([]byte, regionSize))
		}
	}
	return shm.regions[region], nil
}

// attachShm joins the file's wal-index, creating it for the first
// connection. Callers hold n.mu.
func (f *memFile) attachShm() *memShm {
	n := f.node
	if n.shm == nil {
		n.shm = &memShm{}
	}
	if f.shm == nil {
		f.shm = &shmHolder{}
		n.shm.refs++
	}
	return n.shm
}

func (f *memFile) ShmLock(offset, count int, exclusive, unlock bool) error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return errClosed
	}
	shm := f.attachShm()
	return shm.slots.lock(f.shm, offset, count, exclusive, unlock, nil)
}

var shmBarrier atomic.Int64

// ShmBarrier orders memory accesses; an atomic read-modify-write is a full
// barrier in Go's memory model.
func (f *memFile) ShmBarrier() { shmBarrier.Add(1) }

func (f *memFile) ShmUnmap(delete bool) error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	f.detachShm()
	return nil
}

// detachShm releases this connection's wal-index slots and its reference.
// Callers hold n.mu.
func (f *memFile) detachShm() {
	n := f.node
	if f.shm == nil || n.shm == nil {
		f.shm = nil
		return
	}
	n.shm.slots.releaseAll(f.shm, nil)
	f.shm = nil
	n.shm.refs--
	if n.shm.refs <= 0 {
		n.shm = nil
	}
}

// Close releases the handle's locks, mappings and wal-index connection.
func (f *memFile) Close() error {
	n := f.node
	n.mu.Lock()
	defer n.mu.Unlock()
	if f.closed {
		return nil
	}
	n.locks.unlock(&f.level, LockNone, nil)
	f.detachShm()
	delete(n.maps, f)
	f.closed = true
	return nil
}
