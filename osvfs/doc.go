// Package osvfs is Wren's operating-system layer: the files a database lives
// in, the locks that keep connections and processes from trampling each
// other, memory mapping, and durability (fsync). It plays the part of
// SQLite's sqlite3_vfs and sqlite3_file, and the pager and WAL above it see
// nothing else of the operating system.
//
// # Files and VFSes
//
// A VFS opens, deletes and probes files by name; a File reads and writes at
// offsets (io.ReaderAt, io.WriterAt), truncates, syncs and locks. A File may
// also implement Mapper (read-only memory mapping of the database or WAL)
// and SharedMemory (the wal-index, SQLite's -shm file). Errors wrap the
// sentinels of package resultcode, so errors.Is(err, resultcode.ErrBusy)
// recognizes a lock conflict and resultcode.Of(err) gives the code SQLite
// would report (SQLITE_IOERR_WRITE, SQLITE_FULL, ...).
//
// There are three implementations:
//
//   - NewUnix: real files, pread/pwrite, fsync/fdatasync, mmap, and SQLite's
//     own fcntl locks, so a sqlite3 process and a Wren process can share a
//     database file.
//   - NewMem: files in memory, shared by every handle of the same MemVFS, so
//     several connections can use one in-memory database and the locking
//     code runs without a disk.
//   - NewFault: a wrapper that counts writes and syncs, fails chosen ones,
//     fills the disk, or cuts the power and then simulates what the disk
//     kept (see the crash model below). The pager, b-tree and WAL crash
//     tests run on it.
//
// # Lock levels
//
// A database file is locked at one of SQLite's five levels (LockLevel),
// climbed in order and dropped back to SHARED or NONE:
//
//	NONE       no lock
//	SHARED     may read; any number of connections at once
//	RESERVED   intends to write; one connection; new readers still welcome
//	PENDING    about to write; existing readers may finish, new ones are refused
//	EXCLUSIVE  writing the database file; nobody else holds any lock
//
// On unix each level is an fcntl byte-range lock at SQLite's offsets, on the
// page that starts at 1 GiB (PendingByte), which the pager never uses for
// data: SHARED is a read lock on the 510-byte shared range, taken while
// holding a read lock on the PENDING byte; RESERVED a write lock on the
// RESERVED byte; PENDING a write lock on the PENDING byte; EXCLUSIVE a write
// lock on the whole shared range. Lock never waits: a conflict is an error
// wrapping resultcode.ErrBusy at once, and waiting (the lock queue, the busy
// timeout) is the caller's business. Asking for EXCLUSIVE while readers
// remain leaves the handle at PENDING, so that the readers drain and no new
// one arrives; the caller retries.
//
// POSIX locks belong to a process, not to a descriptor, and closing any
// descriptor of a file drops all of the process's locks on it. So, as
// SQLite does, this package keeps one record per file (device and inode)
// for the whole process, shared by all handles: it counts the handles at
// each level, settles conflicts between them itself, takes and releases the
// OS locks only when the process's combined level changes, and delays the
// close of a descriptor while another handle of the file still holds a lock.
// Code outside this package must not open and close a database file behind
// its back (os.ReadFile on a locked database releases the locks).
//
// The wal-index follows SQLite's -shm layout: regions of ShmRegionSize
// bytes mapped shared, eight lock slots at bytes 120..127 of the -shm file
// (fcntl locks, accounted per slot across the process's connections), and
// the byte after them held read-locked by every process that has the file
// open, so that the first one knows to discard stale content. An exclusive
// slot can also pass from one connection of the process to the next with
// its fcntl lock kept (ShmRetainer), a bounded number of times in a row.
//
// # Crash model
//
// FaultVFS models a disk that loses power. It tracks, per file name, what
// the disk durably holds and the changes since:
//
//   - A write or truncate is durable once a Sync of that file succeeds
//     (through any handle). Until then a crash drops it; CrashTorn instead
//     keeps a random subset of the unsynced writes, sector by sector, and of
//     the truncates, applied in order: a disk that wrote some of its cache
//     before it died.
//   - A file created through the VFS exists durably once it has been synced
//     (a sync is taken to reach the directory entry too, as the unix VFS
//     makes sure of for new journals and WALs); created and never synced,
//     it is gone after a crash. A file that existed before the VFS first
//     saw it is durable as it was.
//   - A deletion is durable only when made with syncDir, which also makes
//     the earlier deletions in the same directory durable; otherwise a
//     crash brings the file back with its durable content.
//   - Temporary files (OpenTempFile, OpenDeleteOnClose) are not tracked.
//   - The wal-index is memory, not disk: a crash discards it.
//
// A crash test runs a workload with CutAfterWrites(n) or CutAfterSyncs(n),
// so that the machine "dies" at that point and every later operation fails
// with an error wrapping ErrInjected; Crash then reverts the files and kills
// the open handles, and the test reopens the database and checks that
// every committed transaction, and no other, is there.
package osvfs
