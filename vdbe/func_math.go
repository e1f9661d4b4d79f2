package vdbe

import (
	"math"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// abs(X): an INTEGER stays an INTEGER (and -9223372036854775808 is an
// "integer overflow" error); anything else is read as a REAL, so abs('-2')
// is 2.0 and abs('abc') is 0.0.
func fnAbs(_ *FuncContext, out *Mem, args []Mem) error {
	a := &args[0]
	switch a.Kind() {
	case record.Null:
		out.SetNull()
	case record.Integer:
		i := a.Int()
		if i < 0 {
			if i == math.MinInt64 {
				return resultcode.New(resultcode.Error, "integer overflow")
			}
			i = -i
		}
		out.SetInt(i)
	default:
		// Only a value below zero flips, as in SQLite: abs(-0.0) is -0.0.
		f := RealValue(a)
		if f < 0 {
			f = -f
		}
		out.SetFloat(f)
	}
	return nil
}

// round(X[, Y]): X rounded to Y digits after the decimal point (Y clamped
// to 0..30), always a REAL. Half-way cases round away from zero; with
// digits the value goes through SQLite's own "%.*f" and back, so the result
// has exactly the rounding of printf. Values beyond 2^52 have no fraction
// and are returned as they are.
func fnRound(_ *FuncContext, out *Mem, args []Mem) error {
	n := 0
	if len(args) == 2 {
		if args[1].IsNull() {
			out.SetNull()
			return nil
		}
		n = int(int32(IntValue(&args[1])))
		n = max(0, min(n, 30))
	}
	if args[0].IsNull() {
		out.SetNull()
		return nil
	}
	r := RealValue(&args[0])
	switch {
	case r < -4503599627370496.0 || r > 4503599627370496.0:
	case n == 0:
		if r < 0 {
			r = float64(int64(r - 0.5))
		} else {
			r = float64(int64(r + 0.5))
		}
	default:
		var buf [64]byte
		s, _ := appendFloat(buf[:0], r, 'f', n, 0, false, false)
		r, _ = parseFloat(s)
	}
	out.SetFloat(r)
	return nil
}

// sign(X): -1, 0 or +1 for a number or text that is wholly a number; NULL
// for NULL, other text and blobs.
func fnSign(_ *FuncContext, out *Mem, args []Mem) error {
	var x float64
	switch a := &args[0]; a.Kind() {
	case record.Integer:
		x = float64(a.Int())
	case record.Real:
		x = a.Float()
	case record.Text:
		var m Mem
		m.SetTextRef(a.Bytes())
		applyNumeric(&m, false)
		if m.Kind() == record.Text {
			out.SetNull()
			return nil
		}
		x = RealValue(&m)
	default:
		out.SetNull()
		return nil
	}
	switch {
	case x < 0:
		out.SetInt(-1)
	case x > 0:
		out.SetInt(1)
	default:
		out.SetInt(0)
	}
	return nil
}
