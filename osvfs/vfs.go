package osvfs

import "io"

// OpenFlag says how a file is opened and what it is for. The kind bits matter
// to implementations that treat journals differently from databases (the
// in-memory VFS, the fault injector's statistics, directory syncs on unix).
type OpenFlag uint32

const (
	OpenReadOnly  OpenFlag = 1 << iota // open without write access
	OpenReadWrite                      // open for reading and writing
	OpenCreate                         // create the file if it does not exist
	OpenExclusive                      // with OpenCreate: fail if the file exists

	OpenMainDB      // the database file itself
	OpenMainJournal // a rollback journal (NAME-journal)
	OpenWAL         // a write-ahead log (NAME-wal)
	OpenTempFile    // a statement journal, sorter spill or other scratch file
	OpenDeleteOnClose
)

// SyncFlag chooses how hard Sync works, after SQLite's SQLITE_SYNC_* flags.
type SyncFlag uint32

const (
	SyncNormal   SyncFlag = 0
	SyncFull     SyncFlag = 1 << iota // fsync, and F_FULLFSYNC where the OS has it
	SyncDataOnly                      // fdatasync is enough: the size did not change
)

// LockLevel is one of SQLite's five file lock levels. A connection climbs them
// in order (None → Shared → Reserved → Pending → Exclusive) and can drop back
// only to Shared or None.
type LockLevel int

const (
	LockNone LockLevel = iota
	LockShared
	LockReserved
	LockPending
	LockExclusive
)

func (l LockLevel) String() string {
	switch l {
	case LockNone:
		return "NONE"
	case LockShared:
		return "SHARED"
	case LockReserved:
		return "RESERVED"
	case LockPending:
		return "PENDING"
	case LockExclusive:
		return "EXCLUSIVE"
	}
	return "LockLevel(?)"
}

// The byte offsets SQLite locks in a database file, so that a sqlite3 process
// and a Wren process see each other's locks. The page holding PendingByte is
// never used for data (the pager skips it).
const (
	PendingByte  = 0x40000000
	ReservedByte = PendingByte + 1
	SharedFirst  = PendingByte + 2
	SharedSize   = 510
)

// Errors: a File or VFS returns errors that wrap the sentinels of package
// resultcode, so the code SQLite would report travels with them:
// resultcode.ErrBusy for a lock conflict, resultcode.Wrap(IOErrWrite, err)
// and friends for OS failures, resultcode.ErrFull for ENOSPC,
// resultcode.ErrCantOpen when a file cannot be opened.

// VFS opens, deletes and probes files by name, like sqlite3_vfs.
type VFS interface {
	// Open opens or creates the named file.
	Open(name string, flags OpenFlag) (File, error)
	// Delete removes the named file; with syncDir the containing directory is
	// synced afterwards so the deletion is durable (a journal's deletion is
	// what commits a transaction in DELETE mode).
	Delete(name string, syncDir bool) error
	// Exists reports whether the named file exists.
	Exists(name string) (bool, error)
	// FullPathname turns name into the canonical name used for locking and
	// for the names of the file's journal and WAL.
	FullPathname(name string) (string, error)
}

// File is an open file, like sqlite3_file. Short reads past the end of the
// file return io.EOF together with the count read, as io.ReaderAt does; the
// caller treats the missing bytes as zeros where SQLite would.
type File interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
	Sync(flags SyncFlag) error
	Size() (int64, error)

	// Lock raises the lock to level (never lowers it). It returns an error wrapping resultcode.ErrBusy
	// at once when another connection (in this process or another) holds a
	// conflicting lock; waiting is the caller's business.
	Lock(level LockLevel) error
	// Unlock lowers the lock to level, which is LockShared or LockNone.
	Unlock(level LockLevel) error
	// CheckReservedLock reports whether any connection holds a RESERVED or
	// higher lock on the file.
	CheckReservedLock() (bool, error)
	// LockLevel is the level this handle currently holds.
	LockLevel() LockLevel

	// SectorSize feeds the journal's layout, as SQLite's xSectorSize does
	// (4096 on unix, as in SQLite). Every implementation here behaves as
	// SQLite's unix VFS with powersafe overwrite: a write never damages
	// bytes of its sector it did not write, even in a crash.
	SectorSize() int

	Close() error
}

// Mapper is implemented by files that can be memory-mapped. The mapping is
// read-only; writes still go through WriteAt, and the OS keeps the mapping
// coherent with them.
type Mapper interface {
	// Map maps the first size bytes of the file; the slice stays valid until
	// Unmap or Close. The file must already be at least size bytes long.
	Map(size int64) ([]byte, error)
	Unmap() error
}

// SharedMemory is implemented by files that can provide the WAL index
// (the -shm file in SQLite's layout): regions of 32 KiB mapped shared by
// every process, with SQLite's eight WAL lock slots.
type SharedMemory interface {
	// ShmMap returns region n (of regionSize bytes), creating it when extend
	// is true; it returns nil, nil when the region does not exist and extend
	// is false.
	ShmMap(n int, regionSize int, extend bool) ([]byte, error)
	// ShmLock takes (or with unlock releases) n WAL lock slots from offset,
	// shared or exclusive; it returns an error wrapping resultcode.ErrBusy at once on conflict.
	ShmLock(offset, n int, exclusive, unlock bool) error
	// ShmBarrier is a memory barrier between shm readers and writers.
	ShmBarrier()
	// ShmUnmap releases the mapping; with delete the -shm file is removed.
	ShmUnmap(delete bool) error
}

// ShmRetainer is implemented by shared memory whose locks are held at the
// operating-system level on behalf of the whole process (the unix VFS's
// fcntl locks). It lets a lock pass from one connection of the process to
// the next without the system calls that release it and take it again,
// while other processes stay excluded as they were.
type ShmRetainer interface {
	// ShmRetain releases this connection's exclusive hold on n WAL lock
	// slots from offset, as ShmLock with unlock does, but keeps the
	// operating-system lock for the process: the next ShmLock that takes
	// the slots exclusive in this process finds it taken. It reports
	// whether it kept the lock (it does not after many hand-offs in a
	// row, so that another process gets its chance).
	ShmRetain(offset, n int) (bool, error)
	// ShmDropRetained releases the operating-system lock kept by
	// ShmRetain if no connection of the process has taken the slots since.
	ShmDropRetained(offset, n int) error
}
