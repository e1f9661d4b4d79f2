package record

import (
	"encoding/hex"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure that every varint length boundary encodes to the documented bytes,
// in the shortest form, and decodes back to the same value.
func TestVarintBoundaries(t *testing.T) {
	tests := []struct {
		v   uint64
		hex string
	}{
		{0, "00"},
		{1, "01"},
		{127, "7f"},
		{128, "8100"},
		{240, "8170"},
		{2287, "916f"},
		{2288, "9170"},
		{16383, "ff7f"},
		{16384, "818000"},
		{1<<21 - 1, "ffff7f"},
		{1 << 21, "81808000"},
		{1<<28 - 1, "ffffff7f"},
		{1 << 28, "8180808000"},
		{1<<35 - 1, "ffffffff7f"},
		{1 << 35, "818080808000"},
		{1<<42 - 1, "ffffffffff7f"},
		{1 << 42, "81808080808000"},
		{1<<49 - 1, "ffffffffffff7f"},
		{1 << 49, "8180808080808000"},
		{1<<56 - 1, "ffffffffffffff7f"},
		{1 << 56, "80c080808080808000"},
		{1<<56 + 0xff, "80c0808080808080ff"},
		{1<<63 - 1, "bfffffffffffffffff"},
		{1 << 63, "c08080808080808000"},
		{math.MaxUint64, "ffffffffffffffffff"},
	}
	for _, tt := range tests {
		want, err := hex.DecodeString(tt.hex)
		if err != nil {
			t.Fatal(err)
		}
		got := AppendVarint(nil, tt.v)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("AppendVarint(%d) bytes (-want +got):\n%s", tt.v, diff)
		}
		if n := VarintLen(tt.v); n != len(want) {
			t.Errorf("VarintLen(%d) = %d, want %d", tt.v, n, len(want))
		}
		var buf [MaxVarintLen]byte
		if n := PutVarint(buf[:], tt.v); n != len(want) || string(buf[:n]) != string(want) {
			t.Errorf("PutVarint(%d) = %x, want %x", tt.v, buf[:n], want)
		}
		// Trailing bytes after the varint must not be read.
		v, n := Varint(append(append([]byte{}, want...), 0xff, 0xff))
		if v != tt.v || n != len(want) {
			t.Errorf("Varint(%x) = %d, %d; want %d, %d", want, v, n, tt.v, len(want))
		}
	}
}

// Ensure that a varint cut short anywhere decodes as n == 0 rather than
// reading past the slice.
func TestVarintTruncated(t *testing.T) {
	for _, v := range []uint64{128, 1 << 21, 1 << 49, 1<<56 - 1, 1 << 56, math.MaxUint64} {
		enc := AppendVarint(nil, v)
		for cut := 0; cut < len(enc); cut++ {
			// A capacity equal to the length catches reads past len.
			short := enc[:cut:cut]
			if got, n := Varint(short); n != 0 {
				t.Errorf("Varint(%x) of %d = %d, %d; want n == 0", short, v, got, n)
			}
		}
	}
}

// Ensure that the longer forms SQLite also accepts decode to their value.
func TestVarintNonMinimal(t *testing.T) {
	for _, tt := range []struct {
		hex string
		v   uint64
		n   int
	}{
		{"8000", 0, 2},
		{"807f", 127, 2},
		{"80808001", 1, 4},
		{"808080808080808001", 1, 9},
	} {
		b, _ := hex.DecodeString(tt.hex)
		if v, n := Varint(b); v != tt.v || n != tt.n {
			t.Errorf("Varint(%s) = %d, %d; want %d, %d", tt.hex, v, n, tt.v, tt.n)
		}
	}
}

// Ensure that encoding and decoding agree for values around every power of
// two, where the length changes.
func TestVarintRoundTripPowers(t *testing.T) {
	for shift := 0; shift < 64; shift++ {
		for _, v := range []uint64{1<<shift - 1, 1 << shift, 1<<shift + 1} {
			enc := AppendVarint(nil, v)
			got, n := Varint(enc)
			if got != v || n != len(enc) || n != VarintLen(v) {
				t.Errorf("round trip of %d: got %d, n=%d, len=%d, VarintLen=%d", v, got, n, len(enc), VarintLen(v))
			}
		}
	}
}
