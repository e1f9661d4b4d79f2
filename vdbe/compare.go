package vdbe

import (
	"github.com/wrendb/wren/record"
)

// Comparison of values, as the VM's comparison opcodes perform it
// (https://www.sqlite.org/datatype3.html section 4). The compiler decides
// which affinity applies to a comparison (ComparisonAffinity) and which
// collation; the VM converts scratch copies of the operands
// (ApplyComparisonAffinity) and then compares them (CompareOp.Eval), with
// record.CompareValues supplying the order: NULL < numbers < TEXT < BLOB,
// INTEGER and REAL by exact numeric value, TEXT by collation.

// Compare orders a and b as ORDER BY and indexes do (two NULLs are equal)
// and returns -1, 0 or +1. coll applies when both are TEXT; nil is BINARY.
func Compare(a, b *Mem, coll record.Collation) int {
	return record.CompareValues(a.Value(), b.Value(), coll)
}

// CompareOp is a comparison operator of SQL.
type CompareOp uint8

const (
	OpEq    CompareOp = iota // =, ==
	OpNe                     // <>, !=
	OpLt                     // <
	OpLe                     // <=
	OpGt                     // >
	OpGe                     // >=
	OpIs                     // IS: like = but NULL IS NULL is true
	OpIsNot                  // IS NOT
)

func (op CompareOp) String() string {
	return [...]string{"=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT"}[op]
}

// Eval compares a and b with op under SQL's three-valued logic: isNull is
// true when the result is NULL, which happens for every operator except IS
// and IS NOT when either operand is NULL. IS and IS NOT always give a
// definite answer (NULL IS NULL is true, 1 IS NULL false). coll applies
// when both operands are TEXT.
func (op CompareOp) Eval(a, b *Mem, coll record.Collation) (result, isNull bool) {
	if a.IsNull() || b.IsNull() {
		if op != OpIs && op != OpIsNot {
			return false, true
		}
		same := a.IsNull() && b.IsNull()
		return same == (op == OpIs), false
	}
	c := Compare(a, b, coll)
	switch op {
	case OpEq, OpIs:
		return c == 0, false
	case OpNe, OpIsNot:
		return c != 0, false
	case OpLt:
		return c < 0, false
	case OpLe:
		return c <= 0, false
	case OpGt:
		return c > 0, false
	}
	return c >= 0, false
}

// ComparisonAffinity returns the affinity to apply to both operands of a
// comparison whose left and right operands have affinities left and right
// (AffinityNone for an expression that is not a column, a CAST or a
// subquery column). When both are columns: NUMERIC if either is numeric,
// else BLOB (no conversion). When only one has an affinity: that one, so
// a TEXT column compared with a literal makes the literal TEXT, and a
// numeric column makes a text literal a number. With neither: none.
func ComparisonAffinity(left, right Affinity) Affinity {
	hasL, hasR := left > AffinityNone, right > AffinityNone
	switch {
	case hasL && hasR:
		if left.IsNumeric() || right.IsNumeric() {
			return AffinityNumeric
		}
		return AffinityBlob
	case hasL:
		return left
	case hasR:
		return right
	}
	return AffinityNone
}

// ApplyComparisonAffinity converts a and b in place as SQLite does before
// comparing an operand of affinity affA with one of affinity affB: with a
// numeric comparison affinity, TEXT operands that look entirely like numbers
// become INTEGER or REAL; with TEXT affinity, INTEGER and REAL operands
// become TEXT; otherwise nothing changes. The VM passes scratch copies,
// because a comparison must not change the registers it reads.
func ApplyComparisonAffinity(a, b *Mem, affA, affB Affinity) {
	aff := ComparisonAffinity(affA, affB)
	switch {
	case aff.IsNumeric():
		if a.v.Kind == record.Text {
			applyNumeric(a, false)
		}
		if b.v.Kind == record.Text {
			applyNumeric(b, false)
		}
	case aff == AffinityText:
		if a.v.Kind == record.Integer || a.v.Kind == record.Real {
			stringify(a)
		}
		if b.v.Kind == record.Integer || b.v.Kind == record.Real {
			stringify(b)
		}
	}
}
