package vdbe

// The calendar arithmetic behind the date and time functions.
//
// SQLite keeps an instant as a Julian day number times 86,400,000: integer
// milliseconds since noon UTC, 24 November 4714 BC in the proleptic
// Gregorian calendar. Next to that number it may also hold the broken-down
// year/month/day and hour/minute/second fields, and each of the three
// representations has a validity flag. Which ones are valid matters for
// the output: date('2024-02-30') is '2024-02-30' in SQLite 3.40 because
// the parsed fields are printed as they are when no modifier forced a trip
// through the day number, while date('2024-02-30', '+0 days') is
// '2024-03-01'. dateTime reproduces those flags rather than normalising
// eagerly.

// msPerDay is the length of a day in the day-number unit.
const msPerDay = 86400000

// unixEpochJD is 1970-01-01 00:00:00 UTC in the day-number unit.
const unixEpochJD = 210866760000000

// maxJD is 9999-12-31 23:59:59.999, the last instant SQLite represents.
const maxJD = 464269060799999

// dateTime is one instant being computed by a date function.
type dateTime struct {
	jd      int64   // Julian day × 86400000, when validJD
	y, mo   int     // year and month, when validYMD
	d       int     // day of month, when validYMD
	h, mi   int     // hour and minute, when validHMS
	s       float64 // seconds with fraction, or the raw number when rawS
	tz      int     // zone offset in minutes, when validTZ
	validJD bool
	// rawS: the value was a bare number (s holds it) that may still be read
	// as a Julian day or a unix time by the first modifier.
	rawS     bool
	validYMD bool
	validHMS bool
	validTZ  bool
	tzSet    bool // a zone was given, so 'utc' is a no-op
	isError  bool // out of range: the result is NULL
	subsec   bool // 'subsec' modifier: print milliseconds
}

func (p *dateTime) setError() { *p = dateTime{isError: true} }

// digits reads a field of exactly n ASCII digits at s[i:] and checks that
// its value is in [lo, hi] and, when sep is not 0, that sep follows it.
func digits(s string, i, n, lo, hi int, sep byte) (v int, ok bool) {
	if i+n > len(s) {
		return 0, false
	}
	for k := 0; k < n; k++ {
		c := s[i+k]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if v < lo || v > hi {
		return 0, false
	}
	if sep != 0 && (i+n >= len(s) || s[i+n] != sep) {
		return 0, false
	}
	return v, true
}

// parseTimezone reads an optional "[+-]HH:MM" or "Z" suffix (with spaces
// around it) at s[i:]. It fails if anything else follows.
func (p *dateTime) parseTimezone(s string, i int) bool {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	p.tz = 0
	if i >= len(s) {
		return true
	}
	sign := 1
	switch s[i] {
	case '-':
		sign = -1
	case '+':
	case 'Z', 'z':
		i++
		p.tzSet = true
		return onlySpaces(s, i)
	default:
		return false
	}
	i++
	hh, ok1 := digits(s, i, 2, 0, 14, ':')
	mm, ok2 := digits(s, i+3, 2, 0, 59, 0)
	if !ok1 || !ok2 {
		return false
	}
	i += 5
	p.tz = sign * (hh*60 + mm)
	p.tzSet = true
	return onlySpaces(s, i)
}

func onlySpaces(s string, i int) bool {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i == len(s)
}

// parseHMS reads "HH:MM", "HH:MM:SS" or "HH:MM:SS.FFF..." with an optional
// zone suffix.
func (p *dateTime) parseHMS(s string) bool {
	h, ok1 := digits(s, 0, 2, 0, 24, ':')
	m, ok2 := digits(s, 3, 2, 0, 59, 0)
	if !ok1 || !ok2 {
		return false
	}
	i := 5
	sec := 0.0
	if i < len(s) && s[i] == ':' {
		si, ok := digits(s, i+1, 2, 0, 59, 0)
		if !ok {
			return false
		}
		i += 3
		sec = float64(si)
		if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
			// Accumulated as a double, digit by digit, as SQLite does, so
			// that long fractions round the same way.
			frac, scale := 0.0, 1.0
			i++
			for i < len(s) && isDigit(s[i]) {
				frac = frac*10 + float64(s[i]-'0')
				scale *= 10
				i++
			}
			sec += frac / scale
		}
	}
	p.validJD = false
	p.rawS = false
	p.validHMS = true
	p.h, p.mi, p.s = h, m, sec
	if !p.parseTimezone(s, i) {
		return false
	}
	p.validTZ = p.tz != 0
	return true
}

// parseYMD reads "[-]YYYY-MM-DD" optionally followed by spaces or 'T' and
// a time.
func (p *dateTime) parseYMD(s string) bool {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg = true
		s = s[1:]
	}
	y, ok1 := digits(s, 0, 4, 0, 9999, '-')
	m, ok2 := digits(s, 5, 2, 1, 12, '-')
	d, ok3 := digits(s, 8, 2, 1, 31, 0)
	if !ok1 || !ok2 || !ok3 {
		return false
	}
	rest := s[10:]
	for len(rest) > 0 && (isSpace(rest[0]) || rest[0] == 'T') {
		rest = rest[1:]
	}
	if !p.parseHMS(rest) {
		if rest != "" {
			return false
		}
		p.validHMS = false
	}
	p.validJD = false
	p.validYMD = true
	if neg {
		y = -y
	}
	p.y, p.mo, p.d = y, m, d
	if p.validTZ {
		p.computeJD()
	}
	return true
}

// setRawNumber records a bare number, which is a Julian day unless a
// modifier says otherwise.
func (p *dateTime) setRawNumber(r float64) {
	p.s = r
	p.rawS = true
	if r >= 0 && r < 5373484.5 {
		p.jd = int64(r*msPerDay + 0.5)
		p.validJD = true
	}
}

func validJulianDay(jd int64) bool { return jd >= 0 && jd <= maxJD }

// computeJD derives the day number from the fields (Meeus, Astronomical
// Algorithms, chapter 7). Without a date, 2000-01-01 is assumed.
func (p *dateTime) computeJD() {
	if p.validJD {
		return
	}
	y, m, d := 2000, 1, 1
	if p.validYMD {
		y, m, d = p.y, p.mo, p.d
	}
	if y < -4713 || y > 9999 || p.rawS {
		p.setError()
		return
	}
	if m <= 2 {
		y--
		m += 12
	}
	a := y / 100
	b := 2 - a + a/4
	x1 := 36525 * (y + 4716) / 100
	x2 := 306001 * (m + 1) / 10000
	p.jd = int64((float64(x1+x2+d+b) - 1524.5) * msPerDay)
	p.validJD = true
	if p.validHMS {
		p.jd += int64(p.h*3600000+p.mi*60000) + int64(p.s*1000+0.5)
		if p.validTZ {
			p.jd -= int64(p.tz) * 60000
			p.validYMD = false
			p.validHMS = false
			p.validTZ = false
		}
	}
}

// computeYMD derives year, month and day from the day number.
func (p *dateTime) computeYMD() {
	if p.validYMD {
		return
	}
	switch {
	case !p.validJD:
		p.y, p.mo, p.d = 2000, 1, 1
	case !validJulianDay(p.jd):
		p.setError()
		return
	default:
		z := int((p.jd + 43200000) / msPerDay)
		a := int((float64(z) - 1867216.25) / 36524.25)
		a = z + 1 + a - a/4
		b := a + 1524
		c := int((float64(b) - 122.1) / 365.25)
		d := (36525 * (c & 32767)) / 100
		e := int(float64(b-d) / 30.6001)
		x1 := int(30.6001 * float64(e))
		p.d = b - d - x1
		if e < 14 {
			p.mo = e - 1
		} else {
			p.mo = e - 13
		}
		if p.mo > 2 {
			p.y = c - 4716
		} else {
			p.y = c - 4715
		}
	}
	p.validYMD = true
}

// computeHMS derives hour, minute and seconds from the day number.
func (p *dateTime) computeHMS() {
	if p.validHMS {
		return
	}
	p.computeJD()
	ms := int((p.jd + 43200000) % msPerDay)
	// Seconds are split off the way SQLite 3.40 does (whole seconds of
	// the day as a double, minus their integer part), which decides the
	// last bits of the fraction.
	p.s = float64(ms) / 1000.0
	sec := int(p.s)
	p.s -= float64(sec)
	p.h = sec / 3600
	sec -= p.h * 3600
	p.mi = sec / 60
	p.s += float64(sec - p.mi*60)
	p.rawS = false
	p.validHMS = true
}

func (p *dateTime) computeYMDHMS() {
	p.computeYMD()
	p.computeHMS()
}

func (p *dateTime) clearYMDHMSTZ() {
	p.validYMD = false
	p.validHMS = false
	p.validTZ = false
}

// weekday is 0 for Sunday through 6 for Saturday.
func (p *dateTime) weekday() int64 { return ((p.jd + 129600000) / msPerDay) % 7 }
