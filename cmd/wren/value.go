package main

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/wrendb/wren/vdbe"
)

// storageClass is SQLite's storage class of a value, which decides how
// every output mode prints it (a blob is hex in quote mode, text is quoted,
// numbers are bare).
type storageClass int

const (
	classNull storageClass = iota
	classInteger
	classReal
	classText
	classBlob
)

// value is one result cell as the shell sees it. database/sql hands the
// shell Go values; the driver returns int64, float64, string and []byte for
// the four non-NULL storage classes, which is all the shell needs.
type value struct {
	class storageClass
	i     int64
	f     float64
	b     []byte // the bytes of a TEXT or BLOB
}

// valueOf converts what Rows.Scan put into an *any.
func valueOf(v any) value {
	switch x := v.(type) {
	case nil:
		return value{class: classNull}
	case int64:
		return value{class: classInteger, i: x}
	case float64:
		return value{class: classReal, f: x}
	case string:
		return value{class: classText, b: []byte(x)}
	case []byte:
		return value{class: classBlob, b: bytes.Clone(x)}
	case bool:
		if x {
			return value{class: classInteger, i: 1}
		}
		return value{class: classInteger}
	case time.Time:
		// The shell opens databases with _time_text=1, so time columns
		// arrive as stored; a time.Time only comes from a driver used
		// without it. Print it in SQLite's own layout.
		layout := "2006-01-02 15:04:05.999999999"
		if _, off := x.Zone(); off != 0 {
			layout += "-07:00"
		}
		return value{class: classText, b: []byte(x.Format(layout))}
	case int:
		return value{class: classInteger, i: int64(x)}
	case int32:
		return value{class: classInteger, i: int64(x)}
	case float32:
		return value{class: classReal, f: float64(x)}
	default:
		return value{class: classText, b: fmt.Append(nil, x)}
	}
}

// text is sqlite3_column_text as the shell's C code sees it: numbers in
// SQLite's text form, text and blobs as their bytes up to the first NUL
// (the shell handles them as C strings), and ok=false for NULL.
func (v value) text() (s string, ok bool) {
	switch v.class {
	case classInteger:
		return strconv.FormatInt(v.i, 10), true
	case classReal:
		return string(vdbe.AppendReal(nil, v.f)), true
	case classText, classBlob:
		b := v.b
		if i := bytes.IndexByte(b, 0); i >= 0 {
			b = b[:i]
		}
		return string(b), true
	}
	return "", false
}

// textOr is text with NULL replaced by the shell's .nullvalue.
func (v value) textOr(null string) string {
	if s, ok := v.text(); ok {
		return s
	}
	return null
}

// exactReal renders a REAL the way the quote, insert and json modes do:
// printf's "%!.20g", which shows the digits the double really holds
// (0.1 is 0.10000000000000000555).
func exactReal(f float64) string {
	if math.IsInf(f, 0) {
		if f > 0 {
			return "Inf"
		}
		return "-Inf"
	}
	var m [1]vdbe.Mem
	m[0].SetFloat(f)
	out, _ := vdbe.Printf(nil, []byte("%!.20g"), m[:], 0)
	return string(out)
}
