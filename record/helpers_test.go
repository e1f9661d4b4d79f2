package record

import (
	"bytes"
	"encoding/hex"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// valueOpts compares Values the way SQL does for equal values: an empty TEXT
// or BLOB equals another whether or not its slice is nil.
var valueOpts = cmp.Options{cmpopts.EquateEmpty()}

// mustHex decodes hex written with optional spaces between groups of bytes.
func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// vals is shorthand for building a row in a table of test cases: nil is
// NULL, int and int64 INTEGER, float64 REAL, string TEXT, []byte BLOB.
func vals(xs ...any) []Value {
	out := make([]Value, len(xs))
	for i, x := range xs {
		switch x := x.(type) {
		case nil:
			out[i] = NullValue()
		case int:
			out[i] = IntValue(int64(x))
		case int64:
			out[i] = IntValue(x)
		case float64:
			out[i] = RealValue(x)
		case string:
			out[i] = TextValue(x)
		case []byte:
			out[i] = BlobValue(x)
		case Value:
			out[i] = x
		default:
			panic("vals: unsupported type")
		}
	}
	return out
}

// sameValue reports whether a and b are the same value of the same storage
// class, REALs bit for bit. It is the fast check for loops that run many
// thousands of times; cmp.Diff then explains a failure.
func sameValue(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Integer:
		return a.Int == b.Int
	case Real:
		return math.Float64bits(a.Float) == math.Float64bits(b.Float)
	case Text, Blob:
		return bytes.Equal(a.Bytes, b.Bytes)
	}
	return true
}

func sameValues(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}
