package ratchet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sample = `# header
a.test	engine not built (issue 5)
b.test:10   REAL rendering
b.test:20	integer overflow
`

func TestParseWriteRoundTrip(t *testing.T) {
	l, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Path: "a.test", Reason: "engine not built (issue 5)"},
		{Path: "b.test", Line: 10, Reason: "REAL rendering"},
		{Path: "b.test", Line: 20, Reason: "integer overflow"},
	}
	if diff := cmp.Diff(want, l.Entries()); diff != "" {
		t.Fatalf("Parse mismatch (-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := l.Write(&buf, "header"); err != nil {
		t.Fatal(err)
	}
	again, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again.Entries()); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"a.test\n", "a.test:x reason\n", "a.test:0 reason\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q) succeeded; want an error", in)
		}
	}
}

func TestCheck(t *testing.T) {
	l, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []FileOutcome{
		// a.test: listed whole, but one record passes now.
		{Path: "a.test", Executed: []int{1, 5, 9}, Failed: map[int]string{1: "x", 5: "x"}},
		// b.test: 10 still fails, 20 passes now, 30 is a new failure, 40 passes.
		{Path: "b.test", Executed: []int{10, 20, 30, 40}, Failed: map[int]string{10: "x", 30: "query: wrong result"}},
		// c.test: unlisted and clean.
		{Path: "c.test", Executed: []int{1}, Failed: map[int]string{}},
	}
	var got []string
	for _, v := range l.Check(outcomes) {
		got = append(got, v.String())
	}
	want := []string{
		"a.test: listed as failing entirely (engine not built (issue 5)), but 1 of its 3 records pass; regenerate the list",
		"b.test:30: unexpected failure: query: wrong result",
		"b.test:20: listed as failing (integer overflow), but passes; remove the entry",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
	// A run that matches the list has no violations.
	clean := []FileOutcome{
		{Path: "a.test", Executed: []int{1, 5}, Failed: map[int]string{1: "x", 5: "x"}},
		{Path: "b.test", Executed: []int{10, 20, 30}, Failed: map[int]string{10: "x", 20: "x"}},
	}
	if v := l.Check(clean); len(v) != 0 {
		t.Errorf("Check of a matching run: %v", v)
	}
}

func TestRegenerateKeepsReasons(t *testing.T) {
	l, err := Parse(strings.NewReader(sample + "z.test\tnot in this run\n"))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []FileOutcome{
		// a.test now partly passes: listed record by record, each with
		// its own failure (the file's reason claimed every record).
		{Path: "a.test", Executed: []int{1, 5, 9}, Failed: map[int]string{1: "x", 9: "x"}},
		// b.test fails entirely now: one file entry, with a new reason,
		// since no file entry existed.
		{Path: "b.test", Executed: []int{10, 20}, Failed: map[int]string{10: "x", 20: "y"}},
		// c.test has a new failure: the failure becomes its reason.
		{Path: "c.test", Executed: []int{1, 2}, Failed: map[int]string{2: "query: wrong result"}},
	}
	got := Regenerate(l, outcomes, "").Entries()
	want := []Entry{
		{Path: "a.test", Line: 1, Reason: "x"},
		{Path: "a.test", Line: 9, Reason: "x"},
		{Path: "b.test", Reason: "REAL rendering"},
		{Path: "c.test", Line: 2, Reason: "query: wrong result"},
		{Path: "z.test", Reason: "not in this run"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Regenerate mismatch (-want +got):\n%s", diff)
	}
	// The regenerated list agrees with the run it came from.
	if v := Regenerate(l, outcomes, "").Check(outcomes); len(v) != 0 {
		t.Errorf("regenerated list disagrees with its run: %v", v)
	}
}

func TestPatternEntries(t *testing.T) {
	l, err := Parse(strings.NewReader("seed-*\tengine not built\n"))
	if err != nil {
		t.Fatal(err)
	}
	allFail := []FileOutcome{
		{Path: "seed-1", Executed: []int{1, 2}, Failed: map[int]string{1: "x", 2: "x"}},
		{Path: "seed-2", Executed: []int{1}, Failed: map[int]string{1: "x"}},
	}
	if v := l.Check(allFail); len(v) != 0 {
		t.Errorf("Check: %v", v)
	}
	if diff := cmp.Diff(l.Entries(), Regenerate(l, allFail, "").Entries()); diff != "" {
		t.Errorf("Regenerate changed a pattern that still holds (-want +got):\n%s", diff)
	}
	onePasses := []FileOutcome{allFail[0], {Path: "seed-2", Executed: []int{1}, Failed: map[int]string{}}}
	if v := l.Check(onePasses); len(v) != 1 || v[0].Path != "seed-2" {
		t.Errorf("Check with seed-2 passing: %v; want one violation for seed-2", v)
	}
	want := []Entry{{Path: "seed-1", Reason: "engine not built"}}
	if diff := cmp.Diff(want, Regenerate(l, onePasses, "").Entries()); diff != "" {
		t.Errorf("Regenerate after seed-2 passes (-want +got):\n%s", diff)
	}
}
