package wren

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/record"
)

type status int

type valuer struct{ v driver.Value }

func (v valuer) Value() (driver.Value, error) { return v.v, nil }

type ptrValuer struct{ s string }

func (p *ptrValuer) Value() (driver.Value, error) { return p.s, nil }

// Ensure that every Go integer size, floats, bools, strings, bytes, times,
// nil and driver.Valuer convert to the driver's value types.
func TestCheckValue(t *testing.T) {
	when := time.Date(2024, 2, 29, 12, 30, 0, 5, time.UTC)
	tests := []struct {
		in   any
		want driver.Value
	}{
		{nil, nil},
		{int(-5), int64(-5)},
		{int8(math.MinInt8), int64(math.MinInt8)},
		{int16(math.MaxInt16), int64(math.MaxInt16)},
		{int32(math.MinInt32), int64(math.MinInt32)},
		{int64(math.MaxInt64), int64(math.MaxInt64)},
		{uint(7), int64(7)},
		{uint8(255), int64(255)},
		{uint16(math.MaxUint16), int64(math.MaxUint16)},
		{uint32(math.MaxUint32), int64(math.MaxUint32)},
		{uint64(math.MaxInt64), int64(math.MaxInt64)},
		{float32(1.5), float64(1.5)},
		{2.25, 2.25},
		{true, true},
		{"text", "text"},
		{[]byte{1, 2}, []byte{1, 2}},
		{when, when},
		{valuer{int64(3)}, int64(3)},
		{valuer{uint16(9)}, int64(9)},
		{valuer{nil}, nil},
		{sql.NullString{String: "s", Valid: true}, "s"},
		{sql.NullInt64{}, nil},
		{(*ptrValuer)(nil), nil},
		{&ptrValuer{"p"}, "p"},
	}
	for _, tt := range tests {
		got, err := checkValue(tt.in)
		if err != nil {
			t.Errorf("checkValue(%#v): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("checkValue(%#v) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Ensure that a uint64 SQLite cannot store is an error, not a wrap to a
// negative number, and that unknown types go to database/sql's default.
func TestCheckValueRejects(t *testing.T) {
	for _, v := range []any{uint64(math.MaxInt64) + 1, uint64(math.MaxUint64), valuer{uint64(1 << 63)}} {
		if _, err := checkValue(v); err == nil || !strings.Contains(err.Error(), "does not fit") {
			t.Errorf("checkValue(%v) error = %v, want one saying it does not fit", v, err)
		}
	}
	if uint64(^uint(0)) > math.MaxInt64 {
		if _, err := checkValue(^uint(0)); err == nil {
			t.Errorf("checkValue(max uint) succeeded")
		}
	}
	for _, v := range []any{status(3), []int{1}, struct{}{}} {
		if _, err := checkValue(v); !errors.Is(err, driver.ErrSkip) {
			t.Errorf("checkValue(%T) error = %v, want driver.ErrSkip", v, err)
		}
	}
	if _, err := checkValue(valuer{valuer{1}}); err == nil {
		t.Errorf("a Valuer returning a Valuer was accepted")
	}
}

// Ensure that arguments become the engine values SQLite would store: bool
// as 0/1, time as text in the chosen format.
func TestToValue(t *testing.T) {
	when := time.Date(2024, 2, 29, 12, 30, 1, 250000000, time.FixedZone("", 2*3600))
	tests := []struct {
		in     driver.Value
		format TimeFormat
		want   record.Value
	}{
		{nil, "", record.Value{}},
		{int64(-1), "", record.IntValue(-1)},
		{1.5, "", record.RealValue(1.5)},
		{true, "", record.IntValue(1)},
		{false, "", record.IntValue(0)},
		{"héllo", "", record.TextValue("héllo")},
		{[]byte{0, 1}, "", record.BlobValue([]byte{0, 1})},
		{[]byte(nil), "", record.BlobValue([]byte{})},
		{when, TimeFormatSQLite, record.TextValue("2024-02-29 12:30:01.25+02:00")},
		{when, TimeFormatRFC3339, record.TextValue("2024-02-29T12:30:01.25+02:00")},
		{when, TimeFormatUnix, record.IntValue(when.Unix())},
		{when, TimeFormatUnixMilli, record.IntValue(when.UnixMilli())},
		{when, TimeFormatUnixNano, record.IntValue(when.UnixNano())},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), TimeFormatSQLite, record.TextValue("2024-01-02 03:04:05+00:00")},
		// The integer kinds CheckNamedValue passes through unconverted.
		{int(-5), "", record.IntValue(-5)},
		{int8(math.MinInt8), "", record.IntValue(math.MinInt8)},
		{int16(math.MaxInt16), "", record.IntValue(math.MaxInt16)},
		{int32(math.MinInt32), "", record.IntValue(math.MinInt32)},
		{uint(7), "", record.IntValue(7)},
		{uint8(255), "", record.IntValue(255)},
		{uint16(math.MaxUint16), "", record.IntValue(math.MaxUint16)},
		{uint32(math.MaxUint32), "", record.IntValue(math.MaxUint32)},
		{uint64(math.MaxInt64), "", record.IntValue(math.MaxInt64)},
		{float32(1.5), "", record.RealValue(1.5)},
	}
	for _, tt := range tests {
		got, err := toValue(tt.in, tt.format)
		if err != nil {
			t.Errorf("toValue(%#v): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("toValue(%#v, %q) mismatch (-want +got):\n%s", tt.in, tt.format, diff)
		}
	}
	if _, err := toValue(struct{}{}, ""); err == nil {
		t.Errorf("toValue(struct{}{}) succeeded")
	}
	if _, err := toValue(uint64(math.MaxInt64+1), ""); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("toValue(MaxInt64+1) error = %v, want one saying it does not fit", err)
	}
}

// Ensure that CheckNamedValue accepts every integer kind without boxing
// a converted int64, refuses a uint64 above MaxInt64, and still converts
// the types only checkValue knows (a driver.Valuer).
func TestCheckNamedValue(t *testing.T) {
	var c conn
	for _, v := range []any{int(300), int8(1), int16(2), int32(3), uint(4), uint8(5), uint16(6), uint32(7), uint64(8), float32(0.5)} {
		nv := driver.NamedValue{Ordinal: 1, Value: v}
		if err := c.CheckNamedValue(&nv); err != nil {
			t.Errorf("CheckNamedValue(%T): %v", v, err)
		}
		if nv.Value != v {
			t.Errorf("CheckNamedValue(%T) changed the value to %#v", v, nv.Value)
		}
	}
	for _, v := range []any{uint64(math.MaxInt64 + 1), ^uint(0)} {
		nv := driver.NamedValue{Ordinal: 1, Value: v}
		if err := c.CheckNamedValue(&nv); err == nil || !strings.Contains(err.Error(), "does not fit") {
			t.Errorf("CheckNamedValue(%v) error = %v, want one saying it does not fit", v, err)
		}
	}
	nv := driver.NamedValue{Ordinal: 1, Value: valuer{uint16(9)}}
	if err := c.CheckNamedValue(&nv); err != nil || nv.Value != int64(9) {
		t.Errorf("CheckNamedValue(valuer) = %#v, %v; want int64(9)", nv.Value, err)
	}
}

// Ensure that time columns read back what Wren writes and what SQLite's
// date functions produce; a zero offset reads back as UTC.
func TestParseTime(t *testing.T) {
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-02-29 12:30:01.25+02:00", time.Date(2024, 2, 29, 12, 30, 1, 250000000, plus2)},
		{"2024-02-29 12:30:01.123456789-07:00", time.Date(2024, 2, 29, 12, 30, 1, 123456789, time.FixedZone("", -7*3600))},
		{"2024-02-29 12:30:01+00:00", time.Date(2024, 2, 29, 12, 30, 1, 0, time.UTC)},
		{"2024-02-29T12:30:01Z", time.Date(2024, 2, 29, 12, 30, 1, 0, time.UTC)},
		{"2024-02-29T12:30:01.5Z", time.Date(2024, 2, 29, 12, 30, 1, 500000000, time.UTC)},
		{"2024-02-29 12:30:01", time.Date(2024, 2, 29, 12, 30, 1, 0, time.UTC)},
		{"2024-02-29 12:30:01.999", time.Date(2024, 2, 29, 12, 30, 1, 999000000, time.UTC)},
		{"2024-02-29 12:30", time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC)},
		{"2024-02-29T12:30+02:00", time.Date(2024, 2, 29, 12, 30, 0, 0, plus2)},
		{"2024-02-29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.in)
		if !ok {
			t.Errorf("parseTime(%q) failed", tt.in)
			continue
		}
		if !got.Equal(tt.want) || got.Location().String() != tt.want.Location().String() {
			t.Errorf("parseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
		_, gotOff := got.Zone()
		_, wantOff := tt.want.Zone()
		if gotOff != wantOff {
			t.Errorf("parseTime(%q) offset %d, want %d", tt.in, gotOff, wantOff)
		}
	}
	for _, bad := range []string{"", "now", "2024-13-01", "12:30:01", "2024-02-29 25:00"} {
		if _, ok := parseTime(bad); ok {
			t.Errorf("parseTime(%q) succeeded", bad)
		}
	}
	if got := unixTime(1700000000123, TimeFormatUnixMilli); !got.Equal(time.UnixMilli(1700000000123)) {
		t.Errorf("unixTime millis = %v", got)
	}
}

// Ensure that boxed values are the numbers given and stay so: each box is
// its own cell, never reused.
func TestBoxer(t *testing.T) {
	var b boxer
	var got []driver.Value
	var want []driver.Value
	for i := range 3000 {
		n := int64(i)*7919 - 1000
		f := float64(i) / 3
		got = append(got, b.int64(n), b.float64(f))
		want = append(want, n, f)
	}
	got = append(got, b.int64(math.MinInt64), b.int64(math.MaxInt64), b.float64(math.Inf(-1)))
	want = append(want, int64(math.MinInt64), int64(math.MaxInt64), math.Inf(-1))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boxed values mismatch (-want +got):\n%s", diff)
	}
	if _, ok := got[2].(int64); !ok {
		t.Errorf("a boxed int64 is a %T", got[2])
	}
	if _, ok := got[3].(float64); !ok {
		t.Errorf("a boxed float64 is a %T", got[3])
	}
	allocs := testing.AllocsPerRun(10, func() {
		var b boxer
		for i := range 10000 {
			_ = b.int64(int64(i) + 1000)
		}
	})
	if allocs > 40 {
		t.Errorf("boxing 10000 integers made %v allocations, want a few dozen slabs at most", allocs)
	}
}

// Ensure that a row's strings made in one allocation read back intact,
// are plain strings to type switches and comparisons, and survive garbage
// collections after the source bytes change and only the strings remain.
func TestRowStrings(t *testing.T) {
	var kept []driver.Value
	var want []any
	src := make([]byte, 1024) // a buffer the engine reuses from row to row
	for row := range 200 {
		texts := [][]byte{[]byte("a"), []byte(strings.Repeat("é", row)), []byte(fmt.Sprintf("row %d", row)), []byte("seven b")}
		total := 0
		for _, b := range texts {
			total += len(b)
		}
		nonEmpty := 0
		for _, b := range texts {
			if len(b) > 0 {
				nonEmpty++
			}
		}
		var s rowStrings
		s.reset(nonEmpty, total)
		for _, b := range texts {
			if len(b) == 0 {
				continue
			}
			copy(src, b) // the engine's bytes alias a buffer it reuses
			kept = append(kept, s.text(src[:len(b)]))
			want = append(want, string(b))
		}
		if row%50 == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	got := make([]any, len(kept))
	for i, v := range kept {
		s, ok := v.(string)
		if !ok {
			t.Fatalf("value %d is a %T, want string", i, v)
		}
		got[i] = s
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row strings mismatch (-want +got):\n%s", diff)
	}
	allocs := testing.AllocsPerRun(100, func() {
		var s rowStrings
		s.reset(3, 30)
		for range 3 {
			_ = s.text([]byte("0123456789"))
		}
	})
	if allocs != 1 {
		t.Errorf("three strings of a row made %v allocations, want 1", allocs)
	}
}
