package main

import (
	"fmt"
	"strings"
)

// mode is an output mode of .mode, with sqlite3's names.
type mode int

const (
	modeList mode = iota
	modeCSV
	modeColumn
	modeBox
	modeTable
	modeMarkdown
	modeJSON
	modeLine
	modeInsert
	modeQuote
	modeTabs // list with a tab separator; kept apart only for .show
	modeASCII
	modeHTML
	modeTcl
)

var modeNames = map[string]mode{
	"list": modeList, "csv": modeCSV, "column": modeColumn, "box": modeBox,
	"table": modeTable, "markdown": modeMarkdown, "json": modeJSON,
	"line": modeLine, "insert": modeInsert, "quote": modeQuote,
	"tabs": modeTabs, "ascii": modeASCII, "html": modeHTML, "tcl": modeTcl,
}

func (m mode) String() string {
	for name, v := range modeNames {
		if v == m {
			return name
		}
	}
	return fmt.Sprintf("mode(%d)", int(m))
}

// lookupMode accepts a mode name or a prefix of one, as sqlite3 does
// (".mode col" is column). sqlite3 tries the names in a fixed order, so a
// prefix that two names share resolves as it does there.
func lookupMode(name string) (mode, bool) {
	order := []string{"lines", "columns", "list", "html", "tcl", "csv", "tabs", "insert",
		"quote", "ascii", "markdown", "table", "box", "json"}
	if name == "" {
		return 0, false
	}
	for _, full := range order {
		if strings.HasPrefix(full, name) {
			if full == "lines" {
				return modeLine, true
			}
			if full == "columns" {
				return modeColumn, true
			}
			return modeNames[full], true
		}
	}
	return 0, false
}

// settings are the output settings the dot-commands change.
type settings struct {
	mode       mode
	showHeader bool
	headerSet  bool // .headers was given explicitly, so .mode column keeps it
	colSep     string
	rowSep     string
	nullValue  string
	widths     []int  // .width, negative for right-aligned
	destTable  string // table name of insert mode
	columnar   columnarOptions
}

// columnarOptions are the options of .mode for column, box, table and
// markdown: the width at which a value wraps onto a new line (0: never),
// whether to wrap at word boundaries, and whether to show values as SQL
// literals.
type columnarOptions struct {
	wrap     int
	wordWrap bool
	quote    bool
}

// .mode gives the columnar modes these options unless told otherwise; the
// command-line options (-box) leave wrapping off.
var (
	defaultColumnarOptions = columnarOptions{wrap: 60}
	qboxOptions            = columnarOptions{wrap: 60, quote: true}
)

func (m mode) isColumnar() bool {
	return m == modeColumn || m == modeBox || m == modeTable || m == modeMarkdown
}

func defaultSettings() settings {
	return settings{mode: modeList, colSep: "|", rowSep: "\n", destTable: "table"}
}

// setMode applies .mode NAME [TABLE] with sqlite3's side effects on the
// separators.
func (s *settings) setMode(m mode, table string) {
	s.mode = m
	switch m {
	case modeLine:
		s.rowSep = "\n"
	case modeColumn:
		if !s.headerSet {
			s.showHeader = true
		}
		s.rowSep = "\n"
	case modeList:
		s.colSep, s.rowSep = "|", "\n"
	case modeCSV:
		s.colSep, s.rowSep = ",", "\r\n"
	case modeTabs:
		s.mode = modeList
		s.colSep = "\t"
	case modeInsert:
		if table == "" {
			table = "table"
		}
		s.destTable = quoteIdentIfNeeded(table)
	case modeQuote:
		s.colSep, s.rowSep = ",", "\n"
	case modeASCII:
		s.colSep, s.rowSep = "\x1f", "\x1e"
	case modeTcl:
		s.colSep, s.rowSep = " ", "\n"
	}
}
