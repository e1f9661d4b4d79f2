package vdbe

import (
	"math"
	"math/bits"
)

// extFloat emulates the x87 80-bit "long double" that SQLite uses (through
// its LONGDOUBLE_TYPE) when it parses text into a REAL and when it prints a
// REAL. Reproducing SQLite's output digit for digit, including its rounding
// quirks, needs the same intermediate precision: a 64-bit significand with
// round-to-nearest-even after every operation. Go has no such type, so this
// is a small software version of it.
//
// Only non-negative finite values occur in those algorithms (signs are
// handled by the callers), and the exponent range is that of an int32, far
// wider than float64's, so there are no overflows, underflows or denormals
// to model inside the type.
//
// The value is mant × 2^exp. mant is normalized (top bit set) unless the
// value is zero, in which case mant is 0.
type extFloat struct {
	mant uint64
	exp  int32
}

func extFromUint(u uint64) extFloat {
	if u == 0 {
		return extFloat{}
	}
	s := bits.LeadingZeros64(u)
	return extFloat{u << s, int32(-s)}
}

// extFromFloat converts a finite float64 exactly; the sign is ignored.
func extFromFloat(f float64) extFloat {
	b := math.Float64bits(f)
	e := int32(b>>52) & 0x7ff
	m := b & (1<<52 - 1)
	if e == 0 {
		x := extFromUint(m)
		if x.mant != 0 {
			x.exp -= 1074
		}
		return x
	}
	return extFloat{(m | 1<<52) << 11, e - 1075 - 11}
}

func (a extFloat) isZero() bool { return a.mant == 0 }

// cmp returns -1, 0 or +1.
func (a extFloat) cmp(b extFloat) int {
	switch {
	case a.mant == 0 && b.mant == 0:
		return 0
	case a.mant == 0:
		return -1
	case b.mant == 0:
		return 1
	case a.exp != b.exp:
		if a.exp < b.exp {
			return -1
		}
		return 1
	case a.mant < b.mant:
		return -1
	case a.mant > b.mant:
		return 1
	}
	return 0
}

// extRound builds the nearest extFloat to (hi + lo/2^64 + ε) × 2^exp, where
// hi has its top bit set and sticky says whether ε (0 < ε < 2^-64) is there.
func extRound(hi, lo uint64, sticky bool, exp int32) extFloat {
	const half = 1 << 63
	if lo > half || (lo == half && (sticky || hi&1 == 1)) {
		hi++
		if hi == 0 {
			hi = 1 << 63
			exp++
		}
	}
	return extFloat{hi, exp}
}

// alignBelow shifts b's significand right by d bits into a 128-bit window
// whose high word lines up with a significand of exponent b.exp+d.
func alignBelow(m uint64, d int32) (hi, lo uint64, sticky bool) {
	switch {
	case d == 0:
		return m, 0, false
	case d < 64:
		return m >> d, m << (64 - d), false
	case d < 128:
		return 0, m >> (d - 64), m<<(128-d) != 0
	}
	return 0, 0, true
}

func (a extFloat) add(b extFloat) extFloat {
	if a.mant == 0 {
		return b
	}
	if b.mant == 0 {
		return a
	}
	if a.exp < b.exp {
		a, b = b, a
	}
	bh, bl, sticky := alignBelow(b.mant, a.exp-b.exp)
	lo, c := bits.Add64(0, bl, 0)
	hi, c := bits.Add64(a.mant, bh, c)
	exp := a.exp
	if c != 0 {
		sticky = sticky || lo&1 != 0
		lo = lo>>1 | hi<<63
		hi = hi>>1 | 1<<63
		exp++
	}
	return extRound(hi, lo, sticky, exp)
}

// sub returns a-b; the callers guarantee a >= b.
func (a extFloat) sub(b extFloat) extFloat {
	if b.mant == 0 {
		return a
	}
	bh, bl, sticky := alignBelow(b.mant, a.exp-b.exp)
	lo, br := bits.Sub64(0, bl, 0)
	hi, _ := bits.Sub64(a.mant, bh, br)
	if sticky {
		// The bits shifted out of b make the true difference a little
		// smaller than hi:lo; step down one unit and remember that the
		// truth lies strictly above.
		lo, br = bits.Sub64(lo, 1, 0)
		hi -= br
	}
	if hi == 0 && lo == 0 {
		return extFloat{}
	}
	exp := a.exp
	if s := bits.LeadingZeros64(hi); s == 64 {
		s = bits.LeadingZeros64(lo)
		hi, lo = lo<<s, 0
		exp -= int32(64 + s)
	} else if s > 0 {
		hi = hi<<s | lo>>(64-s)
		lo <<= s
		exp -= int32(s)
	}
	return extRound(hi, lo, sticky, exp)
}

func (a extFloat) mul(b extFloat) extFloat {
	if a.mant == 0 || b.mant == 0 {
		return extFloat{}
	}
	hi, lo := bits.Mul64(a.mant, b.mant)
	exp := a.exp + b.exp + 64
	if hi>>63 == 0 {
		hi = hi<<1 | lo>>63
		lo <<= 1
		exp--
	}
	return extRound(hi, lo, false, exp)
}

func (a extFloat) div(b extFloat) extFloat {
	if a.mant == 0 || b.mant == 0 {
		return extFloat{}
	}
	var q, r uint64
	var exp int32
	// Arrange the dividend so that the quotient has exactly 64 bits.
	if a.mant >= b.mant {
		q, r = bits.Div64(a.mant>>1, a.mant<<63, b.mant)
		exp = a.exp - b.exp - 63
	} else {
		q, r = bits.Div64(a.mant, 0, b.mant)
		exp = a.exp - b.exp - 64
	}
	if r != 0 {
		rest := b.mant - r
		if r > rest || (r == rest && q&1 == 1) {
			q++
			if q == 0 {
				q = 1 << 63
				exp++
			}
		}
	}
	return extFloat{q, exp}
}

// trunc returns the integer part (the C conversion (int)x); x < 2^64.
func (a extFloat) trunc() uint64 {
	if a.mant == 0 || a.exp <= -64 {
		return 0
	}
	if a.exp >= 0 {
		return math.MaxUint64
	}
	return a.mant >> uint(-a.exp)
}

// float64 rounds to the nearest float64, as assigning a long double to a
// double does.
func (a extFloat) float64() float64 {
	if a.mant == 0 {
		return 0
	}
	e := int(a.exp) + 63 // a is in [2^e, 2^(e+1))
	if e > 1023 {
		return math.Inf(1)
	}
	var shift int
	var biased uint64
	if e >= -1022 {
		shift = 11
		biased = uint64(e + 1022)
	} else {
		shift = -(int(a.exp) + 1074)
		if shift > 64 {
			return 0
		}
	}
	var m, rest, half uint64
	if shift == 64 {
		m, rest, half = 0, a.mant, 1<<63
	} else {
		m, rest, half = a.mant>>shift, a.mant&(1<<shift-1), 1<<(shift-1)
	}
	if rest > half || (rest == half && m&1 == 1) {
		m++
	}
	// For normal numbers m carries the implicit bit at position 52, so
	// adding it to the biased exponent field (minus one) yields the right
	// encoding even when rounding carried into bit 53.
	return math.Float64frombits(biased<<52 + m)
}

// Frequently used constants, converted once.
var (
	extOne     = extFromFloat(1)
	extTen     = extFromFloat(10)
	extTenth   = extFromFloat(0.1)
	ext1e8     = extFromFloat(1e8)
	ext1e10    = extFromFloat(1e10)
	ext1e22    = extFromFloat(1e22)
	ext1e100   = extFromFloat(1e100)
	ext1em8    = extFromFloat(1e-8)
	ext3em16   = extFromFloat(3e-16)
	extPowTen  [34]extFloat // 10^0 .. 10^33 by repeated multiplication (exact to 10^27)
	extDigitsK [10]extFloat // 0..9
)

func init() {
	p := extOne
	for i := range extPowTen {
		extPowTen[i] = p
		p = p.mul(extTen)
	}
	for i := range extDigitsK {
		extDigitsK[i] = extFromUint(uint64(i))
	}
}
