package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wrendb/wren/bench/internal/spec"
	"github.com/wrendb/wren/bench/internal/workload"
)

// Run is everything one benchmark run produced: the raw results of every
// child process and what is needed to describe the run.
type Run struct {
	Started     time.Time          `json:"started"`
	Duration    string             `json:"duration"`
	Size        spec.Size          `json:"size"`
	Reps        int                `json:"reps"`
	Machine     Machine            `json:"machine"`
	Drivers     []DriverInfo       `json:"drivers"`
	FixtureBy   string             `json:"fixtures_made_by"`
	Results     []workload.Result  `json:"results"`
	BuildErrors map[string]string  `json:"build_errors,omitempty"`
	Workloads   []WorkloadInfo     `json:"workloads"`
	Profiles    map[string]string  `json:"profiles,omitempty"`
	Interrupted bool               `json:"interrupted,omitempty"`
	Note        string             `json:"note,omitempty"`
	LoadBefore  string             `json:"load_before,omitempty"` // /proc/loadavg
	LoadAfter   string             `json:"load_after,omitempty"`
	skipped     map[[2]string]bool // (driver, workload) pairs that already failed
}

// DriverInfo records what each driver was and the DSN it got.
type DriverInfo struct {
	Name    string `json:"name"`
	Package string `json:"package"`
	Version string `json:"version"`
	DSN     string `json:"dsn"`
}

// WorkloadInfo describes a workload in the results file.
type WorkloadInfo struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// execute builds the child binaries, makes the fixtures and runs every
// (driver, workload) pair opts.reps times, alternating the drivers' order
// from one repetition to the next. A driver that fails to build, fails a
// workload or times out is recorded as failed; the run goes on.
func execute(ctx context.Context, opts options) (*Run, error) {
	run := &Run{Started: time.Now(), Size: opts.size, Reps: opts.reps, Machine: describeMachine(), Note: opts.note, LoadBefore: loadAvg(),
		BuildErrors: map[string]string{}, skipped: map[[2]string]bool{}}
	for _, w := range opts.workloads {
		run.Workloads = append(run.Workloads, WorkloadInfo{w.Name, w.Doc})
	}
	scratch, err := os.MkdirTemp("", "wren-bench-")
	if err != nil {
		return nil, err
	}
	if opts.keep {
		opts.logf("scratch directory: %s", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}
	bins := buildChildren(opts, filepath.Join(scratch, "bin"), run)
	versions := moduleVersions()
	for _, d := range opts.drivers {
		run.Drivers = append(run.Drivers, DriverInfo{Name: d.Name, Package: d.Package, Version: versions[d.Name], DSN: d.FormatDSN("PATH")})
	}

	fixtures := filepath.Join(scratch, "fixtures")
	for _, name := range []string{"mattn", "modernc", "ncruces", "wren"} {
		bin, ok := bins[name]
		if !ok {
			continue
		}
		res := runChild(ctx, bin, "fixtures", opts.size, scratch, fixtures, nil)
		if res.Error == "" {
			run.FixtureBy = name
			break
		}
		opts.logf("fixtures with %s failed: %s", name, firstLine(res.Error))
	}

	for rep := range opts.reps {
		for _, w := range opts.workloads {
			for i := range opts.drivers {
				d := opts.drivers[(i+rep)%len(opts.drivers)]
				if !workload.Applies(w, d) {
					continue
				}
				key := [2]string{d.Name, w.Name}
				if ctx.Err() != nil {
					run.Interrupted = true
					break
				}
				if run.skipped[key] {
					continue
				}
				var res workload.Result
				start := time.Now()
				switch bin, ok := bins[d.Name]; {
				case !ok:
					res = workload.Result{Driver: d.Name, Workload: w.Name, Error: "build failed: " + firstLine(run.BuildErrors[d.Name])}
				case w.Name[:4] == "open" && run.FixtureBy == "":
					res = workload.Result{Driver: d.Name, Workload: w.Name, Error: "no driver could build the open fixtures"}
				default:
					res = runChild(ctx, bin, w.Name, opts.size, scratch, fixtures, nil)
				}
				took := time.Since(start).Round(10 * time.Millisecond)
				res.Driver, res.Workload, res.Size = d.Name, w.Name, opts.size.Name
				if res.Error != "" {
					run.skipped[key] = true
					opts.logf("rep %d %-10s %-8s FAILED after %s: %s", rep+1, w.Name, d.Name, took, firstLine(res.Error))
				} else {
					opts.logf("rep %d %-10s %-8s %s (%s)", rep+1, w.Name, d.Name, summary(res), took)
				}
				run.Results = append(run.Results, res)
			}
		}
	}
	if opts.profile != "" && ctx.Err() == nil {
		run.Profiles = profileAll(ctx, opts, bins, scratch, fixtures)
	}
	run.Duration = time.Since(run.Started).Round(time.Second).String()
	run.LoadAfter = loadAvg()
	return run, nil
}

// profileAll runs each (driver, workload) once more with profiles on.
func profileAll(ctx context.Context, opts options, bins map[string]string, scratch, fixtures string) map[string]string {
	profiles := map[string]string{}
	if err := os.MkdirAll(opts.profile, 0o755); err != nil {
		opts.logf("profiles: %v", err)
		return nil
	}
	for _, w := range opts.workloads {
		for _, d := range opts.drivers {
			bin, ok := bins[d.Name]
			if !ok || !workload.Applies(w, d) {
				continue
			}
			base := filepath.Join(opts.profile, d.Name+"-"+w.Name)
			res := runChild(ctx, bin, w.Name, opts.size, scratch, fixtures, []string{"-cpuprofile", base + ".cpu.pprof", "-memprofile", base + ".mem.pprof", "-blockprofile", base + ".block.pprof"})
			if res.Error != "" {
				opts.logf("profile %s %s: %s", w.Name, d.Name, firstLine(res.Error))
				continue
			}
			profiles[d.Name+"/"+w.Name] = base + ".cpu.pprof"
		}
	}
	return profiles
}

func summary(res workload.Result) string {
	var parts []string
	for _, m := range res.Metrics {
		parts = append(parts, fmt.Sprintf("%s %s/%s", m.Name, formatNs(m.NsPerOp()), m.Unit))
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", rss %d MB", res.MaxRSSKB/1024)
}

// runChild runs one child process and returns its result, turning a crash,
// a timeout or unreadable output into a Result with Error set.
func runChild(ctx context.Context, bin, name string, size spec.Size, scratch, fixtures string, extra []string) workload.Result {
	res := workload.Result{Workload: name, Size: size.Name}
	dir, err := os.MkdirTemp(scratch, "run-")
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer os.RemoveAll(dir)
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, size.Timeout)
	defer cancel()
	args := append([]string{"-workload", name, "-size", size.Name, "-dir", dir, "-fixtures", fixtures}, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.MaxRSSKB = ru.Maxrss // kilobytes on Linux
		}
	}
	rss := res.MaxRSSKB
	if parent.Err() != nil {
		res.Error = "interrupted"
		return res
	}
	if ctx.Err() != nil {
		res.Error = fmt.Sprintf("timed out after %s", size.Timeout)
		return res
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if runErr != nil {
			msg = runErr.Error() + ": " + msg
		}
		res.Error = "no result: " + tail(msg, 600)
		return res
	}
	res.MaxRSSKB = rss
	return res
}

// buildChildren builds one binary per driver, in parallel; failures are
// recorded in run.BuildErrors and the driver is left out of the map.
func buildChildren(opts options, dir string, run *Run) map[string]string {
	bins := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, d := range opts.drivers {
		wg.Go(func() {
			bin := filepath.Join(dir, "bench-"+d.Name)
			cmd := exec.Command("go", "build", "-o", bin, "./drivers/"+d.Name)
			if d.CGO {
				cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
			}
			out, err := cmd.CombinedOutput()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				run.BuildErrors[d.Name] = strings.TrimSpace(string(out)) + " (" + err.Error() + ")"
				opts.logf("building %s FAILED: %s", d.Name, firstLine(string(out)))
				return
			}
			bins[d.Name] = bin
		})
	}
	wg.Wait()
	return bins
}

// moduleVersions asks the go command which versions of the drivers' modules
// this build uses.
func moduleVersions() map[string]string {
	mods := map[string]string{"mattn": "github.com/mattn/go-sqlite3", "modernc": "modernc.org/sqlite", "ncruces": "github.com/ncruces/go-sqlite3"}
	out := map[string]string{"nop": "this module", "wren": wrenVersion()}
	for name, mod := range mods {
		v, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", mod).Output()
		if err == nil {
			out[name] = strings.TrimSpace(string(v))
		}
	}
	return out
}

// wrenVersion names the commit of the checkout the bench module replaces
// Wren with, marked dirty if the working tree has changes.
func wrenVersion() string {
	rev, err := exec.Command("git", "-C", "..", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "../ (unknown commit)"
	}
	v := "../ at " + strings.TrimSpace(string(rev))
	if st, err := exec.Command("git", "-C", "..", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
		v += " (with uncommitted changes)"
	}
	return v
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// loadAvg returns the 1, 5 and 15 minute load averages, when the system
// says: a busy machine makes every number of the run noisier.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
