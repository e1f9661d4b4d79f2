package vdbe

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/record"
)

// Ensure that the zero Mem is NULL.
func TestMemZeroIsNull(t *testing.T) {
	var m Mem
	if !m.IsNull() || m.Kind() != record.Null {
		t.Fatalf("zero Mem is %v, want NULL", m.Kind())
	}
}

// Ensure that setting values of every class reads them back.
func TestMemSetters(t *testing.T) {
	var m Mem
	m.SetInt(-7)
	if m.Kind() != record.Integer || m.Int() != -7 {
		t.Errorf("SetInt: got %v %d", m.Kind(), m.Int())
	}
	m.SetFloat(2.5)
	if m.Kind() != record.Real || m.Float() != 2.5 {
		t.Errorf("SetFloat: got %v %g", m.Kind(), m.Float())
	}
	m.SetTextString("héllo")
	if m.Kind() != record.Text || string(m.Bytes()) != "héllo" {
		t.Errorf("SetTextString: got %v %q", m.Kind(), m.Bytes())
	}
	m.SetBlob([]byte{0, 1})
	if m.Kind() != record.Blob || !cmp.Equal(m.Bytes(), []byte{0, 1}) {
		t.Errorf("SetBlob: got %v %v", m.Kind(), m.Bytes())
	}
	m.SetBool(true)
	if m.Int() != 1 {
		t.Errorf("SetBool(true) = %d", m.Int())
	}
}

// Ensure that a NaN never gets into a register: it becomes NULL, as in SQLite.
func TestMemNaNIsNull(t *testing.T) {
	var m Mem
	m.SetFloat(math.NaN())
	if !m.IsNull() {
		t.Fatalf("NaN stored as %v", m.Kind())
	}
	m.SetValue(record.RealValue(math.NaN()))
	if !m.IsNull() {
		t.Fatalf("NaN value stored as %v", m.Kind())
	}
}

// Ensure that the setters reuse the Mem's buffer instead of allocating.
func TestMemSetDoesNotAllocate(t *testing.T) {
	var m Mem
	long := []byte("a reasonably long piece of text for the buffer")
	m.SetText(long)
	allocs := testing.AllocsPerRun(100, func() {
		m.SetInt(1)
		m.SetText(long[:10])
		m.SetFloat(1.5)
		m.SetBlob(long)
		m.SetTextString("short")
		m.SetNull()
	})
	if allocs != 0 {
		t.Fatalf("setters allocated %v times per run", allocs)
	}
}

// Ensure that a borrowed value survives its source buffer after Deepen, and
// that Copy shares nothing with its source.
func TestMemBorrowDeepenCopy(t *testing.T) {
	page := []byte("page content")
	var m Mem
	m.SetTextRef(page[:4])
	if !m.Borrowed() {
		t.Fatal("SetTextRef value not borrowed")
	}
	var c Mem
	c.Copy(&m)
	m.Deepen()
	if m.Borrowed() {
		t.Fatal("Deepen left value borrowed")
	}
	copy(page, "XXXX")
	if got := string(m.Bytes()); got != "page" {
		t.Errorf("deepened value changed with its page: %q", got)
	}
	if got := string(c.Bytes()); got != "page" {
		t.Errorf("copy changed with the source page: %q", got)
	}
	m.SetTextString("other")
	if got := string(c.Bytes()); got != "page" {
		t.Errorf("copy changed when the source was reset: %q", got)
	}
}

// Ensure that Move hands the value over and leaves the source NULL.
func TestMemMove(t *testing.T) {
	var a, b Mem
	a.SetTextString("moved")
	b.Move(&a)
	if !a.IsNull() || string(b.Bytes()) != "moved" {
		t.Fatalf("after Move: src %v, dst %q", a.Kind(), b.Bytes())
	}
}

// Ensure that a zeroblob reports its length without allocating and expands
// to zeros when its bytes are needed.
func TestMemZeroBlob(t *testing.T) {
	var m Mem
	m.SetZeroBlob(1 << 20)
	if m.Len() != 1<<20 || !m.IsZeroBlob() {
		t.Fatalf("zeroblob len %d zero %v", m.Len(), m.IsZeroBlob())
	}
	v := m.Value()
	if len(v.Bytes) != 1<<20 || m.IsZeroBlob() {
		t.Fatalf("expanded to %d bytes, still zero %v", len(v.Bytes), m.IsZeroBlob())
	}
	for _, c := range v.Bytes {
		if c != 0 {
			t.Fatal("zeroblob has a non-zero byte")
		}
	}
	var c Mem
	m.SetZeroBlob(3)
	c.Copy(&m)
	if c.Len() != 3 || string(c.Bytes()) != "\x00\x00\x00" {
		t.Fatalf("copied zeroblob: %q", c.Bytes())
	}
}

// Ensure that the subtype travels with Copy and is cleared by a new value.
func TestMemSubtype(t *testing.T) {
	var a, b Mem
	a.SetTextString("{}")
	a.SetSubtype('J')
	b.Copy(&a)
	if b.Subtype() != 'J' {
		t.Errorf("Copy lost the subtype")
	}
	b.SetInt(1)
	if b.Subtype() != 0 {
		t.Errorf("SetInt kept the subtype")
	}
}

// Ensure that the exported literal parsers agree with SQLite's rules.
func TestParseLiterals(t *testing.T) {
	tests := []struct {
		in  string
		i   int64
		iok bool
		f   float64
		fok bool
	}{
		{"42", 42, true, 42, true},
		{" -7 ", -7, true, -7, true},
		{"9223372036854775808", math.MaxInt64, false, 9223372036854775808, true},
		{"-9223372036854775808", math.MinInt64, true, -9223372036854775808, true},
		{"1e3", 1, false, 1000, true},
		{"12abc", 12, false, 12, false},
		{"0x10", 0, false, 0, false},
		{".5", 0, false, 0.5, true},
		{"", 0, false, 0, false},
	}
	for _, tt := range tests {
		i, iok := ParseInteger([]byte(tt.in))
		f, fok := ParseReal([]byte(tt.in))
		if i != tt.i || iok != tt.iok || f != tt.f || fok != tt.fok {
			t.Errorf("%q: ParseInteger = %d, %v; ParseReal = %g, %v", tt.in, i, iok, f, fok)
		}
	}
}
