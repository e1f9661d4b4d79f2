package osvfs

import (
	"github.com/wrendb/wren/resultcode"
)

// faultFile is a handle of a FaultVFS: the inner handle, plus the node that
// records its unsynced changes (nil for temporary files, which do not
// survive a crash anyway). Its data operations run under the VFS mutex so
// that the recorded order is the order the inner file saw.
type faultFile struct {
	vfs    *FaultVFS
	inner  File
	node   *faultNode
	dead   bool // killed by Crash or closed; guarded by vfs.mu
	closed bool
}

// withExtensions returns h as a value that implements Mapper and
// SharedMemory exactly when the inner file does, so that type assertions
// by callers give the same answers as on the inner VFS.
func (h *faultFile) withExtensions() File {
	m, isMapper := h.inner.(Mapper)
	s, isShm := h.inner.(SharedMemory)
	switch {
	case isMapper && isShm:
		return &struct {
			*faultFile
			faultMap
			faultShm
		}{h, faultMap{h, m}, faultShm{h, s}}
	case isMapper:
		return &struct {
			*faultFile
			faultMap
		}{h, faultMap{h, m}}
	case isShm:
		return &struct {
			*faultFile
			faultShm
		}{h, faultShm{h, s}}
	}
	return h
}

// check returns the error for an operation that may not run: a dead handle
// or a machine without power. Callers hold vfs.mu.
func (h *faultFile) check(code resultcode.Code, op string) error {
	if h.closed {
		return errClosed
	}
	if h.dead {
		return injected(code, op+" on a handle that died in a crash")
	}
	if h.vfs.cut {
		return injected(code, "power cut: "+op)
	}
	return nil
}

func (h *faultFile) ReadAt(p []byte, off int64) (int, error) {
	v := h.vfs
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := h.check(resultcode.IOErrRead, "read"); err != nil {
		return 0, err
	}
	return h.inner.ReadAt(p, off)
}

func (h *faultFile) WriteAt(p []byte, off int64) (int, error) {
	v := h.vfs
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := h.check(resultcode.IOErrWrite, "write"); err != nil {
		return 0, err
	}
	if v.cutWrites >= 0 && v.writes >= v.cutWrites || v.cutOps >= 0 && v.writes+v.syncs >= v.cutOps {
		v.cut = true
		return 0, injected(resultcode.IOErrWrite, "power cut: write")
	}
	if v.failWriteAt > 0 && v.writes+1 == v.failWriteAt {
		v.failWriteAt = 0
		return 0, injected(resultcode.IOErrWrite, "write")
	}
	if v.fullAfter >= 0 && v.bytes+int64(len(p)) > v.fullAfter {
		return 0, injected(resultcode.Full, "disk full")
	}
	n, err := h.inner.WriteAt(p, off)
	if n > 0 && h.node != nil {
		h.node.pending = append(h.node.pending, faultOp{off: off, data: append([]byte(nil), p[:n]...)})
	}
	if err != nil {
		return n, err
	}
	v.writes++
	v.bytes += int64(n)
	return n, nil
}

func (h *faultFile) Truncate(size int64) error {
	v := h.vfs
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := h.check(resultcode.IOErrTruncate, "truncate"); err != nil {
		return err
	}
	if err := h.inner.Truncate(size); err != nil {
		return err
	}
	if h.node != nil {
		h.node.pending = append(h.node.pending, faultOp{truncate: true, off: size})
	}
	return nil
}

// Sync makes the file's content, and its existence, durable.
func (h *faultFile) Sync(flags SyncFlag) error {
	v := h.vfs
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := h.check(resultcode.IOErrFsync, "sync"); err != nil {
		return err
	}
	if v.cutSyncs >= 0 && v.syncs >= v.cutSyncs || v.cutOps >= 0 && v.writes+v.syncs >= v.cutOps {
		v.cut = true
		return injected(resultcode.IOErrFsync, "power cut: sync")
	}
	if v.failSyncAt > 0 && v.syncs+1 == v.failSyncAt {
		v.failSyncAt = 0
		return injected(resultcode.IOErrFsync, "sync")
	}
	if err := h.inner.Sync(flags); err != nil {
		return err
	}
	v.syncs++
	if n := h.node; n != nil {
		n.durable = applyOps(n.durable, n.pending)
		n.pending = nil
		n.durableExists = true
		n.deletePending = false
	}
	return nil
}

func (h *faultFile) Size() (int64, error) {
	v := h.vfs
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := h.check(resultcode.IOErrFstat, "fstat"); err != nil {
		return 0, err
	}
	return h.inner.Size()
}

func (h *faultFile) Lock(level LockLevel) error {
	v := h.vfs
	v.mu.Lock()
	err := h.check(resultcode.IOErrLock, "lock")
	v.mu.Unlock()
	if err != nil {
		return err
	}
	return h.inner.Lock(level)
}

// Unlock, like Close, works without power: releasing a lock changes nothing
// on disk, and callers clean up after failures with it.
func (h *faultFile) Unlock(level LockLevel) error {
	if h.isDead() {
		return nil
	}
	return h.inner.Unlock(level)
}

func (h *faultFile) isDead() bool {
	h.vfs.mu.Lock()
	defer h.vfs.mu.Unlock()
	return h.dead
}

func (h *faultFile) CheckReservedLock() (bool, error) {
	v := h.vfs
	v.mu.Lock()
	err := h.check(resultcode.IOErrLock, "check reserved lock")
	v.mu.Unlock()
	if err != nil {
		return false, err
	}
	return h.inner.CheckReservedLock()
}

func (h *faultFile) LockLevel() LockLevel {
	if h.isDead() {
		return LockNone
	}
	return h.inner.LockLevel()
}

func (h *faultFile) SectorSize() int { return h.inner.SectorSize() }

func (h *faultFile) Close() error {
	v := h.vfs
	v.mu.Lock()
	defer v.mu.Unlock()
	if h.dead {
		return nil
	}
	delete(v.open, h)
	h.dead, h.closed = true, true
	return h.inner.Close()
}

// faultMap forwards Mapper to the inner file.
type faultMap struct {
	h *faultFile
	m Mapper
}

func (fm faultMap) Map(size int64) ([]byte, error) {
	v := fm.h.vfs
	v.mu.Lock()
	err := fm.h.check(resultcode.IOErrMmap, "mmap")
	v.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return fm.m.Map(size)
}

func (fm faultMap) Unmap() error {
	if fm.h.isDead() {
		return nil
	}
	return fm.m.Unmap()
}

// faultShm forwards SharedMemory to the inner file. The wal-index is not
// durable data: a crash discards it with the handles.
type faultShm struct {
	h *faultFile
	s SharedMemory
}

func (fs faultShm) ShmMap(n int, regionSize int, extend bool) ([]byte, error) {
	v := fs.h.vfs
	v.mu.Lock()
	err := fs.h.check(resultcode.IOErrShmMap, "shm map")
	v.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return fs.s.ShmMap(n, regionSize, extend)
}

func (fs faultShm) ShmLock(offset, n int, exclusive, unlock bool) error {
	if unlock {
		if fs.h.isDead() {
			return nil
		}
		return fs.s.ShmLock(offset, n, exclusive, unlock)
	}
	v := fs.h.vfs
	v.mu.Lock()
	err := fs.h.check(resultcode.IOErrLock, "shm lock")
	v.mu.Unlock()
	if err != nil {
		return err
	}
	return fs.s.ShmLock(offset, n, exclusive, unlock)
}

func (fs faultShm) ShmBarrier() { fs.s.ShmBarrier() }

func (fs faultShm) ShmUnmap(delete bool) error {
	if fs.h.isDead() {
		return nil
	}
	return fs.s.ShmUnmap(delete)
}
