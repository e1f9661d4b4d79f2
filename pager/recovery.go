package pager

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// openJournal creates (or reopens, in PERSIST mode) the journal file for a
// write transaction.
func (p *Pager) openJournal() (*journal, error) {
	sector := p.file.SectorSize()
	if sector < minPageSize {
		sector = minPageSize
	}
	if sector > maxSectorSize {
		sector = maxSectorSize
	}
	if p.journalMode == JournalMemory {
		j := newJournal(&memJournal{}, sector, p.pageSize, p.dbOrigSize, p.sync, true)
		j.direct = true
		return j, nil
	}
	f, err := p.vfs.Open(p.journalName, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenMainJournal)
	if err != nil {
		return nil, fmt.Errorf("pager: open journal: %w", err)
	}
	return newJournal(f, sector, p.pageSize, p.dbOrigSize, p.sync, false), nil
}

// finalizeJournal ends the journal's life for this transaction as the
// journal mode says; for a committing transaction this is the commit point.
func (p *Pager) finalizeJournal() error {
	j := p.jrnl
	if j == nil {
		return nil
	}
	if _, ok := j.f.(*memJournal); !ok {
		// On failure the journal stays open for Rollback to play back.
		if err := p.finalizeJournalFile(j.f, j.laterHeaders, false); err != nil {
			return err
		}
	}
	p.jrnl = nil
	return j.f.Close()
}

// finalizeJournalFile ends the life of journal file f. laterHeaders are the
// offsets of the segment headers after the first, for PERSIST mode; hot
// says f is a hot journal just played back.
func (p *Pager) finalizeJournalFile(f journalFile, laterHeaders []int64, hot bool) error {
	mode := p.journalMode
	if mode == JournalPersist && hot {
		// We do not know where all of its segment headers are; emptying
		// the file is the sure way to leave no stale one behind.
		mode = JournalTruncate
	}
	switch mode {
	case JournalTruncate:
		if err := f.Truncate(0); err != nil {
			return fmt.Errorf("pager: truncate journal: %w", err)
		}
		// Without the sync a power loss could bring the journal back and
		// roll the committed transaction back.
		if p.sync == SyncFull || p.sync == SyncExtra || hot {
			if err := f.Sync(p.syncFlags()); err != nil {
				return fmt.Errorf("pager: sync journal: %w", err)
			}
		}
		return nil
	case JournalPersist:
		// Zeroing the first header is the commit point. The later headers
		// are zeroed after it is durable (zeroing them first could leave a
		// hot journal that stops early: a partial rollback), so that the
		// next transaction's segments never run into a stale valid header:
		// under synchronous=NORMAL nothing else would stop a crash's
		// playback from replaying this transaction's records.
		var zero [journalHeaderFields]byte
		for i, off := range append([]int64{0}, laterHeaders...) {
			if i == 1 && p.sync == SyncOff {
				break
			}
			if _, err := f.WriteAt(zero[:], off); err != nil {
				return fmt.Errorf("pager: zero journal header: %w", err)
			}
			if p.sync != SyncOff && (i == 0 || i == len(laterHeaders)) {
				if err := f.Sync(p.syncFlags()); err != nil {
					return fmt.Errorf("pager: sync journal: %w", err)
				}
			}
		}
		return nil
	default:
		// DELETE, and the on-disk journal a MEMORY or OFF pager found hot.
		// The commit that makes the database a WAL database syncs the
		// directory at any level but OFF: the commits after it go to the
		// WAL, and a journal resurrected by a power loss would roll the
		// file back under them.
		syncDir := p.sync == SyncExtra || p.wantWAL && p.sync != SyncOff
		if err := p.vfs.Delete(p.journalName, syncDir); err != nil {
			return fmt.Errorf("pager: delete journal: %w", err)
		}
		return nil
	}
}

// abandonJournal closes the journal without finalizing it: the file stays
// hot for the next reader to roll back.
func (p *Pager) abandonJournal() {
	if p.jrnl != nil {
		p.jrnl.f.Close()
		p.jrnl = nil
	}
}

// recoverHotJournal rolls back a hot journal: one that exists, starts with a
// non-zero byte, belongs to a non-empty database, and has no writer (no
// RESERVED lock) alive to own it. Called with the SHARED lock held; takes
// EXCLUSIVE for the playback and returns holding SHARED again.
func (p *Pager) recoverHotJournal() error {
	hot, err := p.hasHotJournal()
	if err != nil || !hot {
		return err
	}
	if p.readOnly {
		return resultcode.Errorf(resultcode.ReadOnlyRollback,
			"pager: %s has a hot journal that a read-only connection cannot roll back", p.dbName)
	}
	// Back to SHARED afterwards, or to RESERVED in the queue for a
	// writer that began from nothing (BeginWrite).
	prev := p.holder.Level()
	if err := p.lockFile(osvfs.LockExclusive, true); err != nil {
		return fmt.Errorf("pager: hot journal: %w", err)
	}
	defer func() {
		if prev == osvfs.LockReserved {
			p.downgradeToReserved()
		} else {
			p.unlockFile(osvfs.LockShared)
		}
	}()
	// Another connection may have rolled it back between our check and
	// our lock.
	if exists, err := p.vfs.Exists(p.journalName); err != nil || !exists {
		return err
	}
	f, err := p.vfs.Open(p.journalName, osvfs.OpenReadWrite|osvfs.OpenMainJournal)
	if err != nil {
		return fmt.Errorf("pager: open hot journal: %w", err)
	}
	p.cache.clear()
	p.fileVers = [16]byte{}
	size, err := f.Size()
	if err == nil {
		err = p.playback(f, true, size)
	}
	if err == nil && p.sync != SyncOff {
		if err = p.file.Sync(p.syncFlags()); err != nil {
			err = fmt.Errorf("pager: sync database: %w", err)
		}
	}
	if err == nil {
		err = p.finalizeJournalFile(f, nil, true)
	}
	return errors.Join(err, f.Close())
}

func (p *Pager) hasHotJournal() (bool, error) {
	exists, err := p.vfs.Exists(p.journalName)
	if err != nil {
		return false, fmt.Errorf("pager: probe journal: %w", err)
	}
	if !exists {
		return false, nil
	}
	reserved, err := p.file.CheckReservedLock()
	if err != nil {
		return false, fmt.Errorf("pager: check reserved lock: %w", err)
	}
	if reserved {
		return false, nil
	}
	size, err := p.file.Size()
	if err != nil {
		return false, fmt.Errorf("pager: size of %s: %w", p.dbName, err)
	}
	if size == 0 {
		// A journal next to an empty database is left from a deleted file
		// or from the rollback of the transaction that created it: drop it.
		if !p.readOnly && p.file.Lock(osvfs.LockReserved) == nil {
			p.vfs.Delete(p.journalName, false)
			p.file.Unlock(osvfs.LockShared)
		}
		return false, nil
	}
	f, err := p.vfs.Open(p.journalName, osvfs.OpenReadOnly|osvfs.OpenMainJournal)
	if err != nil {
		if exists, err2 := p.vfs.Exists(p.journalName); err2 == nil && !exists {
			return false, nil // deleted meanwhile
		}
		return false, fmt.Errorf("pager: open journal: %w", err)
	}
	defer f.Close()
	var first [1]byte
	n, err := f.ReadAt(first[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("pager: read journal: %w", err)
	}
	return n == 1 && first[0] != 0, nil
}

// journalHeader is a decoded journal segment header.
type journalHeader struct {
	nRec, nonce, origSize uint32
	sectorSize, pageSize  int
}

// readJournalHeader decodes the header at off; ok is false when there is no
// valid header there, which ends the playback.
func readJournalHeader(f journalFile, off int64) (h journalHeader, ok bool, err error) {
	var b [journalHeaderFields]byte
	n, err := f.ReadAt(b[:], off)
	if err != nil && !errors.Is(err, io.EOF) {
		return h, false, fmt.Errorf("pager: read journal header: %w", err)
	}
	if n < len(b) || [8]byte(b[:8]) != journalMagic {
		return h, false, nil
	}
	h.nRec = binary.BigEndian.Uint32(b[8:])
	h.nonce = binary.BigEndian.Uint32(b[12:])
	h.origSize = binary.BigEndian.Uint32(b[16:])
	h.sectorSize = int(binary.BigEndian.Uint32(b[20:]))
	h.pageSize = int(binary.BigEndian.Uint32(b[24:]))
	return h, true, nil
}

// playback writes the journal's original pages back into the database file
// and truncates it to its original size. The journal is read up to limit:
// a hot journal's size, or for our own rollback the start of the segment
// not synced yet (its pages never reached the database file: a spill syncs
// first). A hot journal is trusted as far as its headers' record counts and
// its checksums go. A bad header or record ends the playback without
// error, as in SQLite: what follows was never synced.
func (p *Pager) playback(f journalFile, hot bool, limit int64) error {
	first, ok, err := readJournalHeader(f, 0)
	if err != nil || !ok {
		return err
	}
	sector, pageSize := first.sectorSize, first.pageSize
	if !validPageSize(sector) || sector > maxSectorSize || !validPageSize(pageSize) {
		return nil
	}
	if pageSize != p.pageSize {
		if !hot {
			return fmt.Errorf("pager: journal page size %d differs from %d: %w", pageSize, p.pageSize, resultcode.ErrCorrupt)
		}
		p.cache.clear()
		p.cache.free = nil
		p.pageSize = pageSize
		p.cache.capacity = cachePages(p.cacheSize, pageSize)
	}
	recSize := int64(pageSize) + journalRecExtra
	if hot {
		// A journal of a multi-database transaction names its super-journal;
		// once that is gone the transaction committed everywhere and the
		// journal must not be played back.
		super, err := readSuperJournalName(f, limit)
		if err != nil {
			return err
		}
		if super != "" {
			if exists, err := p.vfs.Exists(super); err != nil || !exists {
				return err
			}
		}
	}
	origSize := first.origSize
	// A genuine journal holds every page between the current end of the
	// file and its original size (a shrinking commit journals what it cuts
	// off); a larger size is garbage and must not grow the file.
	fileSize, err := p.file.Size()
	if err != nil {
		return fmt.Errorf("pager: size of %s: %w", p.dbName, err)
	}
	plausible := fileSize/int64(pageSize) + limit/recSize + 2
	if int64(origSize) > plausible {
		return fmt.Errorf("pager: journal claims %d original pages: %w", origSize, resultcode.ErrCorrupt)
	}
	if err := p.setFileSize(origSize); err != nil {
		return err
	}
	rec := make([]byte, recSize)
	pending := pendingBytePage(pageSize)
	hdrOff := int64(0)
	h := first
	for {
		recOff := hdrOff + int64(sector)
		nRec := int64(h.nRec)
		if h.nRec == nRecUnknown {
			nRec = (limit - recOff) / recSize
		}
		for i := int64(0); i < nRec && recOff+recSize <= limit; i++ {
			n, err := f.ReadAt(rec, recOff)
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("pager: read journal: %w", err)
			}
			if n < len(rec) {
				return nil
			}
			pgno := binary.BigEndian.Uint32(rec)
			data := rec[4 : 4+pageSize]
			if pgno == 0 || pgno == pending || binary.BigEndian.Uint32(rec[4+pageSize:]) != journalChecksum(h.nonce, data) {
				return nil
			}
			if pgno <= origSize {
				if _, err := p.file.WriteAt(data, int64(pgno-1)*int64(pageSize)); err != nil {
					return fmt.Errorf("pager: restore page %d: %w", pgno, err)
				}
				if pgno > p.dbFileSize {
					p.dbFileSize = pgno
				}
			}
			recOff += recSize
		}
		hdrOff = alignUp(recOff, sector)
		if hdrOff >= limit {
			return nil
		}
		h, ok, err = readJournalHeader(f, hdrOff)
		if err != nil || !ok {
			return err
		}
	}
}

// setFileSize truncates (or extends) the database file to pages pages.
func (p *Pager) setFileSize(pages uint32) error {
	size, err := p.file.Size()
	if err != nil {
		return fmt.Errorf("pager: size of %s: %w", p.dbName, err)
	}
	want := int64(pages) * int64(p.pageSize)
	if size > want {
		if err := p.file.Truncate(want); err != nil {
			return fmt.Errorf("pager: truncate database: %w", err)
		}
	} else if size+int64(p.pageSize) <= want {
		// Extend with a zero last page, as SQLite does, so the file has the
		// size the journal's header says.
		if _, err := p.file.WriteAt(make([]byte, p.pageSize), want-int64(p.pageSize)); err != nil {
			return fmt.Errorf("pager: extend database: %w", err)
		}
	}
	p.dbFileSize = pages
	return nil
}

// readSuperJournalName returns the super-journal name recorded at the end
// of a journal of size size, or "" when there is none (fileformat2.html:
// the name, its length, a checksum of its bytes and the magic close the
// file).
func readSuperJournalName(f journalFile, size int64) (string, error) {
	if size < 16 {
		return "", nil
	}
	var tail [16]byte
	if n, err := f.ReadAt(tail[:], size-16); n < len(tail) {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("pager: read journal: %w", err)
		}
		return "", nil
	}
	if [8]byte(tail[8:]) != journalMagic {
		return "", nil
	}
	n := int64(binary.BigEndian.Uint32(tail[:]))
	if n == 0 || n > size-16 || n > 4096 {
		return "", nil
	}
	name := make([]byte, n)
	if k, err := f.ReadAt(name, size-16-n); int64(k) < n {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("pager: read journal: %w", err)
		}
		return "", nil
	}
	// SQLite sums the name's bytes as C chars, signed on the platforms it
	// is built for.
	sum := binary.BigEndian.Uint32(tail[4:])
	for _, c := range name {
		sum -= uint32(int32(int8(c)))
	}
	if sum != 0 {
		return "", nil
	}
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	return string(name), nil
}
