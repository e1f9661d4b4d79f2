package vdbe

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runGoldenFile evaluates every case of a golden file written by
// testdata/gen and compares with what sqlite3 produced. The 'localtime'
// and 'utc' modifiers are pinned to UTC, the zone the goldens were made in.
func runGoldenFile(t *testing.T, path string, minCases int) {
	t.Helper()
	defer pinLocalZone(time.UTC)()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want, got []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		expr, expected, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("malformed golden line %q", line)
		}
		want = append(want, expr+" → "+expected)
		got = append(got, expr+" → "+evalGoldenCase(expr))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < minCases {
		t.Fatalf("only %d golden cases in %s", len(want), path)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results differ from sqlite3 (-sqlite3 +wren):\n%s", diff)
	}
}

// evalGoldenCase is evalCase plus the JSON operators -> and ->>, which the
// test evaluator does not parse: the expression is split at its last
// top-level arrow (they associate to the left) and the two sides are
// evaluated separately.
func evalGoldenCase(expr string) string {
	if name, arg, ok := callOfArrow(expr); ok {
		// f(x -> p): one function call around an arrow expression.
		v, err := evalArrowSide(arg)
		if err != nil {
			return "error: " + err.Error()
		}
		def, _ := Builtins().Lookup(name, 1)
		var out Mem
		if err := def.Scalar(&FuncContext{}, &out, []Mem{v.m}); err != nil {
			return "error: " + err.Error()
		}
		return render(&out)
	}
	left, op, right, ok := splitArrow(expr)
	if !ok {
		return evalCase(expr)
	}
	l, err := evalArrowSide(left)
	if err != nil {
		return "error: " + err.Error()
	}
	r, err := evalSQL(right, nil, nil)
	if err != nil {
		return "error: " + err.Error()
	}
	def, _ := Builtins().Lookup(op, 2)
	var out Mem
	if err := def.Scalar(&FuncContext{}, &out, []Mem{l.m, r.m}); err != nil {
		return "error: " + err.Error()
	}
	return render(&out)
}

func evalArrowSide(s string) (*val, error) {
	if left, op, right, ok := splitArrow(s); ok {
		l, err := evalArrowSide(left)
		if err != nil {
			return nil, err
		}
		r, err := evalSQL(right, nil, nil)
		if err != nil {
			return nil, err
		}
		def, _ := Builtins().Lookup(op, 2)
		out := &val{aff: AffinityNone}
		return out, def.Scalar(&FuncContext{}, &out.m, []Mem{l.m, r.m})
	}
	return evalSQL(s, nil, nil)
}

// callOfArrow recognises "name(x -> p)" where the parentheses enclose
// the whole argument.
func callOfArrow(s string) (name, arg string, ok bool) {
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") || strings.ContainsAny(s[:open], " '") {
		return "", "", false
	}
	arg = s[open+1 : len(s)-1]
	if _, _, _, isArrow := splitArrow(arg); !isArrow || len(splitTopLevel(arg)) != 1 {
		return "", "", false
	}
	return s[:open], arg, true
}

// splitArrow finds the last "->" or "->>" outside quotes and parentheses.
func splitArrow(s string) (left, op, right string, ok bool) {
	depth, inStr, at := 0, false, -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			inStr = !inStr
		case inStr:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '-' && depth == 0 && i+1 < len(s) && s[i+1] == '>':
			at = i
		}
	}
	if at < 0 {
		return "", "", "", false
	}
	op, rest := "->", s[at+2:]
	if strings.HasPrefix(rest, ">") {
		op, rest = "->>", rest[1:]
	}
	return strings.TrimSpace(s[:at]), op, strings.TrimSpace(rest), true
}

// pinLocalZone makes 'localtime' and 'utc' use loc until the returned
// function is called.
func pinLocalZone(loc *time.Location) func() {
	saved := localLocation
	localLocation = func() *time.Location { return loc }
	return func() { localLocation = saved }
}

// Every date/time case in testdata/date/golden.txt gives what sqlite3
// 3.40.1 gave.
func TestDateGolden(t *testing.T) { runGoldenFile(t, "testdata/date/golden.txt", 800) }

// evalDate evaluates one SQL expression with the test evaluator and
// renders it as sqlite3's list mode would ("" for NULL).
func evalDate(t *testing.T, conn Conn, expr string) string {
	t.Helper()
	v, err := evalSQL(expr, nil, conn)
	if err != nil {
		return "error: " + err.Error()
	}
	if v.m.IsNull() {
		return "NULL"
	}
	return string(AppendText(nil, &v.m))
}

// checkDates compares each expression's value with the expected text.
func checkDates(t *testing.T, conn Conn, cases [][2]string) {
	t.Helper()
	var want, got []string
	for _, c := range cases {
		want = append(want, c[0]+" = "+c[1])
		got = append(got, c[0]+" = "+evalDate(t, conn, c[0]))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Ensure that the strftime conversions added after SQLite 3.40 follow the
// current documentation (3.40 returns NULL for them).
func TestDateStrftimeNewerConversions(t *testing.T) {
	checkDates(t, nil, [][2]string{
		{"strftime('%e|%F|%I|%k|%l|%p|%P|%R|%T|%u', '2024-03-05 13:04:05.678')", " 5|2024-03-05|01|13| 1|PM|pm|13:04|13:04:05|2"},
		{"strftime('%I %l %p %P', '2024-03-05 00:30')", "12 12 AM am"},
		{"strftime('%I %l %p', '2024-03-05 12:00')", "12 12 PM"},
		{"strftime('%I %k', '2024-03-05 09:00')", "09  9"},
		{"strftime('%G %g %V %U %W %u', '2024-03-05')", "2024 24 10 09 10 2"},
		// 2021-01-03 is a Sunday in ISO week 53 of 2020.
		{"strftime('%G %g %V %U %W %u %w', '2021-01-03')", "2020 20 53 01 00 7 0"},
		// 2024-12-30 is a Monday in ISO week 1 of 2025.
		{"strftime('%G %V', '2024-12-30')", "2025 01"},
		{"strftime('%G %V', '2026-01-01')", "2026 01"},
		{"strftime('%G %V', '2027-01-01')", "2026 53"},
		{"strftime('%U', '2023-01-01')", "01"},
		{"strftime('%U', '2024-01-06')", "00"},
		{"strftime('%F %T', '-0044-03-15 12:00')", "-044-03-15 12:00:00"},
		{"strftime('%q', '2024-03-05')", "NULL"},
	})
}

// Ensure that the 'subsec' modifier (SQLite 3.42) shows milliseconds.
func TestDateSubsec(t *testing.T) {
	checkDates(t, nil, [][2]string{
		{"datetime('2024-03-05 10:20:30.123', 'subsec')", "2024-03-05 10:20:30.123"},
		{"datetime('2024-03-05 10:20:30.123', 'subsecond')", "2024-03-05 10:20:30.123"},
		{"time('2024-03-05 10:20:30.5', 'subsec')", "10:20:30.500"},
		{"datetime('2024-03-05', 'subsec')", "2024-03-05 00:00:00.000"},
		{"unixepoch('2024-03-05 10:20:30.5', 'subsec')", "1709634030.5"},
		{"typeof(unixepoch('2024-03-05 10:20:30', 'subsec'))", "real"},
		{"strftime('%s', '2024-03-05 10:20:30.25', 'subsec')", "1709634030.250"},
		{"date('2024-03-05 10:20:30.5', 'subsec')", "2024-03-05"},
		{"datetime(1700000000.25, 'unixepoch', 'subsec')", "2023-11-14 22:13:20.250"},
	})
}

// Ensure that '±YYYY-MM-DD[ HH:MM[:SS]]' modifiers (SQLite 3.42) add
// calendar years, months and days, then time.
func TestDateYMDModifier(t *testing.T) {
	checkDates(t, nil, [][2]string{
		{"datetime('2024-03-05', '+0001-02-03')", "2025-05-08 00:00:00"},
		{"datetime('2024-03-05 10:00', '-0000-00-01 01:30')", "2024-03-04 08:30:00"},
		{"datetime('2024-01-31', '+0000-01-00')", "2024-03-02 00:00:00"},
		{"datetime('2024-03-05', '+0000-00-00 12:00:30.5')", "2024-03-05 12:00:30"},
		{"datetime('2024-03-05', '-0001-11-30')", "2022-03-06 00:00:00"},
		{"datetime('2024-03-05', '+0000-12-00')", "NULL"},
		{"datetime('2024-03-05', '+0000-00-31')", "NULL"},
		{"datetime('2024-03-05', '0001-00-00')", "NULL"},
		{"datetime('2024-03-05', '+0001-00-00x')", "NULL"},
		{"datetime('2024-03-05', '+0001-00-00 1:00')", "NULL"},
	})
}

// Ensure that timediff (SQLite 3.43) reports years, months, days and time
// and that adding it to the second argument gives the first.
func TestDateTimediff(t *testing.T) {
	checkDates(t, nil, [][2]string{
		{"timediff('2023-02-15', '2023-03-15')", "-0000-01-00 00:00:00.000"},
		{"timediff('2023-03-15', '2023-02-15')", "+0000-01-00 00:00:00.000"},
		{"timediff('2024-03-05 12:00', '2024-03-04 10:30:15.5')", "+0000-00-01 01:29:44.500"},
		{"timediff('2024-03-05', '2024-03-05')", "+0000-00-00 00:00:00.000"},
		{"timediff('2025-03-01', '2024-02-29')", "+0001-00-00 00:00:00.000"},
		{"timediff('2000-01-01', '2024-06-15 06:00')", "-0024-05-14 06:00:00.000"},
		{"timediff(2460375.5, '2024-03-05')", "+0000-00-01 00:00:00.000"},
		{"timediff(NULL, '2024-03-05')", "NULL"},
		{"timediff('2024-03-05', 'junk')", "NULL"},
	})
	pairs := [][2]string{
		{"2024-03-31 10:00", "2024-02-29"},
		{"2023-01-31", "2024-12-01 23:59:59"},
		{"2000-02-29 12:00", "1999-12-31 13:00"},
		{"2024-01-01", "2024-12-31 00:00:01"},
		{"1970-01-01", "2038-01-19 03:14:07"},
	}
	for _, p := range pairs {
		for _, ab := range [][2]string{{p[0], p[1]}, {p[1], p[0]}} {
			expr := fmt.Sprintf("datetime('%s', timediff('%s', '%s')) = datetime('%s')", ab[1], ab[0], ab[1], ab[0])
			if got := evalDate(t, nil, expr); got != "1" {
				t.Errorf("%s is %s (timediff %s)", expr, got, evalDate(t, nil, fmt.Sprintf("timediff('%s', '%s')", ab[0], ab[1])))
			}
		}
	}
}

// clockConn is a connection whose statement started at a fixed time.
type clockConn struct {
	fakeConn
	at time.Time
}

func (c clockConn) StatementTime() time.Time { return c.at }

// Ensure that 'now' is the statement time the connection reports, so
// every call in a statement sees the same instant.
func TestDateNowIsStatementTime(t *testing.T) {
	conn := clockConn{at: time.Date(2024, 3, 5, 10, 20, 30, 123456789, time.UTC)}
	checkDates(t, conn, [][2]string{
		{"date('now')", "2024-03-05"},
		{"datetime('now')", "2024-03-05 10:20:30"},
		{"datetime('NOW', '+1 day')", "2024-03-06 10:20:30"},
		{"time()", "10:20:30"},
		{"datetime()", "2024-03-05 10:20:30"},
		{"julianday('now') = julianday('2024-03-05 10:20:30.123')", "1"},
		{"unixepoch('now')", "1709634030"},
		{"strftime('%f', 'now')", "30.123"},
		{"datetime('subsec')", "2024-03-05 10:20:30.123"},
		{"current_date()", "2024-03-05"},
		{"current_time()", "10:20:30"},
		{"current_timestamp()", "2024-03-05 10:20:30"},
		{"datetime('now ')", "NULL"},
	})
	// Without a clock, 'now' is the wall clock.
	before := time.Now().Add(-time.Second).UTC().Format("2006-01-02 15:04:05")
	got := evalDate(t, nil, "datetime('now')")
	after := time.Now().Add(time.Second).UTC().Format("2006-01-02 15:04:05")
	if got < before || got > after {
		t.Errorf("datetime('now') = %s, not between %s and %s", got, before, after)
	}
}

// Ensure that 'localtime' and 'utc' convert with the local zone's rules,
// including daylight saving time and SQLite's mapping of years outside
// 1970-2037 (values from sqlite3 run with TZ set).
func TestDateLocaltime(t *testing.T) {
	for _, tc := range []struct {
		zone  string
		cases [][2]string
	}{
		{"America/New_York", [][2]string{
			{"datetime('2024-07-01 12:00', 'localtime')", "2024-07-01 08:00:00"},
			{"datetime('2024-01-01 12:00', 'localtime')", "2024-01-01 07:00:00"},
			{"datetime('2024-07-01 12:00', 'utc')", "2024-07-01 16:00:00"},
			{"datetime('2024-03-10 02:30', 'utc')", "2024-03-10 07:30:00"},
			{"datetime('2024-11-03 01:30', 'utc')", "2024-11-03 05:30:00"},
			{"datetime('1960-07-01 12:00', 'localtime')", "1960-07-01 08:00:00"},
			{"datetime('2050-07-01 12:00', 'localtime')", "2050-07-01 08:00:00"},
			{"datetime('2024-07-01 12:00', 'localtime', 'utc')", "2024-07-01 12:00:00"},
			{"datetime('2024-07-01 12:00+00:00', 'utc')", "2024-07-01 12:00:00"},
			{"datetime('2024-03-10 07:30', 'localtime')", "2024-03-10 03:30:00"},
			{"datetime('2038-01-01 12:00', 'localtime')", "2038-01-01 07:00:00"},
		}},
		{"Asia/Kolkata", [][2]string{
			{"datetime('2024-07-01 12:00', 'localtime')", "2024-07-01 17:30:00"},
			{"datetime('2024-03-10 02:30', 'utc')", "2024-03-09 21:00:00"},
			{"datetime('2024-07-01 12:00', 'localtime', 'utc')", "2024-07-01 12:00:00"},
		}},
		{"Australia/Lord_Howe", [][2]string{
			{"datetime('2024-07-01 12:00', 'localtime')", "2024-07-01 22:30:00"},
			{"datetime('2024-01-01 12:00', 'localtime')", "2024-01-01 23:00:00"},
			{"datetime('2024-11-03 01:30', 'utc')", "2024-11-02 14:30:00"},
		}},
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Logf("zone %s unavailable: %v", tc.zone, err)
			continue
		}
		restore := pinLocalZone(loc)
		checkDates(t, nil, tc.cases)
		restore()
	}
}

// Ensure that the date functions are registered as not deterministic, so
// that the compiler does not fold 'now' at prepare time.
func TestDateFunctionsAreNotFolded(t *testing.T) {
	for _, name := range []string{"date", "time", "datetime", "julianday", "unixepoch", "strftime", "current_date"} {
		n := 1
		if name == "current_date" {
			n = 0
		}
		def, _ := Builtins().Lookup(name, n)
		if def == nil || def.Flags&FuncDeterministic != 0 {
			t.Errorf("%s: %+v", name, def)
		}
	}
}

// FuzzDate checks that any time value with any modifier evaluates
// without panicking, and that date() output reads back as itself.
func FuzzDate(f *testing.F) {
	for _, s := range [][2]string{{"2024-03-05 10:20:30.5+02:00", "+1 month"}, {"2460375.5", "auto"},
		{"now", "localtime"}, {"12:30", "-01:30:15.5"}, {"-0044-03-15", "+0001-02-03 04:05"},
		{"1700000000", "unixepoch"}, {"2024-02-30", "weekday 3"}, {"0000-01-01", "start of year"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, value, modifier string) {
		args := []Mem{textMem(value), textMem(modifier)}
		for _, name := range []string{"date", "time", "datetime", "julianday", "unixepoch"} {
			if _, err := callDate(name, args); err != nil {
				t.Fatalf("%s(%q, %q): %v", name, value, modifier, err)
			}
		}
		if _, err := callDate("strftime", []Mem{textMem(modifier), textMem(value)}); err != nil {
			t.Fatalf("strftime(%q, %q): %v", modifier, value, err)
		}
		if _, err := callDate("timediff", []Mem{textMem(value), textMem(modifier)}); err != nil {
			t.Fatalf("timediff(%q, %q): %v", value, modifier, err)
		}
		d, _ := callDate("date", args)
		if d.IsNull() {
			return
		}
		// Midnight of -4713-11-24 is before Julian day 0, the first instant
		// SQLite accepts, so that day is printed but not read back.
		again, _ := callDate("date", []Mem{textMem(string(d.Bytes()))})
		if string(again.Bytes()) != string(d.Bytes()) && string(d.Bytes()) != "-4713-11-24" {
			t.Fatalf("date(%q, %q) = %q, which reads back as %q", value, modifier, d.Bytes(), again.Bytes())
		}
	})
}

func callDate(name string, args []Mem) (Mem, error) {
	def, _ := Builtins().Lookup(name, len(args))
	var out Mem
	err := def.Scalar(&FuncContext{}, &out, args)
	return out, err
}

func BenchmarkDatetime(b *testing.B) {
	args := []Mem{textMem("2024-03-05 10:20:30.123456789+02:00"), textMem("+1 month"), textMem("start of day")}
	def, _ := Builtins().Lookup("datetime", len(args))
	fc := &FuncContext{}
	var out Mem
	b.ReportAllocs()
	for b.Loop() {
		if err := def.Scalar(fc, &out, args); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStrftime(b *testing.B) {
	args := []Mem{textMem("%Y-%m-%d %H:%M:%f %j %W %s"), textMem("2024-03-05 10:20:30.5")}
	def, _ := Builtins().Lookup("strftime", len(args))
	fc := &FuncContext{}
	var out Mem
	b.ReportAllocs()
	for b.Loop() {
		if err := def.Scalar(fc, &out, args); err != nil {
			b.Fatal(err)
		}
	}
}
