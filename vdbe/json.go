package vdbe

import (
	"sync"

	"github.com/wrendb/wren/record"
)

// The JSON text model behind the json_* functions, after SQLite 3.40's
// json1: a parse tree that remembers the exact text of every string and
// number, so that output re-emits "2.50", "1E+2" and "\u00e9" as they were
// written and only removes whitespace. Edits made by json_set, json_remove
// and json_patch are flags and overlays on the tree rather than rewrites,
// which is what decides several of SQLite's corner cases (a path that
// reaches into a value json_set just replaced finds nothing, and an array
// index skips removed elements but an object key still finds them).

// jsonKind is the type of a JSON value, in json_type's order.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonTrue
	jsonFalse
	jsonInt
	jsonReal
	jsonString
	jsonArray
	jsonObject
)

var jsonTypeNames = [...]string{"null", "true", "false", "integer", "real", "text", "array", "object"}

// jsonMaxDepth is the deepest nesting of arrays and objects accepted.
const jsonMaxDepth = 2000

// jsonNode is one value of a parsed document.
type jsonNode struct {
	kind jsonKind
	// text is a number's text, or a string's text with its quotes and
	// escapes as written; for a label created by a path (rawText) it is the
	// unquoted key, which is escaped when rendered.
	text    []byte
	escaped bool // the string contains backslash escapes
	rawText bool // text is plain SQL text, not JSON
	removed bool // deleted by json_remove or a null in json_patch
	// kids are the elements of an array, or the labels and values of an
	// object, alternating.
	kids []*jsonNode
	// appended counts the array elements json_set added at the end of
	// kids (see jsonLookupState.element).
	appended int
	// replaced, when not nil, is the SQL value json_set or json_replace
	// put here; it is rendered instead and hides the node from paths.
	replaced *Mem
	// patch, when not nil, is the json_patch value rendered instead.
	patch *jsonNode
}

// jsonParser reads JSON text as SQLite 3.40 does: RFC 8259 without
// extensions, whitespace limited to space, tab, newline and carriage
// return, control characters rejected inside strings, nesting limited to
// jsonMaxDepth.
//
// A function call takes a parser from a pool and releases it when done:
// its nodes and child lists live in arenas that the next call reuses, so
// parsing a document does not allocate once the arenas have grown. The
// trees (which alias the input text) must not outlive the release.
type jsonParser struct {
	s      []byte
	depth  int
	errAt  int          // offset of the first error
	chunks [][]jsonNode // node arena; chunks never move once allocated
	chunk  int          // chunk being filled
	used   int          // nodes used in chunks[chunk]
	stack  []*jsonNode  // children of the containers being parsed
	kids   []*jsonNode  // arena for finished child lists
}

const jsonChunkSize = 128

var jsonParsers = sync.Pool{New: func() any { return new(jsonParser) }}

func getJSONParser() *jsonParser { return jsonParsers.Get().(*jsonParser) }

// release returns the parser to the pool; its trees become invalid.
func (p *jsonParser) release() {
	if p.chunk > 64 || cap(p.kids) > 1<<16 {
		return // a huge document: let the memory go
	}
	p.s = nil
	p.chunk, p.used = 0, 0
	p.stack = p.stack[:0]
	p.kids = p.kids[:0]
	jsonParsers.Put(p)
}

// parse parses a whole document. The text ends at its first NUL, as in
// SQLite's C strings. errAt is the byte offset of the error when ok is
// false. Several documents may be parsed before release.
func (p *jsonParser) parse(s []byte) (root *jsonNode, errAt int, ok bool) {
	p.s, p.errAt, p.depth = cString(s), -1, 0
	p.stack = p.stack[:0]
	i := p.skipSpace(0)
	root, i = p.value(i)
	if root == nil {
		return nil, p.errAt, false
	}
	i = p.skipSpace(i)
	if i < len(p.s) {
		return nil, i, false
	}
	return root, 0, true
}

func (p *jsonParser) skipSpace(i int) int {
	for i < len(p.s) && isJSONSpace(p.s[i]) {
		i++
	}
	return i
}

func (p *jsonParser) fail(i int) (*jsonNode, int) {
	if p.errAt < 0 {
		p.errAt = i
	}
	return nil, i
}

func (p *jsonParser) newNode(k jsonKind) *jsonNode {
	if p.chunk < len(p.chunks) && p.used == jsonChunkSize {
		p.chunk++
		p.used = 0
	}
	if p.chunk == len(p.chunks) {
		p.chunks = append(p.chunks, make([]jsonNode, jsonChunkSize))
	}
	n := &p.chunks[p.chunk][p.used]
	p.used++
	*n = jsonNode{kind: k}
	return n
}

// finish gives container n the children pushed since base.
func (p *jsonParser) finish(n *jsonNode, base int) {
	start := len(p.kids)
	p.kids = append(p.kids, p.stack[base:]...)
	// Capped so that json_set appending to one list cannot overwrite
	// the next.
	n.kids = p.kids[start:len(p.kids):len(p.kids)]
	p.stack = p.stack[:base]
}

// at returns the byte at i, or 0 past the end.
func (p *jsonParser) at(i int) byte {
	if i < len(p.s) {
		return p.s[i]
	}
	return 0
}

// value parses the value starting at s[i] (whitespace already skipped)
// and returns it with the offset just past it.
func (p *jsonParser) value(i int) (*jsonNode, int) {
	switch c := p.at(i); {
	case c == '{':
		return p.object(i)
	case c == '[':
		return p.array(i)
	case c == '"':
		return p.str(i)
	case c == 'n' || c == 't' || c == 'f':
		for k, word := range [...]string{"null", "true", "false"} {
			if word[0] == c && len(p.s)-i >= len(word) && string(p.s[i:i+len(word)]) == word && !isAlnum(p.at(i+len(word))) {
				return p.newNode(jsonNull + jsonKind(k)), i + len(word)
			}
		}
		return p.fail(i)
	case c == '-' || isDigit(c):
		return p.number(i)
	}
	return p.fail(i)
}

func (p *jsonParser) number(i int) (*jsonNode, int) {
	start := i
	if p.s[i] == '-' {
		i++
	}
	if p.at(i) == '0' && isDigit(p.at(i+1)) {
		return p.fail(i + 1)
	}
	if !isDigit(p.at(i)) {
		return p.fail(i)
	}
	real := false
	for isDigit(p.at(i)) {
		i++
	}
	if p.at(i) == '.' {
		i++
		real = true
		if !isDigit(p.at(i)) {
			return p.fail(i)
		}
		for isDigit(p.at(i)) {
			i++
		}
	}
	if c := p.at(i); c == 'e' || c == 'E' {
		i++
		real = true
		if c := p.at(i); c == '+' || c == '-' {
			i++
		}
		if !isDigit(p.at(i)) {
			return p.fail(i)
		}
		for isDigit(p.at(i)) {
			i++
		}
	}
	k := jsonInt
	if real {
		k = jsonReal
	}
	n := p.newNode(k)
	n.text = p.s[start:i]
	return n, i
}

func (p *jsonParser) str(i int) (*jsonNode, int) {
	start := i
	escaped := false
	for i++; ; i++ {
		if i >= len(p.s) {
			return p.fail(i)
		}
		c := p.s[i]
		if c < 0x20 {
			return p.fail(i)
		}
		if c == '"' {
			break
		}
		if c == '\\' {
			i++
			switch p.at(i) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if !isHex(p.at(i+1)) || !isHex(p.at(i+2)) || !isHex(p.at(i+3)) || !isHex(p.at(i+4)) {
					return p.fail(i)
				}
			default:
				return p.fail(i)
			}
			escaped = true
		}
	}
	n := p.newNode(jsonString)
	n.text = p.s[start : i+1]
	n.escaped = escaped
	return n, i + 1
}

func (p *jsonParser) array(i int) (*jsonNode, int) {
	if p.depth++; p.depth > jsonMaxDepth {
		return p.fail(i)
	}
	n := p.newNode(jsonArray)
	i = p.skipSpace(i + 1)
	if p.at(i) == ']' {
		p.depth--
		return n, i + 1
	}
	base := len(p.stack)
	for {
		var v *jsonNode
		if v, i = p.value(i); v == nil {
			return nil, i
		}
		p.stack = append(p.stack, v)
		i = p.skipSpace(i)
		switch p.at(i) {
		case ',':
			i = p.skipSpace(i + 1)
			continue
		case ']':
			p.depth--
			p.finish(n, base)
			return n, i + 1
		}
		return p.fail(i)
	}
}

func (p *jsonParser) object(i int) (*jsonNode, int) {
	if p.depth++; p.depth > jsonMaxDepth {
		return p.fail(i)
	}
	n := p.newNode(jsonObject)
	i = p.skipSpace(i + 1)
	if p.at(i) == '}' {
		p.depth--
		return n, i + 1
	}
	base := len(p.stack)
	for {
		if p.at(i) != '"' {
			return p.fail(i)
		}
		var k, v *jsonNode
		if k, i = p.str(i); k == nil {
			return nil, i
		}
		i = p.skipSpace(i)
		if p.at(i) != ':' {
			return p.fail(i)
		}
		i = p.skipSpace(i + 1)
		if v, i = p.value(i); v == nil {
			return nil, i
		}
		p.stack = append(p.stack, k, v)
		i = p.skipSpace(i)
		switch p.at(i) {
		case ',':
			i = p.skipSpace(i + 1)
			continue
		case '}':
			p.depth--
			p.finish(n, base)
			return n, i + 1
		}
		return p.fail(i)
	}
}

// render appends the minified JSON text of n, honouring edits.
func (n *jsonNode) render(b []byte) ([]byte, error) {
	switch {
	case n.replaced != nil:
		return appendJSONValue(b, n.replaced)
	case n.patch != nil:
		return n.patch.render(b)
	}
	switch n.kind {
	case jsonNull:
		return append(b, "null"...), nil
	case jsonTrue:
		return append(b, "true"...), nil
	case jsonFalse:
		return append(b, "false"...), nil
	case jsonString:
		if n.rawText {
			return appendJSONString(b, n.text), nil
		}
		return append(b, n.text...), nil
	case jsonArray:
		b = append(b, '[')
		first := true
		for _, k := range n.kids {
			if k.removed {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			var err error
			if b, err = k.render(b); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case jsonObject:
		b = append(b, '{')
		first := true
		for i := 0; i+1 < len(n.kids); i += 2 {
			if n.kids[i+1].removed {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			var err error
			if b, err = n.kids[i].render(b); err != nil {
				return nil, err
			}
			b = append(b, ':')
			if b, err = n.kids[i+1].render(b); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	}
	return append(b, n.text...), nil
}

// appendJSONString appends s as a JSON string literal, escaping as SQLite
// does: '"' and '\\', the control characters with short escapes (\b \t
// \n \f \r) and the others as \u00XX. Everything else, DEL and non-ASCII
// included, is copied.
func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20:
			b = append(b, c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', '0'+c>>4, "0123456789abcdef"[c&0xf])
		}
	}
	return append(b, '"')
}

// appendJSONValue appends an SQL value as JSON: NULL as null, numbers in
// their SQL text form, text as a string unless it carries the JSON
// subtype (then it is JSON already and copied). A BLOB is an error.
func appendJSONValue(b []byte, m *Mem) ([]byte, error) {
	switch m.Kind() {
	case record.Null:
		return append(b, "null"...), nil
	case record.Integer, record.Real:
		return AppendText(b, m), nil
	case record.Text:
		if m.Subtype() == jsonSubtype {
			return append(b, m.Bytes()...), nil
		}
		return appendJSONString(b, m.Bytes()), nil
	}
	return nil, errJSONBlob()
}

// setSQL stores n as an SQL value, as json_extract returns it: null as
// NULL, true and false as 1 and 0, numbers as INTEGER or REAL, strings
// unescaped, arrays and objects as JSON text with the JSON subtype.
func (n *jsonNode) setSQL(fc *FuncContext, out *Mem) error {
	switch n.kind {
	case jsonNull:
		out.SetNull()
	case jsonTrue:
		out.SetInt(1)
	case jsonFalse:
		out.SetInt(0)
	case jsonInt:
		if i, ok := jsonInteger(n.text); ok {
			out.SetInt(i)
		} else {
			f, _ := parseFloat(n.text)
			out.SetFloat(f)
		}
	case jsonReal:
		f, _ := parseFloat(n.text)
		out.SetFloat(f)
	case jsonString:
		switch {
		case n.rawText:
			out.SetText(n.text)
		case !n.escaped:
			out.SetText(n.text[1 : len(n.text)-1])
		default:
			out.setBuilt(record.Text, jsonUnescape(out.scratch(), n.text))
		}
	default:
		return setJSONResult(fc, out, n)
	}
	return nil
}

// jsonInteger reads an integer's text; ok is false when it does not fit
// in 64 bits (it is then returned as a REAL).
func jsonInteger(t []byte) (int64, bool) {
	neg := len(t) > 0 && t[0] == '-'
	if neg {
		t = t[1:]
	}
	var u uint64
	for _, c := range t {
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	switch {
	case u == 1<<63 && neg:
		return -1 << 63, true
	case u == 1<<63:
		return 0, false
	case neg:
		return -int64(u), true
	}
	return int64(u), true
}

// jsonUnescape appends the content of a quoted JSON string with its
// escapes decoded. As in SQLite 3.40, \u0000 ends the string, a lone
// surrogate is encoded as the 3 bytes of its code point, and a surrogate
// pair becomes one 4-byte character.
func jsonUnescape(b, quoted []byte) []byte {
	z := quoted[1 : len(quoted)-1]
	for i := 0; i < len(z); i++ {
		c := z[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		switch z[i] {
		case 'u':
			v := hex4(z[i+1:])
			i += 4
			if v == 0 {
				return b
			}
			if v&0xfc00 == 0xd800 && i+6 < len(z) && z[i+1] == '\\' && z[i+2] == 'u' {
				if v2 := hex4(z[i+3:]); v2&0xfc00 == 0xdc00 {
					v = (v&0x3ff)<<10 + v2&0x3ff + 0x10000
					i += 6
				}
			}
			b = appendUTF8Raw(b, v)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		default:
			b = append(b, z[i])
		}
	}
	return b
}

func hex4(z []byte) uint32 {
	var v uint32
	for _, c := range z[:4] {
		h, _ := hexVal(c)
		v = v<<4 | uint32(h)
	}
	return v
}

// appendUTF8Raw encodes v in UTF-8 without rejecting surrogates.
func appendUTF8Raw(b []byte, v uint32) []byte {
	switch {
	case v <= 0x7f:
		return append(b, byte(v))
	case v <= 0x7ff:
		return append(b, byte(0xc0|v>>6), byte(0x80|v&0x3f))
	case v <= 0xffff:
		return append(b, byte(0xe0|v>>12), byte(0x80|(v>>6)&0x3f), byte(0x80|v&0x3f))
	}
	return append(b, byte(0xf0|v>>18), byte(0x80|(v>>12)&0x3f), byte(0x80|(v>>6)&0x3f), byte(0x80|v&0x3f))
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isHex(c byte) bool { _, ok := hexVal(c); return ok }
