package vdbe

import (
	"strconv"

	"github.com/wrendb/wren/record"
)

// Rendering values as SQL literals: quote(), hex() and the printf %Q family
// share these.

const hexDigitsUpper = "0123456789ABCDEF"

func appendHexUpper(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, hexDigitsUpper[c>>4], hexDigitsUpper[c&15])
	}
	return dst
}

func hexUpper(b []byte) string { return string(appendHexUpper(nil, b)) }

// AppendQuote appends m as an SQL literal, exactly as SQLite's quote()
// renders it: NULL, an integer, a REAL with enough digits to read back the
// same double ("%!.15g", or "%!.20e" when 15 digits are not enough), a
// string in single quotes with quotes doubled, or X'hex' for a blob.
func AppendQuote(dst []byte, m *Mem) []byte {
	switch m.v.Kind {
	case record.Integer:
		return strconv.AppendInt(dst, m.v.Int, 10)
	case record.Real:
		start := len(dst)
		dst = AppendReal(dst, m.v.Float)
		if back, _ := parseFloat(dst[start:]); back != m.v.Float {
			dst, _ = appendFloat(dst[:start], m.v.Float, 'e', 20, 0, false, true)
		}
		return dst
	case record.Text:
		dst = append(dst, '\'')
		for _, c := range m.v.Bytes {
			if c == 0 {
				break // SQLite reads the text as a C string
			}
			dst = append(dst, c)
			if c == '\'' {
				dst = append(dst, '\'')
			}
		}
		return append(dst, '\'')
	case record.Blob:
		dst = append(dst, 'X', '\'')
		dst = appendHexUpper(dst, m.Bytes())
		return append(dst, '\'')
	}
	return append(dst, "NULL"...)
}
