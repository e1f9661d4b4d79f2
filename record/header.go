package record

import (
	"fmt"
	"math"

	"github.com/wrendb/wren/resultcode"
)

// Header reads the columns of one record in any order, parsing the record's
// header at most once. Parsing is lazy, as in SQLite's OP_Column: asking for
// column i reads the serial types up to i and remembers where each field's
// body starts, so a later column continues where the last one stopped and
// an earlier one is a lookup.
//
// A Header is meant to be reused: Parse the next row into the same Header
// and it keeps its slices, so once it has seen the widest row it reads
// further rows without allocating. The zero Header is ready for Parse.
type Header struct {
	r       fieldReader
	types   []uint64 // serial type of each column parsed so far
	offsets []uint32 // where each parsed column's body starts in the record
	err     error    // sticky: the first corruption found
	ended   bool     // the header was read to its end and checked
}

// Parse resets h to read rec. It checks only the header size; corruption
// further in is reported by the call that reaches it. rec must stay
// unchanged while h reads it.
func (h *Header) Parse(rec []byte) error {
	h.types = h.types[:0]
	h.offsets = h.offsets[:0]
	h.ended = false
	h.err = nil
	if uint64(len(rec)) > math.MaxUint32 {
		h.r = fieldReader{}
		// Offsets are 32 bits; SQLite caps a record far lower (SQLITE_MAX_LENGTH).
		h.err = fmt.Errorf("record: %d-byte record: %w", len(rec), resultcode.ErrTooBig)
		return h.err
	}
	h.err = h.r.init(rec)
	return h.err
}

// Record returns the record h was parsed from.
func (h *Header) Record() []byte { return h.r.rec }

// parseThrough reads serial types until column i is known or the header
// ends; at the end it checks that the bodies fill the record exactly.
func (h *Header) parseThrough(i int) error {
	for len(h.types) <= i && h.err == nil {
		if !h.r.more() {
			if !h.ended {
				h.ended = true
				h.err = h.r.checkEnd()
			}
			break
		}
		start := h.r.body
		st, _, err := h.r.next()
		if err != nil {
			h.err = err
			break
		}
		h.types = append(h.types, st)
		h.offsets = append(h.offsets, uint32(start))
	}
	if len(h.types) > i {
		return nil // known before any later fault
	}
	return h.err
}

// Len returns the number of columns in the record, parsing the rest of the
// header if need be.
func (h *Header) Len() (int, error) {
	err := h.parseThrough(math.MaxInt - 1)
	return len(h.types), err
}

// SerialType returns the serial type of column i; a column past the last
// one in the record has serial type 0 (NULL).
func (h *Header) SerialType(i int) (uint64, error) {
	if i < 0 {
		return 0, fmt.Errorf("record: column %d: %w", i, resultcode.ErrRange)
	}
	if err := h.parseThrough(i); err != nil {
		return 0, err
	}
	if i >= len(h.types) {
		return SerialNull, nil
	}
	return h.types[i], nil
}

// Column returns column i. TEXT and BLOB values alias the record. A column
// past the last one in the record reads as NULL.
func (h *Header) Column(i int) (v Value, err error) {
	if i < 0 {
		return Value{}, fmt.Errorf("record: column %d: %w", i, resultcode.ErrRange)
	}
	if err := h.parseThrough(i); err != nil {
		return Value{}, err
	}
	if i >= len(h.types) {
		return Value{}, nil
	}
	st := h.types[i]
	start := int(h.offsets[i])
	end := start + int(serialLen(st)) // checked against the record by fieldReader.next
	decodeInto(&v, st, h.r.rec[start:end:end])
	return v, nil
}
