package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/wrendb/wren/bench/internal/spec"
	"github.com/wrendb/wren/bench/internal/workload"
)

// Machine describes where a run happened, for the results file.
type Machine struct {
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Memory string `json:"memory"`
	OS     string `json:"os"`
	Go     string `json:"go"`
}

func describeMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(firstLine(string(b)), "MemTotal:"), "%d", &kb)
		m.Memory = fmt.Sprintf("%.1f GB", float64(kb)/(1<<20))
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS += ", " + strings.Trim(v, `"`)
			}
		}
	}
	if out, err := exec.Command("uname", "-r").Output(); err == nil {
		m.OS += ", kernel " + strings.TrimSpace(string(out))
	}
	return m
}

// cell is the statistics of one (workload, metric, driver) over the reps.
type cell struct {
	med, min, max float64 // ns per op
	p50, p99, lat int64   // medians over reps of the latency percentiles
	errors        int
	rssKB         int64 // median peak RSS of the child
	unit          string
	n             int
}

// row is one line of the tables: a metric of a workload.
type row struct {
	workload, metric, unit string
	cells                  map[string]*cell // by driver
}

// aggregate turns the raw results into rows, in workload order.
func aggregate(run *Run) []*row {
	type key struct{ w, m string }
	byKey := map[key]*row{}
	var rows []*row
	samples := map[key]map[string][]workload.Metric{}
	rss := map[key]map[string][]int64{}
	for _, res := range run.Results {
		if res.Error != "" {
			continue
		}
		for _, m := range res.Metrics {
			k := key{res.Workload, m.Name}
			if byKey[k] == nil {
				byKey[k] = &row{workload: res.Workload, metric: m.Name, unit: m.Unit, cells: map[string]*cell{}}
				rows = append(rows, byKey[k])
				samples[k] = map[string][]workload.Metric{}
				rss[k] = map[string][]int64{}
			}
			samples[k][res.Driver] = append(samples[k][res.Driver], m)
			rss[k][res.Driver] = append(rss[k][res.Driver], res.MaxRSSKB)
		}
	}
	// A driver that failed a later repetition has no cell: its earlier
	// numbers would be a survivor's.
	failed := map[[2]string]bool{}
	for _, res := range run.Results {
		if res.Error != "" {
			failed[[2]string{res.Driver, res.Workload}] = true
		}
	}
	for k, r := range byKey {
		for d, ms := range samples[k] {
			if failed[[2]string{d, k.w}] {
				continue
			}
			c := &cell{unit: r.unit, n: len(ms)}
			var ns []float64
			var p50, p99, lat []int64
			for _, m := range ms {
				ns = append(ns, m.NsPerOp())
				p50, p99, lat = append(p50, m.P50), append(p99, m.P99), append(lat, m.Max)
				c.errors += m.Errors
			}
			c.med, c.min, c.max = median(ns), slices.Min(ns), slices.Max(ns)
			c.p50, c.p99, c.lat = median(p50), median(p99), median(lat)
			c.rssKB = median(rss[k][d])
			r.cells[d] = c
		}
	}
	order := map[string]int{}
	for i, w := range workload.All {
		order[w.Name] = i
	}
	slices.SortStableFunc(rows, func(a, b *row) int { return order[a.workload] - order[b.workload] })
	return rows
}

func median[T int64 | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ratio is peer time ÷ Wren time: above 1, Wren is faster.
func ratio(r *row, peer string) (float64, bool) {
	w, p := r.cells[spec.Wren], r.cells[peer]
	if w == nil || p == nil || w.med == 0 {
		return 0, false
	}
	return p.med / w.med, true
}

func formatNs(ns float64) string {
	switch {
	case ns < 1e3:
		return fmt.Sprintf("%.0f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	default:
		return fmt.Sprintf("%.3g s", ns/1e9)
	}
}

// writeResults writes <date>-<size>.md, .json and the charts into dir.
func writeResults(run *Run, dir, format string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(dir, stamp(run.Started)+"-"+run.Size.Name)
	rows := aggregate(run)
	var paths []string

	raw, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(base+".json", append(raw, '\n'), 0o644); err != nil {
		return nil, err
	}
	paths = append(paths, base+".json")

	charts, err := writeCharts(run, rows, base, format)
	if err != nil {
		return nil, err
	}
	paths = append(paths, charts...)

	md := markdown(run, rows, charts)
	if err := os.WriteFile(base+".md", []byte(md), 0o644); err != nil {
		return nil, err
	}
	return append(paths, base+".md"), nil
}
