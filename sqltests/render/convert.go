package render

import (
	"math"
	"strconv"
)

// Storage classes are what SQLite calls the five kinds of value. Drivers give
// them to us as Go types; classify maps those onto SQLite's names so the
// conversions below read like SQLite's documentation.
type storageClass int

const (
	classNull storageClass = iota
	classInteger
	classReal
	classText
	classBlob
)

// classify normalises a driver value. Drivers may return narrower integer
// types or bool; anything else (time.Time from a DATE-declared column, say)
// is not a value SQLite stores, so it is reported instead of guessed at.
func classify(v any) (storageClass, int64, float64, []byte, bool) {
	switch x := v.(type) {
	case nil:
		return classNull, 0, 0, nil, true
	case int64:
		return classInteger, x, 0, nil, true
	case int:
		return classInteger, int64(x), 0, nil, true
	case int32:
		return classInteger, int64(x), 0, nil, true
	case float64:
		return classReal, 0, x, nil, true
	case float32:
		return classReal, 0, float64(x), nil, true
	case string:
		return classText, 0, 0, []byte(x), true
	case []byte:
		return classBlob, 0, 0, x, true
	}
	return classNull, 0, 0, nil, false
}

// isSpace is SQLite's sqlite3Isspace: ASCII space and \t \n \v \f \r.
func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// TextToInt64 is the integer SQLite reads from a text or blob when asked for
// an integer (sqlite3_column_int64 on TEXT, via sqlite3Atoi64): leading
// whitespace, an optional sign, then as many decimal digits as follow.
// Anything after the digits is ignored, no digits give 0, and a magnitude
// beyond the int64 range saturates at math.MinInt64 or math.MaxInt64.
func TextToInt64(b []byte) int64 {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	for i < len(b) && b[i] == '0' {
		i++
	}
	var u uint64
	digits := 0
	for ; i < len(b) && isDigit(b[i]); i++ {
		if digits < 19 { // 19 digits never wrap a uint64
			u = u*10 + uint64(b[i]-'0')
		}
		digits++
	}
	// From 2^63 up the magnitude does not fit (2^63 itself fits only when
	// negative, and saturating gives that same value).
	if digits > 19 || u >= 1<<63 {
		if neg {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	if neg {
		return -int64(u)
	}
	return int64(u)
}

// TextToFloat is the real SQLite reads from a text or blob when asked for a
// double (sqlite3_column_double on TEXT, via sqlite3AtoF): the longest prefix
// of the form [space][sign]digits[.digits][(e|E)[sign]digits], 0 when there is
// no digit. An exponent marker without digits is ignored, so "1e" is 1.
// Magnitudes beyond the float64 range become ±Inf, tiny ones 0.
func TextToFloat(b []byte) float64 {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	start := i
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	mantissaDigits := 0
	for i < len(b) && isDigit(b[i]) {
		i++
		mantissaDigits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && isDigit(b[i]) {
			i++
			mantissaDigits++
		}
	}
	if mantissaDigits == 0 {
		return 0
	}
	end := i
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		j := i + 1
		if j < len(b) && (b[j] == '-' || b[j] == '+') {
			j++
		}
		k := j
		for k < len(b) && isDigit(b[k]) {
			k++
		}
		if k > j {
			end = k
		}
	}
	f, err := strconv.ParseFloat(string(b[start:end]), 64)
	if err != nil {
		// ParseFloat only fails here on range; it still returns ±Inf or 0,
		// which is what SQLite's conversion gives too.
		return f
	}
	return f
}

// RealToInt64 is SQLite's REAL to INTEGER conversion (doubleToInt64): truncate
// toward zero, saturating at the int64 limits. NaN, which SQLite never
// stores, gives 0.
func RealToInt64(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f <= math.MinInt64:
		return math.MinInt64
	case f >= math.MaxInt64:
		return math.MaxInt64
	}
	return int64(f)
}

// ColumnInt64 is sqlite3_column_int64 applied to a stored value.
func ColumnInt64(v any) (int64, bool) {
	class, i, f, b, ok := classify(v)
	switch class {
	case classInteger:
		return i, ok
	case classReal:
		return RealToInt64(f), ok
	case classText, classBlob:
		return TextToInt64(b), ok
	}
	return 0, ok
}

// ColumnInt is sqlite3_column_int: the 64-bit integer cut to its low 32 bits,
// as C's conversion to int does on every platform SQLite runs on.
func ColumnInt(v any) (int32, bool) {
	i, ok := ColumnInt64(v)
	return int32(i), ok
}

// ColumnDouble is sqlite3_column_double applied to a stored value.
func ColumnDouble(v any) (float64, bool) {
	class, i, f, b, ok := classify(v)
	switch class {
	case classInteger:
		return float64(i), ok
	case classReal:
		return f, ok
	case classText, classBlob:
		return TextToFloat(b), ok
	}
	return 0, ok
}

// ColumnText is sqlite3_column_text applied to a stored value: integers in
// decimal, reals in SQLite's real-to-text form, texts and blobs as their
// bytes. NULL gives nil.
func ColumnText(v any) ([]byte, bool) {
	class, i, f, b, ok := classify(v)
	switch class {
	case classInteger:
		return strconv.AppendInt(nil, i, 10), ok
	case classReal:
		return []byte(RealText(f)), ok
	case classText, classBlob:
		return b, ok
	}
	return nil, ok
}
