package slt

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Kind says what a record does.
type Kind int

const (
	// KindStatement is "statement ok" or "statement error".
	KindStatement Kind = iota
	// KindQuery is "query <types> [<sortmode> [<label>]]".
	KindQuery
	// KindHashThreshold is the control record "hash-threshold <N>".
	KindHashThreshold
	// KindHalt stops the file.
	KindHalt
	// KindInvalid is a record the format does not define, or a malformed
	// one; running it is a failure, and it stops the file as in the
	// reference harness.
	KindInvalid
)

func (k Kind) String() string {
	switch k {
	case KindStatement:
		return "statement"
	case KindQuery:
		return "query"
	case KindHashThreshold:
		return "hash-threshold"
	case KindHalt:
		return "halt"
	}
	return "invalid"
}

// Condition is one "skipif <engine>" or "onlyif <engine>" line.
type Condition struct {
	OnlyIf bool   // onlyif: run only on Engine; otherwise skipif: skip on Engine
	Engine string // as written; compared case-insensitively
}

// Record is one record of a script, as written.
type Record struct {
	Line       int // 1-based line of the record's first line (conditions included)
	Conditions []Condition
	Kind       Kind

	// SQL is the statement text (lines joined with "\n"), for statements
	// and queries.
	SQL string

	// ExpectError is set for "statement error".
	ExpectError bool

	// Types, SortMode and Label are the query's tokens; SortMode defaults
	// to "nosort" and Label is cut to 20 characters.
	Types    string
	SortMode string
	Label    string
	// Expected holds the lines after "----", one value (or one hash line)
	// per line. Empty when the result must be empty.
	Expected []string

	// Threshold is the value of a hash-threshold record.
	Threshold int

	// Invalid explains a KindInvalid record.
	Invalid string
}

// maxLabelLength is how much of a label the reference harness keeps.
const maxLabelLength = 20

// Parse splits a script into records. It accepts LF and CRLF line endings.
// Parse itself never fails: a record it cannot make sense of becomes a
// KindInvalid record, which fails (and stops the file) when run, as in the
// reference harness.
func Parse(script []byte) []Record {
	lines := splitLines(script)
	var records []Record
	for i := 0; i < len(lines); {
		// Skip blank lines and comments between records.
		if isBlank(lines[i]) || isComment(lines[i]) {
			i++
			continue
		}
		start := i
		var body []string
		for i < len(lines) && !isBlank(lines[i]) {
			if !isComment(lines[i]) {
				body = append(body, lines[i])
			}
			i++
		}
		records = append(records, parseRecord(start+1, body))
	}
	return records
}

func splitLines(script []byte) []string {
	raw := bytes.Split(script, []byte("\n"))
	if len(raw) > 0 && len(raw[len(raw)-1]) == 0 {
		raw = raw[:len(raw)-1]
	}
	lines := make([]string, len(raw))
	for i, l := range raw {
		lines[i] = string(bytes.TrimSuffix(l, []byte("\r")))
	}
	return lines
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

func isComment(line string) bool { return strings.HasPrefix(line, "#") }

// parseRecord interprets the non-comment lines of one record.
func parseRecord(line int, body []string) Record {
	r := Record{Line: line}
	// Leading conditions.
	for len(body) > 0 {
		tokens := strings.Fields(body[0])
		if len(tokens) == 0 || (tokens[0] != "skipif" && tokens[0] != "onlyif") {
			break
		}
		if len(tokens) < 2 {
			return invalid(r, fmt.Sprintf("%q without an engine name", tokens[0]))
		}
		r.Conditions = append(r.Conditions, Condition{OnlyIf: tokens[0] == "onlyif", Engine: tokens[1]})
		body = body[1:]
	}
	if len(body) == 0 {
		return invalid(r, "conditions with no record after them")
	}
	tokens := strings.Fields(body[0])
	rest := body[1:]
	switch tokens[0] {
	case "statement":
		if len(tokens) < 2 || (tokens[1] != "ok" && tokens[1] != "error") {
			return invalid(r, `"statement" must be followed by "ok" or "error"`)
		}
		r.Kind = KindStatement
		r.ExpectError = tokens[1] == "error"
		r.SQL = strings.Join(rest, "\n")
	case "query":
		if len(tokens) < 2 {
			return invalid(r, `"query" without column types`)
		}
		r.Kind = KindQuery
		r.Types = tokens[1]
		r.SortMode = "nosort"
		if len(tokens) > 2 {
			r.SortMode = tokens[2]
		}
		if len(tokens) > 3 {
			r.Label = tokens[3]
			if len(r.Label) > maxLabelLength {
				r.Label = r.Label[:maxLabelLength]
			}
		}
		sqlLines := rest
		for j, l := range rest {
			if l == "----" {
				sqlLines = rest[:j]
				r.Expected = rest[j+1:]
				break
			}
		}
		r.SQL = strings.Join(sqlLines, "\n")
	case "hash-threshold":
		if len(tokens) < 2 {
			return invalid(r, `"hash-threshold" without a value`)
		}
		n, err := strconv.Atoi(tokens[1])
		if err != nil {
			return invalid(r, fmt.Sprintf("hash-threshold %q is not a number", tokens[1]))
		}
		r.Kind = KindHashThreshold
		r.Threshold = n
	case "halt":
		r.Kind = KindHalt
	default:
		return invalid(r, fmt.Sprintf("unknown record type %q", tokens[0]))
	}
	return r
}

func invalid(r Record, why string) Record {
	r.Kind = KindInvalid
	r.Invalid = why
	return r
}

// Skipped reports whether the conditions exclude the record on engine.
func (r *Record) Skipped(engine string) bool {
	for _, c := range r.Conditions {
		matches := strings.EqualFold(c.Engine, engine)
		if c.OnlyIf != matches {
			return true
		}
	}
	return false
}
