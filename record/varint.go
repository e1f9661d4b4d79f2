package record

import "math/bits"

// MaxVarintLen is the longest a varint can be: eight bytes of seven bits and
// a ninth that contributes all eight, 64 bits in all.
const MaxVarintLen = 9

// maxVarint8 is the largest value that fits in eight bytes (8×7 = 56 bits);
// anything larger takes the nine-byte form.
const maxVarint8 = 1<<56 - 1

// VarintLen reports how many bytes PutVarint writes for v.
func VarintLen(v uint64) int {
	if v <= 0x7f {
		return 1
	}
	if v > maxVarint8 {
		return 9
	}
	return (bits.Len64(v) + 6) / 7
}

// PutVarint writes v into buf in SQLite's varint encoding and returns the
// number of bytes written. The encoding is big-endian: each of the first
// eight bytes carries seven bits and sets its high bit when more bytes
// follow; a ninth byte, when present, carries eight bits. PutVarint always
// writes the shortest form. buf must have room for VarintLen(v) bytes.
func PutVarint(buf []byte, v uint64) int {
	if v <= 0x7f {
		buf[0] = byte(v)
		return 1
	}
	if v <= 0x3fff {
		buf[0] = byte(v>>7) | 0x80
		buf[1] = byte(v) & 0x7f
		return 2
	}
	if v > maxVarint8 {
		// The last byte takes the low eight bits whole, so the eight
		// bytes before it carry the top 56 and all have the high bit set.
		_ = buf[8]
		buf[8] = byte(v)
		v >>= 8
		for i := 7; i >= 0; i-- {
			buf[i] = byte(v) | 0x80
			v >>= 7
		}
		return 9
	}
	n := VarintLen(v)
	_ = buf[n-1]
	buf[n-1] = byte(v) & 0x7f
	v >>= 7
	for i := n - 2; i >= 0; i-- {
		buf[i] = byte(v) | 0x80
		v >>= 7
	}
	return n
}

// AppendVarint appends the varint encoding of v to dst.
func AppendVarint(dst []byte, v uint64) []byte {
	if v <= 0x7f {
		return append(dst, byte(v))
	}
	var buf [MaxVarintLen]byte
	n := PutVarint(buf[:], v)
	return append(dst, buf[:n]...)
}

// Varint decodes the varint at the start of buf and returns its value and
// length in bytes. When buf ends before the varint does, which only a
// corrupt or truncated record can cause, it returns n == 0. It accepts the
// longer-than-necessary forms SQLite also accepts.
func Varint(buf []byte) (v uint64, n int) {
	if len(buf) > 0 && buf[0] < 0x80 {
		return uint64(buf[0]), 1
	}
	for i := 0; i < 8; i++ {
		if i >= len(buf) {
			return 0, 0
		}
		b := buf[i]
		v = v<<7 | uint64(b&0x7f)
		if b < 0x80 {
			return v, i + 1
		}
	}
	if len(buf) < 9 {
		return 0, 0
	}
	return v<<8 | uint64(buf[8]), 9
}
