package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wrendb/wren/bench/internal/spec"
)

// peers are the drivers Wren is compared with, in column order.
func peers(run *Run) []string {
	var out []string
	for _, d := range run.Drivers {
		if dd, ok := spec.LookupDriver(d.Name); ok && d.Name != spec.Wren && !dd.Floor {
			out = append(out, d.Name)
		}
	}
	return out
}

func driverNames(run *Run) []string {
	var out []string
	for _, d := range run.Drivers {
		out = append(out, d.Name)
	}
	return out
}

func markdown(run *Run, rows []*row, charts []string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	m := run.Machine
	p("# Wren benchmark: %s, %s run\n\n", stamp(run.Started), run.Size.Name)
	p("- Machine: %s, %d cores, %s RAM, %s\n", m.CPU, m.Cores, m.Memory, m.OS)
	p("- %s; %d repetitions per driver and workload, each in a fresh process, drivers alternating; total %s\n", m.Go, run.Reps, run.Duration)
	if run.LoadBefore != "" {
		p("- Load average (1/5/15 min) at start: %s; at end: %s\n", run.LoadBefore, run.LoadAfter)
	}
	if run.Note != "" {
		p("- Note: %s\n", run.Note)
	}
	if run.Interrupted {
		p("- **Interrupted**: some runs are missing.\n")
	}
	p("- Open fixtures made by: %s\n", orDash(run.FixtureBy))
	p("- Command: `cd bench && go run .%s`\n\n", map[string]string{"full": "", "quick": " -quick", "tiny": " -size tiny"}[run.Size.Name])

	p("## Drivers and DSNs\n\n| driver | package | version | DSN |\n|---|---|---|---|\n")
	for _, d := range run.Drivers {
		p("| %s | %s | %s | `%s` |\n", d.Name, d.Package, d.Version, d.DSN)
	}
	p("\nThe nop driver is the floor: a do-nothing database/sql driver, so its numbers are what database/sql itself costs.\n\n")

	for _, c := range charts {
		p("![%s](%s)\n\n", filepath.Base(c), filepath.Base(c))
	}

	names, prs := driverNames(run), peers(run)
	p("## Median time per operation, and Wren's ratio to each peer\n\n")
	p("Times: lower is better. **Ratios are peer time ÷ Wren time: higher is better for Wren** (2.00 = Wren takes half the time; 0.50 = Wren takes twice as long). For the concurrent workloads the time per operation is wall time ÷ operations, the inverse of throughput.\n\n")
	p("| workload | metric | per |")
	for _, d := range names {
		p(" %s |", d)
	}
	for _, peer := range prs {
		p(" Wren vs %s |", peer)
	}
	p("\n|---|---|---|%s%s\n", strings.Repeat("---:|", len(names)), strings.Repeat("---:|", len(prs)))
	for _, r := range rows {
		p("| %s | %s | %s |", r.workload, r.metric, r.unit)
		for _, d := range names {
			if c := r.cells[d]; c != nil {
				p(" %s |", formatNs(c.med))
			} else {
				p(" %s |", failedMark(run, d, r.workload))
			}
		}
		for _, peer := range prs {
			if x, ok := ratio(r, peer); ok {
				p(" %.2f |", x)
			} else {
				p(" – |")
			}
		}
		p("\n")
	}

	p("\n## Spread: min – max over the repetitions\n\n| workload | metric |")
	for _, d := range names {
		p(" %s |", d)
	}
	p("\n|---|---|%s\n", strings.Repeat("---:|", len(names)))
	for _, r := range rows {
		p("| %s | %s |", r.workload, r.metric)
		for _, d := range names {
			if c := r.cells[d]; c != nil {
				p(" %s – %s |", formatNs(c.min), formatNs(c.max))
			} else {
				p(" – |")
			}
		}
		p("\n")
	}

	p("\n## Latency of single operations (median over repetitions of p50 / p99 / max) and errors\n\n| workload | metric |")
	for _, d := range names {
		p(" %s |", d)
	}
	p("\n|---|---|%s\n", strings.Repeat("---|", len(names)))
	for _, r := range rows {
		if !hasLatency(r) {
			continue
		}
		p("| %s | %s |", r.workload, r.metric)
		for _, d := range names {
			if c := r.cells[d]; c != nil && c.lat > 0 {
				p(" %s / %s / %s, %d errors |", formatNs(float64(c.p50)), formatNs(float64(c.p99)), formatNs(float64(c.lat)), c.errors)
			} else {
				p(" – |")
			}
		}
		p("\n")
	}

	p("\n## Peak RSS of the child process (MB, median), setup included\n\n| workload |")
	for _, d := range names {
		p(" %s |", d)
	}
	p("\n|---|%s\n", strings.Repeat("---:|", len(names)))
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.workload] {
			continue
		}
		seen[r.workload] = true
		p("| %s |", r.workload)
		for _, d := range names {
			if c := r.cells[d]; c != nil {
				p(" %.0f |", float64(c.rssKB)/1024)
			} else {
				p(" – |")
			}
		}
		p("\n")
	}

	failures := 0
	for _, res := range run.Results {
		if res.Error != "" {
			if failures == 0 {
				p("\n## Failures\n\nA failed (driver, workload) is not run again in later repetitions.\n\n| driver | workload | error |\n|---|---|---|\n")
			}
			failures++
			p("| %s | %s | %s |\n", res.Driver, res.Workload, cellText(res.Error, 300))
		}
	}
	for d, e := range run.BuildErrors {
		p("\nBuild of %s failed:\n\n```\n%s\n```\n", d, tail(e, 2000))
	}

	p("\n## Workloads (%s size)\n\n", run.Size.Name)
	for _, w := range run.Workloads {
		p("- **%s**: %s\n", w.Name, w.Doc)
	}
	s := run.Size
	p("\nSizes: %d rows for insert/point/scan, %d lookups, %d scans; open: %d opens of the 1-table file, %d of the file with %d tables + %d indexes; real %d users × %d articles × %d comments; complex %d × %d × %d; many: %d queries; large: %d rows; writers: %d transactions each; readwrite: %s over %d rows; pscan: %d rows.\n",
		s.Rows, s.Lookups, s.ScanPasses, s.OpenIterations, s.OpenBigIters, s.OpenTables, s.OpenTables,
		s.RealUsers, s.RealArticles, s.RealComments, s.ComplexUsers, s.ComplexArticles, s.ComplexComments,
		s.ManyQueries, s.LargeRows, s.WriterTx, s.RWDuration, s.RWRows, s.ParallelRows)
	return b.String()
}

func hasLatency(r *row) bool {
	for _, c := range r.cells {
		if c.lat > 0 {
			return true
		}
	}
	return false
}

func failedMark(run *Run, driver, workload string) string {
	d, _ := spec.LookupDriver(driver)
	if d.Floor {
		return "n/a"
	}
	for _, res := range run.Results {
		if res.Driver == driver && res.Workload == workload && res.Error != "" {
			return "FAIL"
		}
	}
	return "–"
}

func cellText(s string, n int) string {
	s = strings.Join(strings.Fields(firstLine(s)), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
