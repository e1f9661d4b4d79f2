package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ensure that the tokenizer splits text where SQLite's does.
func TestLexerTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string // token texts; "!" marks an illegal token
	}{
		{"a.b", []string{"a", ".", "b"}},
		{"1.5e3 .5 5. 1e+2 0x1F", []string{"1.5e3", ".5", "5.", "1e+2", "0x1F"}},
		{"0x1p3", []string{"0x1", "p3"}},
		{"12abc", []string{"!12abc"}},
		{"1e", []string{"!1e"}},
		{"1e+", []string{"!1e", "+"}},
		{"1_000 1__0 1_", []string{"1_000", "!1__0", "!1_"}},
		{"'a''b' \"c\"\"d\" [e] `f`", []string{"'a''b'", `"c""d"`, "[e]", "`f`"}},
		{"'open", []string{"!'open"}},
		{"x'00' X'AbCd' x'0G' x'abc'", []string{"x'00'", "X'AbCd'", "!x'0G'", "!x'abc'"}},
		{"xy'00'", []string{"xy", "'00'"}},
		{"? ?12 :a @b $c #d $a::b(c) $a(b c)", []string{"?", "?12", ":a", "@b", "$c", "#d", "$a::b(c)", "!$a(b", "c", ")"}},
		{": @ $", []string{"!:", "!@", "!$"}},
		{"a->b->>c", []string{"a", "->", "b", "->>", "c"}},
		{"<= >= <> != == << >> || | & ~ %", []string{"<=", ">=", "<>", "!=", "==", "<<", ">>", "||", "|", "&", "~", "%"}},
		{"a--comment\nb/*c*/c", []string{"a", "b", "c"}},
		{"a /* open", []string{"a"}},
		{"a ! b", []string{"a", "!!", "b"}},
		{"é_ü$1 x", []string{"é_ü$1", "x"}},
		{"a\x00b", []string{"a"}},
	}
	for _, tt := range tests {
		l := lexer{src: tt.in}
		var got []string
		for {
			tok := l.next()
			if tok.kind == tkEOF {
				break
			}
			s := tt.in[tok.start:tok.end]
			if tok.kind == tkIllegal {
				s = "!" + s
			}
			got = append(got, s)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("lex %q (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Ensure that WINDOW, OVER and FILTER are keywords only where SQLite's
// tokenizer makes them so.
func TestContextKeywords(t *testing.T) {
	tests := []struct {
		in   string
		word string
		want tokKind
	}{
		{"WINDOW w AS", "WINDOW", kwWindow},
		{"WINDOW w", "WINDOW", tkID},
		{") OVER (", "OVER", kwOver},
		{") OVER w", "OVER", kwOver},
		{"a OVER (", "OVER", tkID},
		{") OVER FROM", "OVER", tkID},
		{") FILTER (", "FILTER", kwFilter},
		{") FILTER x", "FILTER", tkID},
	}
	for _, tt := range tests {
		l := lexer{src: tt.in}
		found := false
		for tok := l.next(); tok.kind != tkEOF; tok = l.next() {
			if tt.in[tok.start:tok.end] == tt.word {
				found = true
				if tok.kind != tt.want {
					t.Errorf("%q: %s has kind %d, want %d", tt.in, tt.word, tok.kind, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("%q: %s not found", tt.in, tt.word)
		}
	}
}

// Ensure that every keyword is found in any case and nothing else is.
func TestKeywordLookup(t *testing.T) {
	for _, kw := range keywordList {
		for _, w := range []string{kw.name, toLower(kw.name)} {
			if got := lookupKeyword(w); got != kw.kind {
				t.Errorf("lookupKeyword(%q) = %d, want %d", w, got, kw.kind)
			}
		}
	}
	for _, w := range []string{"", "a", "selectx", "selec", "rowid", "oid", "true", "false", "strict", "stored", "SELECT_"} {
		if lookupKeyword(w) != tkID {
			t.Errorf("%q is taken for a keyword", w)
		}
	}
	if len(keywordList) != 147 { // the count on lang_keywords.html
		t.Errorf("%d keywords", len(keywordList))
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
