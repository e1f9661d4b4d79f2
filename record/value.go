package record

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// Kind is a value's storage class. The order of the constants is SQLite's
// sort order across classes: NULL sorts first, then numbers (INTEGER and REAL
// compare by value with each other), then TEXT, then BLOB.
type Kind uint8

const (
	Null Kind = iota
	Integer
	Real
	Text
	Blob
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Integer:
		return "integer"
	case Real:
		return "real"
	case Text:
		return "text"
	case Blob:
		return "blob"
	}
	return "Kind(?)"
}

// Value is one SQL value, a tagged struct rather than an interface so that a
// slice of them can be filled without allocating. Bytes holds TEXT (UTF-8) or
// BLOB content; a decoded Value's Bytes aliases the record it came from and is
// valid only as long as that buffer is.
type Value struct {
	Kind  Kind
	Int   int64
	Float float64
	Bytes []byte
}

// Constructors that read well at call sites and in tests.
func NullValue() Value          { return Value{Kind: Null} }
func IntValue(i int64) Value    { return Value{Kind: Integer, Int: i} }
func RealValue(f float64) Value { return Value{Kind: Real, Float: f} }
func TextValue(s string) Value  { return Value{Kind: Text, Bytes: []byte(s)} }
func BlobValue(b []byte) Value  { return Value{Kind: Blob, Bytes: b} }

// String renders v for messages and test failures, in the shape of an SQL
// literal: NULL, 42, 1.5, 'text', x'00ff'. It is not SQLite's text
// conversion of a value (CAST, printing a REAL with 15 digits); that
// belongs to the layer that implements SQL.
func (v Value) String() string {
	switch v.Kind {
	case Null:
		return "NULL"
	case Integer:
		return strconv.FormatInt(v.Int, 10)
	case Real:
		s := strconv.FormatFloat(v.Float, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0" // keep an integral REAL recognisable as one
		}
		return s
	case Text:
		return "'" + strings.ReplaceAll(string(v.Bytes), "'", "''") + "'"
	case Blob:
		return "x'" + hex.EncodeToString(v.Bytes) + "'"
	}
	return v.Kind.String()
}
