package wal

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure that a WAL header survives encoding and that any damage to it is
// noticed.
func TestFileHeaderRoundTrip(t *testing.T) {
	for _, bigEndian := range []bool{false, true} {
		h := fileHeader{bigEndianSum: bigEndian, pageSize: 4096, ckptSeq: 7, salt: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}}
		var b [walHeaderSize]byte
		h.encode(b[:])
		got, ok, err := decodeFileHeader(b[:])
		if err != nil || !ok {
			t.Fatalf("decode: ok %v, err %v", ok, err)
		}
		if diff := cmp.Diff(h, got, cmp.AllowUnexported(fileHeader{})); diff != "" {
			t.Errorf("bigEndian %v: header changed (-want +got):\n%s", bigEndian, diff)
		}
		for i := range walHeaderSize {
			if i >= 4 && i < 8 {
				continue // the version: an error, tested below
			}
			d := b
			d[i] ^= 0x10
			if _, ok, _ := decodeFileHeader(d[:]); ok {
				t.Errorf("bigEndian %v: flipping a bit of byte %d went unnoticed", bigEndian, i)
			}
		}
	}
}

func TestFileHeaderRejects(t *testing.T) {
	tests := []struct {
		name     string
		pageSize int
		version  uint32
		wantOK   bool
		wantErr  bool
	}{
		{"ok 512", 512, fileFormatVersion, true, false},
		{"ok 65536", 65536, fileFormatVersion, true, false},
		{"page size 1000", 1000, fileFormatVersion, false, false},
		{"page size 256", 256, fileFormatVersion, false, false},
		{"page size 131072", 131072, fileFormatVersion, false, false},
		{"future version", 4096, fileFormatVersion + 1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b [walHeaderSize]byte
			h := fileHeader{pageSize: tt.pageSize}
			h.encode(b[:])
			if tt.version != fileFormatVersion {
				b[4], b[5], b[6], b[7] = byte(tt.version>>24), byte(tt.version>>16), byte(tt.version>>8), byte(tt.version)
				s1, s2 := checksum(false, b[:24], 0, 0)
				b[24], b[25], b[26], b[27] = byte(s1>>24), byte(s1>>16), byte(s1>>8), byte(s1)
				b[28], b[29], b[30], b[31] = byte(s2>>24), byte(s2>>16), byte(s2>>8), byte(s2)
			}
			_, ok, err := decodeFileHeader(b[:])
			if ok != tt.wantOK || (err != nil) != tt.wantErr {
				t.Errorf("ok %v err %v, want ok %v err %v", ok, err, tt.wantOK, tt.wantErr)
			}
		})
	}
}

// Ensure that frames chain their checksums: a damaged frame, a frame with
// other salts or a frame checked against the wrong predecessor is invalid.
func TestFrameChain(t *testing.T) {
	salt := [8]byte{9, 9, 9, 9, 1, 2, 3, 4}
	start := [2]uint32{0x1234, 0x5678}
	frame := make([]byte, frameHeaderSize+512)
	for i := range frame[frameHeaderSize:] {
		frame[frameHeaderSize+i] = byte(i * 7)
	}
	sum := encodeFrame(frame, 5, 3, salt, false, start)
	pgno, dbSize, got, ok := decodeFrame(frame, salt, false, start)
	if !ok || pgno != 5 || dbSize != 3 || got != sum {
		t.Fatalf("decode: pgno %d dbSize %d sum %v ok %v", pgno, dbSize, got, ok)
	}
	tests := []struct {
		name   string
		mutate func(f []byte) ([8]byte, [2]uint32)
	}{
		{"page byte", func(f []byte) ([8]byte, [2]uint32) { f[frameHeaderSize+100]++; return salt, start }},
		{"page number", func(f []byte) ([8]byte, [2]uint32) { f[3]++; return salt, start }},
		{"commit size", func(f []byte) ([8]byte, [2]uint32) { f[7]++; return salt, start }},
		{"other salt", func(f []byte) ([8]byte, [2]uint32) { s := salt; s[0]++; return s, start }},
		{"other predecessor", func(f []byte) ([8]byte, [2]uint32) { return salt, [2]uint32{1, 2} }},
		{"big-endian reading", func(f []byte) ([8]byte, [2]uint32) { return salt, start }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := append([]byte(nil), frame...)
			s, prev := tt.mutate(f)
			if _, _, _, ok := decodeFrame(f, s, tt.name == "big-endian reading", prev); ok {
				t.Error("the damaged frame was accepted")
			}
		})
	}
}

// Ensure that the wal-index header keeps every field through its memory
// layout, and that the page size 65536 is stored as 1, as SQLite does.
func TestIndexHeaderLayout(t *testing.T) {
	h := indexHeader{change: 3, mxFrame: 10, nPage: 4, frameSum: [2]uint32{5, 6}, salt: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}}
	h.setPageSize(65536)
	h.seal()
	if h.pageSize16 != 1 || h.pageSize() != 65536 {
		t.Errorf("page size 65536 stored as %d, read back as %d", h.pageSize16, h.pageSize())
	}
	got := decodeIndexHeader(h.bytes())
	if diff := cmp.Diff(h, got, cmp.AllowUnexported(indexHeader{})); diff != "" {
		t.Errorf("header changed (-want +got):\n%s", diff)
	}
	if !got.sealed() {
		t.Error("a sealed header does not check")
	}
	got.nPage++
	if got.sealed() {
		t.Error("a changed header still checks")
	}
}

func TestHashGeometry(t *testing.T) {
	tests := []struct {
		frame     uint32
		block     int
		idx       uint32
		pgnoBytes int
	}{
		{1, 0, 1, 136},
		{4062, 0, 4062, 136 + 4061*4},
		{4063, 1, 1, 0},
		{4062 + 4096, 1, 4096, 4095 * 4},
		{4062 + 4097, 2, 1, 0},
	}
	for _, tt := range tests {
		block := blockOf(tt.frame)
		idx := tt.frame - blockBase(block)
		if block != tt.block || idx != tt.idx || pgnoOffset(block, idx) != tt.pgnoBytes {
			t.Errorf("frame %d: block %d idx %d offset %d, want %d %d %d", tt.frame, block, idx, pgnoOffset(block, idx), tt.block, tt.idx, tt.pgnoBytes)
		}
	}
}

// checksumReference is the WAL checksum as the file format defines it, one
// pair of 32-bit words at a time.
func checksumReference(bigEndian bool, b []byte, s1, s2 uint32) (uint32, uint32) {
	order := binary.ByteOrder(binary.LittleEndian)
	if bigEndian {
		order = binary.BigEndian
	}
	for i := 0; i+8 <= len(b); i += 8 {
		s1 += order.Uint32(b[i:]) + s2
		s2 += order.Uint32(b[i+4:]) + s1
	}
	return s1, s2
}

// Ensure that the unrolled checksum is the format's, for every length (in
// 8-byte steps) around the 32-byte rounds, both byte orders, any start.
func TestChecksumMatchesDefinition(t *testing.T) {
	b := make([]byte, 4096+64)
	for i := range b {
		b[i] = byte(i*131 + i>>8*7 + 1)
	}
	for _, bigEndian := range []bool{false, true} {
		for n := 0; n <= 128; n += 8 {
			for _, data := range [][]byte{b[:n], b[len(b)-n:]} {
				w1, w2 := checksumReference(bigEndian, data, 0x12345678, 0x9abcdef0)
				g1, g2 := checksum(bigEndian, data, 0x12345678, 0x9abcdef0)
				if g1 != w1 || g2 != w2 {
					t.Errorf("checksum(bigEndian=%v, %d bytes) = %#x,%#x; want %#x,%#x", bigEndian, n, g1, g2, w1, w2)
				}
			}
		}
		w1, w2 := checksumReference(bigEndian, b[:4096], 1, 2)
		if g1, g2 := checksum(bigEndian, b[:4096], 1, 2); g1 != w1 || g2 != w2 {
			t.Errorf("checksum(bigEndian=%v, a 4096-byte page) = %#x,%#x; want %#x,%#x", bigEndian, g1, g2, w1, w2)
		}
	}
}

func BenchmarkChecksumPage(b *testing.B) {
	page := make([]byte, 4096)
	b.SetBytes(int64(len(page)))
	var s1, s2 uint32
	for b.Loop() {
		s1, s2 = checksum(false, page, s1, s2)
	}
}
