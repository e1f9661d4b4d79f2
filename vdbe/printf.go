package vdbe

import (
	"strconv"

	"github.com/wrendb/wren/record"
)

// SQLite's printf (the printf() and format() SQL functions), conversion by
// conversion:
//
//	%d %i      signed decimal       %u          unsigned decimal (two's complement)
//	%x %X %o   unsigned hex/octal   %p          like %X
//	%f %e %E   fixed / exponent     %g %G       shorter of the two
//	%s %z      text                 %c          first character, repeated by precision
//	%q         text, ' doubled      %Q          like %q in quotes; NULL → NULL
//	%w         text, " doubled      %n          nothing
//	%%         a percent sign       %r          ordinal (1st, 2nd) – undocumented
//
// Flags: '-' left-justify, '+' and ' ' sign, '0' zero-pad, '#' alternate
// form (0x prefix, keep trailing zeros), ',' thousands separators for %d
// %i %u, and '!': width and precision of %s/%q/%Q/%w counted in characters
// rather than bytes, and for floats up to 26 significant digits instead of
// 16, always with a decimal point. Width and precision may be '*' (taken
// from the arguments). Missing arguments read as 0 or as empty text; NULL
// arguments as 0 or empty text (%Q prints NULL, %q and %w print "(NULL)").
// An unknown conversion ends the output where it stands.

// maxLength is SQLite's default SQLITE_MAX_LENGTH, the largest string or
// blob a value may hold (FuncContext.MaxLength overrides it).
const maxLength = 1000000000

// printfArgs hands out printf's arguments in order, like SQLite's
// PrintfArguments: asking past the end yields zero values.
type printfArgs struct {
	args []Mem
	used int
}

func (p *printfArgs) next() *Mem {
	if p.used >= len(p.args) {
		return nil
	}
	p.used++
	return &p.args[p.used-1]
}

func (p *printfArgs) int() int64 {
	if m := p.next(); m != nil {
		return IntValue(m)
	}
	return 0
}

func (p *printfArgs) float() float64 {
	if m := p.next(); m != nil {
		return RealValue(m)
	}
	return 0
}

// text returns the argument as a C string (cut at the first NUL), with ok
// false for a missing or NULL argument. Numbers are rendered into buf.
func (p *printfArgs) text(buf []byte) (b []byte, ok bool) {
	m := p.next()
	if m == nil || m.IsNull() {
		return nil, false
	}
	switch m.v.Kind {
	case record.Integer, record.Real:
		b = AppendText(buf[:0], m)
	default:
		b = m.Bytes()
	}
	for i, c := range b {
		if c == 0 {
			return b[:i], true
		}
	}
	return b, true
}

// printfSpec is one parsed conversion.
type printfSpec struct {
	conv      byte
	width     int
	prec      int // -1 when absent
	left      bool
	sign      byte // 0, '+' or ' '
	alt       bool // '#'
	alt2      bool // '!'
	zeroPad   bool
	thousands bool
	limit     int // the output length limit, to stop runaway repetition
}

// Printf formats args by format as SQLite's printf() SQL function does and
// appends the result to dst. isNull is true when SQLite's function would
// return NULL: for an empty format, for one that starts with a conversion
// SQLite rejects, and when the result would reach limit bytes (SQLite's
// length limit; <= 0 means the default of 1,000,000,000). The limit is
// checked before large paddings are built, so a huge width costs nothing.
func Printf(dst []byte, format []byte, args []Mem, limit int) (out []byte, isNull bool) {
	if limit <= 0 {
		limit = maxLength
	}
	start := len(dst)
	pa := printfArgs{args: args}
	wrote := false
	var numBuf [80]byte
	f := format
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			j := i
			for j < len(f) && f[j] != '%' {
				j++
			}
			dst = append(dst, f[i:j]...)
			wrote = true
			if j == len(f) {
				break
			}
			i = j
		}
		// f[i] == '%'
		i++
		if i >= len(f) {
			dst = append(dst, '%')
			wrote = true
			break
		}
		var sp printfSpec
		sp.prec = -1
		c, ok := parseSpec(f, &i, &sp, &pa)
		if !ok {
			break
		}
		sp.conv = c
		sp.limit = limit
		if tooBig(&sp, limit) {
			return dst[:start], true
		}
		var stop bool
		dst, stop = sp.format(dst, &pa, numBuf[:0])
		if stop {
			break
		}
		wrote = true
		if len(dst)-start >= limit {
			return dst[:start], true
		}
	}
	if !wrote || len(dst)-start >= limit {
		return dst[:start], true
	}
	return dst, false
}

// tooBig reports whether a conversion's width or precision alone makes the
// output reach the length limit, which SQLite answers with a NULL result.
func tooBig(sp *printfSpec, limit int) bool {
	if sp.width >= limit && sp.conv != 'n' {
		return true
	}
	switch sp.conv {
	case 'd', 'i', 'u', 'x', 'X', 'o', 'p', 'r', 'c':
		return sp.prec >= limit
	case 'f', 'e', 'E', 'g', 'G':
		// SQLite sizes its buffer as precision + width + 15 (plus the
		// integer digits) and refuses what exceeds the limit.
		return min(sp.prec, fpPrecisionLimit)+sp.width+15 > limit
	}
	return false
}

// parseSpec reads flags, width and precision starting at f[*i] and leaves
// *i on the conversion character, which it returns. ok is false when the
// format ends inside the specification.
func parseSpec(f []byte, i *int, sp *printfSpec, pa *printfArgs) (byte, bool) {
	for *i < len(f) {
		c := f[*i]
		switch c {
		case '-':
			sp.left = true
		case '+':
			sp.sign = '+'
		case ' ':
			sp.sign = ' '
		case '#':
			sp.alt = true
		case '!':
			sp.alt2 = true
		case '0':
			sp.zeroPad = true
		case ',':
			sp.thousands = true
		case 'l':
			*i++
			if *i < len(f) && f[*i] == 'l' {
				*i++
			}
			if *i >= len(f) {
				return 0, false
			}
			return f[*i], true
		case '*':
			w := int64(int32(pa.int()))
			if w < 0 {
				sp.left = true
				if w >= -2147483647 {
					w = -w
				} else {
					w = 0
				}
			}
			sp.width = int(w)
			if *i+1 >= len(f) {
				return 0, false
			}
			if next := f[*i+1]; next != '.' && next != 'l' {
				*i++
				return next, true
			}
		case '.':
			*i++
			if *i < len(f) && f[*i] == '*' {
				p := int64(int32(pa.int()))
				if p < 0 {
					if p >= -2147483647 {
						p = -p
					} else {
						p = -1
					}
				}
				sp.prec = int(p)
				*i++
			} else {
				var px uint32
				for *i < len(f) && isDigit(f[*i]) {
					px = px*10 + uint32(f[*i]-'0')
					*i++
				}
				sp.prec = int(px & 0x7fffffff)
			}
			if *i < len(f) && f[*i] == 'l' {
				continue // the 'l' case consumes it
			}
			if *i >= len(f) {
				return 0, false
			}
			return f[*i], true
		default:
			if c >= '1' && c <= '9' {
				var wx uint32
				for *i < len(f) && isDigit(f[*i]) {
					wx = wx*10 + uint32(f[*i]-'0')
					*i++
				}
				sp.width = int(wx & 0x7fffffff)
				if *i < len(f) && (f[*i] == '.' || f[*i] == 'l') {
					continue
				}
				if *i >= len(f) {
					return 0, false
				}
				return f[*i], true
			}
			return c, true
		}
		*i++
	}
	return 0, false
}

// format appends one conversion. stop is true for a conversion SQLite does
// not accept in SQL, which ends formatting.
func (sp *printfSpec) format(dst []byte, pa *printfArgs, scratch []byte) (out []byte, stop bool) {
	var body []byte
	widthInChars := false
	switch sp.conv {
	case 'd', 'i', 'r':
		v := pa.int()
		body = sp.integer(scratch, v, v < 0)
	case 'u', 'x', 'X', 'o', 'p':
		body = sp.integer(scratch, pa.int(), false)
	case 'f', 'e', 'E', 'g', 'G':
		start := len(dst)
		var finite bool
		dst, finite = appendFloat(dst, pa.float(), sp.conv, sp.prec, sp.sign, sp.alt, sp.alt2)
		if finite && sp.zeroPad && !sp.left && len(dst)-start < sp.width {
			dst = zeroPadAfterSign(dst, start, sp.width)
		}
		return sp.pad(dst, start, false), false
	case 's', 'z':
		s, _ := pa.text(scratch)
		if sp.prec >= 0 {
			s = s[:prefixLen(s, sp.prec, sp.alt2)]
		}
		body, widthInChars = s, sp.alt2
	case 'c':
		return sp.char(dst, pa, scratch), false
	case 'q', 'Q', 'w':
		start := len(dst)
		dst = sp.escape(dst, pa, scratch)
		return sp.pad(dst, start, sp.alt2), false
	case 'n':
		body = nil
		sp.width = 0
	case '%':
		body = append(scratch, '%')
	default:
		return dst, true
	}
	start := len(dst)
	dst = append(dst, body...)
	return sp.pad(dst, start, widthInChars), false
}

// pad right- or left-justifies dst[start:] within the field width. With
// inChars the width counts UTF-8 characters rather than bytes.
func (sp *printfSpec) pad(dst []byte, start int, inChars bool) []byte {
	width := sp.width
	if width <= 0 {
		return dst
	}
	length := len(dst) - start
	if inChars {
		for _, c := range dst[start:] {
			if c&0xc0 == 0x80 {
				width++
			}
		}
	}
	n := width - length
	if n <= 0 {
		return dst
	}
	if sp.left {
		for ; n > 0; n-- {
			dst = append(dst, ' ')
		}
		return dst
	}
	dst = append(dst, make([]byte, n)...)
	copy(dst[start+n:], dst[start:len(dst)-n])
	for k := start; k < start+n; k++ {
		dst[k] = ' '
	}
	return dst
}

// zeroPadAfterSign widens the number at dst[start:] to width with zeros
// inserted after its sign, if any.
func zeroPadAfterSign(dst []byte, start, width int) []byte {
	n := width - (len(dst) - start)
	at := start
	if c := dst[start]; c == '-' || c == '+' || c == ' ' {
		at++
	}
	dst = append(dst, make([]byte, n)...)
	copy(dst[at+n:], dst[at:len(dst)-n])
	for k := at; k < at+n; k++ {
		dst[k] = '0'
	}
	return dst
}

// prefixLen is the length in bytes of the first n bytes of s, or with
// chars of its first n UTF-8 characters.
func prefixLen(s []byte, n int, chars bool) int {
	if !chars {
		return min(n, len(s))
	}
	i := 0
	for ; n > 0 && i < len(s); n-- {
		i++
		for i < len(s) && s[i]&0xc0 == 0x80 {
			i++
		}
	}
	return i
}

// integer renders an integer conversion (without the field width) into
// buf. For signed conversions neg says v is negative.
func (sp *printfSpec) integer(buf []byte, v int64, neg bool) []byte {
	u := uint64(v)
	var prefix byte
	if sp.conv == 'd' || sp.conv == 'i' || sp.conv == 'r' {
		if neg {
			u = -u // two's complement: also right for MinInt64
			prefix = '-'
		} else {
			prefix = sp.sign
		}
	}
	base, upper := 10, false
	thousands := sp.thousands
	switch sp.conv {
	case 'x':
		base = 16
	case 'X', 'p':
		base, upper = 16, true
	case 'o':
		base = 8
	}
	if sp.conv != 'd' && sp.conv != 'i' && sp.conv != 'u' {
		thousands = false
	}
	alt := sp.alt && u != 0
	prec := sp.prec
	if sp.zeroPad {
		p := sp.width
		if prefix != 0 {
			p--
		}
		if prec < p {
			prec = p
		}
	}
	var digits [24]byte
	d := strconv.AppendUint(digits[:0], u, base)
	if upper {
		for k, c := range d {
			if c >= 'a' {
				d[k] = c - 'a' + 'A'
			}
		}
	}
	var suffix string
	if sp.conv == 'r' {
		x := u % 10
		if x >= 4 || (u/10)%10 == 1 {
			x = 0
		}
		suffix = [...]string{"th", "st", "nd", "rd"}[x]
	}
	length := len(d) + len(suffix)
	zeros := 0
	if prec > length {
		zeros = prec - length
	}
	if zeros+length+3 > cap(buf) {
		buf = make([]byte, 0, zeros+length+length/3+4+zeros/3)
	}
	b := buf[:0]
	if alt {
		switch sp.conv {
		case 'o':
			b = append(b, '0')
		case 'x', 'p':
			b = append(b, '0', 'x')
		case 'X':
			b = append(b, '0', 'X')
		}
	}
	if prefix != 0 {
		b = append(b, prefix)
	}
	numStart := len(b)
	for ; zeros > 0; zeros-- {
		b = append(b, '0')
	}
	b = append(b, d...)
	b = append(b, suffix...)
	if thousands {
		b = insertThousands(b, numStart)
	}
	return b
}

// insertThousands puts a comma between every group of three digits of
// b[from:], counting from the right.
func insertThousands(b []byte, from int) []byte {
	n := len(b) - from
	commas := (n - 1) / 3
	if commas <= 0 {
		return b
	}
	b = append(b, make([]byte, commas)...)
	src, dst := len(b)-commas-1, len(b)-1
	for group := 0; src >= from; src-- {
		if group == 3 {
			b[dst] = ','
			dst--
			group = 0
		}
		b[dst] = b[src]
		dst--
		group++
	}
	return b
}

// char renders %c: the first UTF-8 character of the argument, precision
// times (a NULL or empty argument gives a NUL byte, as in SQLite).
func (sp *printfSpec) char(dst []byte, pa *printfArgs, scratch []byte) []byte {
	s, _ := pa.text(scratch)
	var ch [4]byte
	n := 1
	if len(s) > 0 {
		ch[0] = s[0]
		if s[0]&0xc0 == 0xc0 {
			for n < 4 && n < len(s) && s[n]&0xc0 == 0x80 {
				ch[n] = s[n]
				n++
			}
		}
	}
	width := sp.width
	if sp.prec > 1 {
		width -= sp.prec - 1
		if width > 1 && !sp.left {
			for k := 0; k < width-1; k++ {
				dst = append(dst, ' ')
			}
			width = 0
		}
		from := len(dst)
		for k := 1; k < sp.prec && len(dst)-from < sp.limit; k++ {
			dst = append(dst, ch[:n]...)
		}
	}
	start := len(dst)
	dst = append(dst, ch[:n]...)
	w := *sp
	w.width = width
	return w.pad(dst, start, true)
}

// escape renders %q, %Q and %w (without the field width).
func (sp *printfSpec) escape(dst []byte, pa *printfArgs, scratch []byte) []byte {
	q := byte('\'')
	if sp.conv == 'w' {
		q = '"'
	}
	s, ok := pa.text(scratch)
	if !ok {
		if sp.conv == 'Q' {
			s = []byte("NULL")
		} else {
			s = []byte("(NULL)")
		}
	}
	if sp.prec >= 0 {
		s = s[:prefixLen(s, sp.prec, sp.alt2)]
	}
	quoted := ok && sp.conv == 'Q'
	if quoted {
		dst = append(dst, q)
	}
	for _, c := range s {
		dst = append(dst, c)
		if c == q {
			dst = append(dst, c)
		}
	}
	if quoted {
		dst = append(dst, q)
	}
	return dst
}
