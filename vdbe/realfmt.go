package vdbe

import "math"

// Floating-point conversions of SQLite's printf (%f %e %E %g %G), which also
// produce the text form of every REAL ("%!.15g", see AppendReal).
//
// SQLite does not use the C library here. It adds a rounding constant to the
// value, scales it into [1, 10) and peels off decimal digits one at a time,
// all in long double, and stops producing real digits after 16 significant
// ones (26 with the '!' flag), padding with zeros. The results differ from
// correctly rounded output in the last places (printf('%.20f', 0.1) is
// 0.10000000000000000000, and 0.25 rounds to 0.3 at one digit), so the
// algorithm is reproduced with extFloat rather than approximated with
// strconv.

// fpPrecisionLimit caps a conversion's precision, as SQLite's
// SQLITE_FP_PRECISION_LIMIT does.
const fpPrecisionLimit = 100000000

// roundHalf[i] is 5×10^-(i+1), the rounding constant for precision i (mod 10).
var roundHalf = [10]float64{5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05,
	5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10}

// appendFloat appends f converted by conv ('f', 'e', 'E', 'g' or 'G') with
// the given precision (<0 for the default 6), sign flag (0, '+' or ' '),
// '#' flag (alt) and '!' flag (alt2). finite is false for infinities, whose
// output ("Inf") is never zero-padded.
func appendFloat(dst []byte, f float64, conv byte, prec int, signFlag byte, alt, alt2 bool) (out []byte, finite bool) {
	if prec < 0 {
		prec = 6
	}
	if prec > fpPrecisionLimit {
		prec = fpPrecisionLimit
	}
	prefix := signFlag
	if f < 0 {
		prefix = '-'
	}
	f = math.Abs(f)
	generic := conv == 'g' || conv == 'G'
	expForm := conv == 'e' || conv == 'E'
	if generic && prec > 0 {
		prec--
	}
	idx := prec & 0xfff
	rounder := roundHalf[idx%10]
	for ; idx >= 10; idx -= 10 {
		rounder *= 1.0e-10
	}
	if math.IsInf(f, 0) {
		if prefix != 0 {
			dst = append(dst, prefix)
		}
		return append(dst, "Inf"...), false
	}
	v := extFromFloat(f)
	if conv == 'f' {
		ex := int(math.Float64bits(f)>>52&0x7ff) - 1023
		if prec+ex/3 < 15 {
			// The rounder is a double in SQLite: the sum is rounded back.
			rounder = extFromFloat(rounder).add(v.mul(ext3em16)).float64()
		}
		v = v.add(extFromFloat(rounder))
	}

	// Scale v into [1, 10), counting the decimal exponent.
	exp := 0
	if !v.isZero() {
		scale := extOne
		for v.cmp(ext1e100.mul(scale)) >= 0 && exp <= 350 {
			scale = scale.mul(ext1e100)
			exp += 100
		}
		for v.cmp(ext1e10.mul(scale)) >= 0 && exp <= 350 {
			scale = scale.mul(ext1e10)
			exp += 10
		}
		for v.cmp(extTen.mul(scale)) >= 0 && exp <= 350 {
			scale = scale.mul(extTen)
			exp++
		}
		v = v.div(scale)
		for v.cmp(ext1em8) < 0 {
			v = v.mul(ext1e8)
			exp -= 8
		}
		for v.cmp(extOne) < 0 {
			v = v.mul(extTen)
			exp--
		}
		if exp > 350 {
			if prefix != 0 {
				dst = append(dst, prefix)
			}
			return append(dst, "Inf"...), false
		}
	}
	if conv != 'f' {
		v = v.add(extFromFloat(rounder))
		if v.cmp(extTen) >= 0 {
			v = v.mul(extTenth)
			exp++
		}
	}
	var trimZeros bool
	if generic {
		trimZeros = !alt
		if exp < -4 || exp > prec {
			expForm = true
		} else {
			prec -= exp
			expForm = false
		}
	} else {
		trimZeros = alt2
	}
	e2 := exp
	if expForm {
		e2 = 0
	}
	digits := 16
	if alt2 {
		digits = 26
	}
	withPoint := prec > 0 || alt || alt2
	start := len(dst)
	if prefix != 0 {
		dst = append(dst, prefix)
	}
	if e2 < 0 {
		dst = append(dst, '0')
	} else {
		for ; e2 >= 0; e2-- {
			dst = append(dst, nextDigit(&v, &digits))
		}
	}
	if withPoint {
		dst = append(dst, '.')
	}
	for e2++; e2 < 0; e2++ {
		dst = append(dst, '0')
		prec--
	}
	for ; prec > 0 && digits > 0; prec-- {
		dst = append(dst, nextDigit(&v, &digits))
	}
	for ; prec > 0; prec-- {
		dst = append(dst, '0')
	}
	if trimZeros && withPoint {
		for len(dst) > start && dst[len(dst)-1] == '0' {
			dst = dst[:len(dst)-1]
		}
		if dst[len(dst)-1] == '.' {
			if alt2 {
				dst = append(dst, '0')
			} else {
				dst = dst[:len(dst)-1]
			}
		}
	}
	if expForm {
		if conv == 'E' || conv == 'G' {
			dst = append(dst, 'E')
		} else {
			dst = append(dst, 'e')
		}
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp >= 100 {
			dst = append(dst, byte(exp/100)+'0')
			exp %= 100
		}
		dst = append(dst, byte(exp/10)+'0', byte(exp%10)+'0')
	}
	return dst, true
}

// nextDigit returns the leading digit of v (in [0, 10)) and shifts the next
// one into place; after the significant digits run out it returns '0'.
func nextDigit(v *extFloat, left *int) byte {
	if *left <= 0 {
		return '0'
	}
	*left--
	d := v.trunc()
	if d < 10 {
		*v = v.sub(extDigitsK[d]).mul(extTen)
	} else {
		*v = v.sub(extFromUint(d)).mul(extTen)
	}
	return byte(d) + '0'
}
