package wal

import (
	"errors"
	"fmt"
	"io"

	"github.com/wrendb/wren/resultcode"
)

// readHeader loads the shared wal-index header into l.hdr (SQLite's
// walIndexReadHdr). When the header is missing or damaged, it takes the
// WRITE lock, which excludes every other writer and recovery, looks again,
// and rebuilds the index from the WAL file if it is still bad. A busy WRITE
// lock is returned as is: the caller retries.
func (l *Log) readHeader() (changed bool, err error) {
	r0, err := l.region(0, l.writeLock)
	if err != nil {
		return false, err
	}
	bad := true
	if r0 != nil {
		changed, bad = l.tryHeader(r0)
	}
	if bad {
		if !l.writeLock {
			if err := l.lockExclusive(slotWrite, 1); err != nil {
				return false, err
			}
			l.writeLock = true
			defer func() {
				l.unlockExclusive(slotWrite, 1)
				l.writeLock = false
			}()
		}
		if r0, err = l.region(0, true); err != nil {
			return false, err
		}
		if r0 == nil {
			return false, resultcode.Errorf(resultcode.IOErrShmMap, "wal: the wal-index could not be created")
		}
		if changed, bad = l.tryHeader(r0); bad {
			if err := l.recover(); err != nil {
				return true, err
			}
			changed = true
		}
	}
	if l.hdr.version != indexVersion {
		return changed, resultcode.Errorf(resultcode.CantOpen, "wal: unsupported wal-index version %d", l.hdr.version)
	}
	return changed, nil
}

// recover rebuilds the wal-index from the WAL file (SQLite's
// walIndexRecover). The caller holds the WRITE lock; recover adds the CKPT
// and RECOVER locks (readers seeing RECOVER held report BusyRecovery). It
// reads the WAL header, then frames in order while their salts match the
// header's and their cumulative checksums hold, and indexes them; the
// snapshot ends at the last commit frame among them. Everything after the
// first bad frame is ignored: it was never committed, or it belongs to an
// older generation of the WAL.
func (l *Log) recover() error {
	first := slotCkpt
	if l.ckptLock {
		first = slotRecover
	}
	if err := l.lockExclusive(first, slotRead0-first); err != nil {
		return err
	}
	defer l.unlockExclusive(first, slotRead0-first)

	l.hdr = indexHeader{}
	commitSum, err := l.scanFrames()
	if err != nil {
		return err
	}
	l.hdr.frameSum = commitSum
	l.publishHeader()

	l.setNBackfill(0)
	l.setBackfillAttempted(l.hdr.mxFrame)
	l.setReadMark(0, 0)
	for i := 1; i < nReaders; i++ {
		err := l.lockExclusive(slotRead(i), 1)
		if err != nil {
			if isBusy(err) {
				continue
			}
			return err
		}
		mark := uint32(readMarkUnused)
		if i == 1 && l.hdr.mxFrame > 0 {
			mark = l.hdr.mxFrame
		}
		l.setReadMark(i, mark)
		l.unlockExclusive(slotRead(i), 1)
	}
	return nil
}

// scanFrames indexes the valid frames of the WAL file and sets l.hdr to
// the last commit among them. It returns the running checksum as of that
// commit, which the next frame written continues.
func (l *Log) scanFrames() (commitSum [2]uint32, err error) {
	size, err := l.file.Size()
	if err != nil {
		return commitSum, fmt.Errorf("wal: size of %s: %w", l.walName, err)
	}
	if size <= walHeaderSize {
		return commitSum, nil
	}
	var hb [walHeaderSize]byte
	if _, err := l.file.ReadAt(hb[:], 0); err != nil && !errors.Is(err, io.EOF) {
		return commitSum, fmt.Errorf("wal: read header of %s: %w", l.walName, err)
	}
	fh, ok, err := decodeFileHeader(hb[:])
	if err != nil || !ok {
		return commitSum, err
	}
	if fh.bigEndianSum {
		l.hdr.bigEndianSum = 1
	}
	l.hdr.salt = fh.salt
	l.ckptSeq = fh.ckptSeq

	frameSize := int64(fh.pageSize + frameHeaderSize)
	last := (size - walHeaderSize) / frameSize
	if last > 0xffffffff {
		last = 0xffffffff
	}
	// Read many frames per call: recovery of a big WAL is I/O bound.
	perRead := min(max(1, (1<<20)/frameSize), last)
	buf := make([]byte, perRead*frameSize)
	running := fh.sum
	for f := int64(1); f <= last; {
		n := min(perRead, last-f+1)
		chunk := buf[:n*frameSize]
		if got, err := l.file.ReadAt(chunk, frameOffset(uint32(f), fh.pageSize)); err != nil && !errors.Is(err, io.EOF) {
			return commitSum, fmt.Errorf("wal: read %s: %w", l.walName, err)
		} else if int64(got) < int64(len(chunk)) {
			n = int64(got) / frameSize
			last = f + n - 1
		}
		for i := int64(0); i < n; i, f = i+1, f+1 {
			frame := chunk[i*frameSize : (i+1)*frameSize]
			pgno, dbSize, sum, ok := decodeFrame(frame, fh.salt, fh.bigEndianSum, running)
			if !ok {
				return commitSum, nil
			}
			running = sum
			if err := l.indexAppend(uint32(f), pgno); err != nil {
				return commitSum, err
			}
			if dbSize != 0 {
				l.hdr.mxFrame = uint32(f)
				l.hdr.nPage = dbSize
				l.hdr.setPageSize(fh.pageSize)
				commitSum = running
			}
		}
	}
	return commitSum, nil
}
