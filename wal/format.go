package wal

import (
	"encoding/binary"

	"github.com/wrendb/wren/resultcode"
)

// The WAL file, as https://www.sqlite.org/fileformat2.html#walformat lays it
// out: a 32-byte header, then frames of a 24-byte header and one page each.
// Every integer in the file is big-endian; only the checksums' reading of
// the data as 32-bit words follows the byte order the magic number names.
const (
	walHeaderSize   = 32
	frameHeaderSize = 24

	// magicLittle says the checksums read words little-endian, magicBig
	// big-endian; SQLite writes the one that is native to the host.
	magicLittle = 0x377f0682
	magicBig    = 0x377f0683

	// fileFormatVersion is the only WAL format version there is.
	fileFormatVersion = 3007000

	minPageSize = 512
	maxPageSize = 65536
)

// nativeBigEndian is whether this host stores integers big-endian; it picks
// the checksum byte order of the WALs we start and the byte order of the
// wal-index, which SQLite keeps in native order.
var nativeBigEndian = binary.NativeEndian.Uint16([]byte{0, 1}) == 1

// checksum continues SQLite's WAL checksum (s1, s2) over b, whose length is
// a multiple of 8, reading 32-bit words big- or little-endian. Each pair of
// words feeds both sums, so a change anywhere changes what follows.
func checksum(bigEndian bool, b []byte, s1, s2 uint32) (uint32, uint32) {
	if bigEndian {
		for i := 0; i+8 <= len(b); i += 8 {
			s1 += binary.BigEndian.Uint32(b[i:]) + s2
			s2 += binary.BigEndian.Uint32(b[i+4:]) + s1
		}
		return s1, s2
	}
	// One 64-bit load per pair of words, 32 bytes per round: the loop
	// runs over every byte of every frame written or recovered.
	for len(b) >= 32 {
		w0 := binary.LittleEndian.Uint64(b[0:8])
		w1 := binary.LittleEndian.Uint64(b[8:16])
		w2 := binary.LittleEndian.Uint64(b[16:24])
		w3 := binary.LittleEndian.Uint64(b[24:32])
		s1 += uint32(w0) + s2
		s2 += uint32(w0>>32) + s1
		s1 += uint32(w1) + s2
		s2 += uint32(w1>>32) + s1
		s1 += uint32(w2) + s2
		s2 += uint32(w2>>32) + s1
		s1 += uint32(w3) + s2
		s2 += uint32(w3>>32) + s1
		b = b[32:]
	}
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b[0:8])
		s1 += uint32(w) + s2
		s2 += uint32(w>>32) + s1
		b = b[8:]
	}
	return s1, s2
}

// fileHeader is the WAL file's 32-byte header.
type fileHeader struct {
	bigEndianSum bool // magic 0x377f0683
	pageSize     int
	ckptSeq      uint32  // checkpoint sequence number
	salt         [8]byte // salt-1 and salt-2, as the file stores them
	sum          [2]uint32
}

func (h *fileHeader) encode(b []byte) {
	magic := uint32(magicLittle)
	if h.bigEndianSum {
		magic = magicBig
	}
	binary.BigEndian.PutUint32(b[0:], magic)
	binary.BigEndian.PutUint32(b[4:], fileFormatVersion)
	binary.BigEndian.PutUint32(b[8:], uint32(h.pageSize))
	binary.BigEndian.PutUint32(b[12:], h.ckptSeq)
	copy(b[16:24], h.salt[:])
	h.sum[0], h.sum[1] = checksum(h.bigEndianSum, b[:24], 0, 0)
	binary.BigEndian.PutUint32(b[24:], h.sum[0])
	binary.BigEndian.PutUint32(b[28:], h.sum[1])
}

// decodeFileHeader reads a WAL header. ok is false when the header is not a
// valid one (bad magic, page size or checksum): recovery then treats the
// WAL as empty, as SQLite does. An unknown format version is an error.
func decodeFileHeader(b []byte) (h fileHeader, ok bool, err error) {
	magic := binary.BigEndian.Uint32(b[0:])
	if magic&^1 != magicLittle {
		return h, false, nil
	}
	h.bigEndianSum = magic&1 == 1
	h.pageSize = int(binary.BigEndian.Uint32(b[8:]))
	if !validPageSize(h.pageSize) {
		return h, false, nil
	}
	h.ckptSeq = binary.BigEndian.Uint32(b[12:])
	copy(h.salt[:], b[16:24])
	s1, s2 := checksum(h.bigEndianSum, b[:24], 0, 0)
	if s1 != binary.BigEndian.Uint32(b[24:]) || s2 != binary.BigEndian.Uint32(b[28:]) {
		return h, false, nil
	}
	h.sum = [2]uint32{s1, s2}
	if v := binary.BigEndian.Uint32(b[4:]); v != fileFormatVersion {
		return h, false, resultcode.Errorf(resultcode.CantOpen, "wal: unsupported WAL format version %d", v)
	}
	return h, true, nil
}

func validPageSize(n int) bool {
	return n >= minPageSize && n <= maxPageSize && n&(n-1) == 0
}

// frameOffset is where frame n (1-based) starts in the WAL file.
func frameOffset(n uint32, pageSize int) int64 {
	return walHeaderSize + int64(n-1)*int64(pageSize+frameHeaderSize)
}

// encodeFrame fills frame (24 bytes of header followed by the page) for
// page pgno, with dbSize non-zero on a commit frame, and returns the
// cumulative checksum that the next frame continues.
func encodeFrame(frame []byte, pgno, dbSize uint32, salt [8]byte, bigEndianSum bool, prev [2]uint32) [2]uint32 {
	binary.BigEndian.PutUint32(frame[0:], pgno)
	binary.BigEndian.PutUint32(frame[4:], dbSize)
	copy(frame[8:16], salt[:])
	s1, s2 := checksum(bigEndianSum, frame[:8], prev[0], prev[1])
	s1, s2 = checksum(bigEndianSum, frame[frameHeaderSize:], s1, s2)
	binary.BigEndian.PutUint32(frame[16:], s1)
	binary.BigEndian.PutUint32(frame[20:], s2)
	return [2]uint32{s1, s2}
}

// decodeFrame checks frame against the header's salt and the running
// checksum prev. It returns the page number, the database size (non-zero
// for a commit frame), the new running checksum, and ok false for a frame
// that does not belong to this WAL generation or is damaged: recovery stops
// there.
func decodeFrame(frame []byte, salt [8]byte, bigEndianSum bool, prev [2]uint32) (pgno, dbSize uint32, sum [2]uint32, ok bool) {
	if [8]byte(frame[8:16]) != salt {
		return 0, 0, prev, false
	}
	pgno = binary.BigEndian.Uint32(frame[0:])
	if pgno == 0 {
		return 0, 0, prev, false
	}
	s1, s2 := checksum(bigEndianSum, frame[:8], prev[0], prev[1])
	s1, s2 = checksum(bigEndianSum, frame[frameHeaderSize:], s1, s2)
	if s1 != binary.BigEndian.Uint32(frame[16:]) || s2 != binary.BigEndian.Uint32(frame[20:]) {
		return 0, 0, prev, false
	}
	return pgno, binary.BigEndian.Uint32(frame[4:]), [2]uint32{s1, s2}, true
}

func errCorrupt(format string, args ...any) error {
	return resultcode.Errorf(resultcode.Corrupt, "wal: "+format, args...)
}
