package vdbe

import (
	"math/rand/v2"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// The general-purpose scalar functions of https://www.sqlite.org/lang_corefunc.html.

// errTooBig is SQLite's SQLITE_TOOBIG error for a value over the length
// limit.
func errTooBig() error { return resultcode.New(resultcode.TooBig, "string or blob too big") }

// coalesce(X, Y, ...), ifnull(X, Y): the first non-NULL argument.
func fnCoalesce(_ *FuncContext, out *Mem, args []Mem) error {
	for i := range args {
		if !args[i].IsNull() {
			out.Copy(&args[i])
			return nil
		}
	}
	out.SetNull()
	return nil
}

// iif(X, Y, Z): Y if X is true, else Z.
func fnIif(_ *FuncContext, out *Mem, args []Mem) error {
	if t, _ := Truth(&args[0]); t {
		out.Copy(&args[1])
	} else {
		out.Copy(&args[2])
	}
	return nil
}

// nullif(X, Y): X, or NULL when X equals Y under the call's collation.
func fnNullif(fc *FuncContext, out *Mem, args []Mem) error {
	if Compare(&args[0], &args[1], fc.Coll) == 0 {
		out.SetNull()
	} else {
		out.Copy(&args[0])
	}
	return nil
}

// TypeName is the name typeof() returns for a storage class.
func TypeName(k record.Kind) string {
	switch k {
	case record.Integer:
		return "integer"
	case record.Real:
		return "real"
	case record.Text:
		return "text"
	case record.Blob:
		return "blob"
	}
	return "null"
}

func fnTypeof(_ *FuncContext, out *Mem, args []Mem) error {
	out.SetTextString(TypeName(args[0].Kind()))
	return nil
}

// likely(X), unlikely(X), likelihood(X, P): X.
func fnFirstArg(_ *FuncContext, out *Mem, args []Mem) error {
	out.Copy(&args[0])
	return nil
}

// minMax returns the index of the least (max false) or greatest argument;
// -1 if any is NULL. Among equal values min picks the last, max the first,
// as SQLite does.
func minMax(fc *FuncContext, args []Mem, max bool) int {
	if args[0].IsNull() {
		return -1
	}
	best := 0
	for i := 1; i < len(args); i++ {
		if args[i].IsNull() {
			return -1
		}
		c := Compare(&args[best], &args[i], fc.Coll)
		if (max && c < 0) || (!max && c >= 0) {
			best = i
		}
	}
	return best
}

func fnMaxScalar(fc *FuncContext, out *Mem, args []Mem) error {
	if i := minMax(fc, args, true); i >= 0 {
		out.Copy(&args[i])
	} else {
		out.SetNull()
	}
	return nil
}

func fnMinScalar(fc *FuncContext, out *Mem, args []Mem) error {
	if i := minMax(fc, args, false); i >= 0 {
		out.Copy(&args[i])
	} else {
		out.SetNull()
	}
	return nil
}

// random(): a pseudo-random 64-bit integer.
func fnRandom(_ *FuncContext, out *Mem, _ []Mem) error {
	out.SetInt(int64(rand.Uint64()))
	return nil
}

// randomblob(N): N random bytes (at least one).
func fnRandomBlob(fc *FuncContext, out *Mem, args []Mem) error {
	n := IntValue(&args[0])
	if n < 1 {
		n = 1
	}
	if n > int64(fc.maxLength()) {
		return errTooBig()
	}
	b := out.scratch()
	for ; n >= 8; n -= 8 {
		u := rand.Uint64()
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24),
			byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
	}
	for ; n > 0; n-- {
		b = append(b, byte(rand.Uint32()))
	}
	out.setBuilt(record.Blob, b)
	return nil
}

// zeroblob(N): a blob of N zero bytes, not materialized.
func fnZeroBlob(fc *FuncContext, out *Mem, args []Mem) error {
	n := IntValue(&args[0])
	if n < 0 {
		n = 0
	}
	if n > int64(fc.maxLength()) {
		return errTooBig()
	}
	out.SetZeroBlob(int(n))
	return nil
}

func fnChanges(fc *FuncContext, out *Mem, _ []Mem) error {
	var n int64
	if fc.Conn != nil {
		n = fc.Conn.Changes()
	}
	out.SetInt(n)
	return nil
}

func fnTotalChanges(fc *FuncContext, out *Mem, _ []Mem) error {
	var n int64
	if fc.Conn != nil {
		n = fc.Conn.TotalChanges()
	}
	out.SetInt(n)
	return nil
}

func fnLastInsertRowid(fc *FuncContext, out *Mem, _ []Mem) error {
	var n int64
	if fc.Conn != nil {
		n = fc.Conn.LastInsertRowid()
	}
	out.SetInt(n)
	return nil
}

// quote(X): X as an SQL literal.
func fnQuote(_ *FuncContext, out *Mem, args []Mem) error {
	out.setBuilt(record.Text, AppendQuote(out.scratch(), &args[0]))
	return nil
}

// printf(FORMAT, ...), format(FORMAT, ...).
func fnPrintf(fc *FuncContext, out *Mem, args []Mem) error {
	if len(args) == 0 || args[0].IsNull() {
		out.SetNull()
		return nil
	}
	var fmtBuf [32]byte
	format := cString(textOf(&args[0], fmtBuf[:0])) // SQLite reads a C string
	b, isNull := Printf(out.scratch(), format, args[1:], fc.maxLength())
	if isNull {
		out.SetNull()
		return nil
	}
	out.setBuilt(record.Text, b)
	return nil
}

// textOf returns m's text form: its own bytes for TEXT and BLOB, numbers
// rendered into buf.
func textOf(m *Mem, buf []byte) []byte {
	switch m.v.Kind {
	case record.Integer, record.Real:
		return AppendText(buf, m)
	case record.Text, record.Blob:
		return m.Bytes()
	}
	return nil
}
