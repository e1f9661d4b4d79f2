package record

import (
	"encoding/binary"
	"math"
)

// Serial types with a fixed meaning. A serial type N >= 12 is variable:
// even N is a BLOB of (N-12)/2 bytes, odd N a TEXT of (N-13)/2 bytes.
// Serial types 10 and 11 are reserved and never appear in a well-formed
// database file.
const (
	SerialNull   = 0 // NULL, no body bytes
	SerialInt8   = 1 // big-endian two's-complement integer of 1 byte
	SerialInt16  = 2 // … of 2 bytes
	SerialInt24  = 3 // … of 3 bytes
	SerialInt32  = 4 // … of 4 bytes
	SerialInt48  = 5 // … of 6 bytes
	SerialInt64  = 6 // … of 8 bytes
	SerialFloat  = 7 // big-endian IEEE 754 double
	SerialZero   = 8 // the integer 0, no body bytes (schema format 4)
	SerialOne    = 9 // the integer 1, no body bytes (schema format 4)
	SerialBlob0  = 12
	SerialText0  = 13
	maxSerialInt = SerialInt64
)

// intLen is the body length of serial types 0..9.
var intLen = [10]uint8{0, 1, 2, 3, 4, 6, 8, 8, 0, 0}

// SerialType returns the serial type SQLite chooses for v: the smallest
// integer type that holds an INTEGER (8 and 9 for 0 and 1), 7 for a REAL,
// 2·len+13 for TEXT and 2·len+12 for a BLOB. A REAL is a REAL here even when
// its value is integral; converting it is the caller's decision. A NaN REAL,
// which SQLite never stores, and a Value of an unknown Kind encode as NULL.
func SerialType(v Value) uint64 { return serialTypeOf(&v) }

// serialTypeOf is SerialType on a pointer: the encoder's loops look at every
// value three times and should not copy it each time.
func serialTypeOf(v *Value) uint64 {
	switch v.Kind {
	case Integer:
		return intSerialType(v.Int)
	case Real:
		if math.IsNaN(v.Float) {
			return SerialNull
		}
		return SerialFloat
	case Text:
		return uint64(len(v.Bytes))*2 + SerialText0
	case Blob:
		return uint64(len(v.Bytes))*2 + SerialBlob0
	}
	return SerialNull
}

func intSerialType(i int64) uint64 {
	if i == 0 {
		return SerialZero
	}
	if i == 1 {
		return SerialOne
	}
	// For a negative number the magnitude that must fit is that of its
	// complement: -128 fits in one byte just as 127 does.
	u := uint64(i)
	if i < 0 {
		u = ^u
	}
	switch {
	case u <= math.MaxInt8:
		return SerialInt8
	case u <= math.MaxInt16:
		return SerialInt16
	case u <= 1<<23-1:
		return SerialInt24
	case u <= math.MaxInt32:
		return SerialInt32
	case u <= 1<<47-1:
		return SerialInt48
	}
	return SerialInt64
}

// SerialTypeLen returns the number of body bytes a field of serial type st
// occupies. Reserved types 10 and 11 report 0; lengths beyond what an int
// holds report math.MaxInt, which no record can contain.
func SerialTypeLen(st uint64) int {
	n := serialLen(st)
	if n > math.MaxInt {
		return math.MaxInt
	}
	return int(n)
}

func serialLen(st uint64) uint64 {
	if st < uint64(len(intLen)) {
		return uint64(intLen[st])
	}
	if st < 12 {
		return 0
	}
	return (st - 12) / 2
}

// putBody writes the body bytes of v, whose serial type is st, at the start
// of buf and returns how many it wrote. buf has room for them.
func putBody(buf []byte, v *Value, st uint64) int {
	switch {
	case st >= SerialInt8 && st <= maxSerialInt:
		n := int(intLen[st])
		u := uint64(v.Int)
		for i := n - 1; i >= 0; i-- {
			buf[i] = byte(u)
			u >>= 8
		}
		return n
	case st == SerialFloat:
		binary.BigEndian.PutUint64(buf, math.Float64bits(v.Float))
		return 8
	case st >= SerialBlob0:
		return copy(buf, v.Bytes)
	}
	return 0
}

// readInt decodes a big-endian two's-complement integer of 1, 2, 3, 4, 6 or
// 8 bytes (the body of serial types 1..6), sign-extending it.
func readInt(b []byte) int64 {
	switch len(b) {
	case 1:
		return int64(int8(b[0]))
	case 2:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case 3:
		// Place the 24 bits at the top of an int32 and shift back down
		// arithmetically to spread the sign bit.
		return int64(int32(uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8) >> 8)
	case 4:
		return int64(int32(binary.BigEndian.Uint32(b)))
	case 6:
		u := uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 |
			uint64(b[3])<<32 | uint64(b[4])<<24 | uint64(b[5])<<16
		return int64(u) >> 16
	case 8:
		return int64(binary.BigEndian.Uint64(b))
	}
	return 0
}

// decodeField turns the body of one field into a Value. body is exactly
// SerialTypeLen(st) bytes and st is not 10 or 11; Bytes aliases body. A NaN
// stored as a REAL reads as NULL, as it does in SQLite.
func decodeField(st uint64, body []byte) Value {
	var v Value
	decodeInto(&v, st, body)
	return v
}

// decodeInto is decodeField writing into *v, which must be the zero Value.
// Filling a slot in place, field by field, is what lets DecodeRecord run
// without copying a returned struct: that copy, read back in wider words
// than it was written, stalled the CPU's store forwarding and cost half of
// the decode time.
func decodeInto(v *Value, st uint64, body []byte) {
	switch {
	case st == SerialNull:
	case st <= maxSerialInt:
		v.Kind = Integer
		v.Int = readInt(body)
	case st == SerialFloat:
		f := math.Float64frombits(binary.BigEndian.Uint64(body))
		if !math.IsNaN(f) {
			v.Kind = Real
			v.Float = f
		}
	case st == SerialZero:
		v.Kind = Integer
	case st == SerialOne:
		v.Kind = Integer
		v.Int = 1
	case st&1 == 0:
		v.Kind = Blob
		v.Bytes = body
	default:
		v.Kind = Text
		v.Bytes = body
	}
}

// isIntSerial reports whether st stores an integer (1..6, 8, 9).
func isIntSerial(st uint64) bool {
	return (st >= SerialInt8 && st <= maxSerialInt) || st == SerialZero || st == SerialOne
}
