package record

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/resultcode"
)

// addSeeds gives the fuzzers the hand-made records of the other tests:
// well-formed ones of every serial type, each kind of corruption, and the
// records sqlite3 wrote for sqlite_test.go.
func addSeeds(f *testing.F) {
	for _, tt := range recordCases {
		f.Add(mustHex(f, tt.hex))
	}
	for _, tt := range corruptCases {
		f.Add(mustHex(f, tt.hex))
	}
	f.Add(AppendRecord(nil, vals(nil, 1, 0, -7, 3.25, "text", []byte{1, 2}, int64(1)<<40)))
	for _, rec := range readGoldenRecords(f) {
		f.Add(rec) // records sqlite3 wrote
	}
}

// FuzzDecodeRecord feeds arbitrary bytes to every reader. None may panic; a
// failure must wrap ErrCorrupt; the readers must agree with each other; and
// whatever decodes must survive re-encoding: encode the values, decode them
// again, and get the same values.
func FuzzDecodeRecord(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, rec []byte) {
		rec = rec[:len(rec):len(rec)] // reading past len would now panic
		got, err := DecodeRecord(rec, nil)
		n, countErr := ColumnCount(rec)
		var h Header
		_ = h.Parse(rec)
		hn, headerErr := h.Len()
		if (err == nil) != (countErr == nil) || (err == nil) != (headerErr == nil) {
			t.Fatalf("readers disagree: DecodeRecord %v, ColumnCount %v, Header %v", err, countErr, headerErr)
		}
		if err != nil {
			for _, e := range []error{err, countErr, headerErr} {
				if !errors.Is(e, resultcode.ErrCorrupt) && !errors.Is(e, resultcode.ErrTooBig) {
					t.Fatalf("error %v does not wrap ErrCorrupt", e)
				}
			}
			_, _ = Column(rec, len(got))
			_, _ = Compare(rec, rec, nil)
			_, _ = CompareUnpacked(rec, got, nil)
			return
		}
		if n != len(got) || hn != len(got) {
			t.Fatalf("DecodeRecord found %d columns, ColumnCount %d, Header %d", len(got), n, hn)
		}
		for i, v := range got {
			if hv, err := h.Column(i); err != nil || !sameValue(v, hv) {
				t.Fatalf("column %d: DecodeRecord %v, Header %v (%v)", i, v, hv, err)
			}
		}
		// Column rereads the header each time: sample it, or a wide
		// record would take quadratic time.
		for _, i := range []int{0, len(got) / 2, len(got) - 1} {
			if i >= 0 && i < len(got) {
				if cv, err := Column(rec, i); err != nil || !sameValue(got[i], cv) {
					t.Fatalf("column %d: DecodeRecord %v, Column %v (%v)", i, got[i], cv, err)
				}
			}
		}

		again := AppendRecord(nil, got)
		if len(again) > len(rec) {
			// Only a non-minimal varint or integer width can differ, and
			// AppendRecord always picks the shortest.
			t.Fatalf("re-encoding %x grew it to %x", rec, again)
		}
		got2, err := DecodeRecord(again, nil)
		if err != nil {
			t.Fatalf("re-encoded record %x does not decode: %v", again, err)
		}
		if !sameValues(got, got2) {
			t.Fatalf("re-encoding changed the values (-first +second):\n%s", cmp.Diff(got, got2, valueOpts))
		}

		// A record equals itself and its re-encoding.
		if c, err := Compare(rec, again, nil); c != 0 || err != nil {
			t.Fatalf("Compare(record, re-encoded) = %d, %v; want 0", c, err)
		}
		if c, err := CompareUnpacked(rec, got, nil); c != 0 || err != nil {
			t.Fatalf("CompareUnpacked(record, its values) = %d, %v; want 0", c, err)
		}
	})
}

// FuzzCompare checks, for any two byte strings that decode, that Compare on
// the encodings agrees with CompareValues on the values, under a NOCASE
// DESC field to exercise the slow path.
func FuzzCompare(f *testing.F) {
	a := AppendRecord(nil, vals(1, "abc", 2.5))
	b := AppendRecord(nil, vals(1.0, "ABD", nil))
	f.Add(a, b)
	f.Add(b, a)
	f.Add(a, a)
	ki := &KeyInfo{Collations: []Collation{nil, NoCase}, Desc: []bool{false, true}}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		c, err := Compare(a, b, ki)
		va, errA := DecodeRecord(a, nil)
		vb, errB := DecodeRecord(b, nil)
		if errA != nil || errB != nil {
			return // Compare may or may not reach the fault; it must not panic
		}
		if err != nil {
			t.Fatalf("Compare of two well-formed records: %v", err)
		}
		if want := compareRows(va, vb, ki); c != want {
			t.Fatalf("Compare(%v, %v) = %d, CompareValues says %d", va, vb, c, want)
		}
		if back, _ := Compare(b, a, ki); back != -c {
			t.Fatalf("Compare(%v, %v) = %d but reversed %d", va, vb, c, back)
		}
	})
}
