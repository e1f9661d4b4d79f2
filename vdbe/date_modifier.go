package vdbe

import (
	"strings"
	"time"
)

// The modifiers of the date and time functions ('+1 day', 'start of
// month', 'weekday 0', 'unixepoch', 'localtime', ...). Each one transforms
// a dateTime; an unknown or malformed modifier makes the result NULL.

// localLocation is the zone of the 'localtime' and 'utc' modifiers. It is a
// variable so that tests can pin a zone with daylight saving time.
var localLocation = func() *time.Location { return time.Local }

// dateUnit is one of the units of an "NNN units" modifier.
type dateUnit struct {
	name  string
	limit float64 // |NNN| must stay below this
	scale float64 // seconds per unit
}

// The limits keep the result within SQLite's 10,000 years; they are the
// single-precision constants SQLite compares against.
var dateUnits = [...]dateUnit{
	{"second", float64(float32(4.6427e+14)), 1.0},
	{"minute", float64(float32(7.7379e+12)), 60.0},
	{"hour", float64(float32(1.2897e+11)), 3600.0},
	{"day", float64(float32(5373485.0)), 86400.0},
	{"month", float64(float32(176546.0)), 2592000.0},
	{"year", float64(float32(14713.0)), 31536000.0},
}

// toLocaltime converts p, a UTC instant, to the local time of
// localLocation. Instants outside 1970-2037 are moved into a year of the
// same leap-year cycle near 2000 for the zone lookup and moved back, as
// SQLite does to stay within the range of a 32-bit time_t.
func (p *dateTime) toLocaltime() {
	p.computeJD()
	yearDiff := 0
	var unix int64
	if p.jd < 210866760000000 || p.jd > 213014145600000 {
		x := *p
		x.computeYMDHMS()
		yearDiff = (2000 + x.y%4) - x.y
		x.y += yearDiff
		x.validJD = false
		x.computeJD()
		unix = x.jd/1000 - unixEpochJD/1000
	} else {
		unix = p.jd/1000 - unixEpochJD/1000
	}
	lt := time.Unix(unix, 0).In(localLocation())
	p.y = lt.Year() - yearDiff
	p.mo, p.d = int(lt.Month()), lt.Day()
	p.h, p.mi = lt.Hour(), lt.Minute()
	p.s = float64(lt.Second()) + float64(p.jd%1000)*0.001
	p.validYMD, p.validHMS = true, true
	p.validJD, p.rawS, p.validTZ, p.isError = false, false, false, false
}

// toUTC is the inverse of toLocaltime: it searches for the UTC instant
// whose local time is p, refining the guess at most four times (around a
// daylight saving change there may be none or two).
func (p *dateTime) toUTC() {
	p.computeJD()
	orig := p.jd
	guess, diff := orig, int64(0)
	for tries := 0; ; tries++ {
		guess -= diff
		local := dateTime{jd: guess, validJD: true}
		local.toLocaltime()
		local.computeJD()
		diff = local.jd - orig
		if diff == 0 || tries >= 3 {
			break
		}
	}
	*p = dateTime{jd: guess, validJD: true, tzSet: true}
}

// applyModifier applies modifier z, the idx-th argument after the time
// value (1 for the first). It reports false when the modifier is not
// recognised or not applicable, which makes the function's result NULL.
func (p *dateTime) applyModifier(fc *FuncContext, z string, idx int) bool {
	if z == "" {
		return false
	}
	switch lowerByte(z[0]) {
	case 'a':
		if !strings.EqualFold(z, "auto") || idx > 1 {
			return false
		}
		p.autoAdjust()
		return true
	case 'j':
		if !strings.EqualFold(z, "julianday") || idx > 1 {
			return false
		}
		if p.validJD && p.rawS {
			p.rawS = false
			return true
		}
		return false
	case 'l':
		if !strings.EqualFold(z, "localtime") {
			return false
		}
		p.toLocaltime()
		return true
	case 'u':
		if strings.EqualFold(z, "unixepoch") && p.rawS {
			if idx > 1 {
				return false
			}
			r := p.s*1000.0 + unixEpochJD
			if r < 0 || r >= maxJD+1 {
				return false
			}
			p.clearYMDHMSTZ()
			p.jd = int64(r + 0.5)
			p.validJD = true
			p.rawS = false
			return true
		}
		if !strings.EqualFold(z, "utc") {
			return false
		}
		if !p.tzSet {
			p.toUTC()
		}
		return true
	case 'w':
		return p.weekdayModifier(z)
	case 's':
		return p.startOfModifier(z)
	case '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return p.arithmeticModifier(z)
	}
	return false
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// autoAdjust reads a bare number as a unix time when it is not a valid
// Julian day number ('auto' modifier).
func (p *dateTime) autoAdjust() {
	if !p.rawS || p.validJD {
		p.rawS = false
		return
	}
	if p.s >= -210866760000 && p.s <= 253402300799 {
		r := p.s*1000.0 + unixEpochJD
		p.clearYMDHMSTZ()
		p.jd = int64(r + 0.5)
		p.validJD = true
		p.rawS = false
	}
}

// weekdayModifier: 'weekday N' moves forward to the next weekday N (0 is
// Sunday), staying put if the date already is one.
func (p *dateTime) weekdayModifier(z string) bool {
	if len(z) < 8 || !strings.EqualFold(z[:8], "weekday ") {
		return false
	}
	r, ok := ParseReal([]byte(z[8:]))
	if !ok || r < 0 || r >= 7 || float64(int(r)) != r {
		return false
	}
	n := int64(r)
	p.computeYMDHMS()
	p.validTZ = false
	p.validJD = false
	p.computeJD()
	wd := p.weekday()
	if wd > n {
		wd -= 7
	}
	p.jd += (n - wd) * msPerDay
	p.clearYMDHMSTZ()
	return true
}

// startOfModifier: 'start of day', 'start of month', 'start of year', and
// the newer 'subsec' / 'subsecond'.
func (p *dateTime) startOfModifier(z string) bool {
	if len(z) < 9 || !strings.EqualFold(z[:9], "start of ") {
		if strings.EqualFold(z, "subsec") || strings.EqualFold(z, "subsecond") {
			p.subsec = true
			return true
		}
		return false
	}
	if !p.validJD && !p.validYMD && !p.validHMS {
		return false
	}
	p.computeYMD()
	p.validHMS = true
	p.h, p.mi, p.s = 0, 0, 0
	p.rawS = false
	p.validTZ = false
	p.validJD = false
	switch unit := z[9:]; {
	case strings.EqualFold(unit, "month"):
		p.d = 1
	case strings.EqualFold(unit, "year"):
		p.mo, p.d = 1, 1
	case strings.EqualFold(unit, "day"):
	default:
		return false
	}
	return true
}

// arithmeticModifier: '±NNN units', '±HH:MM[:SS[.FFF]]' and (SQLite
// 3.42) '±YYYY-MM-DD[ HH:MM[:SS[.FFF]]]'.
func (p *dateTime) arithmeticModifier(z string) bool {
	n := 1
	for n < len(z) && z[n] != ':' && !isSpace(z[n]) {
		if z[n] == '-' && (n == 5 || n == 6) {
			if _, ok := digits(z, 1, n-1, 0, 14712, 0); ok {
				break
			}
		}
		n++
	}
	r, ok := ParseReal([]byte(z[:n]))
	if !ok {
		return false
	}
	timePart := z
	if n < len(z) && z[n] == '-' {
		var ok bool
		if timePart, ok = p.addYMD(z, n); !ok {
			return false
		}
		if timePart == "" {
			return true
		}
		n = 2
	}
	if n < len(timePart) && timePart[n] == ':' {
		// The time is parsed as a time of day on 2000-01-01 and its
		// distance from midnight added or subtracted.
		t := timePart
		if !isDigit(t[0]) {
			t = t[1:]
		}
		var tx dateTime
		if !tx.parseHMS(t) {
			return false
		}
		tx.computeJD()
		tx.jd -= 43200000
		tx.jd -= (tx.jd / msPerDay) * msPerDay
		if z[0] == '-' {
			tx.jd = -tx.jd
		}
		p.computeJD()
		p.clearYMDHMSTZ()
		p.jd += tx.jd
		return true
	}
	unit := z[n:]
	for len(unit) > 0 && isSpace(unit[0]) {
		unit = unit[1:]
	}
	if len(unit) > 10 || len(unit) < 3 {
		return false
	}
	if lowerByte(unit[len(unit)-1]) == 's' {
		unit = unit[:len(unit)-1]
	}
	p.computeJD()
	rounder := 0.5
	if r < 0 {
		rounder = -0.5
	}
	done := false
	for i, u := range dateUnits {
		if len(u.name) != len(unit) || !strings.EqualFold(u.name, unit) || r <= -u.limit || r >= u.limit {
			continue
		}
		switch i {
		case 4: // months: whole months on the calendar, the rest as 30 days
			p.computeYMDHMS()
			p.mo += int(r)
			x := (p.mo - 1) / 12
			if p.mo <= 0 {
				x = (p.mo - 12) / 12
			}
			p.y += x
			p.mo -= x * 12
			p.validJD = false
			r -= float64(int(r))
		case 5: // years: whole years on the calendar, the rest as 365 days
			p.computeYMDHMS()
			p.y += int(r)
			p.validJD = false
			r -= float64(int(r))
		}
		p.computeJD()
		p.jd += int64(r*1000.0*u.scale + rounder)
		done = true
		break
	}
	p.clearYMDHMSTZ()
	return done
}

// addYMD applies the date part of '±YYYY-MM-DD[ HH:MM...]', whose year
// has yearEnd-1 digits. It returns the time part that follows ("" when
// there is none).
func (p *dateTime) addYMD(z string, yearEnd int) (timePart string, ok bool) {
	sign := z[0]
	if sign != '+' && sign != '-' {
		return "", false
	}
	y, ok1 := digits(z, 1, yearEnd-1, 0, 14712, '-')
	m, ok2 := digits(z, yearEnd+1, 2, 0, 12, '-')
	d, ok3 := digits(z, yearEnd+4, 2, 0, 31, 0)
	if !ok1 || !ok2 || !ok3 || m >= 12 || d >= 31 {
		return "", false
	}
	p.computeYMDHMS()
	p.validJD = false
	if sign == '-' {
		p.y -= y
		p.mo -= m
		d = -d
	} else {
		p.y += y
		p.mo += m
	}
	x := (p.mo - 1) / 12
	if p.mo <= 0 {
		x = (p.mo - 12) / 12
	}
	p.y += x
	p.mo -= x * 12
	p.computeJD()
	p.validHMS = false
	p.validYMD = false
	p.jd += int64(d) * msPerDay
	rest := z[yearEnd+6:]
	if rest == "" {
		return "", true
	}
	if !isSpace(rest[0]) {
		return "", false
	}
	if _, ok := digits(rest, 1, 2, 0, 24, ':'); !ok {
		return "", false
	}
	if _, ok := digits(rest, 4, 2, 0, 59, 0); !ok {
		return "", false
	}
	// The time part is applied with the modifier's sign by the caller.
	return rest[1:], true
}
