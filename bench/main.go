// Command bench runs the same workloads through database/sql on Wren and on
// the other Go SQLite drivers (mattn/go-sqlite3, modernc.org/sqlite,
// ncruces/go-sqlite3) plus a do-nothing driver, each run in its own process,
// and writes a markdown report with Wren's ratios, charts and the raw JSON to
// results/.
//
//	cd bench && go run . [-quick]
//
// See README.md for what each workload does and the exact DSN of each driver.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/wrendb/wren/bench/internal/spec"
	"github.com/wrendb/wren/bench/internal/workload"
)

type options struct {
	size      spec.Size
	reps      int
	drivers   []spec.Driver
	workloads []workload.Workload
	out       string
	profile   string
	keep      bool
	note      string
	logf      func(format string, args ...any)
}

func main() {
	log.SetFlags(0)
	quick := flag.Bool("quick", false, "run the quick size (a few minutes) instead of the full one")
	sizeName := flag.String("size", "", "full, quick or tiny (overrides -quick)")
	reps := flag.Int("reps", 0, "runs per driver and workload (0: the size's default)")
	drivers := flag.String("drivers", "", "comma-separated drivers (default: all)")
	workloads := flag.String("workloads", "", "comma-separated workloads (default: all)")
	out := flag.String("out", "results", "directory for the report, charts and JSON")
	profile := flag.String("profile", "", "after the timed runs, run each (driver, workload) once more with -cpuprofile and -memprofile into `dir`")
	keep := flag.Bool("keep", false, "keep the scratch directory")
	format := flag.String("format", "svg", "chart format: svg or png")
	note := flag.String("note", "", "a remark written at the top of the report (with -replot: replaces the stored one)")
	replot := flag.String("replot", "", "rewrite the report and charts of an earlier run from its `results.json`, running nothing")
	flag.Parse()

	if *replot != "" {
		paths, err := replotRun(*replot, *out, *format, *note)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(strings.Join(paths, "\n"))
		return
	}

	opts, err := parseOptions(*quick, *sizeName, *reps, *drivers, *workloads)
	if err != nil {
		log.Fatal(err)
	}
	opts.out, opts.profile, opts.keep, opts.note = *out, *profile, *keep, *note
	opts.logf = log.Printf
	// An interrupt stops the children and still writes what was measured.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	run, err := execute(ctx, opts)
	if err != nil {
		log.Fatal(err)
	}
	paths, err := writeResults(run, opts.out, *format)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range paths {
		fmt.Println(p)
	}
}

func parseOptions(quick bool, sizeName string, reps int, drivers, workloads string) (options, error) {
	var opts options
	if sizeName == "" {
		sizeName = "full"
		if quick {
			sizeName = "quick"
		}
	}
	size, ok := spec.LookupSize(sizeName)
	if !ok {
		return opts, fmt.Errorf("unknown size %q", sizeName)
	}
	opts.size = size
	opts.reps = size.Reps
	if reps > 0 {
		opts.reps = reps
	}
	opts.drivers = slices.Clone(spec.Drivers)
	if drivers != "" {
		opts.drivers = nil
		for _, name := range strings.Split(drivers, ",") {
			d, ok := spec.LookupDriver(strings.TrimSpace(name))
			if !ok {
				return opts, fmt.Errorf("unknown driver %q", name)
			}
			opts.drivers = append(opts.drivers, d)
		}
	}
	opts.workloads = slices.Clone(workload.All)
	if workloads != "" {
		opts.workloads = nil
		for _, name := range strings.Split(workloads, ",") {
			w, ok := workload.Lookup(strings.TrimSpace(name))
			if !ok {
				return opts, fmt.Errorf("unknown workload %q", name)
			}
			opts.workloads = append(opts.workloads, w)
		}
	}
	return opts, nil
}

// stamp is the date used in result file names.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02") }

// replotRun reads the raw results of an earlier run and writes its report
// and charts again, into dir.
func replotRun(path, dir, format, note string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var run Run
	if err := json.Unmarshal(raw, &run); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if note != "" {
		run.Note = note
	}
	return writeResults(&run, dir, format)
}
