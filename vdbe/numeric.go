package vdbe

import (
	"math"
	"strconv"

	"github.com/wrendb/wren/record"
)

// This file holds SQLite's conversions between text and numbers. They are
// deliberately not strconv's: SQLite accepts leading and trailing spaces,
// reads the longest numeric prefix of malformed text, clamps out-of-range
// integers, never accepts hex, "inf" or "nan" in text, and computes the
// float with long-double intermediates. The different SQL operations (CAST
// to INTEGER, to REAL, to NUMERIC, numeric affinity, arithmetic) combine the
// two parsers below in different ways; see affinity.go and arith.go.

// isSpace is C's isspace in the "C" locale, which is what SQLite uses.
func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Outcomes of parseInt, SQLite's sqlite3Atoi64.
const (
	intOK       = 0 // the whole text is an integer that fits (spaces allowed around it)
	intExtra    = 1 // a prefix (possibly empty) is an integer; other text follows
	intOverflow = 2 // the digits do not fit; the value is clamped
	intMinPlus1 = 3 // exactly 9223372036854775808 without a minus sign; clamped
	intNoDigits = -1
)

// parseInt reads an optionally signed decimal integer surrounded by optional
// spaces. It always returns the value of the longest integer prefix (0 if
// none), clamped to the int64 range, and a status saying how well the text
// matched.
func parseInt(b []byte) (int64, int) {
	i, n := 0, len(b)
	for i < n && isSpace(b[i]) {
		i++
	}
	neg := false
	if i < n {
		if b[i] == '-' {
			neg = true
			i++
		} else if b[i] == '+' {
			i++
		}
	}
	start := i
	for i < n && b[i] == '0' {
		i++
	}
	digitsAt := i
	var u uint64
	for i < n && isDigit(b[i]) {
		u = u*10 + uint64(b[i]-'0')
		i++
	}
	nd := i - digitsAt
	rc := intOK
	if nd == 0 && digitsAt == start {
		rc = intNoDigits
	} else {
		for j := i; j < n; j++ {
			if !isSpace(b[j]) {
				rc = intExtra
				break
			}
		}
	}
	clamp := int64(math.MaxInt64)
	if neg {
		clamp = math.MinInt64
	}
	if nd < 19 {
		if neg {
			return -int64(u), rc
		}
		return int64(u), rc
	}
	c := 1
	if nd == 19 {
		c = compareToTwo63(b[digitsAt:i])
	}
	switch {
	case c < 0:
		if neg {
			return -int64(u), rc
		}
		return int64(u), rc
	case c > 0:
		return clamp, intOverflow
	case neg:
		return clamp, rc
	}
	return clamp, intMinPlus1
}

// compareToTwo63 compares 19 decimal digits with 9223372036854775808.
func compareToTwo63(d []byte) int {
	const two63 = "9223372036854775808"
	for i := 0; i < 19; i++ {
		if d[i] != two63[i] {
			if d[i] < two63[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Outcomes of parseFloat, SQLite's sqlite3AtoF. Positive values mean the
// whole text is a number: 1 a pure integer, 2 or more with a decimal point
// and/or an exponent.
const (
	floatNone        = 0  // not a number (a prefix may still have been read)
	floatInteger     = 1  // the text is an integer
	floatPrefixFrac  = -1 // only a prefix is a number, and it has '.' or 'e'
	floatFractionMin = 2  // the text is a number with '.' or 'e'
)

// parseFloat reads a decimal number with optional fraction and exponent,
// surrounded by optional spaces, and returns the value of its longest
// numeric prefix (0.0 if none) with a status (see the float* constants).
//
// The value is computed as SQLite does: at most 18-19 significant digits are
// kept, and the power of ten is applied with long-double arithmetic, so the
// result is bit-for-bit SQLite's even in the rare cases where that differs
// from correct rounding.
func parseFloat(b []byte) (float64, int) {
	i, n := 0, len(b)
	for i < n && isSpace(b[i]) {
		i++
	}
	if i >= n {
		return 0, floatNone
	}
	neg := false
	if b[i] == '-' {
		neg = true
		i++
	} else if b[i] == '+' {
		i++
	}
	const sigLimit = (math.MaxInt64 - 9) / 10
	var s int64
	d, nDigit, eType := 0, 0, 1
	esign, e, eValid := 1, 0, true
	for i < n && isDigit(b[i]) {
		s = s*10 + int64(b[i]-'0')
		i++
		nDigit++
		if s >= sigLimit {
			for i < n && isDigit(b[i]) {
				i++
				d++
			}
		}
	}
	if i < n && b[i] == '.' {
		i++
		eType++
		for i < n && isDigit(b[i]) {
			if s < sigLimit {
				s = s*10 + int64(b[i]-'0')
				d--
				nDigit++
			}
			i++
		}
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		i++
		eValid = false
		eType++
		if i < n {
			if b[i] == '-' {
				esign = -1
				i++
			} else if b[i] == '+' {
				i++
			}
			for i < n && isDigit(b[i]) {
				if e < 10000 {
					e = e*10 + int(b[i]-'0')
				} else {
					e = 10000
				}
				i++
				eValid = true
			}
		}
	}
	for i < n && isSpace(b[i]) {
		i++
	}
	f := scaleDecimal(s, e*esign+d)
	if neg {
		f = -f
	}
	switch {
	case i == n && nDigit > 0 && eValid:
		return f, eType
	case eType >= 2 && (eType == 3 || eValid) && nDigit > 0:
		return f, floatPrefixFrac
	}
	return f, floatNone
}

// scaleDecimal returns s × 10^e (s >= 0) the way SQLite's sqlite3AtoF does.
func scaleDecimal(s int64, e int) float64 {
	if s == 0 {
		return 0
	}
	// Move powers of ten between s and e while it stays exact.
	for e > 0 && s < math.MaxInt64/10 {
		s *= 10
		e--
	}
	for e < 0 && s%10 == 0 {
		s /= 10
		e++
	}
	if e == 0 {
		return float64(s)
	}
	neg := e < 0
	if neg {
		e = -e
	}
	x := extFromUint(uint64(s))
	switch {
	case e >= 342:
		if neg {
			return 0
		}
		return math.Inf(1)
	case e > 307:
		scale := extPowTen[e-308]
		if neg {
			return x.div(scale).float64() / 1e308
		}
		return x.mul(scale).float64() * 1e308
	}
	scale := extPowTen[e%22]
	for k := e / 22; k > 0; k-- {
		scale = scale.mul(ext1e22)
	}
	if neg {
		return x.div(scale).float64()
	}
	return x.mul(scale).float64()
}

// realToInt converts a REAL to INTEGER the way SQLite does everywhere a
// float must become an integer: truncation toward zero, saturating at the
// int64 limits (NaN cannot occur in a Mem).
func realToInt(f float64) int64 {
	switch {
	case f <= math.MinInt64:
		return math.MinInt64
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f != f:
		return 0
	}
	return int64(f)
}

// realIsInt reports whether f is exactly the integer i and small enough that
// SQLite chooses to keep it as an INTEGER (|i| < 2^51) when converting text
// to NUMERIC.
func realIsInt(f float64, i int64) bool {
	if f == 0 {
		return true
	}
	return math.Float64bits(f) == math.Float64bits(float64(i)) &&
		i >= -2251799813685248 && i < 2251799813685248
}

// IntValue returns m as an INTEGER, as sqlite3_value_int64 does: REAL is
// truncated and clamped, TEXT and BLOB read their integer prefix (so
// '12.9' is 12 and '1e3' is 1), NULL is 0.
func IntValue(m *Mem) int64 {
	switch m.v.Kind {
	case record.Integer:
		return m.v.Int
	case record.Real:
		return realToInt(m.v.Float)
	case record.Text, record.Blob:
		i, _ := parseInt(m.v.Bytes)
		return i
	}
	return 0
}

// RealValue returns m as a REAL, as sqlite3_value_double does: TEXT and
// BLOB read their numeric prefix, NULL is 0.0.
func RealValue(m *Mem) float64 {
	switch m.v.Kind {
	case record.Integer:
		return float64(m.v.Int)
	case record.Real:
		return m.v.Float
	case record.Text, record.Blob:
		f, _ := parseFloat(m.v.Bytes)
		return f
	}
	return 0
}

// AppendText appends the text form of an INTEGER or REAL (what CAST(x AS
// TEXT) and typeof-preserving output produce); TEXT and BLOB append their
// bytes and NULL appends nothing.
func AppendText(dst []byte, m *Mem) []byte {
	switch m.v.Kind {
	case record.Integer:
		return strconv.AppendInt(dst, m.v.Int, 10)
	case record.Real:
		return AppendReal(dst, m.v.Float)
	case record.Text, record.Blob:
		return append(dst, m.Bytes()...)
	}
	return dst
}

// AppendReal appends SQLite's text form of a REAL, printf's "%!.15g": 15
// significant digits, always with a decimal point or an exponent
// ("1.0", "0.1", "1.0e+20", "1.23456789012346e+18", "Inf", "-Inf").
func AppendReal(dst []byte, f float64) []byte {
	dst, _ = appendFloat(dst, f, 'g', 15, 0, false, true)
	return dst
}

// ParseInteger reads text as SQLite reads an integer literal or an integer
// in text: ok is true only when the whole text (spaces around it allowed)
// is a decimal integer that fits in int64. Otherwise v is the clamped
// value of the longest integer prefix. Use it with ParseReal for literals:
// "9223372036854775808" is not an integer, so it becomes a REAL.
func ParseInteger(b []byte) (v int64, ok bool) {
	v, rc := parseInt(b)
	return v, rc == intOK
}

// ParseReal reads text as SQLite's sqlite3AtoF does: ok is true when the
// whole text (spaces around it allowed) is a decimal number with optional
// fraction and exponent; f is the value of the longest numeric prefix in
// any case, computed exactly as SQLite computes it.
func ParseReal(b []byte) (f float64, ok bool) {
	f, rc := parseFloat(b)
	return f, rc > 0
}
