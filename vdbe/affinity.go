package vdbe

import (
	"strconv"
	"strings"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// Affinity is a column's or expression's preferred storage class
// (https://www.sqlite.org/datatype3.html section 3). The values are SQLite's
// own affinity letters, so an affinity string in an EXPLAIN listing reads
// exactly as SQLite's does ("DDB"), and their order matters: every affinity
// at or above AffinityNumeric is numeric.
type Affinity byte

const (
	// AffinityNone marks an expression with no affinity (a literal, a
	// function result): comparisons then take the other operand's.
	AffinityNone    Affinity = '@'
	AffinityBlob    Affinity = 'A' // no conversion; columns declared BLOB or untyped
	AffinityText    Affinity = 'B'
	AffinityNumeric Affinity = 'C'
	AffinityInteger Affinity = 'D'
	AffinityReal    Affinity = 'E'
)

// IsNumeric reports whether a is NUMERIC, INTEGER or REAL.
func (a Affinity) IsNumeric() bool { return a >= AffinityNumeric }

func (a Affinity) String() string {
	switch a {
	case AffinityBlob:
		return "BLOB"
	case AffinityText:
		return "TEXT"
	case AffinityNumeric:
		return "NUMERIC"
	case AffinityInteger:
		return "INTEGER"
	case AffinityReal:
		return "REAL"
	}
	return "NONE"
}

// AffinityOf returns the affinity of a column declared with type declType,
// by SQLite's rules (datatype3.html 3.1), tried in this order on the
// upper-cased name: contains "INT" → INTEGER; "CHAR", "CLOB" or "TEXT" →
// TEXT; "BLOB" or no type → BLOB; "REAL", "FLOA" or "DOUB" → REAL;
// anything else → NUMERIC. So "CHARINT" is INTEGER and "FLOATING POINT"
// is INTEGER too ("POINT" contains "INT").
func AffinityOf(declType string) Affinity {
	if declType == "" {
		return AffinityBlob
	}
	t := strings.ToUpper(declType)
	switch {
	case strings.Contains(t, "INT"):
		return AffinityInteger
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return AffinityText
	case strings.Contains(t, "BLOB"):
		return AffinityBlob
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return AffinityReal
	}
	return AffinityNumeric
}

// ApplyAffinity converts m in place for storage into a column of affinity
// aff (and for OP_Affinity before building a record):
//
//   - TEXT: INTEGER and REAL become their text form; TEXT, BLOB, NULL stay.
//   - NUMERIC, INTEGER: TEXT that is entirely a well-formed number (spaces
//     around it allowed, no hex) becomes INTEGER if it has an integer value
//     that fits, else REAL; a REAL with an exact integer value in range
//     becomes INTEGER. Other values stay as they are.
//   - REAL: as NUMERIC, but the number is then kept as a REAL. (SQLite
//     may store such a REAL as an integer inside the record; that is the
//     record encoder's business and invisible to SQL.)
//   - BLOB, NONE: nothing.
func ApplyAffinity(m *Mem, aff Affinity) {
	switch {
	case aff == AffinityText:
		if m.v.Kind == record.Integer || m.v.Kind == record.Real {
			stringify(m)
		}
	case aff.IsNumeric():
		switch m.v.Kind {
		case record.Text:
			applyNumeric(m, true)
		case record.Real:
			integerAffinity(m)
		}
		if aff == AffinityReal && m.v.Kind == record.Integer {
			m.SetFloat(float64(m.v.Int))
		}
	}
}

// stringify turns an INTEGER or REAL into its TEXT form in m's own buffer.
func stringify(m *Mem) {
	var b []byte
	if m.v.Kind == record.Integer {
		b = strconv.AppendInt(m.scratch(), m.v.Int, 10)
	} else {
		b = AppendReal(m.scratch(), m.v.Float)
	}
	m.setBuilt(record.Text, b)
}

// applyNumeric converts TEXT that is wholly a number to INTEGER or REAL
// (SQLite's applyNumericAffinity). With tryInt a REAL result that holds an
// exact integer becomes an INTEGER.
func applyNumeric(m *Mem, tryInt bool) {
	f, rc := parseFloat(m.v.Bytes)
	if rc <= 0 {
		return
	}
	if rc == floatInteger {
		if i := realToInt(f); realIsInt(f, i) {
			m.SetInt(i)
			return
		}
		if i, irc := parseInt(m.v.Bytes); irc == intOK {
			m.SetInt(i)
			return
		}
	}
	m.SetFloat(f)
	if tryInt {
		integerAffinity(m)
	}
}

// integerAffinity turns a REAL with an exact integer value strictly inside
// the int64 range into an INTEGER.
func integerAffinity(m *Mem) {
	f := m.v.Float
	i := realToInt(f)
	if f == float64(i) && i > minInt64 && i < maxInt64 {
		m.SetInt(i)
	}
}

const (
	maxInt64 = 1<<63 - 1
	minInt64 = -1 << 63
)

// Cast converts m in place as CAST(m AS type) does, where aff is the
// affinity of the type name (AffinityOf). NULL stays NULL.
//
//   - INTEGER: the integer prefix of text (CAST('12.9abc' AS INTEGER) is 12,
//     CAST('1e3' AS INTEGER) is 1), REAL truncated and saturated.
//   - REAL: the numeric prefix of text ('1e3x' is 1000.0, 'abc' is 0.0).
//   - NUMERIC: text is read as a number; it is an INTEGER if the text is an
//     integer that fits or a REAL with a small exact integer value, else a
//     REAL ('1e3' → 1000, '9223372036854775808' → 9.22337203685478e+18,
//     'abc' → 0). INTEGER and REAL are unchanged (CAST(3.0 AS NUMERIC) is
//     3.0).
//   - TEXT: numbers get their text form, a BLOB's bytes become TEXT.
//   - BLOB: numbers get their text form as bytes, TEXT's bytes become a BLOB.
func Cast(m *Mem, aff Affinity) {
	if m.v.Kind == record.Null {
		return
	}
	switch aff {
	case AffinityInteger:
		m.SetInt(IntValue(m))
	case AffinityReal:
		m.SetFloat(RealValue(m))
	case AffinityNumeric:
		if m.v.Kind == record.Text || m.v.Kind == record.Blob {
			castNumeric(m)
		}
	case AffinityText:
		switch m.v.Kind {
		case record.Integer, record.Real:
			stringify(m)
		case record.Blob:
			m.ExpandZero()
			m.v.Kind = record.Text
		}
	case AffinityBlob:
		switch m.v.Kind {
		case record.Integer, record.Real:
			stringify(m)
			m.v.Kind = record.Blob
		case record.Text:
			m.v.Kind = record.Blob
		}
	}
	m.subtype = 0
}

func castNumeric(m *Mem) {
	b := m.Bytes()
	f, rc := parseFloat(b)
	if rc == floatNone || rc == floatInteger {
		if i, irc := parseInt(b); irc <= intExtra {
			m.SetInt(i)
			return
		}
	}
	if i := realToInt(f); realIsInt(f, i) {
		m.SetInt(i)
		return
	}
	m.SetFloat(f)
}

// typeCheck enforces a STRICT table's column type on a value that already
// had the column's affinity applied: NULL passes (NOT NULL is checked
// elsewhere), an INTEGER becomes REAL in a REAL column, and any other
// mismatch fails with SQLITE_CONSTRAINT_DATATYPE. want is record.Null for
// an ANY column, which takes everything. column reads "INT column t.a".
func typeCheck(m *Mem, want record.Kind, column string) error {
	got := m.Kind()
	switch {
	case got == record.Null || want == record.Null || got == want:
		return nil
	case want == record.Real && got == record.Integer:
		m.SetFloat(float64(m.Int()))
		return nil
	}
	return resultcode.New(resultcode.ConstraintDataType, "cannot store "+strictKindName(got)+" value in "+column)
}

// strictKindName is the name a STRICT type error gives a value's class.
func strictKindName(k record.Kind) string {
	switch k {
	case record.Integer:
		return "INT"
	case record.Real:
		return "REAL"
	case record.Text:
		return "TEXT"
	case record.Blob:
		return "BLOB"
	}
	return "NULL"
}
