package record

import (
	"bytes"
	"cmp"
	"math"
)

// KeyInfo says how to order the fields of index keys: which collation each
// TEXT field uses and which fields sort in descending order. A nil KeyInfo,
// a nil or short slice, and a nil Collation entry all mean BINARY, ascending.
type KeyInfo struct {
	Collations []Collation // per field
	Desc       []bool      // per field; true reverses that field's order
}

func (ki *KeyInfo) collation(i int) Collation {
	if ki == nil || i >= len(ki.Collations) {
		return nil
	}
	return ki.Collations[i]
}

func (ki *KeyInfo) desc(i int) bool {
	return ki != nil && i < len(ki.Desc) && ki.Desc[i]
}

// sortClass ranks a value's storage class in SQLite's cross-class order:
// NULL, then numbers (INTEGER and REAL together), then TEXT, then BLOB. A
// NaN, which SQLite never stores, ranks as NULL.
func sortClass(v Value) int {
	switch v.Kind {
	case Integer:
		return 1
	case Real:
		if math.IsNaN(v.Float) {
			return 0
		}
		return 1
	case Text:
		return 2
	case Blob:
		return 3
	}
	return 0
}

// CompareValues orders a and b as SQLite sorts them and returns -1, 0 or +1.
// NULL sorts before every number, numbers before TEXT, TEXT before BLOB. An
// INTEGER and a REAL compare by exact numeric value (2^53+1 is greater than
// the REAL 2^53). Two TEXT values compare with coll (nil means BINARY); two
// BLOBs with memcmp, the shorter first when one is a prefix of the other.
// Two NULLs compare equal here: this is the order of ORDER BY and indexes,
// not the three-valued logic of the = operator.
func CompareValues(a, b Value, coll Collation) int {
	ca, cb := sortClass(a), sortClass(b)
	if ca != cb {
		return cmp.Compare(ca, cb)
	}
	switch ca {
	case 1:
		return compareNumbers(a, b)
	case 2:
		if coll == nil {
			return bytes.Compare(a.Bytes, b.Bytes)
		}
		return sign(coll(a.Bytes, b.Bytes))
	case 3:
		return bytes.Compare(a.Bytes, b.Bytes)
	}
	return 0
}

func compareNumbers(a, b Value) int {
	switch {
	case a.Kind == Integer && b.Kind == Integer:
		return cmp.Compare(a.Int, b.Int)
	case a.Kind == Real && b.Kind == Real:
		return cmpFloat(a.Float, b.Float)
	case a.Kind == Integer:
		return compareIntFloat(a.Int, b.Float)
	}
	return -compareIntFloat(b.Int, a.Float)
}

// compareIntFloat compares an integer with a (non-NaN) float exactly.
// Converting i to float64 would round above 2^53 and call unequal numbers
// equal; instead the float is split into its integer part, which is exact
// as an int64 whenever it is in int64's range, and its fraction.
func compareIntFloat(i int64, f float64) int {
	if f < -0x1p63 {
		return 1
	}
	if f >= 0x1p63 {
		return -1
	}
	t := int64(f) // truncates toward zero, exactly: |f| < 2^63
	if i != t {
		return cmp.Compare(i, t)
	}
	// Equal integer parts: the fraction decides. float64(t) is exact
	// because t is f with its fraction bits cleared.
	return -cmpFloat(f, float64(t))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// Compare orders two encoded records field by field, as an index b-tree
// orders its keys, and returns -1, 0 or +1. It compares as many fields as
// the shorter record has; when those are equal the records compare equal,
// whatever follows in the longer one. Integers, and TEXT under BINARY, are
// compared straight from the encoded bytes. A malformed record gives an
// error wrapping resultcode.ErrCorrupt.
func Compare(a, b []byte, ki *KeyInfo) (int, error) {
	var ra, rb fieldReader
	if err := ra.init(a); err != nil {
		return 0, err
	}
	if err := rb.init(b); err != nil {
		return 0, err
	}
	for i := 0; ra.more() && rb.more(); i++ {
		sta, bodyA, err := ra.next()
		if err != nil {
			return 0, err
		}
		stb, bodyB, err := rb.next()
		if err != nil {
			return 0, err
		}
		if c := compareFields(sta, bodyA, stb, bodyB, ki.collation(i)); c != 0 {
			if ki.desc(i) {
				return -c, nil
			}
			return c, nil
		}
	}
	return 0, nil
}

// compareFields compares two encoded fields, skipping the Value when both
// sides are of a kind that compares directly on the bytes.
func compareFields(sta uint64, bodyA []byte, stb uint64, bodyB []byte, coll Collation) int {
	switch {
	case isIntSerial(sta) && isIntSerial(stb):
		return cmp.Compare(intField(sta, bodyA), intField(stb, bodyB))
	case sta >= SerialBlob0 && stb >= SerialBlob0 && sta&1 == stb&1 && (coll == nil || sta&1 == 0):
		// Two BLOBs, or two TEXTs under BINARY: memcmp, then length.
		return bytes.Compare(bodyA, bodyB)
	}
	return CompareValues(decodeField(sta, bodyA), decodeField(stb, bodyB), coll)
}

// intField reads the integer of a field whose serial type isIntSerial.
func intField(st uint64, body []byte) int64 {
	switch st {
	case SerialZero:
		return 0
	case SerialOne:
		return 1
	}
	return readInt(body)
}

// CompareUnpacked orders the encoded record rec against key, a record that
// is already decoded, over the first len(key) fields, and returns -1, 0 or
// +1 (negative when rec sorts first). When those fields are equal, or rec
// has fewer fields and they all equal key's, it returns 0: deciding between
// equal prefixes (by rowid, say) is the caller's business. This is what an
// index b-tree seek calls at every cell it visits. A malformed record gives
// an error wrapping resultcode.ErrCorrupt.
func CompareUnpacked(rec []byte, key []Value, ki *KeyInfo) (int, error) {
	var r fieldReader
	if err := r.init(rec); err != nil {
		return 0, err
	}
	for i := 0; i < len(key) && r.more(); i++ {
		st, body, err := r.next()
		if err != nil {
			return 0, err
		}
		var c int
		if k := key[i]; k.Kind == Integer && isIntSerial(st) {
			c = cmp.Compare(intField(st, body), k.Int)
		} else {
			c = CompareValues(decodeField(st, body), k, ki.collation(i))
		}
		if c != 0 {
			if ki.desc(i) {
				return -c, nil
			}
			return c, nil
		}
	}
	return 0, nil
}
