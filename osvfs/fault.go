package osvfs

import (
	"errors"
	"io"
	"maps"
	"math/rand/v2"
	"path"
	"slices"
	"sync"

	"github.com/wrendb/wren/resultcode"
)

// ErrInjected is wrapped by every error a FaultVFS makes up, so a test can
// tell an injected failure from a real one: errors.Is(err, ErrInjected).
var ErrInjected = errors.New("osvfs: injected fault")

// FaultVFS wraps another VFS (usually NewMem()) to make I/O fail on demand
// and to simulate a power loss. It counts the writes and syncs that reach
// the inner VFS; it can fail the Nth of them once, report a full disk after
// some bytes, or cut the power after the Nth write, sync or either, after
// which every operation fails until Crash or Reset.
//
// Crash replays what a disk keeps after losing power (see the package
// documentation for the model): every file goes back to its content as of
// its last successful Sync, deletions not followed by a directory sync are
// undone, and every open handle dies.
//
//	f := osvfs.NewFault(osvfs.NewMem())
//	f.CutAfterWrites(n) // the machine dies at the (n+1)th write
//	runWorkload(f)      // fails from there on
//	f.Crash()           // unsynced writes are gone; handles are dead
//	f.Reset()           // counters and faults cleared
//	reopenAndCheck(f)
type FaultVFS struct {
	inner VFS

	mu    sync.Mutex
	files map[string]*faultNode   // durable state of the files seen, by full name
	open  map[*faultFile]struct{} // live handles, killed by Crash

	writes, syncs int64
	bytes         int64 // bytes written since FullAfter

	failWriteAt int64 // fail the write that would be number failWriteAt; 0: off
	failSyncAt  int64
	fullAfter   int64 // -1: off
	cutWrites   int64 // writes allowed before the cut; -1: off
	cutSyncs    int64
	cutOps      int64 // writes and syncs together
	cut         bool  // the power is off
}

// faultNode is what the disk durably holds for one file, and the changes
// made since that have not been synced yet.
type faultNode struct {
	name          string
	durableExists bool
	durable       []byte
	pending       []faultOp // unsynced writes and truncates, oldest first
	deletePending bool      // deleted without a directory sync
	sector        int
}

// faultOp is an unsynced write (data at off) or, with truncate, a truncate
// to size.
type faultOp struct {
	truncate bool
	off      int64
	data     []byte
}

// NewFault wraps inner. With no fault configured it behaves like inner.
func NewFault(inner VFS) *FaultVFS {
	v := &FaultVFS{inner: inner, files: make(map[string]*faultNode), open: make(map[*faultFile]struct{})}
	v.resetLocked()
	return v
}

var _ VFS = (*FaultVFS)(nil)

// Writes is the number of WriteAt calls that reached the inner VFS since
// NewFault or Reset.
func (v *FaultVFS) Writes() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.writes
}

// Syncs is the number of Sync calls that reached the inner VFS since
// NewFault or Reset.
func (v *FaultVFS) Syncs() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.syncs
}

// FailWrite makes the nth write from now (1 is the next one) fail with an
// I/O error, once. Nothing of that write reaches the file.
func (v *FaultVFS) FailWrite(n int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.failWriteAt = v.writes + n
}

// FailSync makes the nth sync from now (1 is the next one) fail with an I/O
// error, once. The changes it would have made durable stay unsynced.
func (v *FaultVFS) FailSync(n int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.failSyncAt = v.syncs + n
}

// FullAfter makes the disk full once n more bytes have been written: a
// write that would go past that fails whole with resultcode.ErrFull, and so
// does every later one until Reset.
func (v *FaultVFS) FullAfter(n int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.fullAfter = n
	v.bytes = 0
}

// CutAfterWrites lets n more writes through and then cuts the power: the
// next write and every operation after it fail, as if the machine had died
// there. Crash then shows what the disk kept.
func (v *FaultVFS) CutAfterWrites(n int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cutWrites = v.writes + n
}

// CutAfterSyncs lets n more syncs through and then cuts the power, like
// CutAfterWrites.
func (v *FaultVFS) CutAfterSyncs(n int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cutSyncs = v.syncs + n
}

// CutAfterOps lets n more writes and syncs, counted together, through and
// then cuts the power: a crash test can visit every point of a workload
// with n = 0, 1, ..., Writes()+Syncs().
func (v *FaultVFS) CutAfterOps(n int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cutOps = v.writes + v.syncs + n
}

// Cut cuts the power now.
func (v *FaultVFS) Cut() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cut = true
}

// IsCut reports whether the power has been cut (and not restored by Crash
// or Reset).
func (v *FaultVFS) IsCut() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.cut
}

// Reset clears the counters and every configured fault, and restores the
// power. Files are left as they are.
func (v *FaultVFS) Reset() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.resetLocked()
}

func (v *FaultVFS) resetLocked() {
	v.writes, v.syncs, v.bytes = 0, 0, 0
	v.failWriteAt, v.failSyncAt = 0, 0
	v.fullAfter, v.cutWrites, v.cutSyncs, v.cutOps = -1, -1, -1, -1
	v.cut = false
}

// Crash simulates a power loss and a reboot: every open handle dies (its
// operations fail; Close succeeds), and every file reverts to what the disk
// durably holds: its content as of its last Sync, or no file at all if it
// was created and never synced; deletions not followed by a directory sync
// are undone. The power is back afterwards (the cut is cleared); counters
// and other faults are kept until Reset.
func (v *FaultVFS) Crash() error { return v.crash(nil) }

// CrashTorn is Crash on a disk that wrote some of the unsynced data before
// the power went: each sector (the file's SectorSize) of each unsynced
// write, and each unsynced truncate, independently survives or not, chosen
// by rng. The survivors are applied in their original order.
func (v *FaultVFS) CrashTorn(rng *rand.Rand) error { return v.crash(rng) }

func (v *FaultVFS) crash(rng *rand.Rand) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	for h := range v.open {
		h.dead = true
		if s, ok := h.inner.(SharedMemory); ok {
			s.ShmUnmap(false)
		}
		h.inner.Close()
	}
	clear(v.open)
	// In name order, so that a seeded rng gives the same crash every run.
	names := slices.Sorted(maps.Keys(v.files))
	var first error
	for _, name := range names {
		if err := v.restore(v.files[name], rng); err != nil && first == nil {
			first = err
		}
	}
	v.cut = false
	v.cutWrites, v.cutSyncs, v.cutOps = -1, -1, -1
	return first
}

// restore makes the inner file hold what survives the crash.
func (v *FaultVFS) restore(node *faultNode, rng *rand.Rand) error {
	content := node.durable
	if rng != nil && len(node.pending) > 0 {
		content = applyOps(content, tornOps(node.pending, node.sector, rng))
	}
	node.durable = content
	node.pending = nil
	node.deletePending = false
	exists, err := v.inner.Exists(node.name)
	if err != nil {
		return err
	}
	if !node.durableExists {
		if exists {
			return v.inner.Delete(node.name, false)
		}
		return nil
	}
	f, err := v.inner.Open(node.name, OpenReadWrite|OpenCreate)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(0); err != nil {
		return err
	}
	if len(content) > 0 {
		if _, err := f.WriteAt(content, 0); err != nil {
			return err
		}
	}
	return nil
}

// tornOps picks the surviving pieces of the unsynced operations.
func tornOps(ops []faultOp, sector int, rng *rand.Rand) []faultOp {
	if sector <= 0 {
		sector = 512
	}
	var kept []faultOp
	for _, op := range ops {
		if op.truncate {
			if rng.IntN(2) == 0 {
				kept = append(kept, op)
			}
			continue
		}
		for start := int64(0); start < int64(len(op.data)); {
			abs := op.off + start
			end := min((abs/int64(sector)+1)*int64(sector)-op.off, int64(len(op.data)))
			if rng.IntN(2) == 0 {
				kept = append(kept, faultOp{off: abs, data: op.data[start:end]})
			}
			start = end
		}
	}
	return kept
}

// applyOps returns content with ops applied. It reuses content's storage:
// a node's durable bytes are never shared, and copying the whole file at
// every sync made the crash tests quadratic in the file's size.
func applyOps(content []byte, ops []faultOp) []byte {
	out := content
	for _, op := range ops {
		if op.truncate {
			if op.off <= int64(len(out)) {
				out = out[:op.off]
			} else {
				out = append(out, make([]byte, op.off-int64(len(out)))...)
			}
			continue
		}
		if end := op.off + int64(len(op.data)); end > int64(len(out)) {
			out = append(out, make([]byte, end-int64(len(out)))...)
		}
		copy(out[op.off:], op.data)
	}
	return out
}

func injected(code resultcode.Code, what string) error {
	return resultcode.Wrap(code, &faultError{what: what})
}

type faultError struct{ what string }

func (e *faultError) Error() string { return "osvfs: injected fault: " + e.what }
func (e *faultError) Unwrap() error { return ErrInjected }

func (v *FaultVFS) FullPathname(name string) (string, error) { return v.inner.FullPathname(name) }

// Open opens a file of the inner VFS. A file seen for the first time counts
// as durable as it is.
func (v *FaultVFS) Open(name string, flags OpenFlag) (File, error) {
	full, err := v.inner.FullPathname(name)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cut {
		return nil, injected(resultcode.CantOpen, "power cut: open "+full)
	}
	existed, err := v.inner.Exists(full)
	if err != nil {
		return nil, err
	}
	inner, err := v.inner.Open(full, flags)
	if err != nil {
		return nil, err
	}
	h := &faultFile{vfs: v, inner: inner}
	if flags&(OpenTempFile|OpenDeleteOnClose) == 0 {
		node := v.files[full]
		if node == nil {
			node = &faultNode{name: full, sector: inner.SectorSize()}
			if existed {
				node.durableExists = true
				if node.durable, err = readAll(inner); err != nil {
					inner.Close()
					return nil, err
				}
			}
			v.files[full] = node
		} else if !existed {
			// Created anew after a deletion: empty until synced.
			node.pending = append(node.pending, faultOp{truncate: true})
		}
		h.node = node
	}
	v.open[h] = struct{}{}
	return h.withExtensions(), nil
}

func readAll(f File) ([]byte, error) {
	size, err := f.Size()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, size)
	if _, err := f.ReadAt(buf, 0); err != nil && err != io.EOF {
		return nil, err
	}
	return buf, nil
}

// Delete deletes the file in the inner VFS. The deletion is durable only
// with syncDir, which also makes durable every earlier deletion in the same
// directory.
func (v *FaultVFS) Delete(name string, syncDir bool) error {
	full, err := v.inner.FullPathname(name)
	if err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.cut {
		return injected(resultcode.IOErrDelete, "power cut: delete "+full)
	}
	node := v.files[full]
	if node == nil {
		// Never opened through us: what is there now is durable.
		node = &faultNode{name: full, sector: 512}
		if f, err := v.inner.Open(full, OpenReadOnly); err == nil {
			node.durableExists = true
			node.sector = f.SectorSize()
			node.durable, err = readAll(f)
			f.Close()
			if err != nil {
				return err
			}
		}
		v.files[full] = node
	}
	if err := v.inner.Delete(full, syncDir); err != nil {
		return err
	}
	node.pending = nil
	node.deletePending = true
	if syncDir {
		dir := path.Dir(full)
		for _, n := range v.files {
			if n.deletePending && path.Dir(n.name) == dir {
				n.deletePending = false
				n.durableExists = false
				n.durable = nil
				n.pending = nil
			}
		}
	}
	return nil
}

func (v *FaultVFS) Exists(name string) (bool, error) {
	v.mu.Lock()
	cut := v.cut
	v.mu.Unlock()
	if cut {
		return false, injected(resultcode.IOErr, "power cut: access "+name)
	}
	return v.inner.Exists(name)
}
