package wal

import (
	"sync"
	"sync/atomic"

	"github.com/wrendb/wren/osvfs"
)

// The connections of one process share one mapping of a WAL file, as they
// share one mapping of its wal-index: with a mapping per connection, every
// connection faults in the pages it reads once more (64 connections
// counted the same WAL 64 times in their resident memory), and every
// connection remaps as the WAL grows. A shared mapping is made through a
// read-only handle of its own, so that it outlives the connection that
// made it; it is unmapped, by closing that handle, when the last
// connection using it moves to a newer mapping or closes.
//
// Sharing needs a name for the file that every handle agrees on
// (FileID, device and inode on unix); a file without one, such as the
// in-memory VFS's, is mapped per connection.

// sharedMappings holds the newest shared mapping of each WAL file in use,
// by FileID.
var sharedMappings = struct {
	sync.Mutex
	newest map[string]*sharedMapping
}{newest: make(map[string]*sharedMapping)}

// sharedMapping is one mapping of a WAL file and the connections using it.
type sharedMapping struct {
	key   string
	data  []byte
	file  osvfs.File // the handle the mapping belongs to
	users int
	// replaced is set when a newer mapping of the file is made: its
	// users move to the newer one at their next transaction, even if
	// this one is large enough for them, so that the process does not
	// keep one mapping per connection (each counted whole in the
	// resident memory, for the pages it touched).
	replaced atomic.Bool
}

// fileID is f's process-wide name, or "" when it has none.
func fileID(f osvfs.File) string {
	if id, ok := f.(interface{ FileID() string }); ok {
		return id.FileID()
	}
	return ""
}

// mapShared makes l use a shared mapping of at least need bytes: the
// newest one if it is large enough, otherwise a new mapping of the whole
// file, which becomes the newest. It reports false when the WAL cannot be
// mapped that way (frames are then read with ReadAt).
func (l *Log) mapShared(need int64) bool {
	sharedMappings.Lock()
	defer sharedMappings.Unlock()
	m := sharedMappings.newest[l.shareKey]
	if m == nil || int64(len(m.data)) < need {
		size, err := l.file.Size()
		if err != nil || size < need {
			return false
		}
		f, err := l.vfs.Open(l.walName, osvfs.OpenWAL|osvfs.OpenReadOnly)
		if err != nil {
			return false
		}
		mapper, ok := f.(osvfs.Mapper)
		if !ok || fileID(f) != l.shareKey {
			f.Close()
			return false
		}
		data, err := mapper.Map(size)
		if err != nil {
			f.Close()
			return false
		}
		if old := sharedMappings.newest[l.shareKey]; old != nil {
			old.replaced.Store(true)
		}
		m = &sharedMapping{key: l.shareKey, data: data, file: f}
		sharedMappings.newest[l.shareKey] = m
	}
	if l.shared == m {
		return true
	}
	l.releaseSharedLocked()
	m.users++
	l.shared, l.mapping = m, m.data
	return true
}

// useNewestShared moves l to the newest shared mapping of its WAL when
// that one covers need bytes, reporting whether it did. It never maps.
func (l *Log) useNewestShared(need int64) bool {
	sharedMappings.Lock()
	defer sharedMappings.Unlock()
	m := sharedMappings.newest[l.shareKey]
	if m == nil || int64(len(m.data)) < need {
		return false
	}
	if l.shared != m {
		l.releaseSharedLocked()
		m.users++
		l.shared, l.mapping = m, m.data
	}
	return true
}

// releaseShared stops l's use of its shared mapping.
func (l *Log) releaseShared() {
	sharedMappings.Lock()
	defer sharedMappings.Unlock()
	l.releaseSharedLocked()
}

func (l *Log) releaseSharedLocked() {
	m := l.shared
	if m == nil {
		return
	}
	l.shared, l.mapping = nil, nil
	if m.users--; m.users > 0 {
		return
	}
	if sharedMappings.newest[m.key] == m {
		delete(sharedMappings.newest, m.key)
	}
	m.file.Close()
}
