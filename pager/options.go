package pager

import (
	"fmt"
	"time"
)

// JournalMode says how the journal is kept, as PRAGMA journal_mode: one of
// the rollback-journal modes, or JournalWAL.
type JournalMode int

const (
	// JournalDelete creates the journal at the first write of a transaction
	// and deletes it to commit. It is SQLite's default.
	JournalDelete JournalMode = iota
	// JournalTruncate truncates the journal to zero bytes to commit.
	JournalTruncate
	// JournalPersist overwrites the journal's header with zeros to commit and
	// keeps the file for the next transaction.
	JournalPersist
	// JournalMemory keeps the journal in memory: rollback works, but a crash
	// in the middle of a commit can corrupt the database.
	JournalMemory
	// JournalOff keeps no journal: Rollback only drops the changes still in
	// the cache (see the package documentation), and a crash in the middle of
	// a commit can corrupt the database.
	JournalOff
	// JournalWAL writes changes to a write-ahead log (package wal) instead
	// of the database file; a checkpoint copies them over later. Readers
	// then never wait for the writer. See the package documentation, "WAL
	// mode".
	JournalWAL
)

func (m JournalMode) String() string {
	switch m {
	case JournalDelete:
		return "delete"
	case JournalTruncate:
		return "truncate"
	case JournalPersist:
		return "persist"
	case JournalMemory:
		return "memory"
	case JournalOff:
		return "off"
	case JournalWAL:
		return "wal"
	}
	return fmt.Sprintf("JournalMode(%d)", int(m))
}

// Synchronous is PRAGMA synchronous: how often the pager waits for data to
// reach the disk.
type Synchronous int

const (
	// SyncFull syncs the journal twice (its records, then its header's record
	// count) and the database once per commit. It is SQLite's default.
	SyncFull Synchronous = iota
	// SyncOff never syncs: a power loss can corrupt the database.
	SyncOff
	// SyncNormal syncs the journal once (records and header together) and
	// the database once per commit.
	SyncNormal
	// SyncExtra is SyncFull plus a sync of the directory after the journal
	// is deleted, so that a commit in DELETE mode survives a power loss.
	SyncExtra
)

func (s Synchronous) String() string {
	switch s {
	case SyncFull:
		return "full"
	case SyncOff:
		return "off"
	case SyncNormal:
		return "normal"
	case SyncExtra:
		return "extra"
	}
	return fmt.Sprintf("Synchronous(%d)", int(s))
}

// Options configure Open. The zero value opens an existing read-write file
// with 4096-byte pages for a new database, a 2000 KiB cache, a DELETE journal
// and synchronous=FULL.
type Options struct {
	// PageSize is the page size of a new, empty file (512..65536, a power of
	// two); 0 means 4096. An existing file's header wins.
	PageSize int
	// CacheSize is PRAGMA cache_size: >0 pages, <0 KiB; 0 means -2000.
	CacheSize   int
	JournalMode JournalMode
	Synchronous Synchronous
	// ReadOnly opens the file read-only; BeginWrite then fails with an error
	// wrapping resultcode.ErrReadOnly.
	ReadOnly bool
	// Create creates the file when it does not exist.
	Create bool
	// BusyTimeout is PRAGMA busy_timeout: how long a lock wait may last
	// before it fails with an error wrapping resultcode.ErrBusy. Zero fails
	// at once. Waits for other connections of this process are served in
	// arrival order by the file's lock queue (package lockqueue); waits for
	// another process back off and retry.
	BusyTimeout time.Duration
	// BackgroundCheckpoint runs the automatic checkpoint of a WAL database
	// (PRAGMA wal_autocheckpoint) in a goroutine of its own, shared by the
	// process's connections to the file that ask for it, instead of in
	// the connection that committed (see checkpointer.go). PRAGMA
	// wal_checkpoint (Checkpoint) still runs in the connection.
	BackgroundCheckpoint bool
}

const (
	defaultPageSize  = 4096
	defaultCacheSize = -2000
	// defaultAutoCheckpoint is PRAGMA wal_autocheckpoint's default, in
	// frames.
	defaultAutoCheckpoint = 1000
	minPageSize           = 512
	maxPageSize           = 65536

	// sqliteVersionNumber is written at header offset 96 at each commit, as
	// SQLite writes SQLITE_VERSION_NUMBER. Wren claims the version of the
	// sqlite3 it is tested against.
	sqliteVersionNumber = 3040001
)

func validPageSize(n int) bool {
	return n >= minPageSize && n <= maxPageSize && n&(n-1) == 0
}

// cachePages turns a cache_size setting into a number of pages.
func cachePages(setting, pageSize int) int {
	if setting == 0 {
		setting = defaultCacheSize
	}
	n := setting
	if setting < 0 {
		n = int(int64(-setting) * 1024 / int64(pageSize))
	}
	if n < 1 {
		n = 1
	}
	return n
}
