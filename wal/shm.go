package wal

import (
	"encoding/binary"
	"sync/atomic"
	"unsafe"

	"github.com/wrendb/wren/osvfs"
)

// The wal-index (the -shm file) in SQLite's layout
// (https://www.sqlite.org/walformat.html#the_wal_index_file_format). It is
// an array of 32 KiB regions mapped shared by every connection of every
// process, in the host's byte order:
//
//	region 0:  bytes   0..47    WalIndexHdr, first copy
//	           bytes  48..95    WalIndexHdr, second copy
//	           bytes  96..135   WalCkptInfo: nBackfill, aReadMark[5],
//	                            aLock[8] (the lock bytes 120..127),
//	                            nBackfillAttempted, unused
//	           bytes 136..16383 page numbers of frames 1..4062
//	           bytes 16384..    hash table: 8192 slots of 16 bits
//	region k:  bytes 0..16383   page numbers of the next 4096 frames
//	           bytes 16384..    hash table for them
//
// Several goroutines of this process and other processes read and write
// this memory at once, so every access is an atomic load or store of an
// aligned 32-bit word: the Go race detector stays quiet and no word is ever
// seen half-written. A 16-bit hash slot is read and written through the
// word that holds it; only the writer (holding the WRITE lock) stores into
// the hash tables, so the read-modify-write of a word loses nothing.
const (
	regionSize      = osvfs.ShmRegionSize
	indexHeaderSize = 48
	ckptInfoOffset  = 2 * indexHeaderSize
	nBackfillOffset = ckptInfoOffset
	readMarkOffset  = ckptInfoOffset + 4
	attemptedOffset = ckptInfoOffset + 32
	indexHeadBytes  = 136 // both header copies and the checkpoint info

	blockFrames      = 4096 // page-number entries of a full block
	firstBlockFrames = blockFrames - indexHeadBytes/4
	hashSlots        = 2 * blockFrames
	hashOffset       = blockFrames * 4 // where the hash table starts in a region

	indexVersion   = 3007000
	readMarkUnused = 0xffffffff
	nReaders       = 5 // read marks and read locks: slot 0 means "no WAL"
)

func word(b []byte, off int) *uint32 { return (*uint32)(unsafe.Pointer(&b[off])) }

func load32(b []byte, off int) uint32     { return atomic.LoadUint32(word(b, off)) }
func store32(b []byte, off int, v uint32) { atomic.StoreUint32(word(b, off), v) }

// halfShifts[i] is where the 16-bit value at byte offset 2*i of a word
// sits in it, in the host's byte order (computed once: halfShift is on the
// path of every wal-index lookup).
var halfShifts = func() [2]uint {
	if nativeBigEndian {
		return [2]uint{16, 0}
	}
	return [2]uint{0, 16}
}()

// halfShift is where the 16-bit value at byte offset off sits in its word.
func halfShift(off int) uint { return halfShifts[(off>>1)&1] }

func load16(b []byte, off int) uint16 {
	return uint16(load32(b, off&^3) >> halfShift(off))
}

func store16(b []byte, off int, v uint16) {
	p := word(b, off&^3)
	shift := halfShift(off)
	old := atomic.LoadUint32(p)
	atomic.StoreUint32(p, old&^(0xffff<<shift)|uint32(v)<<shift)
}

// indexHeader is SQLite's WalIndexHdr: the state of the WAL as of the last
// commit, which a reader copies to fix its snapshot.
type indexHeader struct {
	version      uint32 // indexVersion
	unused       uint32
	change       uint32 // counts commits
	isInit       uint8
	bigEndianSum uint8 // the WAL's checksums read words big-endian
	pageSize16   uint16
	mxFrame      uint32 // last valid frame (of a committed transaction)
	nPage        uint32 // database size in pages
	frameSum     [2]uint32
	salt         [8]byte // the WAL header's salts, bytes as in the file
	sum          [2]uint32
}

func (h *indexHeader) pageSize() int {
	return int(h.pageSize16&0xfe00) | int(h.pageSize16&1)<<16
}

func (h *indexHeader) setPageSize(n int) { h.pageSize16 = uint16(n&0xff00 | n>>16) }

// bytes is the header in memory layout, host byte order.
func (h *indexHeader) bytes() [indexHeaderSize]byte {
	var b [indexHeaderSize]byte
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], h.version)
	ne.PutUint32(b[4:], h.unused)
	ne.PutUint32(b[8:], h.change)
	b[12] = h.isInit
	b[13] = h.bigEndianSum
	ne.PutUint16(b[14:], h.pageSize16)
	ne.PutUint32(b[16:], h.mxFrame)
	ne.PutUint32(b[20:], h.nPage)
	ne.PutUint32(b[24:], h.frameSum[0])
	ne.PutUint32(b[28:], h.frameSum[1])
	copy(b[32:40], h.salt[:])
	ne.PutUint32(b[40:], h.sum[0])
	ne.PutUint32(b[44:], h.sum[1])
	return b
}

func decodeIndexHeader(b [indexHeaderSize]byte) indexHeader {
	ne := binary.NativeEndian
	var h indexHeader
	h.version = ne.Uint32(b[0:])
	h.unused = ne.Uint32(b[4:])
	h.change = ne.Uint32(b[8:])
	h.isInit = b[12]
	h.bigEndianSum = b[13]
	h.pageSize16 = ne.Uint16(b[14:])
	h.mxFrame = ne.Uint32(b[16:])
	h.nPage = ne.Uint32(b[20:])
	h.frameSum = [2]uint32{ne.Uint32(b[24:]), ne.Uint32(b[28:])}
	copy(h.salt[:], b[32:40])
	h.sum = [2]uint32{ne.Uint32(b[40:]), ne.Uint32(b[44:])}
	return h
}

// seal sets the header's own checksum: SQLite's checksum, in native word
// order, over its first 40 bytes.
func (h *indexHeader) seal() {
	h.isInit = 1
	h.version = indexVersion
	b := h.bytes()
	h.sum[0], h.sum[1] = checksum(nativeBigEndian, b[:40], 0, 0)
}

func (h *indexHeader) sealed() bool {
	b := h.bytes()
	s1, s2 := checksum(nativeBigEndian, b[:40], 0, 0)
	return h.isInit != 0 && h.sum == [2]uint32{s1, s2}
}

func loadHeaderCopy(r0 []byte, off int) [indexHeaderSize]byte {
	var b [indexHeaderSize]byte
	for i := 0; i < indexHeaderSize; i += 4 {
		binary.NativeEndian.PutUint32(b[i:], load32(r0, off+i))
	}
	return b
}

func storeHeaderCopy(r0 []byte, off int, b [indexHeaderSize]byte) {
	for i := 0; i < indexHeaderSize; i += 4 {
		store32(r0, off+i, binary.NativeEndian.Uint32(b[i:]))
	}
}

// Hash-table geometry: frame n lives in block blockOf(n), at entry
// n-blockBase(block) (1-based) of that block's page-number array.

func blockOf(frame uint32) int {
	return int((frame + blockFrames - firstBlockFrames - 1) / blockFrames)
}

func blockBase(block int) uint32 {
	if block == 0 {
		return 0
	}
	return firstBlockFrames + uint32(block-1)*blockFrames
}

// pgnoOffset is where entry idx (1-based) of block's page-number array is.
func pgnoOffset(block int, idx uint32) int {
	off := int(idx-1) * 4
	if block == 0 {
		off += indexHeadBytes
	}
	return off
}

func hashSlotOffset(key int) int { return hashOffset + 2*key }

// hashKey is SQLite's hash of a page number.
func hashKey(pgno uint32) int { return int(pgno*383) & (hashSlots - 1) }
