package record

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// interestingInts are the integers where serial types and float precision
// change; random values cluster around them.
var interestingInts = []int64{
	0, 1, 2, 127, 128, 255, 256, 32767, 32768, 1<<23 - 1, 1 << 23,
	math.MaxInt32, 1 << 31, 1<<47 - 1, 1 << 47, 1 << 53, math.MaxInt64,
}

// randomValue returns a value of a random class, biased towards edge cases
// and towards collisions (equal values, equal prefixes, case variants) so
// that comparisons often reach their later fields.
func randomValue(r *rand.Rand) Value {
	switch r.IntN(6) {
	case 0:
		return NullValue()
	case 1, 2:
		i := interestingInts[r.IntN(len(interestingInts))] + r.Int64N(5) - 2
		if r.IntN(2) == 0 {
			i = -i
		}
		if r.IntN(8) == 0 {
			i = int64(r.Uint64())
		}
		return IntValue(i)
	case 3:
		switch r.IntN(5) {
		case 0:
			return RealValue(float64(r.IntN(7) - 3)) // integral, equal to an int
		case 1:
			return RealValue(float64(interestingInts[r.IntN(len(interestingInts))]) * float64(1-2*r.IntN(2)))
		case 2:
			return RealValue(math.Float64frombits(r.Uint64()))
		}
		return RealValue(r.NormFloat64() * 1000)
	case 4:
		return TextValue(randomString(r, "aAbB_ é"))
	}
	return BlobValue([]byte(randomString(r, "\x00\x01ab\xff")))
}

func randomString(r *rand.Rand, alphabet string) string {
	n := r.IntN(6)
	if r.IntN(20) == 0 {
		n = 100 + r.IntN(200) // long enough for a two-byte serial type
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func randomRow(r *rand.Rand) []Value {
	row := make([]Value, r.IntN(6))
	for i := range row {
		row[i] = randomValue(r)
		if math.IsNaN(row[i].Float) {
			row[i] = NullValue() // what a NaN becomes on the way through
		}
	}
	return row
}

// compareRows is the reference for Compare: CompareValues field by field
// over the shorter row.
func compareRows(a, b []Value, ki *KeyInfo) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := CompareValues(a[i], b[i], ki.collation(i)); c != 0 {
			if ki.desc(i) {
				return -c
			}
			return c
		}
	}
	return 0
}

func randomKeyInfo(r *rand.Rand) *KeyInfo {
	if r.IntN(4) == 0 {
		return nil
	}
	colls := []Collation{nil, Binary, NoCase, RTrim}
	ki := &KeyInfo{}
	for range r.IntN(6) {
		ki.Collations = append(ki.Collations, colls[r.IntN(len(colls))])
		ki.Desc = append(ki.Desc, r.IntN(3) == 0)
	}
	return ki
}

// Ensure that encoding then decoding any row gives the row back, and that
// the other readers agree with DecodeRecord.
func TestPropertyRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h Header
	for n := 0; n < 20000; n++ {
		row := randomRow(r)
		rec := AppendRecord(nil, row)
		if len(rec) != RecordLen(row) {
			t.Fatalf("RecordLen(%v) = %d, AppendRecord wrote %d", row, RecordLen(row), len(rec))
		}
		got, err := DecodeRecord(rec, nil)
		if err != nil {
			t.Fatalf("DecodeRecord(AppendRecord(%v)): %v", row, err)
		}
		if !sameValues(row, got) {
			t.Fatalf("round trip (-want +got):\n%s", cmp.Diff(row, got, valueOpts))
		}
		if err := h.Parse(rec); err != nil {
			t.Fatal(err)
		}
		for _, i := range r.Perm(len(row) + 1) {
			want := NullValue()
			if i < len(row) {
				want = row[i]
			}
			hv, err1 := h.Column(i)
			cv, err2 := Column(rec, i)
			if err1 != nil || err2 != nil || !sameValue(want, hv) || !sameValue(want, cv) {
				t.Fatalf("column %d of %v: Header %v (%v), Column %v (%v)", i, row, hv, err1, cv, err2)
			}
		}
	}
}

// Ensure that comparing encoded records agrees with comparing their values,
// is antisymmetric, and that CompareUnpacked agrees too.
func TestPropertyCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 50000; n++ {
		a, b := randomRow(r), randomRow(r)
		if r.IntN(3) == 0 && len(a) > 0 {
			// Share a prefix so that later fields and collations decide.
			k := r.IntN(len(a) + 1)
			b = append(append([]Value{}, a[:k]...), b...)
		}
		ki := randomKeyInfo(r)
		ra, rb := AppendRecord(nil, a), AppendRecord(nil, b)
		want := compareRows(a, b, ki)
		got, err := Compare(ra, rb, ki)
		if err != nil || got != want {
			t.Fatalf("Compare(%v, %v) = %d, %v; CompareValues says %d", a, b, got, err, want)
		}
		if back, _ := Compare(rb, ra, ki); back != -got {
			t.Fatalf("Compare(%v, %v) = %d but reversed = %d", a, b, got, back)
		}
		key := b[:min(len(b), r.IntN(len(b)+1))]
		want = compareRows(a, key, ki)
		if got, err := CompareUnpacked(ra, key, ki); err != nil || got != want {
			t.Fatalf("CompareUnpacked(%v, %v) = %d, %v; CompareValues says %d", a, key, got, err, want)
		}
	}
}

// Ensure that CompareValues is a total order on random values: it is
// antisymmetric and transitive, as a b-tree's keys require.
func TestPropertyTotalOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	colls := []Collation{nil, NoCase, RTrim}
	for n := 0; n < 50000; n++ {
		coll := colls[r.IntN(len(colls))]
		a, b, c := randomValue(r), randomValue(r), randomValue(r)
		ab, bc, ac := CompareValues(a, b, coll), CompareValues(b, c, coll), CompareValues(a, c, coll)
		if CompareValues(b, a, coll) != -ab {
			t.Fatalf("not antisymmetric: %v vs %v", a, b)
		}
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Fatalf("not transitive: %v <= %v <= %v but %v > %v", a, b, c, a, c)
		}
	}
}
