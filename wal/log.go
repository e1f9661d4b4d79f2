package wal

import (
	"errors"
	"fmt"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// SyncMode says when the WAL is synced, after PRAGMA synchronous.
type SyncMode int

const (
	// SyncFull syncs the WAL at every commit (synchronous=FULL or EXTRA):
	// a commit survives a power loss once it returns.
	SyncFull SyncMode = iota
	// SyncNormal syncs only at checkpoints and when a new WAL header is
	// written (synchronous=NORMAL): a power loss may lose the last
	// commits, never the database's consistency.
	SyncNormal
	// SyncOff never syncs (synchronous=OFF).
	SyncOff
)

// Options configure a Log. The zero value is synchronous=FULL,
// read-write, no journal_size_limit.
type Options struct {
	Sync SyncMode
	// ReadOnly opens the WAL without write access: no writes, no
	// checkpoints.
	ReadOnly bool
	// ShmLock, when not nil, takes and releases the WAL locks in place of
	// the database file's SharedMemory.ShmLock, with the same arguments and
	// the same contract (a conflict fails at once with an error wrapping
	// resultcode.ErrBusy, unless the function chooses to wait). The pager
	// puts its process-wide lock queue here, so that the WAL locks of the
	// connections of one process are queued rather than polled.
	ShmLock func(offset, n int, exclusive, unlock bool) error
}

// Log is one connection's handle on a database's write-ahead log and
// wal-index (SQLite's Wal object). The wal-index itself lives in shared
// memory that every connection of every process opens through the
// database file (osvfs.SharedMemory), so a Log holds only this
// connection's view: its snapshot, its read and write locks, its mapping of
// the WAL file. A Log is not safe for concurrent use; each connection has
// its own.
type Log struct {
	vfs     osvfs.VFS
	db      osvfs.File
	shm     osvfs.SharedMemory
	walName string
	file    osvfs.File
	opts    Options
	// sizeLimit is PRAGMA journal_size_limit: negative for none.
	sizeLimit int64

	regions [][]byte    // mapped wal-index regions
	hdr     indexHeader // the snapshot (or, while writing, the new state)
	// seen is the snapshot the caller's cache reflects: the last one a
	// read transaction began with, or this connection's last commit
	// (BeginReadSince).
	seen indexHeader
	// recent lists the pages of the frames committed between the
	// previous snapshot and the current one, whose mxFrame and salts are
	// recentMx and recentSalt (BeginReadSince, FindFrame).
	recent     []pageFrame
	recentMx   uint32
	recentSalt [8]byte

	readLock  int // read-lock slot held (0..4), -1 for none
	writeLock bool
	ckptLock  bool
	minFrame  uint32 // frames before this one are in the database file
	ckptSeq   uint32 // checkpoint sequence of the WAL header we know

	// truncateOnCommit: this write started a new WAL generation, so
	// the first commit applies the size limit (SQLite does the same).
	truncateOnCommit bool

	mapper  osvfs.Mapper // nil when the WAL file cannot be mapped
	mapping []byte       // WAL file contents, read-only, from offset 0
	// shareKey names the WAL file process-wide when its mapping is
	// shared between connections (sharedmap.go): then mapping is
	// shared.data.
	shareKey string
	shared   *sharedMapping

	frameBuf []byte // scratch for writing frames and recovery
	// appendHints remembers, per page, the hash slot where indexAppend
	// last put one of its frames (see appendHint).
	appendHints map[uint32]appendHint
	closed      bool
}

// Open opens the WAL of the database whose file is db (already open, and
// implementing osvfs.SharedMemory for the wal-index) and whose name is
// dbName: the WAL is dbName+"-wal", created when missing. Open reads
// nothing yet; the first BeginRead finds or rebuilds the wal-index.
func Open(vfs osvfs.VFS, db osvfs.File, dbName string, opts Options) (*Log, error) {
	shm, ok := db.(osvfs.SharedMemory)
	if !ok {
		return nil, resultcode.Errorf(resultcode.CantOpen, "wal: %s: the file system offers no shared memory for the wal-index", dbName)
	}
	full, err := vfs.FullPathname(dbName)
	if err != nil {
		return nil, fmt.Errorf("wal: %s: %w", dbName, err)
	}
	name := full + "-wal"
	flags := osvfs.OpenWAL | osvfs.OpenReadWrite | osvfs.OpenCreate
	if opts.ReadOnly {
		flags = osvfs.OpenWAL | osvfs.OpenReadOnly
	}
	f, err := vfs.Open(name, flags)
	if err != nil {
		return nil, fmt.Errorf("wal: open %s: %w", name, err)
	}
	l := &Log{vfs: vfs, db: db, shm: shm, walName: name, file: f, opts: opts, readLock: -1, sizeLimit: -1}
	l.mapper, _ = f.(osvfs.Mapper)
	if l.mapper != nil {
		l.shareKey = fileID(f)
	}
	return l, nil
}

// Name is the WAL file's name.
func (l *Log) Name() string { return l.walName }

// SetSync changes when the WAL is synced.
func (l *Log) SetSync(m SyncMode) { l.opts.Sync = m }

// SetJournalSizeLimit sets PRAGMA journal_size_limit: when a new
// generation of the WAL begins (its first commit) and at Close, a WAL larger
// than n bytes is cut back to n (never below its header). Negative, the
// default, means no limit: the WAL keeps the size it grew to.
func (l *Log) SetJournalSizeLimit(n int64) { l.sizeLimit = n }

// Close ends this connection's use of the WAL, ending its transactions.
// When it is the last connection to the database in any process (it can
// take the database file's EXCLUSIVE lock, as SQLite checks), it first
// checkpoints and, if everything reached the database, starts a new WAL
// generation in place: the WAL header gets new salts, so the next open
// replays nothing, and the file keeps its size for the next writer to
// reuse. The WAL file is never deleted or truncated here (except down to
// the journal_size_limit); the -shm file is left, as SQLite leaves it with a
// persistent WAL.
func (l *Log) Close() error { return l.close(false) }

// CloseAndDelete is Close for leaving WAL mode (PRAGMA journal_mode=DELETE):
// the caller holds the database file's EXCLUSIVE lock, the WAL is
// checkpointed completely and then the -wal and -shm files are deleted. If
// the checkpoint cannot complete, the files stay and the error says why.
func (l *Log) CloseAndDelete() error { return l.close(true) }

func (l *Log) close(del bool) error {
	if l.closed {
		return nil
	}
	var errs []error
	if l.writeLock {
		errs = append(errs, l.Rollback())
	}
	l.EndRead()
	complete := false
	if !l.opts.ReadOnly {
		var err error
		complete, err = l.closeCheckpoint(del)
		errs = append(errs, err)
		if del && !complete && err == nil {
			errs = append(errs, resultcode.Errorf(resultcode.Busy, "wal: cannot leave WAL mode: another connection uses %s", l.walName))
		}
	}
	l.unmapWAL()
	errs = append(errs, l.file.Close())
	deleted := false
	if del && errors.Join(errs...) == nil {
		if err := l.vfs.Delete(l.walName, false); err != nil {
			errs = append(errs, fmt.Errorf("wal: delete %s: %w", l.walName, err))
		} else {
			deleted = true
		}
	}
	errs = append(errs, l.shm.ShmUnmap(deleted))
	l.regions = nil
	l.closed = true
	return errors.Join(errs...)
}

// closeCheckpoint checkpoints at close when no other connection uses the
// database, and then begins a new, empty WAL generation in place. It
// reports whether the whole WAL reached the database.
func (l *Log) closeCheckpoint(del bool) (complete bool, err error) {
	if prev := l.db.LockLevel(); prev < osvfs.LockExclusive {
		if prev == osvfs.LockNone {
			if err := l.db.Lock(osvfs.LockShared); err != nil {
				return false, nil
			}
		}
		defer func() {
			// Back to the level the caller held.
			if e := l.db.Unlock(osvfs.LockShared); e != nil && err == nil {
				err = e
			}
			if prev == osvfs.LockNone {
				if e := l.db.Unlock(osvfs.LockNone); e != nil && err == nil {
					err = e
				}
			}
		}()
		if l.db.Lock(osvfs.LockExclusive) != nil {
			// Another connection still uses the database; it will
			// checkpoint when it closes.
			return false, nil
		}
	}
	res, err := l.Checkpoint(CheckpointPassive, nil)
	if err != nil {
		return false, err
	}
	if res.Log != res.Checkpointed {
		return false, nil
	}
	if del {
		return true, nil
	}
	return true, l.startGenerationAtClose()
}

// startGenerationAtClose writes a fresh WAL header with new salts over the
// old one, so that the frames behind it, all copied into the database, are
// not replayed by the next recovery, and cuts the file to the size limit
// if one is set.
func (l *Log) startGenerationAtClose() error {
	if err := l.lockExclusive(slotWrite, 1); err != nil {
		return nil // someone is writing after all; nothing to do
	}
	l.writeLock = true
	defer func() {
		l.unlockExclusive(slotWrite, 1)
		l.writeLock = false
	}()
	if _, err := l.readHeader(); err != nil {
		return err
	}
	if l.hdr.mxFrame == 0 || l.nBackfill() != l.hdr.mxFrame {
		return nil
	}
	if err := l.lockExclusive(slotRead(1), nReaders-1); err != nil {
		return nil
	}
	l.restartHeader()
	l.unlockExclusive(slotRead(1), nReaders-1)
	if err := l.writeFileHeader(l.hdr.pageSize()); err != nil {
		return err
	}
	if limit := l.sizeLimit; limit >= 0 {
		return l.limitSize(max(limit, walHeaderSize))
	}
	return nil
}

// limitSize cuts the WAL file to size bytes when it is larger. The
// mapping stays: no snapshot uses frames beyond size (a new generation has
// just begun), so nobody touches the pages that are now past the end.
func (l *Log) limitSize(size int64) error {
	cur, err := l.file.Size()
	if err != nil || cur <= size {
		return err
	}
	if err := l.file.Truncate(size); err != nil {
		return fmt.Errorf("wal: truncate %s: %w", l.walName, err)
	}
	return nil
}

func (l *Log) unmapWAL() {
	if l.shared != nil {
		l.releaseShared()
		return
	}
	if l.mapping != nil {
		l.mapper.Unmap()
		l.mapping = nil
	}
}

// Frames is the number of frames in the WAL as of this connection's
// snapshot, or as of its last commit: the figure the automatic checkpoint
// compares with wal_autocheckpoint.
func (l *Log) Frames() uint32 { return l.hdr.mxFrame }

// Committed is the number of frames in the WAL as of the last commit of
// any connection (the wal-index header as it stands now, not this
// connection's snapshot).
func (l *Log) Committed() uint32 {
	if len(l.regions) == 0 || l.regions[0] == nil {
		return l.hdr.mxFrame
	}
	return l.sharedHeader().mxFrame
}

// PageSize is the page size of the WAL's frames as of the snapshot, 0 when
// the WAL holds none.
func (l *Log) PageSize() int {
	if l.hdr.mxFrame == 0 {
		return 0
	}
	return l.hdr.pageSize()
}
