package wal

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// Page is one page to append to the WAL.
type Page struct {
	Pgno uint32
	Data []byte // the page, PageSize bytes
}

// maxFrameWrite bounds the bytes Append gathers into one write.
const maxFrameWrite = 1 << 20

// BeginWrite makes this connection the writer (the WRITE lock). It must be
// inside a read transaction, and fails with code resultcode.BusySnapshot
// when another connection committed since that read transaction began:
// writing on top of an old snapshot would lose the other commit, so the
// transaction has to start over. Another writer's lock is an error wrapping
// resultcode.ErrBusy ("database is locked"), to be waited out by the caller.
func (l *Log) BeginWrite() error {
	if l.opts.ReadOnly {
		return resultcode.Errorf(resultcode.ReadOnly, "wal: %s is read-only", l.walName)
	}
	if l.readLock < 0 {
		return resultcode.Errorf(resultcode.Misuse, "wal: BeginWrite outside a read transaction")
	}
	if l.writeLock {
		return nil
	}
	if err := l.lockExclusive(slotWrite, 1); err != nil {
		return err
	}
	l.writeLock = true
	if l.sharedHeader() != l.hdr {
		l.unlockExclusive(slotWrite, 1)
		l.writeLock = false
		return errSnapshotStale()
	}
	return nil
}

// InWrite reports whether this connection holds the WRITE lock.
func (l *Log) InWrite() bool { return l.writeLock }

// Append writes pages as new frames at the end of the WAL. With dbSize
// non-zero the last frame is a commit frame recording the database size in
// pages after the transaction: the transaction is then durable (synced
// under SyncFull) and visible to new readers. Appends with dbSize 0 (a
// pager spilling its cache) are part of the transaction that the next
// committing Append ends, or that Rollback discards.
func (l *Log) Append(pages []Page, dbSize uint32) error {
	if !l.writeLock {
		return resultcode.Errorf(resultcode.Misuse, "wal: Append without BeginWrite")
	}
	if len(pages) == 0 {
		if dbSize == 0 {
			return nil
		}
		return resultcode.Errorf(resultcode.Misuse, "wal: a commit needs at least one page")
	}
	pageSize := len(pages[0].Data)
	if !validPageSize(pageSize) {
		return resultcode.Errorf(resultcode.Misuse, "wal: page of %d bytes", pageSize)
	}
	for _, p := range pages {
		if len(p.Data) != pageSize || p.Pgno == 0 {
			return resultcode.Errorf(resultcode.Misuse, "wal: page %d of %d bytes in a WAL of %d-byte pages", p.Pgno, len(p.Data), pageSize)
		}
	}
	if err := l.restartLog(); err != nil {
		return err
	}
	if l.hdr.mxFrame == 0 {
		if err := l.writeFileHeader(pageSize); err != nil {
			return err
		}
	} else if pageSize != l.hdr.pageSize() {
		return resultcode.Errorf(resultcode.Misuse, "wal: page of %d bytes in a WAL of %d-byte pages", pageSize, l.hdr.pageSize())
	}

	// The frames are assembled in one buffer and written with one call
	// per maxFrameWrite bytes: a small commit is one write. A torn
	// write is no different from a crash between per-frame writes: the
	// checksums end the log at the first frame that did not make it.
	frameSize := pageSize + frameHeaderSize
	batch := max(1, min(len(pages), maxFrameWrite/frameSize))
	if cap(l.frameBuf) < batch*frameSize {
		l.frameBuf = make([]byte, batch*frameSize)
	}
	bigEndian := l.hdr.bigEndianSum != 0
	sum := l.hdr.frameSum
	frame := l.hdr.mxFrame
	for start := 0; start < len(pages); start += batch {
		chunk := pages[start:min(start+batch, len(pages))]
		buf := l.frameBuf[:len(chunk)*frameSize]
		for i, p := range chunk {
			fb := buf[i*frameSize : (i+1)*frameSize]
			commit := uint32(0)
			if start+i == len(pages)-1 {
				commit = dbSize
			}
			copy(fb[frameHeaderSize:], p.Data)
			sum = encodeFrame(fb, p.Pgno, commit, l.hdr.salt, bigEndian, sum)
		}
		if _, err := l.file.WriteAt(buf, frameOffset(frame+1, pageSize)); err != nil {
			return fmt.Errorf("wal: write frames %d..%d of %s: %w", frame+1, frame+uint32(len(chunk)), l.walName, err)
		}
		frame += uint32(len(chunk))
	}
	if dbSize != 0 && l.opts.Sync == SyncFull {
		if err := l.file.Sync(osvfs.SyncNormal); err != nil {
			return fmt.Errorf("wal: sync %s: %w", l.walName, err)
		}
	}
	if dbSize != 0 && l.truncateOnCommit && l.sizeLimit >= 0 {
		if err := l.limitSize(max(l.sizeLimit, frameOffset(frame+1, pageSize))); err != nil {
			return err
		}
		l.truncateOnCommit = false
	}

	// The frames are written: index them and move the header on.
	first := l.hdr.mxFrame + 1
	for i, p := range pages {
		if err := l.indexAppend(first+uint32(i), p.Pgno); err != nil {
			return err
		}
	}
	l.hdr.frameSum = sum
	l.hdr.mxFrame = frame
	l.hdr.setPageSize(pageSize)
	if dbSize != 0 {
		l.hdr.change++
		l.hdr.nPage = dbSize
		l.publishHeader()
		l.seen = l.hdr
	}
	return nil
}

// EndWrite releases the WRITE lock after a commit; uncommitted frames, if
// any, are discarded first. The read transaction stays open, now at the
// snapshot this connection committed.
func (l *Log) EndWrite() error {
	if !l.writeLock {
		return nil
	}
	err := l.Undo(nil)
	l.unlockExclusive(slotWrite, 1)
	l.writeLock = false
	l.truncateOnCommit = false
	return err
}

// Rollback discards the frames appended since the last commit and releases
// the WRITE lock.
func (l *Log) Rollback() error { return l.EndWrite() }

// Undo discards the frames appended since the last commit (SQLite's
// sqlite3WalUndo), keeping the WRITE lock; drop, when not nil, is called
// with the page number of each discarded frame so that the pager can
// forget what it read from them.
func (l *Log) Undo(drop func(pgno uint32)) error {
	if !l.writeLock {
		return nil
	}
	top := l.hdr.mxFrame
	l.hdr = l.sharedHeader()
	if top == l.hdr.mxFrame {
		return nil
	}
	if drop != nil {
		for f := l.hdr.mxFrame + 1; f <= top; f++ {
			pgno, err := l.framePgno(f)
			if err != nil {
				return err
			}
			drop(pgno)
		}
	}
	return l.cleanupHash(l.hdr.mxFrame)
}

// WriteMark is the state of the WAL inside a write transaction, recorded
// by Mark for a savepoint and restored by RollbackTo.
type WriteMark struct {
	mxFrame  uint32
	frameSum [2]uint32
	ckptSeq  uint32
}

// Mark records the current end of the write transaction's frames.
func (l *Log) Mark() WriteMark {
	return WriteMark{mxFrame: l.hdr.mxFrame, frameSum: l.hdr.frameSum, ckptSeq: l.ckptSeq}
}

// RollbackTo discards the frames appended after m was taken (SQLite's
// sqlite3WalSavepointUndo).
func (l *Log) RollbackTo(m WriteMark) error {
	if !l.writeLock {
		return resultcode.Errorf(resultcode.Misuse, "wal: RollbackTo without BeginWrite")
	}
	if m.ckptSeq != l.ckptSeq {
		// The WAL restarted after the mark: everything since is ours.
		m.mxFrame = 0
	}
	if m.mxFrame < l.hdr.mxFrame {
		l.hdr.mxFrame = m.mxFrame
		l.hdr.frameSum = m.frameSum
		return l.cleanupHash(m.mxFrame)
	}
	return nil
}

// restartLog starts the WAL over from frame 1 when every frame is in the
// database file and no reader uses any (SQLite's walRestartLog), so that
// the file is reused instead of growing. It also moves a writer that
// started on read lock 0 to a read mark, since it is about to use the WAL.
func (l *Log) restartLog() error {
	if l.readLock != 0 {
		return nil
	}
	if l.nBackfill() > 0 {
		err := l.lockExclusive(slotRead(1), nReaders-1)
		if err == nil {
			l.restartHeader()
			l.unlockExclusive(slotRead(1), nReaders-1)
		} else if !isBusy(err) {
			return err
		}
	}
	l.unlockShared(slotRead(0))
	l.readLock = -1
	for try := 0; ; try++ {
		_, err := l.tryBeginRead(true)
		if err != errRetry {
			return err
		}
		if try >= maxReadTries {
			return resultcode.Errorf(resultcode.Protocol, "wal: could not take a read mark on %s", l.walName)
		}
		retryDelay(try)
	}
}

// restartHeader begins a new generation of the WAL in the wal-index
// (SQLite's walRestartHdr): no frames, salt-1 incremented and a new random
// salt-2, so that frames of the old generation fail the salt check. The
// caller holds WRITE and READ1..READ4. The WAL file's header is rewritten
// by the next Append (or at Close).
func (l *Log) restartHeader() {
	l.ckptSeq++
	l.hdr.mxFrame = 0
	binary.BigEndian.PutUint32(l.hdr.salt[0:], binary.BigEndian.Uint32(l.hdr.salt[0:])+1)
	rand.Read(l.hdr.salt[4:8])
	l.publishHeader()
	l.setNBackfill(0)
	l.setBackfillAttempted(0)
	l.setReadMark(1, 0)
	for i := 2; i < nReaders; i++ {
		l.setReadMark(i, readMarkUnused)
	}
}

// writeFileHeader writes the WAL header of a new generation, from l.hdr's
// salts and l.ckptSeq, and syncs it (unless SyncOff) before any frame of
// the generation can reach the disk: a new frame behind an old header
// would otherwise look valid after a crash.
func (l *Log) writeFileHeader(pageSize int) error {
	if l.ckptSeq == 0 {
		rand.Read(l.hdr.salt[:])
	}
	fh := fileHeader{bigEndianSum: nativeBigEndian, pageSize: pageSize, ckptSeq: l.ckptSeq, salt: l.hdr.salt}
	var b [walHeaderSize]byte
	fh.encode(b[:])
	if _, err := l.file.WriteAt(b[:], 0); err != nil {
		return fmt.Errorf("wal: write header of %s: %w", l.walName, err)
	}
	if l.opts.Sync != SyncOff {
		if err := l.file.Sync(osvfs.SyncNormal); err != nil {
			return fmt.Errorf("wal: sync %s: %w", l.walName, err)
		}
	}
	l.hdr.bigEndianSum = 0
	if nativeBigEndian {
		l.hdr.bigEndianSum = 1
	}
	l.hdr.frameSum = fh.sum
	l.truncateOnCommit = true
	return nil
}
