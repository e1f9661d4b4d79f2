package workload

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/wrendb/wren/bench/internal/spec"
)

// Main is the whole program of a child binary for driver d (see drivers/):
//
//	bench-wren -workload point -size full -dir /tmp/x -fixtures /tmp/f [-cpuprofile cpu.out] [-memprofile mem.out]
//
// It runs one workload and writes one JSON Result on stdout. A failing or
// panicking workload still produces a Result, with Error set and exit status
// 1, so the parent can report it and go on.
func Main(d spec.Driver) {
	name := flag.String("workload", "", "workload to run, or \"fixtures\" to build the open fixtures")
	size := flag.String("size", "full", "full, quick or tiny")
	dir := flag.String("dir", "", "scratch directory (required; left for the caller to remove)")
	fixtures := flag.String("fixtures", "", "directory holding the open-* fixtures")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed phases to `file`")
	memProfile := flag.String("memprofile", "", "write a heap profile at the end to `file`")
	blockProfile := flag.String("blockprofile", "", "write a profile of blocking (lock and channel waits) to `file`")
	flag.Parse()
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(1)
	}

	res := Result{Driver: d.Name, Workload: *name, Size: *size}
	env := &Env{Driver: d, Dir: *dir, Fixtures: *fixtures, cpuProfile: *cpuProfile}
	metrics, err := run(env, *name, *size)
	if env.profiling {
		pprof.StopCPUProfile()
	}
	if err == nil && *memProfile != "" {
		err = writeProfile("allocs", *memProfile)
	}
	if err == nil && *blockProfile != "" {
		err = writeProfile("block", *blockProfile)
	}
	res.Metrics = metrics
	if err != nil {
		res.Error = err.Error()
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if res.Error != "" {
		os.Exit(1)
	}
}

// run looks up and runs one workload, turning a panic into an error so that
// the parent sees what happened instead of a bare exit status.
func run(env *Env, name, size string) (metrics []Metric, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	sz, ok := spec.LookupSize(size)
	if !ok {
		return nil, fmt.Errorf("unknown size %q", size)
	}
	env.Size = sz
	if env.Dir == "" {
		return nil, errors.New("-dir is required")
	}
	if name == "fixtures" {
		return nil, MakeFixtures(env)
	}
	w, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown workload %q", name)
	}
	if !Applies(w, env.Driver) {
		return nil, fmt.Errorf("workload %s does not apply to driver %s", name, env.Driver.Name)
	}
	return w.Run(env)
}

func writeProfile(name, path string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup(name).WriteTo(out, 0); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
