package vdbe

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzPrintf checks that any format with any arguments formats without
// panicking and stays within the length limit, and that a format without
// conversions is copied as it is.
func FuzzPrintf(f *testing.F) {
	for _, s := range []string{"%d", "%-*.*f|", "%,015d", "%!.20e", "%5.3c", "%Q %q %w", "%.*s", "%#x %#o", "%lld", "%"} {
		f.Add(s, int64(7), 3.25, "héllo")
	}
	f.Fuzz(func(t *testing.T, format string, i int64, x float64, s string) {
		args := []Mem{intMem(i), textMem(s), {}, intMem(i % 50)}
		args[2].SetFloat(x)
		const limit = 1 << 16
		out, isNull := Printf(nil, []byte(format), args, limit)
		if !isNull && len(out) >= limit {
			t.Fatalf("%q: output of %d bytes beyond the limit", format, len(out))
		}
		if !strings.Contains(format, "%") && format != "" && (isNull || string(out) != format) {
			t.Fatalf("%q: plain format came out as %q (null %v)", format, out, isNull)
		}
	})
}

// FuzzParseNumber checks the text-to-number parsers against each other and
// against strconv: a text that parseInt accepts entirely is an integer
// that parseFloat also accepts, and a plain decimal gets strconv's value
// when it has few enough digits for SQLite's computation to be exact.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"12", " -7 ", "1e3", "12abc", "9223372036854775808", ".5", "1.5e-7", "0x10", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		i, irc := parseInt(b)
		fl, frc := parseFloat(b)
		if irc == intOK && frc != floatInteger {
			t.Fatalf("%q: integer (%d) but parseFloat says %d", s, i, frc)
		}
		if irc == intOK && float64(i) != fl {
			t.Fatalf("%q: parseInt %d, parseFloat %g", s, i, fl)
		}
		if frc > 0 && len(s) <= 15 {
			if want, err := strconv.ParseFloat(trimSpaces(s), 64); err == nil && want != fl {
				t.Fatalf("%q: parseFloat %g, strconv %g", s, fl, want)
			}
		}
		var m Mem
		m.SetTextString(s)
		ApplyAffinity(&m, AffinityNumeric)
		m.SetTextString(s)
		Cast(&m, AffinityNumeric)
	})
}

func trimSpaces(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// FuzzLike checks that LIKE and GLOB finish quickly on any input and that
// a pattern always matches itself when it has no special characters.
func FuzzLike(f *testing.F) {
	for _, s := range []string{"a%b", "%_%", "[a-z]*", "*[^]]?", "日%"} {
		f.Add(s, "abc日")
	}
	f.Fuzz(func(t *testing.T, pat, s string) {
		if len(pat) > 64 || len(s) > 256 {
			return
		}
		start := time.Now()
		Like([]byte(pat), []byte(s), 0)
		Like([]byte(pat), []byte(s), '\\')
		Glob([]byte(pat), []byte(s))
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("LIKE/GLOB took %v on %q %q", d, pat, s)
		}
		plain := true
		for _, c := range []byte(s) {
			if c == '%' || c == '_' || c == '*' || c == '?' || c == '[' || c == 0 {
				plain = false
			}
		}
		if plain && (!Like([]byte(s), []byte(s), 0) || !Glob([]byte(s), []byte(s))) {
			t.Fatalf("%q does not match itself", s)
		}
	})
}
