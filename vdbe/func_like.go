package vdbe

import "github.com/wrendb/wren/resultcode"

// LIKE and GLOB pattern matching.
//
// LIKE: '%' matches any sequence, '_' any one character, ASCII letters match
// either case (other characters only themselves), and an optional ESCAPE
// character makes the next pattern character literal. GLOB: '*' and '?' in
// place of '%' and '_', case-sensitive, and "[...]" character classes with
// ranges and '^' negation. Both work on UTF-8 characters.
//
// The function forms take the pattern first: like(P, S) is S LIKE P.

// maxPatternLength is SQLITE_MAX_LIKE_PATTERN_LENGTH: longer patterns are
// refused, which bounds the matcher's recursion and quadratic cases.
const maxPatternLength = 50000

// pattern describes a pattern dialect.
type pattern struct {
	matchAll rune // '%' or '*'
	matchOne rune // '_' or '?'
	matchSet rune // '[' for GLOB, 0 for LIKE
	noCase   bool
}

var (
	likeDialect = pattern{matchAll: '%', matchOne: '_', noCase: true}
	globDialect = pattern{matchAll: '*', matchOne: '?', matchSet: '['}
)

// Results of patternMatch.
const (
	matchYes = iota
	matchNo
	matchNoWildcard // no match, and no later start position can match either
)

// at returns the character of s at i (0 past the end, as in a C string).
func at(s []byte, i int) (rune, int) {
	if i >= len(s) {
		return 0, i
	}
	if s[i] < 0x80 {
		return rune(s[i]), i + 1
	}
	return readChar(s, i)
}

func toLowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 32
	}
	return r
}

func toUpperASCII(r rune) rune {
	if r >= 'a' && r <= 'z' {
		return r - 32
	}
	return r
}

// patternMatch matches s against pat from the start. esc is the escape
// character for LIKE (0 for none) and '[' for GLOB.
func (p *pattern) match(pat, s []byte, esc rune) int {
	pi, si := 0, 0
	escapedAt := -1 // pattern index just past the last escaped character
	for {
		c, next := at(pat, pi)
		if c == 0 && pi >= len(pat) {
			break
		}
		pi = next
		if c == p.matchAll {
			// Collapse runs of matchAll and matchOne; each matchOne eats
			// one character of s.
			for {
				c, next = at(pat, pi)
				if !(c == p.matchAll || (c == p.matchOne && p.matchOne != 0)) || (c == 0 && pi >= len(pat)) {
					break
				}
				pi = next
				if c == p.matchOne {
					var sc rune
					sc, si = at(s, si)
					if sc == 0 {
						return matchNoWildcard
					}
				}
			}
			if pi >= len(pat) {
				return matchYes
			}
			pi = next
			if c == esc {
				if p.matchSet == 0 {
					c, pi = at(pat, pi)
					if c == 0 {
						return matchNoWildcard
					}
				} else {
					// A "[...]" right after the star: try every start.
					for si < len(s) {
						if r := p.match(pat[pi-1:], s[si:], esc); r != matchNo {
							return r
						}
						si = skipChar(s, si)
					}
					return matchNoWildcard
				}
			}
			// c is the first literal after the star: try each place in s
			// where it occurs.
			for si < len(s) {
				var sc rune
				sc, next := at(s, si)
				si = next
				if sc != c && !(p.noCase && c < 0x80 && sc < 0x80 && toLowerASCII(sc) == toLowerASCII(c)) {
					continue
				}
				if r := p.match(pat[pi:], s[si:], esc); r != matchNo {
					return r
				}
			}
			return matchNoWildcard
		}
		if c == esc && esc != 0 {
			if p.matchSet == 0 {
				c, pi = at(pat, pi)
				if c == 0 {
					return matchNo
				}
				escapedAt = pi
			} else {
				var sc rune
				sc, si = at(s, si)
				if sc == 0 {
					return matchNo
				}
				if !p.matchClass(pat, &pi, sc) {
					return matchNo
				}
				continue
			}
		}
		var sc rune
		sc, si = at(s, si)
		if c == sc {
			continue
		}
		if p.noCase && c < 0x80 && sc < 0x80 && toLowerASCII(c) == toLowerASCII(sc) {
			continue
		}
		if c == p.matchOne && pi != escapedAt && sc != 0 {
			continue
		}
		return matchNo
	}
	if si >= len(s) {
		return matchYes
	}
	return matchNo
}

// matchClass reads a GLOB "[...]" class from pat (just past the '[') and
// reports whether c is in it. A class that never closes matches nothing.
func (p *pattern) matchClass(pat []byte, pi *int, c rune) bool {
	seen, invert := false, false
	var prior rune
	c2, i := at(pat, *pi)
	if c2 == '^' {
		invert = true
		c2, i = at(pat, i)
	}
	if c2 == ']' {
		if c == ']' {
			seen = true
		}
		c2, i = at(pat, i)
	}
	for c2 != 0 && c2 != ']' {
		if c2 == '-' && i < len(pat) && pat[i] != ']' && prior > 0 {
			c2, i = at(pat, i)
			if c >= prior && c <= c2 {
				seen = true
			}
			prior = 0
		} else {
			if c == c2 {
				seen = true
			}
			prior = c2
		}
		c2, i = at(pat, i)
	}
	*pi = i
	return c2 != 0 && seen != invert
}

// Like reports whether s matches the LIKE pattern pat with escape
// character esc (0 for none).
func Like(pat, s []byte, esc rune) bool {
	d := likeDialect
	if esc == d.matchAll {
		d.matchAll = 0
	}
	if esc == d.matchOne {
		d.matchOne = 0
	}
	return d.match(cString(pat), cString(s), esc) == matchYes
}

// Glob reports whether s matches the GLOB pattern pat.
func Glob(pat, s []byte) bool {
	return globDialect.match(cString(pat), cString(s), '[') == matchYes
}

func errPatternTooComplex() error {
	return resultcode.New(resultcode.Error, "LIKE or GLOB pattern too complex")
}

// like(P, S[, E]): S LIKE P ESCAPE E.
func fnLike(_ *FuncContext, out *Mem, args []Mem) error {
	var b0, b1, b2 [32]byte
	pat, okP := textArg(&args[0], b0[:0])
	s, okS := textArg(&args[1], b1[:0])
	if len(pat) > maxPatternLength {
		return errPatternTooComplex()
	}
	var esc rune
	if len(args) == 3 {
		e, ok := textArg(&args[2], b2[:0])
		if !ok {
			out.SetNull()
			return nil
		}
		e = cString(e)
		if len(e) == 0 || charCount(e) != 1 {
			return resultcode.New(resultcode.Error, "ESCAPE expression must be a single character")
		}
		esc, _ = readChar(e, 0)
	}
	if !okP || !okS {
		out.SetNull()
		return nil
	}
	out.SetBool(Like(pat, s, esc))
	return nil
}

// glob(P, S): S GLOB P.
func fnGlob(_ *FuncContext, out *Mem, args []Mem) error {
	var b0, b1 [32]byte
	pat, okP := textArg(&args[0], b0[:0])
	s, okS := textArg(&args[1], b1[:0])
	if len(pat) > maxPatternLength {
		return errPatternTooComplex()
	}
	if !okP || !okS {
		out.SetNull()
		return nil
	}
	out.SetBool(Glob(pat, s))
	return nil
}
