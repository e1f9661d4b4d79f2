package parser

// lexer splits SQL text into tokens the way SQLite's tokenizer does. It
// never allocates: tokens are spans of the source.
type lexer struct {
	src  string
	pos  int
	prev tokKind // kind of the last token returned, for OVER and FILTER
}

// charClass values for the first byte of a token.
const (
	ccOther = iota
	ccSpace
	ccIDStart // letters, '_', bytes >= 0x80
	ccDigit
)

var charClass [256]uint8
var idChar [256]bool

func init() {
	for c := 0; c < 256; c++ {
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r':
			charClass[c] = ccSpace
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_', c >= 0x80:
			charClass[c] = ccIDStart
			idChar[c] = true
		case '0' <= c && c <= '9':
			charClass[c] = ccDigit
			idChar[c] = true
		}
	}
	idChar['$'] = true
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isXDigit(c byte) bool { return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') }

// at returns the byte at i, or 0 past the end (SQLite's text ends in NUL).
func (l *lexer) at(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case charClass[c] == ccSpace:
			l.pos++
		case c == '-' && l.at(l.pos+1) == '-':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c == '/' && l.at(l.pos+1) == '*':
			end := indexFrom(l.src, l.pos+2, "*/")
			if end < 0 {
				l.pos = len(l.src)
			} else {
				l.pos = end + 2
			}
		default:
			return
		}
	}
}

func indexFrom(s string, from int, sub string) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i] == sub[0] && s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// next returns the next token. A NUL byte ends the input, as it does for
// sqlite3_prepare.
func (l *lexer) next() token {
	l.skipSpace()
	t := l.scan()
	switch t.kind {
	case kwWindow:
		t.kind = l.windowKeyword(t.end)
	case kwOver:
		t.kind = l.overKeyword(t.end)
	case kwFilter:
		t.kind = l.filterKeyword(t.end)
	}
	l.prev = t.kind
	return t
}

func (l *lexer) scan() token {
	start := l.pos
	if start >= len(l.src) || l.src[start] == 0 {
		return token{kind: tkEOF, start: start, end: start}
	}
	s := l.src
	c := s[start]
	tok := func(k tokKind, n int) token {
		l.pos = start + n
		return token{kind: k, start: start, end: start + n}
	}
	switch c {
	case ';':
		return tok(tkSemi, 1)
	case '(':
		return tok(tkLP, 1)
	case ')':
		return tok(tkRP, 1)
	case ',':
		return tok(tkComma, 1)
	case '+':
		return tok(tkPlus, 1)
	case '*':
		return tok(tkStar, 1)
	case '/':
		return tok(tkSlash, 1)
	case '%':
		return tok(tkRem, 1)
	case '&':
		return tok(tkBitAnd, 1)
	case '~':
		return tok(tkBitNot, 1)
	case '-':
		if l.at(start+1) == '>' {
			if l.at(start+2) == '>' {
				return tok(tkPtr, 3)
			}
			return tok(tkPtr, 2)
		}
		return tok(tkMinus, 1)
	case '=':
		if l.at(start+1) == '=' {
			return tok(tkEq, 2)
		}
		return tok(tkEq, 1)
	case '<':
		switch l.at(start + 1) {
		case '=':
			return tok(tkLe, 2)
		case '>':
			return tok(tkNe, 2)
		case '<':
			return tok(tkLShift, 2)
		}
		return tok(tkLt, 1)
	case '>':
		switch l.at(start + 1) {
		case '=':
			return tok(tkGe, 2)
		case '>':
			return tok(tkRShift, 2)
		}
		return tok(tkGt, 1)
	case '!':
		if l.at(start+1) == '=' {
			return tok(tkNe, 2)
		}
		return tok(tkIllegal, 1)
	case '|':
		if l.at(start+1) == '|' {
			return tok(tkConcat, 2)
		}
		return tok(tkBitOr, 1)
	case '\'', '"', '`':
		for i := start + 1; i < len(s); i++ {
			if s[i] == 0 {
				break
			}
			if s[i] == c {
				if l.at(i+1) == c {
					i++
					continue
				}
				if c == '\'' {
					return tok(tkString, i+1-start)
				}
				return tok(tkID, i+1-start)
			}
		}
		return tok(tkIllegal, l.restLen(start))
	case '[':
		for i := start + 1; i < len(s) && s[i] != 0; i++ {
			if s[i] == ']' {
				return tok(tkID, i+1-start)
			}
		}
		return tok(tkIllegal, l.restLen(start))
	case '.':
		if isDigit(l.at(start + 1)) {
			return l.number(start)
		}
		return tok(tkDot, 1)
	case '?':
		i := start + 1
		for isDigit(l.at(i)) {
			i++
		}
		return tok(tkVariable, i-start)
	case '$', '@', ':', '#':
		return l.variable(start)
	}
	if charClass[c] == ccDigit {
		return l.number(start)
	}
	if (c == 'x' || c == 'X') && l.at(start+1) == '\'' {
		i := start + 2
		for isXDigit(l.at(i)) {
			i++
		}
		if l.at(i) != '\'' || (i-start)%2 != 0 {
			for i < len(s) && s[i] != 0 && s[i] != '\'' {
				i++
			}
			if l.at(i) != 0 {
				i++
			}
			return tok(tkIllegal, i-start)
		}
		return tok(tkBlob, i+1-start)
	}
	if charClass[c] == ccIDStart {
		i := start + 1
		for i < len(s) && idChar[s[i]] {
			i++
		}
		l.pos = i
		return token{kind: lookupKeyword(s[start:i]), start: start, end: i}
	}
	return tok(tkIllegal, 1)
}

// restLen is the length of the rest of the input from start, up to a NUL.
func (l *lexer) restLen(start int) int {
	i := start
	for i < len(l.src) && l.src[i] != 0 {
		i++
	}
	return i - start
}

// rawKind returns the kind of the token at offset i as scan sees it,
// with WINDOW, OVER and FILTER not yet resolved.
func (l *lexer) rawKind(i int) (tokKind, int) {
	save := l.pos
	l.pos = i
	l.skipSpace()
	t := l.scan()
	l.pos = save
	return t.kind, t.end
}

// nameKind is SQLite's getToken: the kind of the token at offset i, with
// everything that can be a name (identifiers, strings, join keywords,
// WINDOW, OVER and the fallback keywords) reported as tkID.
func (l *lexer) nameKind(i int) (tokKind, int) {
	k, end := l.rawKind(i)
	if k == tkID || k == tkString || isJoinKW(k) || k == kwWindow || k == kwOver || fallback[k] {
		k = tkID
	}
	return k, end
}

// WINDOW is a keyword only in "WINDOW name AS".
func (l *lexer) windowKeyword(i int) tokKind {
	k, end := l.nameKind(i)
	if k != tkID {
		return tkID
	}
	if k, _ = l.nameKind(end); k != kwAs {
		return tkID
	}
	return kwWindow
}

// OVER is a keyword only after ")" and before "(" or a name.
func (l *lexer) overKeyword(i int) tokKind {
	if l.prev != tkRP {
		return tkID
	}
	if k, _ := l.nameKind(i); k == tkLP || k == tkID {
		return kwOver
	}
	return tkID
}

// FILTER is a keyword only after ")" and before "(".
func (l *lexer) filterKeyword(i int) tokKind {
	if l.prev != tkRP {
		return tkID
	}
	if k, _ := l.nameKind(i); k == tkLP {
		return kwFilter
	}
	return tkID
}

// variable scans $name, @name, :name and #name, with the Tcl-style
// suffixes SQLite accepts: "::" inside the name and a final "(...)".
func (l *lexer) variable(start int) token {
	s := l.src
	n := 0
	i := start + 1
	kind := tkVariable
	for ; i < len(s); i++ {
		c := s[i]
		if idChar[c] {
			n++
			continue
		}
		if c == '(' && n > 0 {
			i++
			for i < len(s) && s[i] != 0 && charClass[s[i]] != ccSpace && s[i] != ')' {
				i++
			}
			if l.at(i) == ')' {
				i++
			} else {
				kind = tkIllegal
			}
			break
		}
		if c == ':' && l.at(i+1) == ':' {
			i++
			continue
		}
		break
	}
	if n == 0 {
		kind = tkIllegal
	}
	l.pos = i
	return token{kind: kind, start: start, end: i}
}

// number scans an integer or real literal, including hex (0x...) and the
// _ digit separators of SQLite 3.46. Letters run into a number make the
// whole run an illegal token, as in SQLite ("12abc").
func (l *lexer) number(start int) token {
	s := l.src
	kind := tkInteger
	sep := false
	i := start
	digits := func(hex bool) {
		for {
			c := l.at(i)
			if isDigit(c) || (hex && isXDigit(c)) {
				i++
			} else if c == '_' && (isDigit(l.at(i+1)) || (hex && isXDigit(l.at(i+1)))) {
				sep = true
				i++
			} else {
				return
			}
		}
	}
	if s[i] == '0' && (l.at(i+1) == 'x' || l.at(i+1) == 'X') && isXDigit(l.at(i+2)) {
		i += 2
		digits(true)
		l.pos = i
		return token{kind: tkInteger, start: start, end: i, quoted: sep}
	}
	digits(false)
	if l.at(i) == '.' {
		kind = tkFloat
		i++
		digits(false)
	}
	if c := l.at(i); (c == 'e' || c == 'E') &&
		(isDigit(l.at(i+1)) || ((l.at(i+1) == '+' || l.at(i+1) == '-') && isDigit(l.at(i+2)))) {
		kind = tkFloat
		i += 2
		digits(false)
	}
	for i < len(s) && idChar[s[i]] {
		kind = tkIllegal
		i++
	}
	l.pos = i
	return token{kind: kind, start: start, end: i, quoted: sep}
}
