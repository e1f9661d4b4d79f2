package vdbe

import (
	"strconv"
	"time"

	"github.com/wrendb/wren/record"
)

// SQLite's date and time functions (lang_datefunc.html): date, time,
// datetime, julianday, unixepoch, strftime and timediff, plus
// current_date, current_time and current_timestamp, which the compiler
// calls for the keywords of the same names.

// StatementClock is implemented by a Conn that knows when the running
// statement started. SQLite evaluates 'now' once per statement (the first
// time a date function asks, sqlite3StmtCurrentTime) so that every row and
// every call of one statement sees the same instant; the engine's
// connection should implement StatementTime by capturing time.Now() on the
// first call after a statement starts executing and returning that value
// until the statement is reset. Without it each call reads the wall clock.
type StatementClock interface {
	StatementTime() time.Time
}

// nowJD returns the current instant for 'now', in day-number units.
func nowJD(fc *FuncContext) int64 {
	var t time.Time
	if fc != nil && fc.Conn != nil {
		if c, ok := fc.Conn.(StatementClock); ok {
			t = c.StatementTime()
		}
	}
	if t.IsZero() {
		t = time.Now()
	}
	return t.UnixMilli() + unixEpochJD
}

func init() {
	for _, d := range []*FuncDef{
		variadic("julianday", 0, fnJulianday),
		variadic("unixepoch", 0, fnUnixepoch),
		variadic("date", 0, fnDate),
		variadic("time", 0, fnTime),
		variadic("datetime", 0, fnDatetime),
		variadic("strftime", 0, fnStrftime),
		scalar("timediff", 2, fnTimediff),
		scalar("current_time", 0, fnCurrentTime),
		scalar("current_date", 0, fnCurrentDate),
		scalar("current_timestamp", 0, fnCurrentTimestamp),
	} {
		// 'now' and 'localtime' make these functions depend on more than
		// their arguments; SQLite treats them as constant within one
		// statement only, so the compiler must not fold them at prepare
		// time.
		builtins.Register(d.nondeterministic())
	}
}

// dateArg returns the text of a function argument as SQLite's
// sqlite3_value_text sees it (up to a NUL), or ok false for NULL.
func dateArg(m *Mem) (string, bool) {
	switch m.Kind() {
	case record.Null:
		return "", false
	case record.Text, record.Blob:
		return string(cString(m.Bytes())), true
	}
	return string(AppendText(nil, m)), true
}

// isDate evaluates a time value and its modifiers. ok is false when the
// result is NULL.
func isDate(fc *FuncContext, args []Mem, p *dateTime) bool {
	*p = dateTime{}
	if len(args) == 0 {
		p.jd = nowJD(fc)
		p.validJD = true
		return true
	}
	switch args[0].Kind() {
	case record.Integer, record.Real:
		p.setRawNumber(RealValue(&args[0]))
	default:
		z, ok := dateArg(&args[0])
		if !ok || !p.parseDateOrTime(fc, z) {
			return false
		}
	}
	for i := 1; i < len(args); i++ {
		z, ok := dateArg(&args[i])
		if !ok || !p.applyModifier(fc, z, i) {
			return false
		}
	}
	p.computeJD()
	return !p.isError && validJulianDay(p.jd)
}

// parseDateOrTime reads a time value: an ISO-8601 date and/or time, 'now',
// or a number.
func (p *dateTime) parseDateOrTime(fc *FuncContext, z string) bool {
	switch {
	case p.parseYMD(z), p.parseHMS(z):
		return true
	case equalFoldASCII(z, "now"):
		p.jd = nowJD(fc)
		p.validJD = true
		return true
	}
	if r, ok := ParseReal([]byte(z)); ok {
		p.setRawNumber(r)
		return true
	}
	if equalFoldASCII(z, "subsec") || equalFoldASCII(z, "subsecond") {
		p.subsec = true
		p.jd = nowJD(fc)
		p.validJD = true
		return true
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

func fnJulianday(fc *FuncContext, out *Mem, args []Mem) error {
	var x dateTime
	if !isDate(fc, args, &x) {
		out.SetNull()
		return nil
	}
	out.SetFloat(float64(x.jd) / msPerDay)
	return nil
}

func fnUnixepoch(fc *FuncContext, out *Mem, args []Mem) error {
	var x dateTime
	if !isDate(fc, args, &x) {
		out.SetNull()
		return nil
	}
	if x.subsec {
		out.SetFloat(float64(x.jd-unixEpochJD) / 1000.0)
	} else {
		out.SetInt(x.jd/1000 - unixEpochJD/1000)
	}
	return nil
}

// appendDigits appends v (>= 0) as exactly n decimal digits.
func appendDigits(b []byte, v, n int) []byte {
	var tmp [10]byte
	for i := n - 1; i >= 0; i-- {
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[:n]...)
}

// appendYMD appends YYYY-MM-DD, with a '-' before a negative year.
func appendYMD(b []byte, x *dateTime) []byte {
	y := x.y
	if y < 0 {
		b = append(b, '-')
		y = -y
	}
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, x.mo, 2)
	b = append(b, '-')
	return appendDigits(b, x.d, 2)
}

// appendHMS appends HH:MM:SS, or HH:MM:SS.SSS with the subsec modifier.
func appendHMS(b []byte, x *dateTime) []byte {
	b = appendDigits(b, x.h, 2)
	b = append(b, ':')
	b = appendDigits(b, x.mi, 2)
	b = append(b, ':')
	if x.subsec {
		ms := int(1000.0*x.s + 0.5)
		b = appendDigits(b, ms/1000, 2)
		b = append(b, '.')
		return appendDigits(b, ms%1000, 3)
	}
	return appendDigits(b, int(x.s), 2)
}

func fnDate(fc *FuncContext, out *Mem, args []Mem) error {
	var x dateTime
	if !isDate(fc, args, &x) {
		out.SetNull()
		return nil
	}
	x.computeYMD()
	out.setBuilt(record.Text, appendYMD(out.scratch(), &x))
	return nil
}

func fnTime(fc *FuncContext, out *Mem, args []Mem) error {
	var x dateTime
	if !isDate(fc, args, &x) {
		out.SetNull()
		return nil
	}
	x.computeHMS()
	out.setBuilt(record.Text, appendHMS(out.scratch(), &x))
	return nil
}

func fnDatetime(fc *FuncContext, out *Mem, args []Mem) error {
	var x dateTime
	if !isDate(fc, args, &x) {
		out.SetNull()
		return nil
	}
	x.computeYMDHMS()
	b := appendYMD(out.scratch(), &x)
	b = append(b, ' ')
	out.setBuilt(record.Text, appendHMS(b, &x))
	return nil
}

func fnCurrentTime(fc *FuncContext, out *Mem, _ []Mem) error {
	return fnTime(fc, out, nil)
}

func fnCurrentDate(fc *FuncContext, out *Mem, _ []Mem) error {
	return fnDate(fc, out, nil)
}

func fnCurrentTimestamp(fc *FuncContext, out *Mem, _ []Mem) error {
	return fnDatetime(fc, out, nil)
}

// appendPadded appends v in decimal, at least width characters wide,
// padded with pad ('0' or ' '); a negative v gets its sign first as C's
// %0Nd does.
func appendPadded(b []byte, v, width int, pad byte) []byte {
	s := strconv.Itoa(v)
	neg := v < 0
	if neg && pad == '0' {
		b = append(b, '-')
		s = s[1:]
		width--
	}
	for i := len(s); i < width; i++ {
		b = append(b, pad)
	}
	return append(b, s...)
}

// appendSeconds appends seconds as %06.3f.
func appendSeconds(b []byte, s float64) []byte {
	start := len(b)
	b, _ = appendFloat(b, s, 'f', 3, 0, false, false)
	if n := len(b) - start; n < 6 {
		b = append(b, "000000"[:6-n]...)
		copy(b[start+6-n:], b[start:start+n])
		for i := start; i < start+6-n; i++ {
			b[i] = '0'
		}
	}
	return b
}
