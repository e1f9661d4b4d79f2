package render

import (
	"bytes"
	"fmt"
	"strconv"
)

// Null is how the harness prints SQL NULL, whatever the column's type letter.
const Null = "NULL"

// Empty is how the harness prints an empty text, so that an expected-results
// line is never blank (a blank line would end the record).
const Empty = "(empty)"

// Value renders one column value as the reference harness prints it for the
// type letter typ ('I', 'R' or 'T'). v is the value as a database/sql driver
// returns it; values of other Go types (time.Time, bool) are an error, since
// SQLite stores no such thing and guessing would hide a driver conversion.
func Value(v any, typ byte) (string, error) {
	if v == nil {
		return Null, nil
	}
	switch typ {
	case 'I':
		i, ok := ColumnInt(v)
		if !ok {
			return "", unsupported(v)
		}
		return strconv.FormatInt(int64(i), 10), nil
	case 'R':
		f, ok := ColumnDouble(v)
		if !ok {
			return "", unsupported(v)
		}
		return FixedReal(f), nil
	case 'T':
		b, ok := ColumnText(v)
		if !ok {
			return "", unsupported(v)
		}
		return Text(b), nil
	}
	return "", fmt.Errorf("unknown column type letter %q (want I, R or T)", typ)
}

// Text applies the harness's text rules to the bytes sqlite3_column_text
// gives: the harness reads a C string, so it stops at the first NUL byte; an
// empty result prints as "(empty)"; every byte outside printable ASCII
// (below 0x20 or above 0x7E) prints as "@", one per byte.
func Text(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) == 0 {
		return Empty
	}
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '@'
		}
		out[i] = c
	}
	return string(out)
}

func unsupported(v any) error {
	return fmt.Errorf("driver returned a %T (%v), which is not an SQLite storage class", v, v)
}
