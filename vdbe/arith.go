package vdbe

import (
	"math"
	"math/bits"

	"github.com/wrendb/wren/record"
)

// Arithmetic operators with SQLite's semantics (OP_Add, OP_Subtract,
// OP_Multiply, OP_Divide, OP_Remainder and the bitwise operators):
//
//   - NULL in, NULL out.
//   - TEXT and BLOB operands are read as numbers: an integer prefix gives an
//     INTEGER ('12abc' + 0 = 12, 'abc' + 0 = 0), anything with a decimal point
//     or exponent a REAL ('1e3' + 0 = 1000.0), and an integer too large for
//     int64 a REAL.
//   - Two INTEGERs give an INTEGER unless the result overflows, in which case
//     the operation is redone in floating point.
//   - x / 0 and x % 0 are NULL; a floating-point result that is NaN
//     (Inf - Inf) is NULL.
//   - % works on integers: other operands are converted with IntValue
//     first, and the result is a REAL when either was not an INTEGER.
//
// The out register may be one of the operands.

// numericOperand classifies an operand for arithmetic: isInt with its
// integer value, or a float value. The second result is false for NULL.
func numericOperand(m *Mem) (i int64, f float64, isInt, ok bool) {
	switch m.v.Kind {
	case record.Integer:
		return m.v.Int, 0, true, true
	case record.Real:
		return 0, m.v.Float, false, true
	case record.Text, record.Blob:
		b := m.Bytes()
		f, rc := parseFloat(b)
		switch {
		case rc <= 0:
			if rc == floatNone {
				if i, irc := parseInt(b); irc <= intExtra {
					return i, 0, true, true
				}
			}
			return 0, f, false, true
		case rc == floatInteger:
			if i, irc := parseInt(b); irc == intOK {
				return i, 0, true, true
			}
		}
		return 0, f, false, true
	}
	return 0, 0, false, false
}

// ArithOp names an arithmetic operator for Arith.
type ArithOp uint8

const (
	OpAdd ArithOp = iota
	OpSubtract
	OpMultiply
	OpDivide
	OpRemainder
)

// Add sets out to a + b.
func Add(out, a, b *Mem) { Arith(OpAdd, out, a, b) }

// Subtract sets out to a - b.
func Subtract(out, a, b *Mem) { Arith(OpSubtract, out, a, b) }

// Multiply sets out to a * b.
func Multiply(out, a, b *Mem) { Arith(OpMultiply, out, a, b) }

// Divide sets out to a / b.
func Divide(out, a, b *Mem) { Arith(OpDivide, out, a, b) }

// Remainder sets out to a % b.
func Remainder(out, a, b *Mem) { Arith(OpRemainder, out, a, b) }

// Negate sets out to -a, which SQLite computes as 0 - a.
func Negate(out, a *Mem) {
	var zero Mem
	zero.SetInt(0)
	Arith(OpSubtract, out, &zero, a)
}

// Arith applies op to a and b and stores the result in out.
func Arith(op ArithOp, out, a, b *Mem) {
	ia, fa, aInt, okA := numericOperand(a)
	ib, fb, bInt, okB := numericOperand(b)
	if !okA || !okB {
		out.SetNull()
		return
	}
	if aInt && bInt {
		if r, ok, isNull := intArith(op, ia, ib); isNull {
			out.SetNull()
			return
		} else if ok {
			out.SetInt(r)
			return
		}
	}
	if aInt {
		fa = float64(ia)
	}
	if bInt {
		fb = float64(ib)
	}
	var r float64
	switch op {
	case OpAdd:
		r = fa + fb
	case OpSubtract:
		r = fa - fb
	case OpMultiply:
		r = fa * fb
	case OpDivide:
		if fb == 0 {
			out.SetNull()
			return
		}
		r = fa / fb
	case OpRemainder:
		// SQLite takes each operand's integer value afresh here, so text
		// reads its integer prefix: '1e3' % 7 is 1 % 7.
		ia, ib = IntValue(a), IntValue(b)
		if ib == 0 {
			out.SetNull()
			return
		}
		if ib == -1 {
			ib = 1
		}
		r = float64(ia % ib)
	}
	out.SetFloat(r) // NaN becomes NULL
}

// intArith does integer arithmetic; ok is false when the result does not
// fit and the caller must fall back to floating point.
func intArith(op ArithOp, a, b int64) (r int64, ok, isNull bool) {
	switch op {
	case OpAdd:
		r, ok = addInt64(a, b)
	case OpSubtract:
		r, ok = subInt64(a, b)
	case OpMultiply:
		r, ok = mulInt64(a, b)
	case OpDivide:
		switch {
		case b == 0:
			return 0, false, true
		case b == -1 && a == math.MinInt64:
			return 0, false, false
		}
		r, ok = a/b, true
	case OpRemainder:
		if b == 0 {
			return 0, false, true
		}
		if b == -1 {
			b = 1
		}
		r, ok = a%b, true
	}
	return r, ok, false
}

func addInt64(a, b int64) (int64, bool) {
	r := a + b
	// Overflow when both operands have the same sign and the result's
	// sign differs.
	return r, (a >= 0) != (b >= 0) || (r >= 0) == (a >= 0)
}

func subInt64(a, b int64) (int64, bool) {
	if b == math.MinInt64 {
		if a >= 0 {
			return 0, false
		}
		return a - b, true
	}
	return addInt64(a, -b)
}

func mulInt64(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	ua, ub := absU64(a), absU64(b)
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 {
		return 0, false
	}
	if neg {
		if lo > 1<<63 {
			return 0, false
		}
		return -int64(lo), true
	}
	if lo > math.MaxInt64 {
		return 0, false
	}
	return int64(lo), true
}

func absU64(a int64) uint64 {
	if a < 0 {
		return uint64(-a) // -MinInt64 wraps to MinInt64, whose uint64 is 2^63
	}
	return uint64(a)
}

// BitOp names a bitwise operator for Bitwise.
type BitOp uint8

const (
	OpBitAnd BitOp = iota
	OpBitOr
	OpShiftLeft
	OpShiftRight
)

// Bitwise sets out to a op b on the operands' integer values (IntValue);
// NULL if either is NULL. A negative shift count shifts the other way, and
// a count of 64 or more gives 0 (or -1 for a right shift of a negative
// number).
func Bitwise(op BitOp, out, a, b *Mem) {
	if a.IsNull() || b.IsNull() {
		out.SetNull()
		return
	}
	x, n := IntValue(a), IntValue(b)
	switch op {
	case OpBitAnd:
		out.SetInt(x & n)
		return
	case OpBitOr:
		out.SetInt(x | n)
		return
	}
	if n < 0 {
		if op == OpShiftLeft {
			op = OpShiftRight
		} else {
			op = OpShiftLeft
		}
		if n > -64 {
			n = -n
		} else {
			n = 64
		}
	}
	switch {
	case n >= 64 && (x >= 0 || op == OpShiftLeft):
		x = 0
	case n >= 64:
		x = -1
	case op == OpShiftLeft:
		x = int64(uint64(x) << uint(n))
	default:
		x >>= uint(n)
	}
	out.SetInt(x)
}

// BitNot sets out to ~a (NULL for NULL).
func BitNot(out, a *Mem) {
	if a.IsNull() {
		out.SetNull()
		return
	}
	out.SetInt(^IntValue(a))
}

// Concat sets out to a || b: NULL if either is NULL, otherwise the text
// forms of both joined as TEXT. out may be a or b.
func Concat(out, a, b *Mem) {
	if a.IsNull() || b.IsNull() {
		out.SetNull()
		return
	}
	var buf []byte
	if out == a || out == b {
		buf = make([]byte, 0, a.Len()+b.Len()+24)
	} else {
		buf = out.scratch()
	}
	buf = AppendText(buf, a)
	buf = AppendText(buf, b)
	out.setBuilt(record.Text, buf)
}

// Truth returns m's truth value as SQLite's WHERE, AND, OR, NOT and CASE
// see it: numbers are true when non-zero, text and blobs by their numeric
// prefix ('0.5' is true, 'abc' is false). isNull reports NULL (unknown).
func Truth(m *Mem) (isTrue, isNull bool) {
	switch m.v.Kind {
	case record.Null:
		return false, true
	case record.Integer:
		return m.v.Int != 0, false
	}
	return RealValue(m) != 0, false
}
