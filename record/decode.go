package record

import (
	"fmt"

	"github.com/wrendb/wren/resultcode"
)

// corrupt returns an error that says what is wrong with a record and wraps
// resultcode.ErrCorrupt, so errors.Is(err, resultcode.ErrCorrupt) holds.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("record: "+format+": %w", append(args, resultcode.ErrCorrupt)...)
}

// fieldReader walks a record's header and body in step, one field at a time,
// checking every length against the record before slicing it. It is the one
// place that knows the corruption rules; everything that reads a record goes
// through it.
type fieldReader struct {
	rec    []byte
	hdr    int // offset of the next serial-type varint
	hdrEnd int // offset just past the header: the header size
	body   int // offset of the next field's body
	field  int // index of the next field, for error messages
}

// init points r at rec and checks the header size. It fills r in place
// rather than returning a fieldReader, whose copy would cost more than the
// check (see decodeInto).
func (r *fieldReader) init(rec []byte) error {
	*r = fieldReader{rec: rec}
	size, n := Varint(rec)
	if n == 0 {
		return corrupt("header size varint runs past the end of a %d-byte record", len(rec))
	}
	if size < uint64(n) || size > uint64(len(rec)) {
		return corrupt("header size %d outside a %d-byte record", size, len(rec))
	}
	r.hdr, r.hdrEnd, r.body = n, int(size), int(size)
	return nil
}

// more reports whether the header has another serial type.
func (r *fieldReader) more() bool { return r.hdr < r.hdrEnd }

// next returns the serial type and body of the next field. The body is
// capped at its own length so that appending to it cannot overwrite the
// fields after it.
func (r *fieldReader) next() (st uint64, body []byte, err error) {
	// Serial types below 128 (all but TEXT and BLOB of 57 bytes or more)
	// are one byte: skip the general varint decoder for them.
	n := 1
	if b := r.rec[r.hdr]; b < 0x80 {
		st = uint64(b)
	} else if st, n = Varint(r.rec[r.hdr:r.hdrEnd]); n == 0 {
		return 0, nil, corrupt("serial type of field %d runs past the end of the header", r.field)
	}
	if st == 10 || st == 11 {
		return 0, nil, corrupt("field %d has reserved serial type %d", r.field, st)
	}
	size := serialLen(st)
	if size > uint64(len(r.rec)-r.body) {
		return 0, nil, corrupt("field %d (serial type %d) ends past the end of a %d-byte record", r.field, st, len(r.rec))
	}
	end := r.body + int(size)
	body = r.rec[r.body:end:end]
	r.hdr += n
	r.body = end
	r.field++
	return st, body, nil
}

// checkEnd is called once the header is exhausted: the fields' bodies must
// then fill the record exactly, as SQLite's OP_Column also insists.
func (r *fieldReader) checkEnd() error {
	if r.body != len(r.rec) {
		return corrupt("%d bytes after the last of %d fields", len(r.rec)-r.body, r.field)
	}
	return nil
}

// DecodeRecord decodes every field of rec, appending one Value per column to
// dst[:0], and returns the extended slice. TEXT and BLOB values alias rec.
// With a dst of sufficient capacity it does not allocate. A malformed record
// gives an error wrapping resultcode.ErrCorrupt and the values decoded
// before the fault.
func DecodeRecord(rec []byte, dst []Value) ([]Value, error) {
	dst = dst[:0]
	var r fieldReader
	if err := r.init(rec); err != nil {
		return dst, err
	}
	for r.more() {
		st, body, err := r.next()
		if err != nil {
			return dst, err
		}
		dst = append(dst, Value{})
		decodeInto(&dst[len(dst)-1], st, body)
	}
	return dst, r.checkEnd()
}

// Column decodes column i of rec without decoding the columns before it
// (their serial types are read, their bodies skipped). A column past the
// last one in the record reads as NULL, as columns added by ALTER TABLE ADD
// COLUMN do for older rows. To read several columns of one record, parse a
// Header once instead.
func Column(rec []byte, i int) (v Value, err error) {
	if i < 0 {
		return Value{}, fmt.Errorf("record: column %d: %w", i, resultcode.ErrRange)
	}
	var r fieldReader
	if err := r.init(rec); err != nil {
		return Value{}, err
	}
	for r.more() {
		st, body, err := r.next()
		if err != nil {
			return Value{}, err
		}
		if r.field-1 == i {
			decodeInto(&v, st, body)
			return v, nil
		}
	}
	return Value{}, r.checkEnd()
}

// ColumnCount returns the number of columns stored in rec, checking the
// whole header against the record's length.
func ColumnCount(rec []byte) (int, error) {
	var r fieldReader
	if err := r.init(rec); err != nil {
		return 0, err
	}
	for r.more() {
		if _, _, err := r.next(); err != nil {
			return r.field, err
		}
	}
	return r.field, r.checkEnd()
}
