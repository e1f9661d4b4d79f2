package vdbe

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigOf converts an extFloat to a big.Float exactly.
func bigOf(x extFloat) *big.Float {
	f := new(big.Float).SetPrec(64).SetUint64(x.mant)
	return f.SetMantExp(f, int(x.exp))
}

func randomExt(r *rand.Rand) extFloat {
	return extFloat{mant: r.Uint64() | 1<<63, exp: int32(r.IntN(200) - 100 - 63)}
}

// Ensure that extFloat's operations round exactly like IEEE arithmetic
// with a 64-bit significand (x87 extended precision), using math/big at 64
// bits of precision as the reference.
func TestExtFloatMatchesBigFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ops := []struct {
		name string
		ext  func(a, b extFloat) extFloat
		big  func(z, a, b *big.Float) *big.Float
	}{
		{"add", extFloat.add, (*big.Float).Add},
		{"sub", extFloat.sub, (*big.Float).Sub},
		{"mul", extFloat.mul, (*big.Float).Mul},
		{"div", extFloat.div, (*big.Float).Quo},
	}
	for i := 0; i < 20000; i++ {
		a, b := randomExt(r), randomExt(r)
		if i%4 == 0 {
			b.exp = a.exp - int32(r.IntN(70)) // nearby exponents: cancellation and ties
		}
		if a.cmp(b) < 0 {
			a, b = b, a // sub needs a >= b
		}
		for _, op := range ops {
			got := bigOf(op.ext(a, b))
			want := op.big(new(big.Float).SetPrec(64).SetMode(big.ToNearestEven), bigOf(a), bigOf(b))
			if got.Cmp(want) != 0 {
				t.Fatalf("%s(%v, %v) = %v, want %v", op.name, bigOf(a), bigOf(b), got, want)
			}
		}
	}
}

// Ensure that conversions to and from float64 are exact and round to
// nearest even, including subnormals and overflow.
func TestExtFloatFloat64(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		f := math.Float64frombits(r.Uint64() &^ (1 << 63))
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if got := extFromFloat(f).float64(); got != f {
			t.Fatalf("round trip of %g gave %g", f, got)
		}
		x := randomExt(r)
		x.exp = int32(r.IntN(2200) - 1150 - 63)
		want, _ := bigOf(x).Float64()
		if got := x.float64(); got != want {
			t.Fatalf("float64(%v) = %g, want %g", bigOf(x), got, want)
		}
	}
}
