package render

import (
	"fmt"
	"math"
	"strconv"
)

// decimalDigits writes a positive finite f as SQLite's printf sees it: a
// string of significant digits and the position of the decimal point, so
// that f = 0.DIGITS × 10^pointPos. SQLite first converts the double to 18
// significant digits (sqlite3FpDecode) and then rounds that string half-up
// to the precision asked for; doing the same here, rather than rounding the
// exact binary value once, is what TestFixedRealMatchesSQLite checks.
func decimalDigits(f float64) (digits []byte, pointPos int) {
	s := strconv.FormatFloat(f, 'e', 17, 64) // "d.ddddddddddddddddde±XX"
	e := len(s) - 1
	for s[e] != 'e' {
		e--
	}
	exp, _ := strconv.Atoi(s[e+1:])
	digits = make([]byte, 0, 18)
	digits = append(digits, s[0])
	digits = append(digits, s[2:e]...)
	return digits, exp + 1
}

// roundHalfUp keeps n significant digits, rounding half away from zero as
// SQLite's sqlite3FpDecode does (C's printf would round half to even). A
// carry out of the first digit moves the decimal point.
func roundHalfUp(digits []byte, pointPos, n int) ([]byte, int) {
	if n >= len(digits) {
		return digits, pointPos
	}
	roundUp := digits[n] >= '5'
	digits = digits[:n]
	if !roundUp {
		return digits, pointPos
	}
	for i := n - 1; i >= 0; i-- {
		if digits[i] < '9' {
			digits[i]++
			return digits, pointPos
		}
		digits[i] = '0'
	}
	return append([]byte{'1'}, digits...), pointPos + 1
}

// special renders the values SQLite's printf spells out.
func special(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "NaN", true
	case math.IsInf(f, 1):
		return "Inf", true
	case math.IsInf(f, -1):
		return "-Inf", true
	}
	return "", false
}

// maxSignificantDigits is how many digits modern SQLite's printf produces
// (3.43 and later, which generated the corpus); beyond them it pads with 0.
const maxSignificantDigits = 16

// FixedReal is SQLite's printf("%.3f", f): three decimals, at most 16
// significant digits (so -2^63 prints as -9223372036854776000.000), halves
// rounded away from zero, and no sign on zero (-0.0 prints 0.000, while a
// negative value that rounds to zero keeps its sign, as C does).
func FixedReal(f float64) string {
	const decimals = 3
	if s, ok := special(f); ok {
		return s
	}
	sign := ""
	if f < 0 {
		sign = "-"
		f = -f
	}
	if f == 0 {
		return "0.000"
	}
	digits, pointPos := decimalDigits(f)
	keep := min(pointPos+decimals, maxSignificantDigits)
	switch {
	case keep < 0:
		// The first digit lies beyond the last printed decimal: all zeros.
		digits = nil
	case keep == 0:
		// The first digit is just past the last decimal: it rounds the
		// value up to one unit of that decimal, or down to zero.
		if digits[0] >= '5' {
			digits, pointPos = []byte{'1'}, pointPos+1
		} else {
			digits = nil
		}
	default:
		digits, pointPos = roundHalfUp(digits, pointPos, keep)
	}
	digitAt := func(i int) byte {
		if i < 0 || i >= len(digits) {
			return '0'
		}
		return digits[i]
	}
	out := []byte(sign)
	if pointPos <= 0 {
		out = append(out, '0')
	}
	for i := 0; i < pointPos; i++ {
		out = append(out, digitAt(i))
	}
	out = append(out, '.')
	for i := pointPos; i < pointPos+decimals; i++ {
		out = append(out, digitAt(i))
	}
	return string(out)
}

// realTextDigits is the precision of SQLite's real-to-text conversion.
const realTextDigits = 15

// RealText is the text SQLite gives a REAL when it is read as TEXT or cast:
// printf("%!.15g"), as the reference sqlite3 (3.40.1) does. Up to 15
// significant digits without trailing zeros, always with a decimal point
// ("1.0"), and exponent form with at least two exponent digits when the
// decimal exponent is below -4 or above 14 ("1.0e+15", "1.0e-05").
//
// SQLite 3.47 and later switched to the shortest text that round-trips
// ("0.30000000000000004"); the corpus never depends on the difference.
func RealText(f float64) string {
	if s, ok := special(f); ok {
		return s
	}
	if f == 0 {
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign = "-"
		f = -f
	}
	digits, pointPos := decimalDigits(f)
	digits, pointPos = roundHalfUp(digits, pointPos, realTextDigits)
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	exp := pointPos - 1
	if exp < -4 || exp >= realTextDigits {
		mantissa := string(digits[:1]) + "."
		if len(digits) > 1 {
			mantissa += string(digits[1:])
		} else {
			mantissa += "0"
		}
		expSign := '+'
		if exp < 0 {
			expSign, exp = '-', -exp
		}
		return fmt.Sprintf("%s%se%c%02d", sign, mantissa, expSign, exp)
	}
	var out []byte
	out = append(out, sign...)
	if pointPos <= 0 {
		out = append(out, "0."...)
		for i := pointPos; i < 0; i++ {
			out = append(out, '0')
		}
		out = append(out, digits...)
		return string(out)
	}
	for i := 0; i < pointPos; i++ {
		if i < len(digits) {
			out = append(out, digits[i])
		} else {
			out = append(out, '0')
		}
	}
	out = append(out, '.')
	if pointPos < len(digits) {
		out = append(out, digits[pointPos:]...)
	} else {
		out = append(out, '0')
	}
	return string(out)
}
