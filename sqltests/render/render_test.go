package render

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The expectations below come from the sqlite3 shell (3.40.1) and, for the
// %.3f rule that changed in 3.43, from printf() in the SQLite that
// mattn/go-sqlite3 bundles (see TestFixedRealMatchesSQLite).

func TestTextToInt64(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"12", 12},
		{"12abc", 12},
		{"abc", 0},
		{"", 0},
		{"  \t\n-42 ", -42},
		{"+7", 7},
		{"-", 0},
		{"1.9", 1},
		{"1e5", 1},
		{"000000000000000000000000123", 123},
		{"9223372036854775807", math.MaxInt64},
		{"9223372036854775808", math.MaxInt64},
		{"-9223372036854775808", math.MinInt64},
		{"-9223372036854775809", math.MinInt64},
		{"99999999999999999999999", math.MaxInt64},
		{"-99999999999999999999999", math.MinInt64},
		{"18446744073709551617", math.MaxInt64},
		{"0x10", 0},
	}
	for _, tt := range tests {
		if got := TextToInt64([]byte(tt.in)); got != tt.want {
			t.Errorf("TextToInt64(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestTextToFloat(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"1.5", 1.5},
		{"1.5abc", 1.5},
		{"  -2.25e2x", -225},
		{"1e", 1},
		{"1e+", 1},
		{".5", 0.5},
		{"5.", 5},
		{".", 0},
		{"abc", 0},
		{"inf", 0},
		{"nan", 0},
		{"0x1p3", 0},
		{"1e999", math.Inf(1)},
		{"-1e999", math.Inf(-1)},
		{"1e-999", 0},
	}
	for _, tt := range tests {
		if got := TextToFloat([]byte(tt.in)); got != tt.want {
			t.Errorf("TextToFloat(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFixedReal(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.000"},
		{math.Copysign(0, -1), "0.000"},
		{1, "1.000"},
		{-1.5, "-1.500"},
		{0.0625, "0.063"}, // half rounds up, unlike C's printf
		{0.0005, "0.001"},
		{0.00049999, "0.000"},
		{-0.0001, "-0.000"},
		{0.00001, "0.000"},
		{0.9999, "1.000"},
		{123456.7894, "123456.789"},
		{-9223372036854775808, "-9223372036854776000.000"},
		{-18446744073709551616, "-18446744073709550000.000"},
		{1e15, "1000000000000000.000"},
		{1234567890123.4567, "1234567890123.457"},
		{12345678901234.567, "12345678901234.570"},
		{math.Inf(1), "Inf"},
		{math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		if got := FixedReal(tt.in); got != tt.want {
			t.Errorf("FixedReal(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRealText(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{1, "1.0"},
		{-2.5, "-2.5"},
		{0, "0.0"},
		{math.Copysign(0, -1), "0.0"},
		{1e15, "1.0e+15"},
		{1e14, "100000000000000.0"},
		{123456789012345678, "1.23456789012346e+17"},
		{0.0001, "0.0001"},
		{0.00001, "1.0e-05"},
		{1e100, "1.0e+100"},
		{1.0 / 3, "0.333333333333333"},
		{-1.5e-7, "-1.5e-07"},
		{1234567890123445, "1.23456789012345e+15"},
		{0.1, "0.1"},
		{99999999999999.99, "100000000000000.0"},
		{999999999999999.9, "1.0e+15"},
		{5e-324, "4.94065645841247e-324"},
		{math.MaxFloat64, "1.79769313486232e+308"},
		{12.5, "12.5"},
		{100, "100.0"},
		{math.Inf(1), "Inf"},
	}
	for _, tt := range tests {
		if got := RealText(tt.in); got != tt.want {
			t.Errorf("RealText(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		name string
		in   any
		typ  byte
		want string
	}{
		{"null as I", nil, 'I', "NULL"},
		{"null as T", nil, 'T', "NULL"},
		{"null as R", nil, 'R', "NULL"},
		{"int as I", int64(42), 'I', "42"},
		{"int as I keeps low 32 bits", int64(1) << 32, 'I', "0"},
		{"int as I wraps to negative", int64(0xFFFFFFFF), 'I', "-1"},
		{"int64 min as I", int64(math.MinInt64), 'I', "0"},
		{"real as I truncates", -3.9, 'I', "-3"},
		{"huge real as I saturates then cuts", 1e30, 'I', "-1"},
		{"text as I", "12abc", 'I', "12"},
		{"text as I no digits", "abc", 'I', "0"},
		{"blob as I", []byte("77"), 'I', "77"},
		{"int as R", int64(3), 'R', "3.000"},
		{"text as R", "2.5x", 'R', "2.500"},
		{"int as T", int64(-5), 'T', "-5"},
		{"real as T", 2.0, 'T', "2.0"},
		{"empty text", "", 'T', "(empty)"},
		{"empty blob", []byte{}, 'T', "(empty)"},
		{"unprintable bytes", "a\tb\x7f", 'T', "a@b@"},
		{"utf8 is one @ per byte", "é", 'T', "@@"},
		{"nul ends the C string", "ab\x00cd", 'T', "ab"},
		{"leading nul is empty", "\x00cd", 'T', "(empty)"},
		{"spaces kept", " a b ", 'T', " a b "},
	}
	for _, tt := range tests {
		got, err := Value(tt.in, tt.typ)
		if err != nil {
			t.Errorf("%s: Value(%#v, %c) error: %v", tt.name, tt.in, tt.typ, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Value(%#v, %c) mismatch (-want +got):\n%s", tt.name, tt.in, tt.typ, diff)
		}
	}
}

func TestValueRejectsNonSQLiteTypes(t *testing.T) {
	for _, v := range []any{true, struct{}{}, uint64(1)} {
		if _, err := Value(v, 'I'); err == nil {
			t.Errorf("Value(%#v, 'I') succeeded; want an error", v)
		}
	}
	if _, err := Value(int64(1), 'X'); err == nil {
		t.Error("Value with type letter X succeeded; want an error")
	}
}
