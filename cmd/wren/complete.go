package main

import (
	"strings"

	"github.com/wrendb/wren/parser"
)

// completeness is what the shell knows about the text typed so far.
type completeness int

const (
	incomplete completeness = iota // keep reading lines
	complete                       // run it
	blank                          // only whitespace and comments: drop it
)

// checkComplete decides whether buf holds whole statements, using the
// parser: "incomplete input" (inside a string, a comment or a trigger
// body) means read on, and a statement counts as finished only once the
// text ends with its semicolon, as sqlite3_complete decides.
func checkComplete(buf string) completeness {
	rest := buf
	seen := false
	for {
		rest = trimLeftSpace(rest)
		stmt, tail, err := parser.Parse(rest)
		if err != nil {
			msg := err.Error()
			if msg == "incomplete input" {
				return incomplete
			}
			if strings.HasPrefix(msg, `unrecognized token: "`) && len(msg) > 21 && strings.ContainsRune(`'"`+"`[", rune(msg[21])) {
				return incomplete // an unclosed quote
			}
			if endsWithSemicolon(rest) {
				return complete // a syntax error: let it be reported
			}
			return incomplete
		}
		if stmt == nil {
			if insideBlockComment(rest) {
				return incomplete
			}
			if seen {
				return complete
			}
			return blank
		}
		seen = true
		if tail == "" {
			if endsWithTerminator(rest) {
				return complete
			}
			return incomplete
		}
		rest = tail
	}
}

// insideBlockComment reports whether text that parses as nothing but
// comments ends inside an unclosed /* comment, which SQLite accepts at the
// end of input but which the shell must keep reading. Closing it is the
// test: after a newline (which ends a -- comment), "*/" parses as nothing
// only if a block comment was open.
func insideBlockComment(s string) bool {
	stmt, _, err := parser.Parse(s + "\n*/")
	return err == nil && stmt == nil
}

// endsWithTerminator reports whether the single statement in s ends with
// its own semicolon, rather than at the end of the text. A semicolon
// added on a new line tells them apart: after a terminated statement it
// is left over as the tail; otherwise it terminates the statement (a
// semicolon inside a trailing -- comment does not count).
func endsWithTerminator(s string) bool {
	_, tail, err := parser.Parse(s + "\n;")
	return err == nil && tail != ""
}

func endsWithSemicolon(s string) bool {
	return strings.HasSuffix(strings.TrimRight(s, " \t\n\r\f\v"), ";")
}
