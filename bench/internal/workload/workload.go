// Package workload holds the benchmark's workloads and the child-process side
// of the harness. A child binary (one per driver, see drivers/) calls Main,
// which runs exactly one workload on one driver and prints one JSON Result on
// stdout; the parent process collects these and keeps the statistics.
//
// Every workload sets up its data untimed, times only the phase it is named
// after, and checks what it read back (row counts, sums), so a driver that
// silently returns nothing is reported as failed rather than as fast.
package workload

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/wrendb/wren/bench/internal/spec"
)

// Result is what a child reports for one (driver, workload) run.
type Result struct {
	Driver   string   `json:"driver"`
	Workload string   `json:"workload"`
	Size     string   `json:"size"`
	Metrics  []Metric `json:"metrics,omitempty"`
	Error    string   `json:"error,omitempty"`
	// MaxRSSKB is the child's peak resident set, filled in by the parent
	// from the child's rusage.
	MaxRSSKB int64 `json:"max_rss_kb,omitempty"`
}

// Metric is one timed phase of a workload.
type Metric struct {
	Name  string `json:"name"`
	Unit  string `json:"unit"` // what one op is: "open", "row", "tx", ...
	Ops   int    `json:"ops"`
	Nanos int64  `json:"nanos"` // wall time of the phase
	// Latency percentiles of single operations, in nanoseconds, for the
	// workloads that time each operation.
	P50    int64 `json:"p50_ns,omitempty"`
	P99    int64 `json:"p99_ns,omitempty"`
	Max    int64 `json:"max_ns,omitempty"`
	Errors int   `json:"errors"`
}

// NsPerOp is the phase's wall time divided by its operations: for the
// concurrent workloads, the inverse of the throughput.
func (m Metric) NsPerOp() float64 {
	if m.Ops == 0 {
		return 0
	}
	return float64(m.Nanos) / float64(m.Ops)
}

// Workload is one benchmark.
type Workload struct {
	Name  string
	Doc   string // one line, for the README and the results file
	Floor bool   // also runs on the do-nothing driver
	Run   func(e *Env) ([]Metric, error)
}

// Env is what a workload gets: the driver, a private scratch directory, the
// shared fixtures and the size.
type Env struct {
	Driver   spec.Driver
	Dir      string
	Fixtures string
	Size     spec.Size

	cpuProfile string
	profiling  bool
}

// Open opens a *sql.DB on the file name inside the scratch directory.
func (e *Env) Open(name string) (*sql.DB, error) {
	return sql.Open(e.Driver.SQLName, e.Driver.FormatDSN(filepath.Join(e.Dir, name)))
}

// Timed runs f as the timed phase of a metric. The CPU profile, when one is
// asked for, starts with the first timed phase, so setup stays out of it.
func (e *Env) Timed(name, unit string, ops int, f func() error) (Metric, error) {
	if err := e.startProfile(); err != nil {
		return Metric{}, err
	}
	start := time.Now()
	err := f()
	return Metric{Name: name, Unit: unit, Ops: ops, Nanos: time.Since(start).Nanoseconds()}, err
}

// All lists every workload in the order the tables show them.
var All = []Workload{
	{Name: "open-1", Doc: "new *sql.DB, first connection, SELECT count(*) FROM sqlite_schema on a 1-table file", Run: runOpenSmall},
	{Name: "open-10k", Doc: "the same on a file with 10,000 tables and 10,000 indexes", Run: runOpenBig},
	{Name: "insert", Doc: "insert rows (id INTEGER PRIMARY KEY, name TEXT, n INTEGER, f REAL) in one transaction with a prepared statement", Run: runInsert},
	{Name: "point", Doc: "random lookups by primary key with a prepared statement", Floor: true, Run: runPoint},
	{Name: "scan", Doc: "sum a column over every row, in Go, through rows.Scan", Floor: true, Run: runScan},
	{Name: "real", Doc: "go-sqlite-bench real: users/articles/comments with foreign keys and indexes, one transaction per user; then per user a lookup by email with two LEFT JOINs", Run: runReal},
	{Name: "complex", Doc: "go-sqlite-bench complex: users, articles, comments in three transactions; then one 3-way join over all comments", Run: runComplex},
	{Name: "many-10", Doc: "go-sqlite-bench many: query all 10 users, many times", Run: runMany(10)},
	{Name: "many-100", Doc: "the same with 100 users", Run: runMany(100)},
	{Name: "many-1000", Doc: "the same with 1000 users", Run: runMany(1000)},
	{Name: "large-50k", Doc: "go-sqlite-bench large: insert rows with a 50 KB blob in one transaction, then read them all", Run: runLarge(50_000)},
	{Name: "large-100k", Doc: "the same with 100 KB blobs", Run: runLarge(100_000)},
	{Name: "large-200k", Doc: "the same with 200 KB blobs", Run: runLarge(200_000)},
	{Name: "writers-8", Doc: "8 writers, each running single-row BEGIN IMMEDIATE transactions", Run: runWriters(8)},
	{Name: "writers-16", Doc: "the same with 16 writers", Run: runWriters(16)},
	{Name: "writers-64", Doc: "the same with 64 writers", Run: runWriters(64)},
	{Name: "readwrite", Doc: "1 writer (single-row transactions) and 7 readers (point lookups) for a fixed time", Run: runReadWrite},
	{Name: "pscan-2", Doc: "2 goroutines each scanning every row of one table", Run: runParallelScan(2)},
	{Name: "pscan-4", Doc: "the same with 4 goroutines", Run: runParallelScan(4)},
	{Name: "pscan-8", Doc: "the same with 8 goroutines", Run: runParallelScan(8)},
}

// Lookup returns the workload called name.
func Lookup(name string) (Workload, bool) {
	i := slices.IndexFunc(All, func(w Workload) bool { return w.Name == name })
	if i < 0 {
		return Workload{}, false
	}
	return All[i], true
}

// Applies reports whether workload w runs on driver d.
func Applies(w Workload, d spec.Driver) bool {
	return !d.Floor || w.Floor
}

// checkCount turns a wrong row count into an error naming what was read.
func checkCount(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("%s: read %d rows, want %d", what, got, want)
	}
	return nil
}

// startProfile starts the CPU profile, if one was asked for, unless it runs.
func (e *Env) startProfile() error {
	if e.cpuProfile == "" || e.profiling {
		return nil
	}
	out, err := os.Create(e.cpuProfile)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return err
	}
	e.profiling = true
	return nil
}
