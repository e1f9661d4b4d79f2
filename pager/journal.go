package pager

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/wrendb/wren/osvfs"
)

// journalMagic opens every journal header (fileformat2.html, "The Rollback
// Journal").
var journalMagic = [8]byte{0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7}

const (
	// journalHeaderFields is the meaningful prefix of a journal header:
	// magic, record count, nonce, original size, sector size, page size.
	journalHeaderFields = 28
	// nRecUnknown in a header's record count means "as many records as
	// the file holds", written when the journal is never synced.
	nRecUnknown     = 0xffffffff
	maxSectorSize   = 65536
	checksumStride  = 200
	journalRecExtra = 8 // page number before the page, checksum after
)

// journalFile is what the journal needs from a file: an osvfs.File for an
// on-disk journal, a memJournal for journal_mode=MEMORY.
type journalFile interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
	Sync(flags osvfs.SyncFlag) error
	Size() (int64, error)
	Close() error
}

// journal is the rollback journal of the open write transaction. It is a
// sequence of segments, each a header padded to the sector size followed by
// records; a new segment starts after every sync that happens before the
// commit (a cache spill), because the synced header's record count may not
// change any more.
type journal struct {
	f          journalFile
	sectorSize int
	pageSize   int
	origSize   uint32 // database size in pages when the transaction began
	// noSync: records count as durable without a sync, and headers carry
	// nRecUnknown (synchronous=OFF, or a memory journal).
	noSync   bool
	fullSync bool // sync before writing the record count (FULL, EXTRA)

	hdrOff   int64  // offset of the open segment's header, -1 when none is open
	nonce    uint32 // the open segment's checksum nonce
	nRec     uint32 // records in the open segment
	end      int64  // offset just past the last record
	synced   bool   // every record so far is durable
	recorded bitset // pages whose original is in the journal
	index    []journalRecord
	// laterHeaders are the offsets of the segment headers after the first.
	laterHeaders []int64
	recBuf       []byte // scratch for one record

	// Records and headers are gathered in buf, the file's bytes from bufOff
	// on, and written in one call when it fills up or before anything reads
	// or syncs the journal or writes the database (unless direct: a memory
	// journal is written straight away).
	buf    []byte
	bufOff int64
	direct bool
}

// journalBufSize is how many journal bytes are gathered before a write.
const journalBufSize = 256 << 10

// write writes p at off, through the buffer.
func (j *journal) write(p []byte, off int64) error {
	if j.direct {
		_, err := j.f.WriteAt(p, off)
		return err
	}
	if len(j.buf) > 0 && off != j.bufOff+int64(len(j.buf)) {
		if err := j.flush(); err != nil {
			return err
		}
	}
	if len(j.buf) == 0 {
		j.bufOff = off
	}
	j.buf = append(j.buf, p...)
	if len(j.buf) >= journalBufSize {
		if err := j.flush(); err != nil {
			// p did not happen; what was gathered before it stays
			// buffered for the next flush.
			j.buf = j.buf[:len(j.buf)-len(p)]
			return err
		}
	}
	return nil
}

// flush writes the buffered bytes. On failure they stay buffered: they are
// records the transaction counts as journaled, and a later flush (every
// sync and every read starts with one) must write them or fail again.
func (j *journal) flush() error {
	if len(j.buf) == 0 {
		return nil
	}
	if _, err := j.f.WriteAt(j.buf, j.bufOff); err != nil {
		return fmt.Errorf("pager: write journal: %w", err)
	}
	j.buf = j.buf[:0]
	return nil
}

// discardBuffered drops the bytes not written yet (see Rollback).
func (j *journal) discardBuffered() { j.buf = j.buf[:0] }

// journalRecord locates one record, for savepoint rollback.
type journalRecord struct {
	pgno uint32
	off  int64
}

// readRecord copies the page image of record r into buf.
func (j *journal) readRecord(r journalRecord, buf []byte) error {
	if err := j.flush(); err != nil {
		return err
	}
	if n, err := j.f.ReadAt(buf, r.off+4); n < len(buf) {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("pager: read journal record for page %d: %w", r.pgno, err)
	}
	return nil
}

func newJournal(f journalFile, sectorSize, pageSize int, origSize uint32, sync Synchronous, memory bool) *journal {
	return &journal{
		f:          f,
		sectorSize: sectorSize,
		pageSize:   pageSize,
		origSize:   origSize,
		noSync:     sync == SyncOff || memory,
		fullSync:   sync == SyncFull || sync == SyncExtra,
		hdrOff:     -1,
		synced:     true,
	}
}

func (j *journal) recordSize() int64 { return int64(j.pageSize) + journalRecExtra }

// alignUp rounds off up to the journal's sector size: headers start on
// sector boundaries.
func alignUp(off int64, sector int) int64 {
	s := int64(sector)
	return (off + s - 1) / s * s
}

// journalChecksum is SQLite's record checksum: the segment's nonce plus
// every 200th byte of the page, sampled from the end (byte 0 is never
// included).
func journalChecksum(nonce uint32, data []byte) uint32 {
	sum := nonce
	for i := len(data) - checksumStride; i > 0; i -= checksumStride {
		sum += uint32(data[i])
	}
	return sum
}

// startSegment writes a new header at the next sector boundary. Until the
// segment is synced, a synced journal's header carries a zero magic and
// record count, so a crash leaves no hot journal behind; an unsynced journal
// says "records until the end of the file" instead.
func (j *journal) startSegment() error {
	hdrOff := alignUp(j.end, j.sectorSize)
	nonce := rand.Uint32()
	hdr := make([]byte, j.sectorSize)
	if j.noSync {
		copy(hdr, journalMagic[:])
		binary.BigEndian.PutUint32(hdr[8:], nRecUnknown)
	}
	binary.BigEndian.PutUint32(hdr[12:], nonce)
	binary.BigEndian.PutUint32(hdr[16:], j.origSize)
	binary.BigEndian.PutUint32(hdr[20:], uint32(j.sectorSize))
	binary.BigEndian.PutUint32(hdr[24:], uint32(j.pageSize))
	// The segment opens only once its header is written: a failed write
	// must not leave records to be written where the header belongs.
	if err := j.write(hdr, hdrOff); err != nil {
		return fmt.Errorf("pager: write journal header: %w", err)
	}
	if hdrOff > 0 {
		j.laterHeaders = append(j.laterHeaders, hdrOff)
	}
	j.hdrOff, j.nonce, j.nRec = hdrOff, nonce, 0
	j.end = hdrOff + int64(j.sectorSize)
	return nil
}

// ensureHeader writes a header even when no page needs journaling (a
// transaction that only appends pages, a new database): after a crash the
// hot journal's original size is what truncates the appended pages away.
func (j *journal) ensureHeader() error {
	if j.end > 0 {
		return nil
	}
	if err := j.startSegment(); err != nil {
		return err
	}
	j.synced = j.noSync
	return nil
}

// append journals the original content of page pgno.
func (j *journal) append(pgno uint32, data []byte) error {
	if j.hdrOff < 0 {
		if err := j.startSegment(); err != nil {
			return err
		}
	}
	if j.recBuf == nil {
		j.recBuf = make([]byte, j.recordSize())
	}
	rec := j.recBuf
	binary.BigEndian.PutUint32(rec, pgno)
	copy(rec[4:], data)
	binary.BigEndian.PutUint32(rec[4+len(data):], journalChecksum(j.nonce, data))
	if err := j.write(rec, j.end); err != nil {
		return fmt.Errorf("pager: write journal record for page %d: %w", pgno, err)
	}
	j.index = append(j.index, journalRecord{pgno: pgno, off: j.end})
	j.end += int64(len(rec))
	j.nRec++
	j.recorded.set(pgno)
	if !j.noSync {
		j.synced = false
	}
	return nil
}

// sync makes every record written so far durable, as SQLite's syncJournal
// does: in FULL mode sync the records, then write the record count into the
// header and sync again; in NORMAL mode write the count and sync once. The
// open segment is closed: the next record starts a new one. Buffered
// records are written first in every mode.
func (j *journal) sync(flags osvfs.SyncFlag) error {
	// Even unsynced, the journal must reach the file before the database
	// is written: a process crash must find it complete.
	if err := j.flush(); err != nil {
		return err
	}
	if j.synced || j.hdrOff < 0 {
		return nil
	}
	// A journal kept from an earlier transaction (PERSIST) may hold an old
	// valid header where our next segment would start; playback after a
	// crash would take it for ours. Spoil its magic first.
	next := alignUp(j.end, j.sectorSize)
	var magic [8]byte
	if n, _ := j.f.ReadAt(magic[:], next); n == len(magic) && magic == journalMagic {
		if _, err := j.f.WriteAt([]byte{0}, next); err != nil {
			return fmt.Errorf("pager: write journal: %w", err)
		}
	}
	if j.fullSync {
		if err := j.f.Sync(flags); err != nil {
			return fmt.Errorf("pager: sync journal: %w", err)
		}
	}
	var hdr [12]byte
	copy(hdr[:], journalMagic[:])
	binary.BigEndian.PutUint32(hdr[8:], j.nRec)
	if _, err := j.f.WriteAt(hdr[:], j.hdrOff); err != nil {
		return fmt.Errorf("pager: write journal header: %w", err)
	}
	if err := j.f.Sync(flags); err != nil {
		return fmt.Errorf("pager: sync journal: %w", err)
	}
	j.synced = true
	j.hdrOff = -1
	return nil
}

// syncedEnd is where the durable part of the journal ends: the open
// segment, whose header does not count its records yet, is left out.
func (j *journal) syncedEnd() int64 {
	if j.hdrOff >= 0 && !j.noSync {
		return j.hdrOff
	}
	return j.end
}

// bitset is a growable set of page numbers.
type bitset []uint64

func (b *bitset) set(n uint32) {
	w := int(n / 64)
	for len(*b) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (n % 64)
}

func (b bitset) has(n uint32) bool {
	w := int(n / 64)
	return w < len(b) && b[w]&(1<<(n%64)) != 0
}

// memJournal is an in-memory journalFile for journal_mode=MEMORY.
type memJournal struct{ buf []byte }

func (m *memJournal) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(m.buf)) {
		return 0, io.EOF
	}
	n := copy(p, m.buf[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *memJournal) WriteAt(p []byte, off int64) (int, error) {
	if end := off + int64(len(p)); end > int64(len(m.buf)) {
		m.buf = append(m.buf, make([]byte, end-int64(len(m.buf)))...)
	}
	copy(m.buf[off:], p)
	return len(p), nil
}

func (m *memJournal) Truncate(size int64) error {
	if size < int64(len(m.buf)) {
		m.buf = m.buf[:size]
	}
	return nil
}

func (m *memJournal) Sync(osvfs.SyncFlag) error { return nil }
func (m *memJournal) Size() (int64, error)      { return int64(len(m.buf)), nil }
func (m *memJournal) Close() error              { m.buf = nil; return nil }
