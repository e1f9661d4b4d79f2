package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/bench/internal/spec"
	"github.com/wrendb/wren/bench/internal/workload"
)

// TestSmoke runs every workload once on every driver at the tiny size, the
// same way `go run .` does (child binaries built with go build, one process
// per run), and checks that each run succeeded and that the report and the
// charts were written.
func TestSmoke(t *testing.T) {
	opts, err := parseOptions(false, "tiny", 1, "", "")
	if err != nil {
		t.Fatal(err)
	}
	opts.logf = t.Logf
	run, err := execute(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for d, e := range run.BuildErrors {
		t.Errorf("building %s: %s", d, e)
	}
	if run.FixtureBy == "" {
		t.Errorf("no driver built the open fixtures")
	}
	got := map[[2]string]string{}
	for _, res := range run.Results {
		got[[2]string{res.Driver, res.Workload}] = res.Error
		if res.Error == "" && len(res.Metrics) == 0 {
			t.Errorf("%s on %s: no metrics", res.Workload, res.Driver)
		}
		for _, m := range res.Metrics {
			if m.Ops <= 0 || m.Nanos <= 0 {
				t.Errorf("%s on %s: metric %s has %d ops in %d ns", res.Workload, res.Driver, m.Name, m.Ops, m.Nanos)
			}
		}
	}
	for _, w := range workload.All {
		for _, d := range spec.Drivers {
			if !workload.Applies(w, d) {
				continue
			}
			errText, ran := got[[2]string{d.Name, w.Name}]
			switch {
			case !ran:
				t.Errorf("%s on %s: did not run", w.Name, d.Name)
			case errText != "":
				t.Errorf("%s on %s: %s", w.Name, d.Name, errText)
			}
		}
	}

	dir := t.TempDir()
	paths, err := writeResults(run, dir, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimPrefix(filepath.Base(p), stamp(run.Started)))
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", p, err)
		}
	}
	want := []string{"-tiny.json", "-tiny-ratios.svg", "-tiny-relative.svg", "-tiny.md"}
	if len(run.BuildErrors) > 0 {
		want = nil // reported above; which charts exist depends on who built
		names = nil
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files written (-want +got):\n%s", diff)
	}
	md, err := os.ReadFile(filepath.Join(dir, stamp(run.Started)+"-tiny.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range workload.All {
		if !strings.Contains(string(md), "| "+w.Name+" |") {
			t.Errorf("report has no row for %s", w.Name)
		}
	}
	if !strings.Contains(string(md), "higher is better for Wren") {
		t.Errorf("report does not say which way the ratios go")
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{nil, 0},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRatioIsPeerOverWren(t *testing.T) {
	r := &row{cells: map[string]*cell{"wren": {med: 50}, "mattn": {med: 100}, "modernc": {med: 25}}}
	tests := []struct {
		peer string
		want float64
		ok   bool
	}{
		{"mattn", 2, true},     // Wren takes half the time: 2× better
		{"modernc", 0.5, true}, // Wren takes twice the time
		{"ncruces", 0, false},  // no numbers for the peer
	}
	for _, tt := range tests {
		got, ok := ratio(r, tt.peer)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ratio vs %s = %v, %v; want %v, %v", tt.peer, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseOptions(t *testing.T) {
	opts, err := parseOptions(true, "", 0, "wren,mattn", "point,scan")
	if err != nil {
		t.Fatal(err)
	}
	var drivers, workloads []string
	for _, d := range opts.drivers {
		drivers = append(drivers, d.Name)
	}
	for _, w := range opts.workloads {
		workloads = append(workloads, w.Name)
	}
	got := []any{opts.size.Name, opts.reps, drivers, workloads}
	want := []any{"quick", spec.Quick.Reps, []string{"wren", "mattn"}, []string{"point", "scan"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	for _, bad := range [][3]string{{"huge", "", ""}, {"", "oracle", ""}, {"", "", "nosuch"}} {
		if _, err := parseOptions(false, bad[0], 0, bad[1], bad[2]); err == nil {
			t.Errorf("parseOptions(%q) succeeded, want an error", bad)
		}
	}
}
