package wal

import (
	"fmt"

	"github.com/wrendb/wren/resultcode"
)

// region returns wal-index region n, mapping it on first use. With extend
// the region is created when missing (only the writer or recovery does
// that); without, a missing region is nil.
func (l *Log) region(n int, extend bool) ([]byte, error) {
	if n < len(l.regions) && l.regions[n] != nil {
		return l.regions[n], nil
	}
	r, err := l.shm.ShmMap(n, regionSize, extend)
	if err != nil {
		return nil, fmt.Errorf("wal: map wal-index region %d: %w", n, err)
	}
	if r == nil {
		return nil, nil
	}
	if len(r) < regionSize {
		return nil, resultcode.Errorf(resultcode.IOErrShmMap, "wal: wal-index region %d has %d bytes", n, len(r))
	}
	for len(l.regions) <= n {
		l.regions = append(l.regions, nil)
	}
	l.regions[n] = r
	return r, nil
}

// mustRegion is region for a block that a valid header says exists.
func (l *Log) mustRegion(n int) ([]byte, error) {
	r, err := l.region(n, l.writeLock)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errCorrupt("wal-index region %d is missing", n)
	}
	return r, nil
}

// tryHeader reads the shared header into l.hdr, as SQLite's walIndexTryHdr:
// both copies must agree and carry a good checksum, else bad is true (a
// writer was caught mid-update, or the index needs recovery). changed says
// the header differs from the one this connection saw last.
func (l *Log) tryHeader(r0 []byte) (changed, bad bool) {
	b0 := loadHeaderCopy(r0, 0)
	l.shm.ShmBarrier()
	b1 := loadHeaderCopy(r0, indexHeaderSize)
	if b0 != b1 {
		return false, true
	}
	h := decodeIndexHeader(b0)
	if !h.sealed() {
		return false, true
	}
	if h != l.hdr {
		l.hdr = h
		changed = true
	}
	return changed, false
}

// publishHeader seals l.hdr and stores it in both copies: the second one
// first, so that a reader that sees the first copy updated and the second
// not knows to retry.
func (l *Log) publishHeader() {
	l.hdr.seal()
	b := l.hdr.bytes()
	r0 := l.regions[0]
	storeHeaderCopy(r0, indexHeaderSize, b)
	l.shm.ShmBarrier()
	storeHeaderCopy(r0, 0, b)
}

// sharedHeader is the header as it stands in shared memory (copy 0).
func (l *Log) sharedHeader() indexHeader {
	return decodeIndexHeader(loadHeaderCopy(l.regions[0], 0))
}

func (l *Log) nBackfill() uint32           { return load32(l.regions[0], nBackfillOffset) }
func (l *Log) setNBackfill(v uint32)       { store32(l.regions[0], nBackfillOffset, v) }
func (l *Log) readMark(i int) uint32       { return load32(l.regions[0], readMarkOffset+4*i) }
func (l *Log) setReadMark(i int, v uint32) { store32(l.regions[0], readMarkOffset+4*i, v) }
func (l *Log) setBackfillAttempted(v uint32) {
	store32(l.regions[0], attemptedOffset, v)
}

// indexAppend records that frame holds page pgno (SQLite's walIndexAppend).
// The first frame of a block clears the block; a page-number entry already
// set means a writer died mid-transaction, and its leftovers are removed
// before the slot is reused.
func (l *Log) indexAppend(frame, pgno uint32) error {
	block := blockOf(frame)
	r, err := l.region(block, true)
	if err != nil {
		return err
	}
	if r == nil {
		return resultcode.Errorf(resultcode.IOErrShmMap, "wal: wal-index region %d could not be created", block)
	}
	idx := frame - blockBase(block)
	if idx == 1 {
		for off := pgnoOffset(block, 1); off < regionSize; off += 4 {
			store32(r, off, 0)
		}
	}
	if load32(r, pgnoOffset(block, idx)) != 0 {
		if err := l.cleanupHash(l.hdr.mxFrame); err != nil {
			return err
		}
	}
	key := l.probeStart(block, idx, pgno)
	for collide := idx; load16(r, hashSlotOffset(key)) != 0; key = (key + 1) & (hashSlots - 1) {
		if collide == 0 {
			return errCorrupt("wal-index hash table %d is full", block)
		}
		collide--
	}
	store32(r, pgnoOffset(block, idx), pgno)
	store16(r, hashSlotOffset(key), uint16(idx))
	l.noteAppend(block, idx, pgno, key)
	return nil
}

// appendHint is where an earlier frame of a page went in a block's hash
// table. A page that every commit writes (page 1, the root of a table
// being filled) makes a collision chain as long as its frames in the
// block, thousands of slots, that each append would walk to its end
// (and SQLite's does). The table's layout is SQLite's and stays so; the
// hint only lets this connection start the walk further along.
//
// A hint is used only while its slot still holds its frame, and that
// frame still holds its page: the frame was put there by a walk from the
// page's hash key that found every slot before it taken, by frames older
// than it; slots are only ever emptied of frames newer than some limit
// (a rollback, cleanupHash) or all at once (a new block or generation),
// so while the hinted frame stays, so do those before it. The next empty
// slot is therefore after the hinted one, the very slot the full walk
// would reach.
type appendHint struct {
	block int
	idx   uint32 // the frame, relative to the block
	slot  int    // its hash slot
}

// probeStart is the slot from which indexAppend looks for an empty one
// for frame idx of block, holding page pgno: the page's hash key, or just
// past the hinted slot.
func (l *Log) probeStart(block int, idx, pgno uint32) int {
	key := hashKey(pgno)
	h, ok := l.appendHints[pgno]
	if !ok || h.block != block || h.idx >= idx {
		return key
	}
	r := l.regions[block]
	if uint32(load16(r, hashSlotOffset(h.slot))) != h.idx || load32(r, pgnoOffset(block, h.idx)) != pgno {
		return key
	}
	return (h.slot + 1) & (hashSlots - 1)
}

// maxAppendHints bounds the pages remembered by noteAppend.
const maxAppendHints = 256

// noteAppend remembers the slot of frame idx (page pgno) of block.
func (l *Log) noteAppend(block int, idx, pgno uint32, slot int) {
	if l.appendHints == nil {
		l.appendHints = make(map[uint32]appendHint)
	}
	if _, ok := l.appendHints[pgno]; !ok && len(l.appendHints) >= maxAppendHints {
		clear(l.appendHints)
	}
	l.appendHints[pgno] = appendHint{block: block, idx: idx, slot: slot}
}

// cleanupHash forgets every frame after mxFrame in mxFrame's block (SQLite's
// walCleanupHash): frames of a transaction rolled back or never committed.
// Later blocks are cleared when their first frame is written.
func (l *Log) cleanupHash(mxFrame uint32) error {
	if mxFrame == 0 {
		return nil
	}
	block := blockOf(mxFrame)
	r, err := l.mustRegion(block)
	if err != nil {
		return err
	}
	limit := mxFrame - blockBase(block)
	for key := range hashSlots {
		if uint32(load16(r, hashSlotOffset(key))) > limit {
			store16(r, hashSlotOffset(key), 0)
		}
	}
	for off := pgnoOffset(block, limit+1); off < hashOffset; off += 4 {
		store32(r, off, 0)
	}
	return nil
}

// lookup returns the last frame in minFrame..maxFrame that holds page pgno,
// or 0 (SQLite's walFindFrame). It searches the blocks newest first and
// stops at the first block with a match.
func (l *Log) lookup(pgno, minFrame, maxFrame uint32) (uint32, error) {
	if maxFrame == 0 || minFrame > maxFrame {
		return 0, nil
	}
	minFrame = max(minFrame, 1)
	for block := blockOf(maxFrame); block >= blockOf(minFrame); block-- {
		r, err := l.mustRegion(block)
		if err != nil {
			return 0, err
		}
		base := blockBase(block)
		var found uint32
		key := hashKey(pgno)
		for collide := hashSlots; ; key = (key + 1) & (hashSlots - 1) {
			h := uint32(load16(r, hashSlotOffset(key)))
			if h == 0 {
				break
			}
			if f := base + h; f >= minFrame && f <= maxFrame && f > found && load32(r, pgnoOffset(block, h)) == pgno {
				found = f
			}
			if collide == 0 {
				return 0, errCorrupt("wal-index hash table %d has no empty slot", block)
			}
			collide--
		}
		if found != 0 {
			return found, nil
		}
	}
	return 0, nil
}

// framePgno is the page number the index records for frame.
func (l *Log) framePgno(frame uint32) (uint32, error) {
	block := blockOf(frame)
	r, err := l.mustRegion(block)
	if err != nil {
		return 0, err
	}
	return load32(r, pgnoOffset(block, frame-blockBase(block))), nil
}
