package vdbe

import (
	"testing"
)

func textMem(s string) Mem {
	var m Mem
	m.SetTextString(s)
	return m
}

func intMem(i int64) Mem {
	var m Mem
	m.SetInt(i)
	return m
}

// Ensure that the hot conversions do not allocate when given room: number
// parsing, REAL rendering, printf of %d and %s, and arithmetic.
func TestHotPathsDoNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 256)
	args := []Mem{intMem(1234567), textMem("hello")}
	text := []byte("  -12345.678e-3  ")
	var a, b, out Mem
	a.SetInt(40)
	b.SetTextString("2.5")
	cases := map[string]func(){
		"parseFloat": func() { parseFloat(text) },
		"parseInt":   func() { parseInt(text) },
		"AppendReal": func() { AppendReal(buf[:0], 1234.5678) },
		"Printf %d":  func() { Printf(buf[:0], []byte("n=%d"), args, 0) },
		"Printf %s":  func() { Printf(buf[:0], []byte("%5.2f %s"), args[:1], 0) },
		"Add":        func() { Add(&out, &a, &b) },
		"Cast":       func() { c := b; Cast(&c, AffinityNumeric) },
	}
	for name, fn := range cases {
		if n := testing.AllocsPerRun(50, fn); n != 0 {
			t.Errorf("%s: %v allocations per run", name, n)
		}
	}
}

func BenchmarkPrintfInt(b *testing.B) {
	buf := make([]byte, 0, 64)
	args := []Mem{intMem(1234567)}
	format := []byte("%d")
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = Printf(buf[:0], format, args, 0)
	}
}

func BenchmarkPrintfString(b *testing.B) {
	buf := make([]byte, 0, 64)
	args := []Mem{textMem("hello, world")}
	format := []byte("%-20s|")
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = Printf(buf[:0], format, args, 0)
	}
}

func BenchmarkPrintfFloat(b *testing.B) {
	buf := make([]byte, 0, 64)
	var m Mem
	m.SetFloat(3.14159265358979)
	args := []Mem{m}
	format := []byte("%.6f")
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = Printf(buf[:0], format, args, 0)
	}
}

func BenchmarkAppendReal(b *testing.B) {
	buf := make([]byte, 0, 64)
	vals := []float64{0.1, 1234.5678, 1e20, 6.02214076e23, -2.5e-7}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = AppendReal(buf[:0], vals[i%len(vals)])
	}
}

func BenchmarkParseFloat(b *testing.B) {
	inputs := [][]byte{[]byte("3.14159"), []byte("1e300"), []byte(" 12345 "), []byte("0.000123")}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		parseFloat(inputs[i%len(inputs)])
	}
}

func BenchmarkParseInt(b *testing.B) {
	input := []byte("9223372036854775807")
	b.ReportAllocs()
	for b.Loop() {
		parseInt(input)
	}
}

func BenchmarkApplyNumericAffinity(b *testing.B) {
	var m Mem
	b.ReportAllocs()
	for b.Loop() {
		m.SetTextString("12345")
		ApplyAffinity(&m, AffinityInteger)
	}
}

func BenchmarkAddIntText(b *testing.B) {
	x, y := intMem(40), textMem("2")
	var out Mem
	b.ReportAllocs()
	for b.Loop() {
		Add(&out, &x, &y)
	}
}

func BenchmarkLike(b *testing.B) {
	pat, s := []byte("%needle%"), []byte("a haystack with a NEEDLE in the middle of it")
	b.ReportAllocs()
	for b.Loop() {
		Like(pat, s, 0)
	}
}
