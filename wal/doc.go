// Package wal is Wren's write-ahead log: the -wal file and the wal-index
// (the -shm file) in SQLite's formats, the read snapshots built on them,
// the single writer, recovery and checkpoints. It plays the part of
// SQLite's wal.c; the pager uses it when a database is in WAL mode.
//
// # The WAL file
//
// A commit appends the changed pages to the -wal file as frames, instead of
// writing them into the database file: a 32-byte header (magic 0x377f0682
// or 0x377f0683, the byte order of the checksums; format 3007000; page
// size; checkpoint sequence; two salts; a checksum), then per frame a
// 24-byte header (page number; the database size in pages on the last frame
// of a transaction, the commit frame, else 0; the salts; a checksum) and
// the page. Each frame's checksum continues the previous one, from the
// header's on, so a frame is valid only if every frame before it is, and
// only if its salts match the header's. Recovery reads frames while they
// are valid and keeps what the last commit frame among them covers; a torn
// write, an uncommitted transaction or the leftovers of an older
// generation all end the log there. The format is SQLite's to the bit
// (https://www.sqlite.org/fileformat2.html#the_write_ahead_log): sqlite3
// recovers a WAL Wren left and Wren one sqlite3 left.
//
// # The wal-index
//
// Readers find the latest frame of a page through the wal-index, shared
// memory in SQLite's -shm layout (https://www.sqlite.org/walformat.html):
// two copies of a header that describes the last commit, the checkpoint
// state (nBackfill, five read marks), SQLite's eight lock bytes, and per
// 4096 frames an array of page numbers with an 8192-slot hash table. Every
// connection of every process maps the same memory through
// osvfs.SharedMemory (the connections of one process share one mapping),
// so a sqlite3 process and Wren can use one WAL database at the same time.
// The index is never durable: the first connection after a crash, or one
// that finds the header damaged, rebuilds it from the WAL file under the
// WRITE, CKPT and RECOVER locks.
//
// # Snapshots, readers and the writer
//
// BeginRead copies the index header: its mxFrame, the last committed
// frame, is the snapshot the read transaction sees until EndRead, however
// many commits follow. To keep those frames from being overwritten or
// checkpointed too early, the reader holds one of the read locks READ1..4
// whose read mark (a frame number in the index) does not exceed its
// snapshot, raising a free mark when it can; READ0 means "everything is in
// the database file, the WAL is not needed". FindFrame looks a page up for
// the snapshot, ReadFrame and FrameData return its content.
//
// One connection at a time writes, holding the WRITE lock (BeginWrite). A
// read transaction can become a write transaction only if nobody committed
// since it began; otherwise BeginWrite fails with resultcode.BusySnapshot
// and the transaction must start over (or use BEGIN IMMEDIATE). Append
// writes frames; the commit frame makes them visible by publishing a new
// index header.
//
// # Checkpoints
//
// Checkpoint copies frames into the database file, the latest frame of
// each page, in page order, up to the oldest snapshot still in use, then
// syncs and records how far it got (nBackfill). PASSIVE, FULL, RESTART and
// TRUNCATE behave as in SQLite and return PRAGMA wal_checkpoint's numbers.
// Once every frame is in the database file and no reader needs the WAL,
// the next writer starts it over from frame 1 with new salts (a new
// generation). Every checkpoint syncs the WAL before it copies and the
// database file after. The automatic checkpoint is the pager's call:
// Frames says how long the WAL is after a commit, Committed how long it is
// now. A read transaction on a read mark holds back the frames after its
// snapshot, and any reader on the WAL keeps it from starting over: under a
// steady stream of overlapping readers the WAL only grows (SQLite's
// checkpoint starvation). A RESTART checkpoint holds WRITE, so that no
// commit moves the snapshots on, and waits (BusyFunc) for the readers
// still on the WAL; once every frame is copied, new readers read the
// database file alone (READ0). The pager's automatic checkpoint ends with
// one.
//
// BeginReadSince is BeginRead for a connection that caches pages: it also
// names the pages written by the commits since its previous snapshot (the
// page numbers of the frames in between, read from the wal-index), so
// that only those are dropped from the cache, and FindFrame finds their
// latest frames without walking the hash chains. The writer, too, keeps
// its own note of where each page's last frame went in the hash table, so
// that appending a frame of a page that every commit writes (page 1) does
// not walk that page's chain, thousands of slots long, to its end; the
// table it builds is slot for slot SQLite's (index.go, appendHint).
//
// # Preserved and mapped
//
// Unlike SQLite's default, the WAL file is never deleted and never
// shrinks by itself: a checkpoint leaves it as it is, and Close, for the
// last connection, checkpoints and writes a header with new salts over the
// old one, so the next open has nothing to replay and the next writer
// reuses blocks the file system already allocated. Only
// CheckpointTruncate and SetJournalSizeLimit make it smaller. Because it
// does not shrink under a reader, the WAL is memory-mapped (osvfs.Mapper)
// and frames are read from the mapping, without a system call; where
// mapping is not possible they are read with ReadAt. As the WAL grows, a
// mapping is replaced only when the snapshot runs past its end by more
// than a quarter of its size (at least 256 KiB), the few frames beyond it
// being read with ReadAt meanwhile; and on the unix VFS the connections of
// a process share one mapping per WAL file, made through a handle of its
// own and unmapped when its last user moves on (to a newer one, at its
// next transaction) or closes.
//
// # Locks and waiting
//
// Every lock is tried once: a conflict is an error wrapping
// resultcode.ErrBusy, and waiting is the caller's business (the pager's
// busy handler, the lock queue, or the BusyFunc given to Checkpoint). Only
// BeginRead retries by itself, briefly, when the index changes between two
// looks, as SQLite does. Options.ShmLock puts a function in front of the
// shared memory's ShmLock: the pager routes every WAL lock through its
// process-wide lock queue there, and lets the WRITE lock wait in it.
//
// # Caveats
//
// A Log belongs to one connection and is not safe for concurrent use. The
// database file handle given to Open must implement osvfs.SharedMemory.
// Pages written twice in one transaction get two frames (SQLite rewrites
// the first in place); the format and the result are the same. A
// read-only Log needs an existing -wal file, and it still writes the
// wal-index (SQLite's read-only -shm fallback is not implemented).
package wal
