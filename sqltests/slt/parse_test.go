package slt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	script := "# leading comment\r\n" +
		"hash-threshold 8\r\n" +
		"\r\n" +
		"skipif mysql # not compatible\r\n" +
		"onlyif sqlite\r\n" +
		"statement ok\r\n" +
		"CREATE TABLE t(a)\r\n" +
		"# comment inside the record\r\n" +
		"\r\n" +
		"   \t \r\n" +
		"query ITR rowsort label-0123456789abcdefXYZ\r\n" +
		"SELECT a,\r\n" +
		"  b FROM t\r\n" +
		"----\r\n" +
		"1\r\n" +
		" x \r\n" +
		"\r\n" +
		"query I\n" +
		"SELECT 1\n" +
		"\n" +
		"statement error\n" +
		"SELECT 1;\n" +
		"SELECT 2\n" +
		"\n" +
		"halt\n" +
		"\n" +
		"statement maybe\n" +
		"\n" +
		"bogus\n"
	want := []Record{
		{Line: 2, Kind: KindHashThreshold, Threshold: 8},
		{Line: 4, Kind: KindStatement, SQL: "CREATE TABLE t(a)",
			Conditions: []Condition{{OnlyIf: false, Engine: "mysql"}, {OnlyIf: true, Engine: "sqlite"}}},
		{Line: 11, Kind: KindQuery, Types: "ITR", SortMode: "rowsort", Label: "label-0123456789abcd",
			SQL: "SELECT a,\n  b FROM t", Expected: []string{"1", " x "}},
		{Line: 18, Kind: KindQuery, Types: "I", SortMode: "nosort", SQL: "SELECT 1"},
		{Line: 21, Kind: KindStatement, ExpectError: true, SQL: "SELECT 1;\nSELECT 2"},
		{Line: 25, Kind: KindHalt},
		{Line: 27, Kind: KindInvalid, Invalid: `"statement" must be followed by "ok" or "error"`},
		{Line: 29, Kind: KindInvalid, Invalid: `unknown record type "bogus"`},
	}
	if diff := cmp.Diff(want, Parse([]byte(script))); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

func TestSkipped(t *testing.T) {
	tests := []struct {
		conds []Condition
		want  bool
	}{
		{nil, false},
		{[]Condition{{Engine: "sqlite"}}, true},
		{[]Condition{{Engine: "SQLite"}}, true},
		{[]Condition{{Engine: "mysql"}}, false},
		{[]Condition{{OnlyIf: true, Engine: "sqlite"}}, false},
		{[]Condition{{OnlyIf: true, Engine: "mssql"}}, true},
		{[]Condition{{OnlyIf: true, Engine: "sqlite"}, {Engine: "sqlite"}}, true},
		{[]Condition{{Engine: "mysql"}, {Engine: "postgresql"}}, false},
	}
	for _, tt := range tests {
		r := Record{Conditions: tt.conds}
		if got := r.Skipped("sqlite"); got != tt.want {
			t.Errorf("Skipped(%+v) = %v, want %v", tt.conds, got, tt.want)
		}
	}
}

func TestSortValues(t *testing.T) {
	tests := []struct {
		mode    string
		columns int
		in      []string
		want    []string
	}{
		{"nosort", 1, []string{"b", "a"}, []string{"b", "a"}},
		{"valuesort", 2, []string{"9", "b", "10", "a", "NULL", "-1"}, []string{"-1", "10", "9", "NULL", "a", "b"}},
		{"rowsort", 2, []string{"9", "b", "10", "z", "9", "a"}, []string{"10", "z", "9", "a", "9", "b"}},
		{"rowsort", 1, []string{"b", "NULL", "a"}, []string{"NULL", "a", "b"}},
	}
	for _, tt := range tests {
		got := append([]string(nil), tt.in...)
		if err := sortValues(got, tt.columns, tt.mode); err != nil {
			t.Errorf("sortValues(%s) error: %v", tt.mode, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("sortValues(%s, %v) mismatch (-want +got):\n%s", tt.mode, tt.in, diff)
		}
	}
	if err := sortValues([]string{"a"}, 1, "bogus"); err == nil {
		t.Error("sortValues with an unknown mode succeeded")
	}
}

func TestHash(t *testing.T) {
	// md5 of "" and of "1\n2\n" (computed with md5sum).
	if got, want := HashValues(nil), "d41d8cd98f00b204e9800998ecf8427e"; got != want {
		t.Errorf("HashValues(nil) = %s, want %s", got, want)
	}
	if got, want := HashLine([]string{"1", "2"}), "2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0"; got != want {
		t.Errorf("HashLine = %q, want %q", got, want)
	}
	if got := expectedHash([]string{"30 values hashing to 0123abc"}); got != "0123abc" {
		t.Errorf("expectedHash of a hash line = %q", got)
	}
	if got, want := expectedHash([]string{"1", "2"}), HashValues([]string{"1", "2"}); got != want {
		t.Errorf("expectedHash of listed values = %q, want %q", got, want)
	}
	lines := resultLines([]string{"1", "2", "3"}, 2)
	if want := []string{HashLine([]string{"1", "2", "3"})}; !cmp.Equal(lines, want) {
		t.Errorf("resultLines above the threshold = %v, want %v", lines, want)
	}
	if lines := resultLines([]string{"1", "2", "3"}, 0); len(lines) != 3 {
		t.Errorf("resultLines with threshold 0 hashed: %v", lines)
	}
}

// FuzzParse feeds arbitrary scripts to Parse: it must not panic, and the
// records it returns must start on increasing lines within the script.
func FuzzParse(f *testing.F) {
	f.Add([]byte("statement ok\nCREATE TABLE t(a)\n\nquery I rowsort label-1\nSELECT a FROM t\n----\n1\n"))
	f.Add([]byte("skipif\r\n\r\nonlyif x\r\nhalt\r\nhash-threshold x\n\nquery\n"))
	f.Fuzz(func(t *testing.T, script []byte) {
		lines := len(splitLines(script))
		last := 0
		for _, r := range Parse(script) {
			if r.Line <= last || r.Line > lines {
				t.Fatalf("record at line %d after one at %d, in a script of %d lines", r.Line, last, lines)
			}
			last = r.Line
		}
	})
}
