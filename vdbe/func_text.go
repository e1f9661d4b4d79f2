package vdbe

import (
	"bytes"

	"github.com/wrendb/wren/record"
)

// String functions. SQLite hands them "the text of the value": numbers are
// rendered, blobs are taken as bytes, and several functions read it as a C
// string, stopping at the first NUL byte (cString). Characters are UTF-8;
// invalid sequences are walked the way SQLite walks them (a lead byte
// followed by any number of continuation bytes counts as one character).

// textArg is the text of args[i] (numbers rendered into buf); ok is false
// for NULL.
func textArg(m *Mem, buf []byte) (b []byte, ok bool) {
	if m.IsNull() {
		return nil, false
	}
	return textOf(m, buf), true
}

// cString cuts b at its first NUL byte.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// skipChar returns the index just past the UTF-8 character starting at i.
func skipChar(b []byte, i int) int {
	c := b[i]
	i++
	if c >= 0xc0 {
		for i < len(b) && b[i]&0xc0 == 0x80 {
			i++
		}
	}
	return i
}

// charCount counts UTF-8 characters as SQLite does.
func charCount(b []byte) int {
	n := 0
	for i := 0; i < len(b); i = skipChar(b, i) {
		n++
	}
	return n
}

// length(X): characters of text (up to a NUL), bytes of a blob, NULL for NULL.
func fnLength(_ *FuncContext, out *Mem, args []Mem) error {
	a := &args[0]
	switch a.Kind() {
	case record.Null:
		out.SetNull()
	case record.Blob:
		out.SetInt(int64(a.Len()))
	default:
		var buf [32]byte
		out.SetInt(int64(charCount(cString(textOf(a, buf[:0])))))
	}
	return nil
}

// lower(X), upper(X): ASCII case mapping only, like SQLite without ICU.
func fnLower(_ *FuncContext, out *Mem, args []Mem) error { return caseMap(out, &args[0], false) }
func fnUpper(_ *FuncContext, out *Mem, args []Mem) error { return caseMap(out, &args[0], true) }

func caseMap(out, a *Mem, upper bool) error {
	var buf [32]byte
	s, ok := textArg(a, buf[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	b := append(out.scratch(), s...)
	for i, c := range b {
		if upper && c >= 'a' && c <= 'z' {
			b[i] = c - 32
		} else if !upper && c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	out.setBuilt(record.Text, b)
	return nil
}

// substr(X, Y[, Z]): Z characters (bytes for a blob) of X starting at the
// Y-th, counting from 1; a negative Y counts from the end, a negative Z
// takes the characters before Y, Y = 0 is a position before the first
// character. Y and Z are read as 32-bit integers, as SQLite does.
func fnSubstr(_ *FuncContext, out *Mem, args []Mem) error {
	if args[1].IsNull() || (len(args) == 3 && args[2].IsNull()) || args[0].IsNull() {
		out.SetNull()
		return nil
	}
	a := &args[0]
	p1 := int64(int32(IntValue(&args[1])))
	isBlob := a.Kind() == record.Blob
	var buf [32]byte
	var s []byte
	length := int64(0)
	if isBlob {
		s = a.Bytes()
		length = int64(len(s))
		if length == 0 {
			// SQLite gets a NULL pointer for an empty blob and returns NULL.
			out.SetNull()
			return nil
		}
	} else {
		s = cString(textOf(a, buf[:0]))
		if p1 < 0 {
			length = int64(charCount(s))
		}
	}
	var p2 int64 = maxLength
	negP2 := false
	if len(args) == 3 {
		p2 = int64(int32(IntValue(&args[2])))
		if p2 < 0 {
			p2, negP2 = -p2, true
		}
	}
	switch {
	case p1 < 0:
		p1 += length
		if p1 < 0 {
			p2 += p1
			if p2 < 0 {
				p2 = 0
			}
			p1 = 0
		}
	case p1 > 0:
		p1--
	case p2 > 0:
		p2--
	}
	if negP2 {
		p1 -= p2
		if p1 < 0 {
			p2 += p1
			p1 = 0
		}
	}
	if isBlob {
		if p1+p2 > length {
			p2 = max(length-p1, 0)
		}
		if p1 > length {
			p1 = length
		}
		out.SetBlob(s[p1 : p1+p2])
		return nil
	}
	i := 0
	for ; i < len(s) && p1 > 0; p1-- {
		i = skipChar(s, i)
	}
	j := i
	for ; j < len(s) && p2 > 0; p2-- {
		j = skipChar(s, j)
	}
	out.SetText(s[i:j])
	return nil
}

// trimSet is the list of characters trim() removes: a single space, or
// the UTF-8 characters of the second argument.
func trimSet(args []Mem, buf []byte) (set [][]byte, ok bool) {
	if len(args) == 1 {
		return [][]byte{{' '}}, true
	}
	cs, ok := textArg(&args[1], buf)
	if !ok {
		return nil, false
	}
	cs = cString(cs)
	for i := 0; i < len(cs); {
		j := skipChar(cs, i)
		set = append(set, cs[i:j])
		i = j
	}
	return set, true
}

func trimFunc(out *Mem, args []Mem, left, right bool) error {
	var buf, setBuf [32]byte
	s, ok := textArg(&args[0], buf[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	set, ok := trimSet(args, setBuf[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	if len(set) > 0 {
		for left && len(s) > 0 {
			k := matchingChar(set, func(c []byte) bool { return bytes.HasPrefix(s, c) })
			if k < 0 {
				break
			}
			s = s[len(set[k]):]
		}
		for right && len(s) > 0 {
			k := matchingChar(set, func(c []byte) bool { return bytes.HasSuffix(s, c) })
			if k < 0 {
				break
			}
			s = s[:len(s)-len(set[k])]
		}
	}
	out.SetText(s)
	return nil
}

func matchingChar(set [][]byte, match func([]byte) bool) int {
	for k, c := range set {
		if match(c) {
			return k
		}
	}
	return -1
}

func fnTrim(_ *FuncContext, out *Mem, args []Mem) error  { return trimFunc(out, args, true, true) }
func fnLtrim(_ *FuncContext, out *Mem, args []Mem) error { return trimFunc(out, args, true, false) }
func fnRtrim(_ *FuncContext, out *Mem, args []Mem) error { return trimFunc(out, args, false, true) }

// replace(X, Y, Z): X with every occurrence of Y replaced by Z. An empty
// Y returns X unchanged (keeping its type).
func fnReplace(fc *FuncContext, out *Mem, args []Mem) error {
	var b0, b1, b2 [32]byte
	s, ok := textArg(&args[0], b0[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	pat, ok := textArg(&args[1], b1[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	if len(pat) == 0 || pat[0] == 0 {
		out.Copy(&args[0])
		return nil
	}
	rep, ok := textArg(&args[2], b2[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	b := out.scratch()
	for {
		i := bytes.Index(s, pat)
		if i < 0 {
			break
		}
		b = append(b, s[:i]...)
		b = append(b, rep...)
		s = s[i+len(pat):]
		if len(b) > fc.maxLength() {
			return errTooBig()
		}
	}
	b = append(b, s...)
	out.setBuilt(record.Text, b)
	return nil
}

// instr(X, Y): the 1-based position of the first Y in X, in characters (in
// bytes when both are blobs); 0 when absent, 1 for an empty Y.
func fnInstr(_ *FuncContext, out *Mem, args []Mem) error {
	h, n := &args[0], &args[1]
	if h.IsNull() || n.IsNull() {
		out.SetNull()
		return nil
	}
	var b0, b1 [32]byte
	hay, needle := textOf(h, b0[:0]), textOf(n, b1[:0])
	isText := !(h.Kind() == record.Blob && n.Kind() == record.Blob)
	pos := 1
	if len(needle) > 0 {
		for len(needle) <= len(hay) && !bytes.HasPrefix(hay, needle) {
			pos++
			hay = hay[1:]
			for isText && len(hay) > 0 && hay[0]&0xc0 == 0x80 {
				hay = hay[1:]
			}
		}
		if len(needle) > len(hay) {
			pos = 0
		}
	}
	out.SetInt(int64(pos))
	return nil
}

// hex(X): the bytes of X's text or blob in upper-case hex; NULL gives an
// empty string.
func fnHex(_ *FuncContext, out *Mem, args []Mem) error {
	var buf [32]byte
	s := textOf(&args[0], buf[:0])
	out.setBuilt(record.Text, appendHexUpper(out.scratch(), s))
	return nil
}

// unhex(X[, Y]): the blob whose hex is X, ignoring characters of Y
// between byte pairs; NULL when X is not hex. (SQLite 3.41.)
func fnUnhex(_ *FuncContext, out *Mem, args []Mem) error {
	var b0, b1 [32]byte
	s, ok := textArg(&args[0], b0[:0])
	if !ok {
		out.SetNull()
		return nil
	}
	var ignore []byte
	if len(args) == 2 {
		if ignore, ok = textArg(&args[1], b1[:0]); !ok {
			out.SetNull()
			return nil
		}
	}
	b := out.scratch()
	for i := 0; i < len(s); {
		hi, okHi := hexVal(s[i])
		if !okHi {
			j := skipChar(s, i)
			if !bytes.Contains(ignore, s[i:j]) {
				out.SetNull()
				return nil
			}
			i = j
			continue
		}
		if i+1 >= len(s) {
			out.SetNull()
			return nil
		}
		lo, okLo := hexVal(s[i+1])
		if !okLo {
			out.SetNull()
			return nil
		}
		b = append(b, hi<<4|lo)
		i += 2
	}
	out.setBuilt(record.Blob, b)
	return nil
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// utf8Lead holds, for lead bytes 0xc0..0xff, the payload bits SQLite
// takes from them.
func utf8LeadBits(c byte) rune {
	switch {
	case c < 0xe0:
		return rune(c & 0x1f)
	case c < 0xf0:
		return rune(c & 0x0f)
	case c < 0xf8:
		return rune(c & 0x07)
	case c < 0xfc:
		return rune(c & 0x03)
	case c < 0xfe:
		return rune(c & 0x01)
	}
	return 0
}

// readChar decodes one character at b[i:] the way SQLite's sqlite3Utf8Read
// does (no validation beyond mapping overlong forms, surrogates and
// U+FFFE/U+FFFF to U+FFFD) and returns it with the index after it.
func readChar(b []byte, i int) (rune, int) {
	c := b[i]
	i++
	if c < 0xc0 {
		return rune(c), i
	}
	r := utf8LeadBits(c)
	for i < len(b) && b[i]&0xc0 == 0x80 {
		r = r<<6 + rune(b[i]&0x3f)
		i++
	}
	if r < 0x80 || uint32(r)&0xfffff800 == 0xd800 || uint32(r)&0xfffffffe == 0xfffe {
		r = 0xfffd
	}
	return r, i
}

// unicode(X): the code point of X's first character; NULL for NULL and
// for an empty string.
func fnUnicode(_ *FuncContext, out *Mem, args []Mem) error {
	var buf [32]byte
	s, ok := textArg(&args[0], buf[:0])
	s = cString(s)
	if !ok || len(s) == 0 {
		out.SetNull()
		return nil
	}
	r, _ := readChar(s, 0)
	out.SetInt(int64(uint32(r)))
	return nil
}

// char(X1, ..., XN): the text of those code points; values outside
// 0..0x10FFFF become U+FFFD, and surrogates are encoded as they are.
func fnChar(_ *FuncContext, out *Mem, args []Mem) error {
	b := out.scratch()
	for i := range args {
		x := IntValue(&args[i])
		if x < 0 || x > 0x10ffff {
			x = 0xfffd
		}
		b = appendUTF8(b, uint32(x))
	}
	out.setBuilt(record.Text, b)
	return nil
}

// appendUTF8 encodes c without rejecting surrogates, as SQLite does.
func appendUTF8(b []byte, c uint32) []byte {
	switch {
	case c < 0x80:
		return append(b, byte(c))
	case c < 0x800:
		return append(b, 0xc0|byte(c>>6), 0x80|byte(c&0x3f))
	case c < 0x10000:
		return append(b, 0xe0|byte(c>>12), 0x80|byte(c>>6&0x3f), 0x80|byte(c&0x3f))
	}
	return append(b, 0xf0|byte(c>>18&0x07), 0x80|byte(c>>12&0x3f), 0x80|byte(c>>6&0x3f), 0x80|byte(c&0x3f))
}
