package vdbe

import (
	"strconv"

	"github.com/wrendb/wren/record"
)

// strftime and timediff: the two date functions that format their own
// output.

// fnStrftime implements strftime(FORMAT, TIMEVALUE, MODIFIER...).
//
// SQLite 3.40 knows %d %f %H %j %J %m %M %s %S %w %W %Y and %%; later
// releases added %e %F %I %k %l %p %P %R %T %u %G %g %V and %U, which are
// implemented here as the current documentation describes them. Any other
// conversion, including a '%' at the end of the format, makes the result
// NULL.
func fnStrftime(fc *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	if len(args) == 0 {
		return nil
	}
	format, ok := dateArg(&args[0])
	if !ok {
		return nil
	}
	var x dateTime
	if !isDate(fc, args[1:], &x) {
		return nil
	}
	x.computeJD()
	x.computeYMDHMS()
	b, ok := appendStrftime(out.scratch(), format, &x)
	if !ok {
		return nil
	}
	if len(b) > fc.maxLength() {
		return errTooBig()
	}
	out.setBuilt(record.Text, b)
	return nil
}

// daysSinceJan1 is the zero-based day of the year.
func (x *dateTime) daysSinceJan1() int {
	y := *x
	y.validJD = false
	y.mo, y.d = 1, 1
	y.computeJD()
	return int((x.jd - y.jd + 43200000) / msPerDay)
}

// daysSinceMonday is 0 on Monday through 6 on Sunday.
func (x *dateTime) daysSinceMonday() int { return int(((x.jd + 43200000) / msPerDay) % 7) }

// isoThursday returns the Thursday of x's ISO week, which decides the ISO
// year and week number.
func (x *dateTime) isoThursday() dateTime {
	y := *x
	y.jd += int64(3-x.daysSinceMonday()) * msPerDay
	y.validYMD = false
	y.computeYMD()
	return y
}

func appendStrftime(b []byte, format string, x *dateTime) ([]byte, bool) {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		i++
		if i >= len(format) {
			return nil, false
		}
		switch cf := format[i]; cf {
		case 'd':
			b = appendPadded(b, x.d, 2, '0')
		case 'e':
			b = appendPadded(b, x.d, 2, ' ')
		case 'f':
			s := x.s
			if s > 59.999 {
				s = 59.999
			}
			b = appendSeconds(b, s)
		case 'F':
			b = appendPadded(b, x.y, 4, '0')
			b = append(b, '-')
			b = appendPadded(b, x.mo, 2, '0')
			b = append(b, '-')
			b = appendPadded(b, x.d, 2, '0')
		case 'H':
			b = appendPadded(b, x.h, 2, '0')
		case 'k':
			b = appendPadded(b, x.h, 2, ' ')
		case 'I', 'l':
			h := x.h
			if h > 12 {
				h -= 12
			}
			if h == 0 {
				h = 12
			}
			pad := byte('0')
			if cf == 'l' {
				pad = ' '
			}
			b = appendPadded(b, h, 2, pad)
		case 'j':
			b = appendPadded(b, x.daysSinceJan1()+1, 3, '0')
		case 'W':
			b = appendPadded(b, (x.daysSinceJan1()-x.daysSinceMonday()+7)/7, 2, '0')
		case 'U':
			b = appendPadded(b, (x.daysSinceJan1()-int(x.weekday())+7)/7, 2, '0')
		case 'V':
			y := x.isoThursday()
			b = appendPadded(b, y.daysSinceJan1()/7+1, 2, '0')
		case 'G':
			y := x.isoThursday()
			b = appendPadded(b, y.y, 4, '0')
		case 'g':
			y := x.isoThursday()
			b = appendPadded(b, y.y%100, 2, '0')
		case 'J':
			b, _ = appendFloat(b, float64(x.jd)/msPerDay, 'g', 16, 0, false, false)
		case 'm':
			b = appendPadded(b, x.mo, 2, '0')
		case 'M':
			b = appendPadded(b, x.mi, 2, '0')
		case 'p', 'P':
			switch {
			case x.h >= 12 && cf == 'p':
				b = append(b, "PM"...)
			case x.h >= 12:
				b = append(b, "pm"...)
			case cf == 'p':
				b = append(b, "AM"...)
			default:
				b = append(b, "am"...)
			}
		case 'R':
			b = appendPadded(b, x.h, 2, '0')
			b = append(b, ':')
			b = appendPadded(b, x.mi, 2, '0')
		case 's':
			if x.subsec {
				b, _ = appendFloat(b, float64(x.jd-unixEpochJD)/1000.0, 'f', 3, 0, false, false)
			} else {
				b = strconv.AppendInt(b, x.jd/1000-unixEpochJD/1000, 10)
			}
		case 'S':
			b = appendPadded(b, int(x.s), 2, '0')
		case 'T':
			b = appendPadded(b, x.h, 2, '0')
			b = append(b, ':')
			b = appendPadded(b, x.mi, 2, '0')
			b = append(b, ':')
			b = appendPadded(b, int(x.s), 2, '0')
		case 'u', 'w':
			wd := byte(x.weekday()) + '0'
			if wd == '0' && cf == 'u' {
				wd = '7'
			}
			b = append(b, wd)
		case 'Y':
			b = appendPadded(b, x.y, 4, '0')
		case '%':
			b = append(b, '%')
		default:
			return nil, false
		}
	}
	return b, true
}

// fnTimediff implements timediff(A, B) (SQLite 3.43): the calendar
// distance from B to A as "+YYYY-MM-DD HH:MM:SS.SSS", which added to B
// as a modifier gives A. Numbers are Julian days, not unix times.
func fnTimediff(fc *FuncContext, out *Mem, args []Mem) error {
	var d1, d2 dateTime
	if !isDate(fc, args[0:1], &d1) || !isDate(fc, args[1:2], &d2) {
		out.SetNull()
		return nil
	}
	d1.computeYMDHMS()
	d2.computeYMDHMS()
	// Move d2 to d1's year and month, then step back (or forward) one
	// month at a time until it no longer passes d1; what remains is less
	// than a month and is printed as days and a time of day.
	setYM := func(y, m int) {
		d2.y, d2.mo = y, m
		d2.validJD = false
		d2.computeJD()
	}
	var sign byte
	var years, months int
	if d1.jd >= d2.jd {
		sign = '+'
		years = d1.y - d2.y
		if years != 0 {
			setYM(d1.y, d2.mo)
		}
		months = d1.mo - d2.mo
		if months < 0 {
			years--
			months += 12
		}
		if months != 0 {
			setYM(d2.y, d1.mo)
		}
		for d1.jd < d2.jd {
			months--
			if months < 0 {
				months = 11
				years--
			}
			if d2.mo--; d2.mo < 1 {
				d2.mo = 12
				d2.y--
			}
			setYM(d2.y, d2.mo)
		}
		d1.jd -= d2.jd
	} else {
		sign = '-'
		years = d2.y - d1.y
		if years != 0 {
			setYM(d1.y, d2.mo)
		}
		months = d2.mo - d1.mo
		if months < 0 {
			years--
			months += 12
		}
		if months != 0 {
			setYM(d2.y, d1.mo)
		}
		for d1.jd > d2.jd {
			months--
			if months < 0 {
				months = 11
				years--
			}
			if d2.mo++; d2.mo > 12 {
				d2.mo = 1
				d2.y++
			}
			setYM(d2.y, d2.mo)
		}
		d1.jd = d2.jd - d1.jd
	}
	// Offset the difference to 2000-01-01 00:00 so that computeYMDHMS
	// splits it into days, hours, minutes and seconds.
	d1.jd += 148699540800000
	d1.validYMD, d1.validHMS, d1.validTZ = false, false, false
	d1.computeYMDHMS()
	b := append(out.scratch(), sign)
	b = appendPadded(b, years, 4, '0')
	b = append(b, '-')
	b = appendPadded(b, months, 2, '0')
	b = append(b, '-')
	b = appendPadded(b, d1.d-1, 2, '0')
	b = append(b, ' ')
	b = appendPadded(b, d1.h, 2, '0')
	b = append(b, ':')
	b = appendPadded(b, d1.mi, 2, '0')
	b = append(b, ':')
	out.setBuilt(record.Text, appendSeconds(b, d1.s))
	return nil
}
