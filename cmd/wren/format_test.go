package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The expected bytes in these tables were produced by sqlite3 3.40.1 on
// the equivalent SELECT (shown in each case's name); they pin the
// renderers without going through the engine.

func text(s string) value   { return value{class: classText, b: []byte(s)} }
func blob(s string) value   { return value{class: classBlob, b: []byte(s)} }
func integer(i int64) value { return value{class: classInteger, i: i} }
func real(f float64) value  { return value{class: classReal, f: f} }

var null = value{class: classNull}

func TestRender(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*settings)
		cols  []string
		rows  [][]value
		want  string
	}{
		{
			name:  "line: select 1 as a, NULL as bbbbbbb union all select 2, 'x'",
			setup: func(s *settings) { s.setMode(modeLine, "") },
			cols:  []string{"a", "bbbbbbb"},
			rows:  [][]value{{integer(1), null}, {integer(2), text("x")}},
			want:  "      a = 1\nbbbbbbb = \n\n      a = 2\nbbbbbbb = x\n",
		},
		{
			name:  "json: control characters, quote in the name, DEL kept",
			setup: func(s *settings) { s.setMode(modeJSON, "") },
			cols:  []string{`k"`},
			rows:  [][]value{{text("\x01\b\f\x1f/\x7f")}},
			want:  "[{\"k\\\"\":\"\\u0001\\b\\f\\u001f/\x7f\"}]\n",
		},
		{
			name:  "json: a blob is a string of its bytes, REAL with 20 digits",
			setup: func(s *settings) { s.setMode(modeJSON, "") },
			cols:  []string{"a", "b", "c"},
			rows:  [][]value{{null, blob("\x00\xffA"), real(0.1)}},
			want:  "[{\"a\":null,\"b\":\"\\u0000\xffA\",\"c\":0.10000000000000000555}]\n",
		},
		{
			name:  "column: .width 3 wraps the value and cuts the header",
			setup: func(s *settings) { s.setMode(modeColumn, ""); s.widths = []int{3} },
			cols:  []string{"longname"},
			rows:  [][]value{{text("abcdefgh")}},
			want:  "lon\n---\nabc\ndef\ngh \n",
		},
		{
			name:  "csv: quoting of space, quote, apostrophe, empty and non-ASCII",
			setup: func(s *settings) { s.setMode(modeCSV, "") },
			cols:  []string{"a"},
			rows:  [][]value{{text("a b")}, {text("it's")}, {text("x,y")}, {text("p!q")}, {text("")}, {text("é")}, {null}},
			want:  "\"a b\"\r\n\"it's\"\r\n\"x,y\"\r\np!q\r\n\"\"\r\n\"é\"\r\n\r\n",
		},
		{
			name:  "quote: blob in lower-case hex, text cut at NUL",
			setup: func(s *settings) { s.setMode(modeQuote, "") },
			cols:  []string{"a", "b", "c"},
			rows:  [][]value{{blob("\x00\xffA"), text("ab\x00cd"), real(1e100)}},
			want:  "X'00ff41','ab',1.0e+100\n",
		},
		{
			name:  "insert: CR and LF through replace(), keyword table name quoted",
			setup: func(s *settings) { s.setMode(modeInsert, "") },
			cols:  []string{"a"},
			rows:  [][]value{{text("\ra\n")}},
			want:  "INSERT INTO \"table\" VALUES(replace(replace('\\ra\\n','\\r',char(13)),'\\n',char(10)));\n",
		},
		{
			name:  "box: tab to the next stop of 8, control character breaks the line",
			setup: func(s *settings) { s.setMode(modeBox, "") },
			cols:  []string{"x", "y", "z"},
			rows:  [][]value{{text("a\tb"), text("p\x01q"), text("z\n")}},
			want: "┌───────────┬───┬───┐\n" +
				"│     x     │ y │ z │\n" +
				"├───────────┼───┼───┤\n" +
				"│ a       b │ p │ z │\n" +
				"│           │ q │   │\n" +
				"└───────────┴───┴───┘\n",
		},
		{
			name:  "list: headers once per statement, .nullvalue",
			setup: func(s *settings) { s.showHeader = true; s.nullValue = "-" },
			cols:  []string{"a", "b"},
			rows:  [][]value{{integer(1), null}, {real(2.5), blob("xy")}},
			want:  "a|b\n1|-\n2.5|xy\n",
		},
		{
			name:  "markdown: centred header, no rule between multi-line rows",
			setup: func(s *settings) { s.setMode(modeMarkdown, "") },
			cols:  []string{"a"},
			rows:  [][]value{{text("1\n2")}, {text("long value")}},
			want:  "|     a      |\n|------------|\n| 1          |\n| 2          |\n| long value |\n",
		},
		{
			name:  "no rows: nothing at all, not even the header",
			setup: func(s *settings) { s.setMode(modeBox, "") },
			cols:  []string{"a"},
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultSettings()
			tt.setup(&s)
			var out bytes.Buffer
			r := newRenderer(&out, &s, tt.cols)
			for _, row := range tt.rows {
				r.row(row)
			}
			r.end()
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("(-sqlite3 +wren):\n%s", diff)
			}
		})
	}
}

func TestExactReal(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.1, "0.10000000000000000555"},
		{1.0, "1.0"},
		{100.0, "100.0"},
		{1e15, "1000000000000000.0"},
		{1e17, "100000000000000000.0"},
		{1.5e300, "1.5000000000000000071e+300"},
		{123456789012.5, "123456789012.49999999"},
		{0.30000000000000004, "0.3000000000000000444"},
		{3.0e-7, "2.9999999999999998642e-07"},
		{1e100, "1.0e+100"},
	}
	for _, tt := range tests {
		if got := exactReal(tt.in); got != tt.want {
			t.Errorf("exactReal(%v) = %q, sqlite3 prints %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckComplete(t *testing.T) {
	tests := []struct {
		in   string
		want completeness
	}{
		{"select 1;", complete},
		{"select 1", incomplete},
		{"select 1; select 2", incomplete},
		{"select 1; -- done", complete},
		{"select 1 -- not yet;", incomplete},
		{"select 'a;", incomplete},
		{"select 'a;';", complete},
		{"select \"a;", incomplete},
		{"/* open comment", incomplete},
		{"/* closed */", blank},
		{"-- only a comment", blank},
		{"", blank},
		{"create trigger tr after insert on t begin select 1;", incomplete},
		{"create trigger tr after insert on t begin select 1; end;", complete},
		{"selec 1", incomplete},
		{"selec 1;", complete},
	}
	for _, tt := range tests {
		if got := checkComplete(tt.in); got != tt.want {
			t.Errorf("checkComplete(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSplitMetaArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"mode csv", []string{"mode", "csv"}},
		{"  separator  ,   \\n ", []string{"separator", ",", "\\n"}},
		{`nullvalue "a\tb"`, []string{"nullvalue", "a\tb"}},
		{`nullvalue 'a\tb'`, []string{"nullvalue", `a\tb`}},
		{`print "two words" x`, []string{"print", "two words", "x"}},
		{`open "unterminated`, []string{"open", "unterminated"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, splitMetaArgs(tt.in)); diff != "" {
			t.Errorf("splitMetaArgs(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestErrorContext(t *testing.T) {
	// Both shapes, as sqlite3 prints them for an error near the start and
	// far into a statement.
	if got, want := errorContext("selec x;", 0), "\n  selec x;\n  ^--- error here"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	long := "select * from e where a = 1 and\n  b = 2 and c = 3 and " + strings.Repeat("x", 70) + " = 1 (;"
	got := errorContext(long, strings.Index(long, "(;"))
	if !strings.HasSuffix(got, "error here ---^") || strings.Contains(got, "\n  select") {
		t.Errorf("a late error is shown from about 50 bytes before it: %q", got)
	}
}

// FuzzCSVReader checks that any input is read to its end without a panic
// or a hang, and that the lines counted never go backwards.
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("a,b\n1,\"x\"\"y\"\r\n\"multi\nline\",3\n"), true)
	f.Add([]byte("\"unterminated"), true)
	f.Add([]byte("a\x1fb\x1e"), false)
	f.Fuzz(func(t *testing.T, data []byte, quoted bool) {
		rd := newCSVReader(bytes.NewReader(data), ',', '\n', quoted)
		last := 0
		for rows := 0; ; rows++ {
			if rows > len(data)+1 {
				t.Fatalf("more rows than bytes: %q", data)
			}
			_, line, ok := rd.readRow()
			if !ok {
				break
			}
			if line < last {
				t.Fatalf("line numbers went back from %d to %d", last, line)
			}
			last = line
		}
	})
}
