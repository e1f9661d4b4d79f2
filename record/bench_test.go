package record

import "testing"

// benchRow is a typical five-column row: an id, a name, a score, a blob and
// a NULL.
var benchRow = vals(int64(123456), "Grace Hopper", 98.5, []byte("0123456789abcdef"), nil)

func BenchmarkAppendRecord(b *testing.B) {
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendRecord(buf[:0], benchRow)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkDecodeRecord(b *testing.B) {
	rec := AppendRecord(nil, benchRow)
	dst := make([]Value, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		var err error
		if dst, err = DecodeRecord(rec, dst); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeaderColumn reads two of the five columns through a reused
// Header, as the VDBE's Column opcode does.
func BenchmarkHeaderColumn(b *testing.B) {
	rec := AppendRecord(nil, benchRow)
	var h Header
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Parse(rec); err != nil {
			b.Fatal(err)
		}
		if _, err := h.Column(1); err != nil {
			b.Fatal(err)
		}
		if _, err := h.Column(3); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkColumn(b *testing.B) {
	rec := AppendRecord(nil, benchRow)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Column(rec, 3); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompare orders two index keys (integer, text, rowid) that differ
// only in the last field: the fast path for every field.
func BenchmarkCompare(b *testing.B) {
	x := AppendRecord(nil, vals(42, "hopper@example.com", 1001))
	y := AppendRecord(nil, vals(42, "hopper@example.com", 1002))
	b.ReportAllocs()
	for b.Loop() {
		if c, err := Compare(x, y, nil); c != -1 || err != nil {
			b.Fatal(c, err)
		}
	}
}

// BenchmarkCompareNoCase is the slow path: a collation on the text field.
func BenchmarkCompareNoCase(b *testing.B) {
	x := AppendRecord(nil, vals(42, "Hopper@example.com", 1001))
	y := AppendRecord(nil, vals(42, "hopper@EXAMPLE.com", 1002))
	ki := &KeyInfo{Collations: []Collation{nil, NoCase}}
	b.ReportAllocs()
	for b.Loop() {
		if c, err := Compare(x, y, ki); c != -1 || err != nil {
			b.Fatal(c, err)
		}
	}
}

func BenchmarkCompareUnpacked(b *testing.B) {
	x := AppendRecord(nil, vals(42, "hopper@example.com", 1001))
	key := vals(42, "hopper@example.com")
	b.ReportAllocs()
	for b.Loop() {
		if c, err := CompareUnpacked(x, key, nil); c != 0 || err != nil {
			b.Fatal(c, err)
		}
	}
}
