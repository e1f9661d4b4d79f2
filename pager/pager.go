package pager

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/wal"
)

type txState int

const (
	stateNone  txState = iota // no lock
	stateRead                 // SHARED lock
	stateWrite                // RESERVED lock or higher
)

// Pager is the page cache and transaction manager of one connection to one
// database file. It is not safe for concurrent use.
type Pager struct {
	vfs         osvfs.VFS
	dbName      string
	journalName string
	file        osvfs.File
	readOnly    bool
	journalMode JournalMode
	sync        Synchronous
	cacheSize   int // the cache_size setting, not a page count
	closed      bool

	pageSize int
	reserved int

	state  txState
	dbSize uint32 // database size in pages as of this transaction
	// dbFileSize is the number of pages the database file holds (a page
	// beyond it reads as zeros).
	dbFileSize uint32
	// fileVers is header bytes 24..39 (change counter, size, freelist) and
	// fileBytes the file size as of the end of our last transaction: if
	// either differs at the next BeginRead, another connection wrote and the
	// cache is stale.
	fileVers  [16]byte
	fileBytes int64

	cache pageCache

	// Write transaction state.
	dbOrigSize uint32   // dbSize when the write transaction began
	jrnl       *journal // nil until the first Write (and always in JournalOff)
	changed    bool     // Write was called
	dbModified bool     // the database file was written (spill or commit)
	savepoints []*savepoint
	stmt       stmtJournal

	// Locks (locks.go).
	holder      *lockqueue.Holder // this connection's place in the file's queue
	busyTimeout time.Duration
	ctx         context.Context // bounds the lock waits of the call under way; nil: none

	// WAL mode (walmode.go). In WAL mode journalMode keeps the rollback
	// mode to return to.
	log            *wal.Log      // non-nil in WAL mode
	wantWAL        bool          // WAL asked for while the database has no pages: the first commit makes it a WAL database
	walHeader      bool          // the header's write version (byte 19) is 2, as of readFileState
	walWaitWrite   bool          // the WAL's WRITE lock may wait in the queue
	autoCheckpoint int           // PRAGMA wal_autocheckpoint, in frames; <= 0 off
	bgCheckpoint   bool          // Options.BackgroundCheckpoint
	ckpt           *checkpointer // the background checkpointer, while in WAL mode with bgCheckpoint
	// journalSizeLimit is PRAGMA journal_size_limit, for the WAL; < 0 none.
	journalSizeLimit int64

	// Memory-mapped reads (mmap.go).
	mmapSize int64
	mapping  []byte // the database file's first bytes, read-only; nil when unmapped
}

// Open opens the database file name through vfs. It takes no lock and reads
// only the header's page size; the file is validated by the first
// transaction.
func Open(vfs osvfs.VFS, name string, opts Options) (*Pager, error) {
	full, err := vfs.FullPathname(name)
	if err != nil {
		return nil, fmt.Errorf("pager: %s: %w", name, err)
	}
	pageSize := opts.PageSize
	if pageSize == 0 {
		pageSize = defaultPageSize
	}
	if !validPageSize(pageSize) {
		return nil, resultcode.Errorf(resultcode.Misuse, "pager: invalid page size %d", opts.PageSize)
	}
	if opts.JournalMode < JournalDelete || opts.JournalMode > JournalWAL {
		return nil, resultcode.Errorf(resultcode.Misuse, "pager: invalid journal mode %d", int(opts.JournalMode))
	}
	flags := osvfs.OpenMainDB
	readOnly := opts.ReadOnly
	if readOnly {
		flags |= osvfs.OpenReadOnly
	} else {
		flags |= osvfs.OpenReadWrite
		if opts.Create {
			flags |= osvfs.OpenCreate
		}
	}
	f, err := vfs.Open(full, flags)
	if err != nil && !readOnly && !opts.Create {
		// As SQLite: a file we may not write is opened read-only.
		if f2, err2 := vfs.Open(full, osvfs.OpenMainDB|osvfs.OpenReadOnly); err2 == nil {
			f, err, readOnly = f2, nil, true
		}
	}
	if err != nil {
		return nil, fmt.Errorf("pager: open %s: %w", name, err)
	}
	p := &Pager{
		vfs:              vfs,
		dbName:           full,
		journalName:      full + "-journal",
		file:             f,
		readOnly:         readOnly,
		journalMode:      opts.JournalMode,
		sync:             opts.Synchronous,
		cacheSize:        opts.CacheSize,
		pageSize:         pageSize,
		busyTimeout:      max(opts.BusyTimeout, 0),
		autoCheckpoint:   defaultAutoCheckpoint,
		bgCheckpoint:     opts.BackgroundCheckpoint,
		journalSizeLimit: -1,
	}
	if opts.JournalMode == JournalWAL {
		p.journalMode, p.wantWAL = JournalDelete, true
	}
	p.holder = lockqueue.Open(queueKey(vfs, f, full)).NewHolder()
	// Peek at the header's page size so that PageSize is right before the
	// first transaction; a bad header is reported by BeginRead.
	var hdr [100]byte
	if n, _ := f.ReadAt(hdr[:], 0); n == len(hdr) {
		if ps, reserved, err := parseHeaderGeometry(hdr[:]); err == nil {
			p.pageSize, p.reserved = ps, reserved
		}
	}
	p.cache = newPageCache(cachePages(p.cacheSize, p.pageSize))
	return p, nil
}

// Close rolls back an open write transaction, ends the read transaction and
// closes the file.
func (p *Pager) Close() error {
	if p.closed {
		return nil
	}
	var errs []error
	if p.state == stateWrite {
		errs = append(errs, p.Rollback())
	}
	if p.state == stateRead {
		errs = append(errs, p.EndRead())
	}
	p.cache.clear()
	p.unmapFile()
	// Before the WAL's Close, which checkpoints if this is the last
	// connection: the checkpointer's own connection would count.
	p.detachCheckpointer()
	if p.log != nil {
		// The WAL's Close checkpoints if this is the last connection,
		// which it judges by the SHARED lock we still hold.
		errs = append(errs, p.log.Close())
		p.log = nil
		errs = append(errs, p.unlockFile(osvfs.LockNone))
	}
	errs = append(errs, p.file.Close())
	p.holder.Close()
	p.holder.Queue().Close()
	p.closed = true
	return errors.Join(errs...)
}

// PageSize is the database's page size in bytes.
func (p *Pager) PageSize() int { return p.pageSize }

// UsableSize is the page size minus the reserved bytes at the end of each
// page (header byte 20).
func (p *Pager) UsableSize() int { return p.pageSize - p.reserved }

// SetPageSize changes the page size; only allowed while the database has no
// pages yet.
func (p *Pager) SetPageSize(n int) error {
	if !validPageSize(n) {
		return resultcode.Errorf(resultcode.Misuse, "pager: invalid page size %d", n)
	}
	if n == p.pageSize {
		return nil
	}
	empty := p.dbSize == 0
	if p.state == stateNone {
		size, err := p.file.Size()
		empty = err == nil && size == 0
	}
	if !empty {
		return resultcode.Errorf(resultcode.Misuse, "pager: cannot change the page size of a database that has pages")
	}
	p.cache.clear()
	p.cache.free = nil
	p.pageSize = n
	p.reserved = 0
	p.cache.capacity = cachePages(p.cacheSize, n)
	return nil
}

// SetJournalMode changes the journal mode, as PRAGMA journal_mode does; not
// inside a write transaction. JournalMode tells the mode that resulted.
//
// Between the rollback modes it only changes how the next transactions
// journal. Into WAL mode (outside any transaction): a database without
// pages becomes a WAL database with its first commit; any other gets the
// header bytes 18 and 19 set to 2 in a write transaction of its own, which
// waits for the readers like any commit, and from then on every connection
// uses the WAL. Out of WAL mode (outside any transaction): the pager needs
// the EXCLUSIVE lock, which it does not get while another connection has the
// database open (an error wrapping ErrBusy); it then checkpoints the WAL,
// deletes it and sets the header bytes back to 1.
func (p *Pager) SetJournalMode(m JournalMode) error {
	if m < JournalDelete || m > JournalWAL {
		return resultcode.Errorf(resultcode.Misuse, "pager: invalid journal mode %d", int(m))
	}
	if err := p.checkOpen(); err != nil {
		return err
	}
	if p.state == stateWrite {
		return resultcode.Errorf(resultcode.Error, "pager: cannot change the journal mode inside a write transaction")
	}
	switch {
	case m == JournalWAL && p.log == nil:
		if p.state != stateNone {
			return resultcode.Errorf(resultcode.Error, "cannot change into wal mode from within a transaction")
		}
		return p.enterWAL()
	case m != JournalWAL && p.log != nil:
		if p.state != stateNone {
			return resultcode.Errorf(resultcode.Error, "cannot change out of wal mode from within a transaction")
		}
		return p.leaveWAL(m)
	case m != JournalWAL:
		p.wantWAL = false
		p.journalMode = m
	}
	return nil
}

// SetSynchronous changes the synchronous level.
func (p *Pager) SetSynchronous(s Synchronous) {
	p.sync = s
	if p.log != nil {
		p.log.SetSync(walSync(s))
	}
}

// SetCacheSize changes the cache size (PRAGMA cache_size semantics: >0
// pages, <0 KiB, 0 the default). Pages beyond the new size are evicted as
// they become unreferenced and clean.
func (p *Pager) SetCacheSize(n int) {
	p.cacheSize = n
	p.cache.capacity = cachePages(n, p.pageSize)
	for len(p.cache.pages) > p.cache.capacity && p.cache.evictOne() {
	}
}

// CacheSize is the cache_size setting (as given: pages, or negative KiB).
func (p *Pager) CacheSize() int {
	if p.cacheSize == 0 {
		return defaultCacheSize
	}
	return p.cacheSize
}

// JournalMode is the current journal mode: JournalWAL in WAL mode (see
// WALMode), else the rollback journal's mode.
func (p *Pager) JournalMode() JournalMode {
	if p.WALMode() {
		return JournalWAL
	}
	return p.journalMode
}

// Synchronous is the current synchronous level.
func (p *Pager) Synchronous() Synchronous { return p.sync }

// ReadOnly reports whether the pager refuses write transactions.
func (p *Pager) ReadOnly() bool { return p.readOnly }

// PageCount is the database size in pages as of this transaction.
func (p *Pager) PageCount() uint32 { return p.dbSize }

// PendingBytePage is the page holding the lock bytes at offset
// osvfs.PendingByte; it never holds data.
func (p *Pager) PendingBytePage() uint32 { return pendingBytePage(p.pageSize) }

func pendingBytePage(pageSize int) uint32 { return uint32(osvfs.PendingByte/pageSize) + 1 }

// HeaderUint32 reads the big-endian uint32 at byte off of page 1, inside a
// transaction. An empty database reads as zeros.
func (p *Pager) HeaderUint32(off int) uint32 {
	if off < 0 || off+4 > 100 || p.state == stateNone || p.dbSize == 0 {
		return 0
	}
	pg, err := p.Get(1)
	if err != nil {
		return 0
	}
	defer pg.Release()
	return binary.BigEndian.Uint32(pg.data[off:])
}

// SetHeaderUint32 writes the big-endian uint32 at byte off of page 1, inside
// a write transaction.
func (p *Pager) SetHeaderUint32(off int, v uint32) error {
	if off < 0 || off+4 > 100 {
		return resultcode.Errorf(resultcode.Misuse, "pager: header offset %d out of range", off)
	}
	pg, err := p.Get(1)
	if err != nil {
		return err
	}
	defer pg.Release()
	if err := p.Write(pg); err != nil {
		return err
	}
	binary.BigEndian.PutUint32(pg.data[off:], v)
	return nil
}

// InWrite reports whether a write transaction is open.
func (p *Pager) InWrite() bool { return p.state == stateWrite }

// InRead reports whether a read (or write) transaction is open.
func (p *Pager) InRead() bool { return p.state != stateNone }
