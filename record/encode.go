package record

import "slices"

// headerLen returns the full header size for a header whose serial-type
// varints take typesLen bytes. The size varint counts itself, so its own
// length can push the total over a varint boundary: 126 bytes of types make
// a header of 127, which fits one byte, but 127 bytes of types make 128 plus
// a two-byte size varint, 129.
func headerLen(typesLen int) int {
	n := 1
	for VarintLen(uint64(typesLen+n)) > n {
		n++
	}
	return typesLen + n
}

// serialTypeFor is SerialType for a database of the given schema format
// (the header field at offset 44). Serial types 8 and 9 arrived with schema
// format 4, the default since SQLite 3.3.0; a database of an older format
// must store 0 and 1 as one-byte integers, as SQLite does when it writes one.
func serialTypeFor(v *Value, constInts bool) uint64 {
	st := serialTypeOf(v)
	if !constInts && (st == SerialZero || st == SerialOne) {
		return SerialInt8
	}
	return st
}

// RecordLen returns the number of bytes AppendRecord adds for vals.
func RecordLen(vals []Value) int { return recordLen(vals, true) }

// RecordLenFormat returns the number of bytes AppendRecordFormat adds for
// vals.
func RecordLenFormat(vals []Value, schemaFormat int) int {
	return recordLen(vals, schemaFormat >= 4)
}

func recordLen(vals []Value, constInts bool) int {
	typesLen, bodyLen := 0, 0
	for i := range vals {
		st := serialTypeFor(&vals[i], constInts)
		typesLen += VarintLen(st)
		bodyLen += SerialTypeLen(st)
	}
	return headerLen(typesLen) + bodyLen
}

// AppendRecord appends the record encoding of vals to dst and returns the
// extended slice: the header size, one serial type per value, then the
// values' bodies in order. Each value takes the serial type SerialType gives
// it, so the bytes are the ones SQLite writes for the same values in a
// database of schema format 4, which is every database SQLite has created
// by default since 2006.
func AppendRecord(dst []byte, vals []Value) []byte {
	return appendRecord(dst, vals, true)
}

// AppendRecordFormat is AppendRecord for a database whose schema format
// number (database header offset 44) is schemaFormat: below 4, the integers
// 0 and 1 are stored as one-byte integers instead of serial types 8 and 9,
// which such a database's readers may not know.
func AppendRecordFormat(dst []byte, vals []Value, schemaFormat int) []byte {
	return appendRecord(dst, vals, schemaFormat >= 4)
}

func appendRecord(dst []byte, vals []Value, constInts bool) []byte {
	// Remember the serial types of narrow rows rather than work them out
	// three times; wide rows recompute them.
	var stack [16]uint64
	types := stack[:0]
	if len(vals) <= len(stack) {
		types = stack[:len(vals)]
	}
	typesLen, bodyLen := 0, 0
	for i := range vals {
		st := serialTypeFor(&vals[i], constInts)
		if i < len(types) {
			types[i] = st
		}
		typesLen += VarintLen(st)
		bodyLen += SerialTypeLen(st)
	}
	hdrLen := headerLen(typesLen)

	// Size the output once and write into it by index: cheaper than an
	// append, with its capacity check, per byte.
	start := len(dst)
	dst = slices.Grow(dst, hdrLen+bodyLen)[:start+hdrLen+bodyLen]
	out := dst[start:]
	pos := PutVarint(out, uint64(hdrLen))
	for i := range vals {
		st := serialTypeAt(types, i, &vals[i], constInts)
		if st <= 0x7f {
			out[pos] = byte(st)
			pos++
		} else {
			pos += PutVarint(out[pos:], st)
		}
	}
	for i := range vals {
		v := &vals[i]
		pos += putBody(out[pos:], v, serialTypeAt(types, i, v, constInts))
	}
	return dst
}

// serialTypeAt returns the serial type of vals[i], from types when the row
// was narrow enough to have them remembered.
func serialTypeAt(types []uint64, i int, v *Value, constInts bool) uint64 {
	if i < len(types) {
		return types[i]
	}
	return serialTypeFor(v, constInts)
}
