package wal

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wrendb/wren/resultcode"
)

// errRetry is tryBeginRead's "the wal-index moved under us, look again".
var errRetry = errors.New("wal: retry")

// maxReadTries bounds BeginRead's retries, as SQLite's walTryBeginRead does
// before it reports SQLITE_PROTOCOL; with the back-off below they span
// about ten seconds.
const maxReadTries = 100

// BeginRead starts a read transaction: it fixes the snapshot this
// connection reads until EndRead (the WAL's last commit as of now) and
// holds a read lock that keeps the frames of that snapshot from being
// overwritten. changed reports whether the database may differ from this
// connection's previous snapshot, so that the pager drops its cache.
//
// A conflict that cannot be waited out here (recovery running in another
// connection) is an error wrapping resultcode.ErrBusy; the caller waits
// and retries.
func (l *Log) BeginRead() (changed bool, err error) {
	if l.readLock >= 0 {
		return false, resultcode.Errorf(resultcode.Misuse, "wal: BeginRead inside a read transaction")
	}
	for try := 0; ; try++ {
		ch, err := l.tryBeginRead(false)
		changed = changed || ch
		if err != errRetry {
			if err == nil {
				l.mapFrames()
				l.seen = l.hdr
			}
			return changed, err
		}
		if try >= maxReadTries {
			return changed, resultcode.Errorf(resultcode.Protocol, "wal: could not fix a snapshot of %s after %d tries", l.walName, try)
		}
		retryDelay(try)
	}
}

// BeginReadSince is BeginRead for a caller that keeps a cache of pages:
// besides fixing the snapshot, it says which pages may differ from the
// snapshot the caller saw last (its previous read transaction's, or its
// own last commit). When both snapshots belong to the same generation of
// the WAL, the pages that changed are exactly those written by the frames
// committed in between, and drop is called with each of their numbers
// (perhaps more than once); all is false. Otherwise (a first snapshot, a
// WAL started over, a rebuilt wal-index that lost frames) all is true and
// the caller must forget every page. SQLite drops its whole cache whenever
// anything changed; a commit by another connection usually touches a few
// pages, and the rest of the cache stays valid.
func (l *Log) BeginReadSince(drop func(pgno uint32)) (changed, all bool, err error) {
	prev := l.seen
	l.recentMx = 0
	if _, err := l.BeginRead(); err != nil {
		return true, true, err
	}
	if prev == l.hdr {
		return false, false, nil
	}
	if !l.sameGeneration(prev) {
		return true, true, nil
	}
	l.recent = l.recent[:0]
	for f := prev.mxFrame + 1; f <= l.hdr.mxFrame; f++ {
		pgno, err := l.framePgno(f)
		if err != nil {
			l.recent = l.recent[:0]
			return true, true, nil
		}
		if !l.noteRecent(pgno, f) {
			// The first of its frames here: a page that every
			// commit writes is dropped once, not once per commit.
			drop(pgno)
		}
	}
	// A reader on READ0 does not keep the WAL from starting over: if it
	// did while the page numbers were read, some may belong to the new
	// generation, and the answer is "everything".
	l.shm.ShmBarrier()
	if l.sharedHeader().salt != l.hdr.salt {
		l.recent = l.recent[:0]
		return true, true, nil
	}
	l.recentMx, l.recentSalt = l.hdr.mxFrame, l.hdr.salt
	return true, false, nil
}

// maxRecent bounds the frames BeginReadSince remembers for FindFrame.
const maxRecent = 64

// noteRecent records that frame, one of the newest of the snapshot, holds
// page pgno, and reports whether an earlier frame of the page was recorded
// already. Beyond maxRecent pages nothing is recorded.
func (l *Log) noteRecent(pgno, frame uint32) (known bool) {
	for i := range l.recent {
		if l.recent[i].pgno == pgno {
			l.recent[i].frame = frame
			return true
		}
	}
	if len(l.recent) < maxRecent {
		l.recent = append(l.recent, pageFrame{pgno, frame})
	}
	return false
}

// recentFrame is FindFrame's shortcut for the pages that the commits just
// before the snapshot wrote, which are those a connection reads again
// first: their latest frame is the one BeginReadSince saw, with no walk
// along a hash chain (a page written by every commit, page 1, makes a
// long one). ok is false when the page is not among them, or the list
// does not describe the snapshot (a write transaction has appended since,
// or the WAL started over).
func (l *Log) recentFrame(pgno uint32) (frame uint32, ok bool) {
	if l.recentMx != l.hdr.mxFrame || l.recentSalt != l.hdr.salt || l.hdr.mxFrame == 0 {
		return 0, false
	}
	for _, r := range l.recent {
		if r.pgno == pgno {
			return r.frame, true
		}
	}
	return 0, false
}

// sameGeneration reports whether prev, an earlier snapshot, lies in the
// same generation of the WAL as the current one and before it: then
// frames prev.mxFrame+1 .. l.hdr.mxFrame are all that changed.
func (l *Log) sameGeneration(prev indexHeader) bool {
	return prev.isInit != 0 && prev.salt == l.hdr.salt && prev.mxFrame <= l.hdr.mxFrame &&
		prev.bigEndianSum == l.hdr.bigEndianSum && (prev.mxFrame == 0 || prev.pageSize16 == l.hdr.pageSize16)
}

// retryDelay backs off between tries as SQLite does: at once a few times,
// then sleeps that grow quadratically.
func retryDelay(try int) {
	switch {
	case try < 5:
	case try < 10:
		time.Sleep(time.Microsecond)
	default:
		time.Sleep(time.Duration((try-9)*(try-9)*39) * time.Microsecond)
	}
}

// tryBeginRead is one attempt at BeginRead (SQLite's walTryBeginRead). With
// useWAL false a reader may settle for read lock 0, reading the database
// file alone, when every frame is already there; a writer passes true.
func (l *Log) tryBeginRead(useWAL bool) (changed bool, err error) {
	changed, err = l.readHeader()
	if err != nil {
		if !isBusy(err) {
			return changed, err
		}
		// Busy: a writer or recovery holds WRITE. If it is recovery,
		// say so; otherwise the header was caught mid-update: retry.
		if len(l.regions) == 0 || l.regions[0] == nil {
			return changed, errRetry
		}
		if l.lockShared(slotRecover) == nil {
			l.unlockShared(slotRecover)
			return changed, errRetry
		}
		return changed, resultcode.Wrap(resultcode.BusyRecovery, fmt.Errorf("wal: the wal-index of %s is being recovered", l.walName))
	}

	if !useWAL && l.nBackfill() == l.hdr.mxFrame {
		// Everything is in the database file: read it alone.
		err := l.lockShared(slotRead(0))
		l.shm.ShmBarrier()
		if err == nil {
			if l.sharedHeader() != l.hdr {
				l.unlockShared(slotRead(0))
				return changed, errRetry
			}
			l.readLock = 0
			return changed, nil
		}
		if !isBusy(err) {
			return changed, err
		}
	}

	// Use the read mark closest to, not beyond, our snapshot; raise one
	// to it if none is equal and a slot is free.
	mxFrame := l.hdr.mxFrame
	var mark uint32
	slot := 0
	for i := 1; i < nReaders; i++ {
		if m := l.readMark(i); mark <= m && m <= mxFrame {
			mark, slot = m, i
		}
	}
	if !l.opts.ReadOnly && (mark < mxFrame || slot == 0) {
		for i := 1; i < nReaders; i++ {
			err := l.lockExclusive(slotRead(i), 1)
			if err == nil {
				l.setReadMark(i, mxFrame)
				mark, slot = mxFrame, i
				l.unlockExclusive(slotRead(i), 1)
				break
			}
			if !isBusy(err) {
				return changed, err
			}
		}
	}
	if slot == 0 {
		return changed, errRetry
	}
	if err := l.lockShared(slotRead(slot)); err != nil {
		if isBusy(err) {
			return changed, errRetry
		}
		return changed, err
	}
	// Between reading the mark and locking it, a checkpointer may have
	// moved it or a writer committed: then our lock protects nothing.
	l.minFrame = l.nBackfill() + 1
	l.shm.ShmBarrier()
	if l.readMark(slot) != mark || l.sharedHeader() != l.hdr {
		l.unlockShared(slotRead(slot))
		return changed, errRetry
	}
	l.readLock = slot
	return changed, nil
}

// EndRead ends the read transaction. Slices from FrameData become invalid.
func (l *Log) EndRead() {
	if l.readLock >= 0 {
		l.unlockShared(slotRead(l.readLock))
		l.readLock = -1
	}
}

// InRead reports whether a read transaction is open.
func (l *Log) InRead() bool { return l.readLock >= 0 }

// DBSize is the database size in pages as of the snapshot, or 0 when the
// WAL does not say (no commit in it yet): then the database file's size is
// the answer.
func (l *Log) DBSize() uint32 {
	if l.readLock < 0 {
		return 0
	}
	return l.hdr.nPage
}

// FindFrame returns the frame that holds page pgno as of the snapshot (the
// latest one), or 0 when the page is to be read from the database file.
func (l *Log) FindFrame(pgno uint32) (uint32, error) {
	if l.readLock < 0 {
		return 0, resultcode.Errorf(resultcode.Misuse, "wal: FindFrame outside a read transaction")
	}
	if l.readLock == 0 {
		return 0, nil
	}
	if f, ok := l.recentFrame(pgno); ok && f >= l.minFrame {
		return f, nil
	}
	return l.lookup(pgno, l.minFrame, l.hdr.mxFrame)
}

// ReadFrame copies the page held by frame into dst (PageSize bytes).
func (l *Log) ReadFrame(frame uint32, dst []byte) error {
	data, err := l.frameData(frame, dst)
	if err != nil {
		return err
	}
	if len(data) > 0 && &data[0] != &dst[0] {
		copy(dst, data)
	}
	return nil
}

// FrameData returns the page held by frame. When the WAL is memory-mapped
// the slice points into the mapping: no system call, no copy; it is
// read-only and valid until EndRead (or the end of the write transaction).
// Otherwise it is read into a new buffer.
func (l *Log) FrameData(frame uint32) ([]byte, error) { return l.frameData(frame, nil) }

func (l *Log) frameData(frame uint32, dst []byte) ([]byte, error) {
	pageSize := l.hdr.pageSize()
	if frame == 0 || frame > l.hdr.mxFrame || pageSize == 0 {
		return nil, resultcode.Errorf(resultcode.Misuse, "wal: frame %d is not in the snapshot (%d frames)", frame, l.hdr.mxFrame)
	}
	off := frameOffset(frame, pageSize) + frameHeaderSize
	if end := off + int64(pageSize); end <= int64(len(l.mapping)) {
		return l.mapping[off:end:end], nil
	}
	if dst == nil {
		dst = make([]byte, pageSize)
	}
	if len(dst) < pageSize {
		return nil, resultcode.Errorf(resultcode.Misuse, "wal: buffer of %d bytes for a page of %d", len(dst), pageSize)
	}
	dst = dst[:pageSize]
	if n, err := l.file.ReadAt(dst, off); err != nil && !(errors.Is(err, io.EOF) && n == len(dst)) {
		return nil, resultcode.Wrap(resultcode.IOErrRead, fmt.Errorf("wal: read frame %d of %s: %w", frame, l.walName, err))
	}
	return dst, nil
}

// mapFrames makes the mapping of the WAL cover the snapshot's frames.
func (l *Log) mapFrames() {
	if l.readLock <= 0 || l.hdr.mxFrame == 0 {
		return
	}
	l.ensureMapped(frameOffset(l.hdr.mxFrame+1, l.hdr.pageSize()))
}

// ensureMapped maps at least the first need bytes of the WAL, if the file
// can be mapped. The WAL never shrinks while frames in a snapshot use it,
// so a mapping made now stays valid until EndRead; an older, shorter one
// is replaced here, between transactions, when no slice of it is in use.
// A failure to map is not an error: frames are then read with ReadAt.
//
// While the WAL grows, nearly every commit would outgrow the mapping, and
// replacing it costs an munmap, an mmap and a page fault for every page
// touched again, in every connection. So a mapping is kept while the
// frames past its end are few (remapSlack): those are read with ReadAt,
// and the mappings grow geometrically, a few times over the WAL's life.
// (osvfs.Mapper cannot map beyond the end of the file, which would give
// the mapping room to grow into instead.) Where the file has a
// process-wide name, the mapping is shared with the process's other
// connections (sharedmap.go).
func (l *Log) ensureMapped(need int64) {
	if l.shared != nil && l.shared.replaced.Load() && l.useNewestShared(need) {
		return
	}
	mapped := int64(len(l.mapping))
	if l.mapper == nil || mapped >= need {
		return
	}
	if l.mapping != nil && need-mapped <= remapSlack(mapped) {
		return
	}
	if l.shareKey != "" {
		l.mapShared(need)
		return
	}
	l.unmapWAL()
	size, err := l.file.Size()
	if err != nil || size < need {
		return
	}
	m, err := l.mapper.Map(size)
	if err != nil {
		return
	}
	l.mapping = m
}

// remapSlack is how many bytes past the end of a mapping of mapped bytes
// a snapshot may use (reading them with ReadAt) before the WAL is mapped
// again: a quarter of the mapping, at least 256 KiB.
func remapSlack(mapped int64) int64 { return max(mapped/4, 256<<10) }
