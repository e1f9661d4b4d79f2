// Package pager is Wren's page cache and transaction manager: it reads and
// writes fixed-size pages of an SQLite 3 database file, keeps the file
// consistent across crashes with SQLite's rollback journal or, in WAL mode,
// its write-ahead log (package wal), and coordinates connections with
// SQLite's file and WAL locks, so that a Wren process and a sqlite3 process
// can share a file and recover each other's crashes.
//
// A Pager belongs to one connection and is not safe for concurrent use. Two
// Pagers on one file (two connections) coordinate through the file locks of
// package osvfs, exactly as two SQLite connections do; within one process
// they wait for each other in the file's lock queue (see "Lock waits").
//
// # Transactions and locks
//
// BeginRead takes a SHARED lock. Before trusting the file it looks for a hot
// journal: a NAME-journal file that exists, starts with a non-zero byte, sits
// next to a non-empty database, and has no writer alive to own it (nobody
// holds RESERVED). Such a journal was left by a writer that died in the middle
// of a commit; the pager takes the EXCLUSIVE lock, writes the journal's
// original pages back, syncs the database, finalizes the journal as the
// journal mode says (delete, truncate, or zero its header) and drops back to
// SHARED. A read-only pager cannot do this and fails with
// resultcode.ReadOnlyRollback. Then it reads the header: the page size, the
// reserved bytes and the in-header database size. The cache survives between
// transactions and is dropped when the change counter and friends (header
// bytes 24..39) or the file size differ from what the last transaction left:
// that is how a commit by another connection or process becomes visible.
//
// BeginWrite adds the RESERVED lock: one writer at a time, readers continue.
// The writer escalates to EXCLUSIVE (through PENDING, which stops new
// readers) only when it must write the database file: at commit, or when the
// cache spills. A second writer, or a commit while readers remain, waits up
// to the busy timeout (see "Lock waits") and then gets an error wrapping
// resultcode.ErrBusy; a spill does not wait (the cache grows instead).
// Commit and Rollback end both the write and the read transaction and drop
// every lock.
//
// # The journal
//
// The journal is created at the first Write of a transaction (never for a
// transaction that changes nothing). Its format is SQLite's, so either
// program can roll back the other's journal. It is a sequence of segments.
// Each starts with a header padded to the sector size (the file's
// SectorSize, clamped to 512..65536):
//
//	0  8 bytes  magic d9 d5 05 f9 20 a1 63 d7
//	8  4 bytes  number of records in the segment (0xffffffff: up to the end)
//	12 4 bytes  checksum nonce, random per segment
//	16 4 bytes  database size in pages before the transaction
//	20 4 bytes  sector size
//	24 4 bytes  page size
//
// followed by records: the page number (4 bytes), the page's original
// content, and a checksum, the nonce plus every 200th byte of the page taken
// from the end (SQLite's sampling, which byte 0 never joins). A page is
// journaled at most once per transaction, the first time Write is called on
// it; pages beyond the original size are not journaled, since rolling back
// truncates them away. A transaction that journals nothing (it only appends,
// as the one creating a database does) still gets a header before the
// database file is written, so that a crash truncates the appended pages.
// A new segment starts after every sync before the commit (a spill), since a
// synced header's count is final; in PERSIST mode an old header where the
// next segment would start is spoiled first, so that a crash never lets
// playback wander into a previous transaction's records.
//
// Playback (of a hot journal, or of our own journal when a rollback must undo
// a spill) honours the page size and sector size in the journal's first
// header, truncates the database to the original size, and writes the
// records back. It stops at the first header without the magic and at the
// first record whose page number is 0 or whose checksum fails: nothing after
// it was ever synced. A journal that names a super-journal (a multi-database
// commit by SQLite) is played back only while that super-journal exists.
//
// # The commit sequence
//
// Commit journals the pages a shrinking transaction cuts off, writes the
// change counter (24), database size (28), version-valid-for (92) and
// version number (96) into page 1, takes EXCLUSIVE, makes the journal
// durable, writes the dirty pages in page order, truncates the file if it
// shrank, syncs the database, and finalizes the journal; that last step is
// the commit point. Journal records are gathered in a buffer and written
// 256 KiB at a time (always before a sync and before any database write),
// and runs of consecutive dirty pages go to the database file in one write
// each: fewer system calls, the same bytes in the same order of durability.
//
//   - synchronous=FULL (and EXTRA): the journal header is first written with
//     a zero magic and count; the records are synced, then the magic and
//     record count are written into the header and synced again, so a
//     header that claims records never points at unsynced ones.
//   - synchronous=NORMAL: the count is written and the journal synced once;
//     the checksums guard against records lost with a power failure.
//   - synchronous=OFF: no syncs at all; headers say "records up to the end".
//
// Finalizing: DELETE unlinks the journal (EXTRA also syncs the directory,
// without which a power loss can resurrect the journal and roll the last
// transaction back); TRUNCATE truncates it to zero bytes (and syncs it
// under FULL and EXTRA); PERSIST overwrites its header with zeros and syncs
// it. MEMORY keeps the journal in memory: rollback works, a crash during
// commit can corrupt the file. OFF keeps none: Rollback drops the changes
// still in the cache, but pages a spill already wrote to the file stay
// written (the transaction is then partly applied, as SQLite's behaviour
// with journal_mode=OFF is undefined there).
//
// When anything fails, Commit returns the error with the transaction still
// open; Rollback then puts back whatever reached the file. If that fails
// too, the journal is left on disk and is hot the moment the locks drop, so
// the next BeginRead of any connection completes the rollback.
//
// # Savepoints
//
// OpenSavepoint, RollbackTo and Release give nested savepoints inside a
// write transaction, for statement atomicity and SQL SAVEPOINT, numbered as
// SQLite's pager numbers them: OpenSavepoint(n) makes n savepoints open,
// and RollbackTo(i) and Release(i) name savepoint i, counting from 0.
// RollbackTo(i) needs, for every page changed since savepoint i opened, the
// page as it was then. A page first changed in this transaction after the
// savepoint opened has that image in the main journal already, and the
// rollback reads it from there. Any other page (changed earlier in the
// transaction, appended, or in journal_mode=OFF) gets its image copied, at
// its first change under the savepoint, into a statement journal, as
// SQLite's statement journal does: kept in memory up to 64 KiB, then in a
// temporary file opened through the VFS (OpenTempFile|OpenDeleteOnClose,
// named after the database), emptied when the last savepoint is released
// (its buffer and file are reused by the next statement's savepoint, so a
// transaction of many statements does not allocate one per statement) and
// deleted when the transaction ends. One image serves every savepoint that
// needs it.
// RollbackTo also restores the database size; pages appended since become
// unreachable and are dropped at commit.
//
// # The cache and spilling
//
// The cache holds at most cache_size pages (PRAGMA cache_size semantics:
// positive in pages, negative in KiB). A referenced page (from Get or
// Append, until Release) is never evicted; an unreferenced clean page is
// evicted in least-recently-used order. When every unreferenced page is
// dirty, the pager spills as SQLite does: it syncs the journal (starting a
// new segment afterwards, since a synced header's count is final), takes the
// EXCLUSIVE lock, and writes the unreferenced dirty pages to the database
// file, after which they are clean and evictable. A transaction can
// therefore be far larger than the cache. If readers hold the file the spill
// is skipped and the cache grows instead. A page referenced by the caller is
// never spilled, and a cache full of referenced pages grows past its size.
//
// # WAL mode
//
// A database whose header says file format version 2 (bytes 18 and 19), or
// that has a -wal file next to it, is a WAL database (SQLite's rules), and
// the pager switches to WAL mode at the first transaction that sees it.
// From then until Close it holds the SHARED lock on the database file, as
// SQLite does (the WAL's Close checkpoints only when it is the last
// connection, which it learns by trying for EXCLUSIVE), and its
// transactions take WAL locks only:
//
//   - BeginRead fixes a snapshot (wal.Log.BeginRead); if another connection
//     committed since our last one the cache is dropped. The database size
//     is the snapshot's; a page is read from its latest frame in the
//     snapshot (from the WAL's mapping, copied into the cache) or else from
//     the database file.
//   - BeginWrite takes the WAL's WRITE lock. Begun from nothing, it queues
//     for the lock before it takes the snapshot, so that waiting behind other
//     writers of this process never makes the snapshot stale; a read
//     transaction that another connection committed after fails with
//     resultcode.BusySnapshot, and must start over.
//   - Commit appends the dirty pages, in page order, the last frame a commit
//     frame with the database size (page 1 always among them: the change
//     counter, size and version fields are kept as in rollback mode), then
//     releases WRITE and the snapshot. A spill appends frames without a
//     commit frame; Rollback drops them (wal.Log.Undo) and the cached pages
//     read from them. No rollback journal is kept: savepoints keep every
//     page's image in the statement journal, as with journal_mode=OFF, and a
//     savepoint rollback makes the restored pages dirty again, so that the
//     commit's later frames supersede any spilled ones.
//   - After a commit that leaves wal_autocheckpoint frames or more (1000 by
//     default, SetWALAutoCheckpoint) the automatic checkpoint runs, with the
//     WRITE lock released: PASSIVE passes while many frames are left to
//     copy, then a short one in RESTART mode for the last few, holding the
//     WRITE lock and waiting a moment for the readers still on the WAL, so
//     that the next writer can start the WAL over even when writers follow
//     each other without a pause (see autoCheckpointWAL). When readers'
//     read marks stop a PASSIVE pass, the locked pass is skipped: it would
//     stop at the same marks and only keep the writers waiting. The WAL is
//     synced before the last pass waits for the WRITE lock, so that the
//     sync it makes holding the lock has the frames of one transaction or
//     two to flush. With Options.BackgroundCheckpoint it
//     runs in a goroutine per database file instead of in the committing
//     connection (checkpointer.go). Checkpoint runs PRAGMA wal_checkpoint's
//     four modes, in the calling connection.
//   - BeginRead drops from the cache only the pages that the frames
//     committed since this connection's last snapshot name (SQLite drops
//     the whole cache), unless the WAL started over in between.
//   - Close closes the WAL, which is preserved: never deleted or truncated
//     (see package wal).
//
// Options.JournalMode = JournalWAL asks for WAL mode for a new database:
// since a WAL next to an empty database file is a leftover that SQLite
// deletes, the transaction that creates the database commits through the
// rollback journal, like SQLite's, writing 2 into bytes 18 and 19 of page 1
// (the btree layer writes 1 and 1; the pager corrects them), and deleting
// the journal with a directory sync, since a journal resurrected by a power
// loss would roll the file back under the WAL's commits. The next
// transaction finds a WAL database. An existing database keeps the mode its
// header says. SetJournalMode(JournalWAL) converts a rollback database in a
// write transaction of its own; SetJournalMode back to a rollback mode needs
// the EXCLUSIVE lock (no other connection may have the database open),
// checkpoints and deletes the WAL, and writes 1 and 1 into the header in
// place (two bytes of one sector: old or new after a crash, both valid).
//
// # Lock waits
//
// Every lock the pager takes, the database file's SHARED, RESERVED and
// EXCLUSIVE and the WAL's WRITE, CKPT, RECOVER and READ locks, goes through
// the file's lock queue (package lockqueue): one queue per file per process,
// keyed by device and inode, and a Holder per Pager. A connection that has
// to wait for another connection of this process parks in the queue and is
// woken in arrival order when the lock is released, for at most the busy
// timeout (Options.BusyTimeout, SetBusyTimeout; zero fails at once) and as
// long as the context of the call allows (BeginReadContext,
// BeginWriteContext, CommitContext, CheckpointContext: a wait ended by the
// context wraps ctx.Err(); lockqueue.WithPriority jumps the queue). The OS
// lock that keeps other processes out is taken once the queue grants the
// request; a conflict with another process backs off from 1 to 50 ms
// between tries.
//
// In rollback mode a write transaction begun from nothing queues for
// RESERVED before SHARED, so writers queue for each other instead of
// deadlocking as upgrading readers; a reader that asks for RESERVED while
// the writer waits for the readers to leave (to commit) is refused at once
// with an error wrapping ErrBusy, as SQLite refuses it. The commit's wait
// for EXCLUSIVE keeps new readers out while the current ones finish
// (SQLite's PENDING). In WAL mode readers take only READ locks and never
// wait for the writer; the WAL's try-locks (moving a read mark) are
// requests that do not wait; the WRITE lock waits in the queue, for
// BeginWrite and for the FULL, RESTART and TRUNCATE checkpoints, which wait
// for readers by retrying. When a writer releases WRITE to a writer of
// this process waiting in the queue, the OS lock stays with the process
// (osvfs.ShmRetainer; see handOnWrite): no fcntl calls per transaction
// under contention.
//
// # Memory-mapped reads
//
// SetMmapSize (PRAGMA mmap_size, 0 by default) maps the first bytes of the
// database file; cache misses copy pages from the mapping instead of
// reading them (see mmap.go for why it is remade when the file's size
// changes).
package pager
