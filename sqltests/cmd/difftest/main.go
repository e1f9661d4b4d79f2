package main

import (
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wrendb/wren/sqltests/difftest"
	"github.com/wrendb/wren/sqltests/drivers"
	"github.com/wrendb/wren/sqltests/ratchet"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func engine(name string) difftest.Engine {
	return difftest.Engine{Name: name, Open: func() (*sql.DB, error) { return drivers.Open(name) }}
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("difftest", flag.ContinueOnError)
	flags.SetOutput(stderr)
	driver := flags.String("driver", drivers.Wren, "engine under test")
	reference := flags.String("reference", drivers.Reference, "reference engine")
	first := flags.Uint64("first", 1, "first seed")
	seeds := flags.Int("seeds", 1000, "number of seeds (with -duration: at most this many)")
	duration := flags.Duration("duration", 0, "stop starting new seeds after this long")
	probes := flags.Int("probes", difftest.DefaultProbes, "queries per seed")
	jobs := flags.Int("j", 0, "seeds run in parallel (default GOMAXPROCS)")
	out := flags.String("out", "difftest-out", "directory for shrunk repro scripts")
	maxRepros := flags.Int("max-repros", 20, "shrink and write at most this many mismatches")
	ratchetPath := flags.String("ratchet", "", "ratchet list of expected mismatches (seed-N[:item]) not to report")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if _, err := drivers.Opener(*driver); err != nil {
		fmt.Fprintln(stderr, "difftest:", err)
		return 2
	}
	if _, err := drivers.Opener(*reference); err != nil {
		fmt.Fprintln(stderr, "difftest:", err)
		return 2
	}
	list := ratchet.New()
	if *ratchetPath != "" {
		var err error
		if list, err = ratchet.Load(*ratchetPath); err != nil {
			fmt.Fprintln(stderr, "difftest:", err)
			return 2
		}
	}
	if *duration > 0 && !flagSet(flags, "seeds") {
		*seeds = 1 << 30
	}
	d := &difftest.Differ{Test: engine(*driver), Reference: engine(*reference), Probes: *probes}
	start := time.Now()
	var stop func() bool
	if *duration > 0 {
		stop = func() bool { return time.Since(start) > *duration }
	}
	results := d.RunSeeds(*first, *seeds, *jobs, stop)

	var outcomes []ratchet.FileOutcome
	mismatches := map[string]difftest.Mismatch{}
	items, total := 0, 0
	for _, r := range results {
		key := fmt.Sprintf("seed-%d", r.Seed)
		o := ratchet.FileOutcome{Path: key, Failed: map[int]string{}}
		for item := 1; item <= r.Items; item++ {
			o.Executed = append(o.Executed, item)
		}
		for _, m := range r.Mismatches {
			o.Failed[m.Item] = m.Kind
			mismatches[fmt.Sprintf("%s:%d", key, m.Item)] = m
		}
		outcomes = append(outcomes, o)
		items += r.Items
		total += len(r.Mismatches)
	}
	reported := 0
	brokenSeeds := map[uint64]bool{}
	for _, v := range list.Check(outcomes) {
		m, ok := mismatches[fmt.Sprintf("%s:%d", v.Path, v.Line)]
		if !ok {
			fmt.Fprintf(stdout, "ratchet: %s\n", v)
			continue
		}
		reported++
		if m.Kind == difftest.MismatchBroken {
			// The engine could not run the seed at all: one line per
			// seed says so, and there is nothing to shrink.
			if !brokenSeeds[m.Seed] {
				brokenSeeds[m.Seed] = true
				fmt.Fprintf(stdout, "%v (every item of the seed)\n", m)
			}
			continue
		}
		fmt.Fprintf(stdout, "%v\n", m)
		if reported > *maxRepros {
			continue
		}
		small := d.Shrink(m)
		path, err := d.WriteRepro(small, *out)
		if err != nil {
			fmt.Fprintf(stdout, "  repro: %v\n", err)
			continue
		}
		fmt.Fprintf(stdout, "  shrunk to %d statements and %d bytes of query: %s\n", len(small.Setup), querySize(small), path)
	}
	fmt.Fprintf(stdout, "%s vs %s: seeds %d..%d, %d statements and queries, %d mismatches, %d reported, %v\n",
		*driver, *reference, *first, *first+uint64(len(results))-1, items, total, reported, time.Since(start).Round(time.Millisecond))
	if reported > 0 {
		return 1
	}
	return 0
}

func querySize(m difftest.Mismatch) int {
	if m.Probe == nil {
		return 0
	}
	return len(m.Probe.Query.SQL())
}

func flagSet(flags *flag.FlagSet, name string) bool {
	set := false
	flags.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
