package record

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/resultcode"
)

// Ensure that each value gets the smallest serial type SQLite would give it.
func TestSerialType(t *testing.T) {
	tests := []struct {
		v    Value
		want uint64
	}{
		{NullValue(), 0},
		{IntValue(0), 8},
		{IntValue(1), 9},
		{IntValue(2), 1},
		{IntValue(-1), 1},
		{IntValue(127), 1},
		{IntValue(-128), 1},
		{IntValue(128), 2},
		{IntValue(-129), 2},
		{IntValue(32767), 2},
		{IntValue(-32768), 2},
		{IntValue(32768), 3},
		{IntValue(-32769), 3},
		{IntValue(1<<23 - 1), 3},
		{IntValue(-1 << 23), 3},
		{IntValue(1 << 23), 4},
		{IntValue(math.MaxInt32), 4},
		{IntValue(math.MinInt32), 4},
		{IntValue(math.MaxInt32 + 1), 5},
		{IntValue(1<<47 - 1), 5},
		{IntValue(-1 << 47), 5},
		{IntValue(1 << 47), 6},
		{IntValue(-1<<47 - 1), 6},
		{IntValue(math.MaxInt64), 6},
		{IntValue(math.MinInt64), 6},
		{RealValue(0), 7},
		{RealValue(1), 7}, // an integral REAL stays a REAL at this layer
		{RealValue(math.Inf(-1)), 7},
		{RealValue(math.NaN()), 0},
		{TextValue(""), 13},
		{TextValue("abc"), 19},
		{BlobValue(nil), 12},
		{BlobValue([]byte{1, 2, 3}), 18},
		{Value{Kind: 99}, 0},
	}
	for _, tt := range tests {
		if got := SerialType(tt.v); got != tt.want {
			t.Errorf("SerialType(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
}

func TestSerialTypeLen(t *testing.T) {
	want := map[uint64]int{
		0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0, 10: 0, 11: 0,
		12: 0, 13: 0, 14: 1, 15: 1, 18: 3, 19: 3, 2012: 1000, 2013: 1000,
	}
	for st, n := range want {
		if got := SerialTypeLen(st); got != n {
			t.Errorf("SerialTypeLen(%d) = %d, want %d", st, got, n)
		}
	}
	if got := SerialTypeLen(math.MaxUint64); got <= 0 {
		t.Errorf("SerialTypeLen(MaxUint64) = %d, want a huge positive length", got)
	}
}

var text60 = strings.Repeat("x", 60)

// recordCases pairs values with the exact bytes of their record, worked out
// from the format's rules (sqlite_test.go checks more against sqlite3).
var recordCases = []struct {
	name string
	vals []Value
	hex  string
}{
	{"empty", vals(), "01"},
	{"small ints", vals(nil, 0, 1, 2, -1), "06 00 08 09 01 01  02 ff"},
	{"int widths", vals(256, -32768, 8388607), "04 02 02 03  0100 8000 7fffff"},
	{"int32", vals(-2147483648, 2147483647), "03 04 04  80000000 7fffffff"},
	{"int48", vals(2147483648, -140737488355328), "03 05 05  000080000000 800000000000"},
	{"int64", vals(int64(1)<<47, int64(math.MaxInt64), int64(math.MinInt64)),
		"04 06 06 06  0000800000000000 7fffffffffffffff 8000000000000000"},
	{"real", vals(1.5, -2.0), "03 07 07  3ff8000000000000 c000000000000000"},
	{"text and blob", vals("hi", []byte{0xde, 0xad}), "03 11 10  6869 dead"},
	{"empty text and blob", vals("", []byte{}), "03 0d 0c"},
	{"two-byte serial type", vals(text60), "03 8105 " + strings.Repeat("78", 60)},
}

// Ensure that records encode to exactly the bytes the format prescribes and
// decode back to their values.
func TestRecordBytes(t *testing.T) {
	for _, tt := range recordCases {
		t.Run(tt.name, func(t *testing.T) {
			want := mustHex(t, tt.hex)
			got := AppendRecord(nil, tt.vals)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("AppendRecord bytes (-want +got):\n%s", diff)
			}
			if n := RecordLen(tt.vals); n != len(want) {
				t.Errorf("RecordLen = %d, want %d", n, len(want))
			}
			dec, err := DecodeRecord(want, nil)
			if err != nil {
				t.Fatalf("DecodeRecord: %v", err)
			}
			if diff := cmp.Diff(tt.vals, dec, valueOpts); diff != "" {
				t.Errorf("DecodeRecord (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure that AppendRecord appends after what dst already holds.
func TestAppendRecordAppends(t *testing.T) {
	got := AppendRecord([]byte("prefix"), vals(7))
	if want := "prefix\x02\x01\x07"; string(got) != want {
		t.Errorf("AppendRecord = %q, want %q", got, want)
	}
}

// Ensure that the header size counts its own varint when the header grows
// past 127 bytes and the size takes two bytes.
func TestHeaderSizeBoundary(t *testing.T) {
	tests := []struct {
		typesLen int    // bytes of serial types: one NULL each
		sizeHex  string // expected header-size varint
	}{
		{125, "7e"},
		{126, "7f"},     // 126 + 1 = 127 still fits one byte
		{127, "8101"},   // 127 + 1 = 128 does not: 127 + 2 = 129
		{128, "8102"},   // 130
		{16381, "ff7f"}, // 16381 + 2 = 16383, the largest two-byte varint
		{16382, "818001"},
	}
	for _, tt := range tests {
		row := make([]Value, tt.typesLen)
		rec := AppendRecord(nil, row)
		want := append(mustHex(t, tt.sizeHex), make([]byte, tt.typesLen)...)
		if !bytes.Equal(rec, want) {
			t.Errorf("%d NULLs: record starts %x, want %x (len %d, want %d)", tt.typesLen, rec[:4], want[:4], len(rec), len(want))
		}
		dec, err := DecodeRecord(rec, nil)
		if err != nil || len(dec) != tt.typesLen {
			t.Errorf("%d NULLs: decoded %d values, err %v", tt.typesLen, len(dec), err)
		}
	}
	// A header that crosses the boundary through a two-byte serial type.
	row := append(make([]Value, 124), TextValue(text60))
	rec := AppendRecord(nil, row)
	if rec[0] != 127 {
		t.Errorf("124 NULLs and a 60-byte text: header size %d, want 127", rec[0])
	}
	row = append(make([]Value, 125), TextValue(text60))
	rec = AppendRecord(nil, row)
	if size, n := Varint(rec); size != 129 || n != 2 {
		t.Errorf("125 NULLs and a 60-byte text: header size %d (%d bytes), want 129 (2 bytes)", size, n)
	}
}

// corruptCases are records that must be rejected as corrupt.
var corruptCases = []struct {
	name, hex string
}{
	{"empty input", ""},
	{"truncated header size", "81"},
	{"header size zero", "00"},
	{"header size beyond record", "05 00"},
	{"huge header size", "ffffffffffffffffff 00"},
	{"reserved serial type 10", "02 0a"},
	{"reserved serial type 11", "02 0b"},
	{"serial type runs past header", "02 81 00"},
	{"missing int body", "02 01"},
	{"short int64 body", "02 06 0000"},
	{"short real body", "02 07 3ff0"},
	{"short text body", "02 11 68"},
	{"short blob body", "02 10 68"},
	{"huge serial type", "0a ffffffffffffffffff"},
	{"body longer than its fields", "02 01 05 06"},
	{"body left over after header", "01 00"},
}

// Ensure that malformed records give an error wrapping ErrCorrupt from every
// reader, and no panic.
func TestDecodeCorrupt(t *testing.T) {
	for _, tt := range corruptCases {
		t.Run(tt.name, func(t *testing.T) {
			rec := mustHex(t, tt.hex)
			rec = rec[:len(rec):len(rec)]
			if _, err := DecodeRecord(rec, nil); !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("DecodeRecord error = %v, want ErrCorrupt", err)
			}
			if _, err := ColumnCount(rec); !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("ColumnCount error = %v, want ErrCorrupt", err)
			}
			if _, err := Column(rec, 100); !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("Column(100) error = %v, want ErrCorrupt", err)
			}
			var h Header
			_ = h.Parse(rec)
			if _, err := h.Len(); !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("Header.Len error = %v, want ErrCorrupt", err)
			}
		})
	}
}

// Ensure that the error names what is wrong and carries SQLITE_CORRUPT.
func TestCorruptErrorMessage(t *testing.T) {
	_, err := DecodeRecord(mustHex(t, "02 0a"), nil)
	if err == nil {
		t.Fatal("no error")
	}
	want := "record: field 0 has reserved serial type 10: database disk image is malformed"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if code := resultcode.Of(err); code != resultcode.Corrupt {
		t.Errorf("result code = %v, want SQLITE_CORRUPT", code)
	}
}

// Ensure that a NaN stored as a REAL reads as NULL, as in SQLite, and that
// NaN values encode as NULL.
func TestNaN(t *testing.T) {
	rec := mustHex(t, "02 07 7ff8000000000001")
	got, err := DecodeRecord(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(vals(nil), got, valueOpts); diff != "" {
		t.Errorf("NaN REAL decoded (-want +got):\n%s", diff)
	}
	if enc := AppendRecord(nil, vals(math.NaN())); !bytes.Equal(enc, []byte{2, 0}) {
		t.Errorf("NaN encoded as %x, want 0200", enc)
	}
}

// Ensure that decoded TEXT and BLOB alias the record, and that appending to
// one cannot overwrite the fields after it.
func TestDecodeAliases(t *testing.T) {
	rec := AppendRecord(nil, vals("ab", []byte("cd")))
	got, err := DecodeRecord(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if &got[0].Bytes[0] != &rec[3] {
		t.Error("TEXT does not alias the record")
	}
	_ = append(got[0].Bytes, 'X')
	if got[1].String() != "x'6364'" {
		t.Errorf("appending to field 0 changed field 1 to %v", got[1])
	}
}

// Ensure that Column reads one column, reads missing trailing columns as
// NULL, and finds corruption only as far as it reads.
func TestColumn(t *testing.T) {
	rec := AppendRecord(nil, vals(nil, 42, 2.5, "txt", []byte{9}))
	want := vals(nil, 42, 2.5, "txt", []byte{9}, nil, nil)
	for i, w := range want {
		got, err := Column(rec, i)
		if err != nil {
			t.Fatalf("Column(%d): %v", i, err)
		}
		if diff := cmp.Diff(w, got, valueOpts); diff != "" {
			t.Errorf("Column(%d) (-want +got):\n%s", i, diff)
		}
	}
	if _, err := Column(rec, -1); !errors.Is(err, resultcode.ErrRange) {
		t.Errorf("Column(-1) error = %v, want ErrRange", err)
	}
	// Column 0 is fine; column 1 has a reserved serial type.
	bad := mustHex(t, "03 01 0a 05")
	if v, err := Column(bad, 0); err != nil || v.Int != 5 {
		t.Errorf("Column(bad, 0) = %v, %v; want 5", v, err)
	}
	if _, err := Column(bad, 1); !errors.Is(err, resultcode.ErrCorrupt) {
		t.Errorf("Column(bad, 1) error = %v, want ErrCorrupt", err)
	}
	if n, err := ColumnCount(rec); n != 5 || err != nil {
		t.Errorf("ColumnCount = %d, %v; want 5", n, err)
	}
}

// Ensure that a Header reads columns in any order, parses lazily, and keeps
// earlier answers when a later column turns out corrupt.
func TestHeader(t *testing.T) {
	rec := AppendRecord(nil, vals(7, "seven", 7.5))
	var h Header
	if err := h.Parse(rec); err != nil {
		t.Fatal(err)
	}
	if len(h.types) != 0 {
		t.Errorf("Parse read %d serial types, want none until a column is asked for", len(h.types))
	}
	for _, i := range []int{2, 0, 1, 3, 1} {
		got, err := h.Column(i)
		if err != nil {
			t.Fatalf("Column(%d): %v", i, err)
		}
		want := append(vals(7, "seven", 7.5), NullValue())[i]
		if diff := cmp.Diff(want, got, valueOpts); diff != "" {
			t.Errorf("Column(%d) (-want +got):\n%s", i, diff)
		}
	}
	if st, err := h.SerialType(1); st != 23 || err != nil {
		t.Errorf("SerialType(1) = %d, %v; want 23", st, err)
	}
	if n, err := h.Len(); n != 3 || err != nil {
		t.Errorf("Len = %d, %v; want 3", n, err)
	}
	if !bytes.Equal(h.Record(), rec) {
		t.Error("Record() is not the parsed record")
	}

	// Reuse for a corrupt row: column 0 reads, column 1 fails, column 0
	// still reads.
	if err := h.Parse(mustHex(t, "03 01 0b 05")); err != nil {
		t.Fatal(err)
	}
	if v, err := h.Column(0); err != nil || v.Int != 5 {
		t.Errorf("Column(0) = %v, %v; want 5", v, err)
	}
	if _, err := h.Column(1); !errors.Is(err, resultcode.ErrCorrupt) {
		t.Errorf("Column(1) error = %v, want ErrCorrupt", err)
	}
	if v, err := h.Column(0); err != nil || v.Int != 5 {
		t.Errorf("Column(0) after the fault = %v, %v; want 5", v, err)
	}
	if err := h.Parse(mustHex(t, "09")); !errors.Is(err, resultcode.ErrCorrupt) {
		t.Errorf("Parse of a bad header size: error = %v, want ErrCorrupt", err)
	}
	if _, err := h.Column(0); !errors.Is(err, resultcode.ErrCorrupt) {
		t.Errorf("Column after a failed Parse: error = %v, want ErrCorrupt", err)
	}
}

// Ensure that decoding into a slice with room, and reading through a reused
// Header, allocate nothing.
func TestDecodeDoesNotAllocate(t *testing.T) {
	recA := AppendRecord(nil, vals(1, "two", 3.0, []byte("four"), nil))
	recB := AppendRecord(nil, vals(int64(1)<<40, "zwei", -3.5, nil, 5))
	dst := make([]Value, 0, 8)
	var h Header
	_ = h.Parse(recA)
	_, _ = h.Len()
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if dst, err = DecodeRecord(recA, dst); err != nil {
			t.Fatal(err)
		}
		for _, rec := range [][]byte{recA, recB} {
			if err := h.Parse(rec); err != nil {
				t.Fatal(err)
			}
			if _, err := h.Column(4); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Column(recB, 3); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("decoding allocated %v times per run, want 0", allocs)
	}
}

// Ensure that a database of schema format below 4 gets 0 and 1 as one-byte
// integers. The expected bytes are what sqlite3 3.40.1 wrote for
// INSERT VALUES(0,1,2) after the test patched header offset 44 to 1.
func TestAppendRecordFormat(t *testing.T) {
	row := vals(0, 1, 2)
	for _, tt := range []struct {
		format int
		hex    string
	}{
		{1, "04 01 01 01  00 01 02"},
		{3, "04 01 01 01  00 01 02"},
		{4, "04 08 09 01  02"},
	} {
		want := mustHex(t, tt.hex)
		got := AppendRecordFormat(nil, row, tt.format)
		if !bytes.Equal(got, want) {
			t.Errorf("format %d: got %x, want %x", tt.format, got, want)
		}
		if n := RecordLenFormat(row, tt.format); n != len(want) {
			t.Errorf("format %d: RecordLenFormat = %d, want %d", tt.format, n, len(want))
		}
		dec, err := DecodeRecord(got, nil)
		if err != nil || !sameValues(dec, row) {
			t.Errorf("format %d: decoded %v, %v", tt.format, dec, err)
		}
	}
}
