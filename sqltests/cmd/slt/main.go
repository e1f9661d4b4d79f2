package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wrendb/wren/sqltests/drivers"
	"github.com/wrendb/wren/sqltests/ratchet"
	"github.com/wrendb/wren/sqltests/slt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("slt", flag.ContinueOnError)
	flags.SetOutput(stderr)
	driver := flags.String("driver", drivers.Wren, "database to test: "+strings.Join(drivers.Names(), " or "))
	verbose := flags.Bool("v", false, "print every failure: file:line, SQL, expected and got")
	jobs := flags.Int("j", 0, "files run in parallel (default GOMAXPROCS)")
	engine := flags.String("engine", slt.DefaultEngine, "engine name matched by skipif/onlyif")
	timeout := flags.Duration("timeout", slt.DefaultRecordTimeout, "time limit of one record")
	root := flags.String("root", "", "directory ratchet paths are relative to (default: the directory argument)")
	checkRatchet := flags.String("ratchet", "", "check the run against this ratchet list")
	writeRatchet := flags.String("write-ratchet", "", "write the ratchet list this run implies to this file, keeping the reasons of the old one")
	reason := flags.String("reason", "", "with -write-ratchet: the reason given to new failures (default: the failure itself)")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: slt [flags] FILE_OR_DIR...\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	open, err := drivers.Opener(*driver)
	if err != nil {
		fmt.Fprintln(stderr, "slt:", err)
		return 2
	}
	paths, err := slt.FindScripts(flags.Args())
	if err != nil {
		fmt.Fprintln(stderr, "slt:", err)
		return 2
	}
	if *root == "" && flags.NArg() == 1 {
		if info, err := os.Stat(flags.Arg(0)); err == nil && info.IsDir() {
			*root = flags.Arg(0)
		}
	}

	start := time.Now()
	var passed, failed, skipped, unreadable int
	opts := slt.Options{Engine: *engine, RecordTimeout: *timeout}
	runs := slt.RunFiles(context.Background(), open, *root, paths, *jobs, opts, func(f slt.FileRun) {
		if f.Err != nil {
			unreadable++
			fmt.Fprintf(stdout, "%s: %v\n", f.Key, f.Err)
			return
		}
		r := f.Result
		passed += r.Passed
		failed += r.Failed
		skipped += r.Skipped
		fmt.Fprintf(stdout, "%s: %s\n", f.Key, r.Summary())
		if *verbose {
			for _, fail := range r.Failures {
				printFailure(stdout, f.Key, fail)
			}
		}
	})
	fmt.Fprintf(stdout, "%d files, %v, driver %s\n", len(paths), time.Since(start).Round(time.Millisecond), *driver)
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)

	status := 0
	if failed > 0 || unreadable > 0 {
		status = 1
	}
	outcomes := make([]ratchet.FileOutcome, 0, len(runs))
	for _, f := range runs {
		if f.Err == nil {
			outcomes = append(outcomes, ratchet.FileOutcome{Path: f.Key, Executed: f.Result.Executed, Failed: f.FailedLines()})
		}
	}
	if *checkRatchet != "" {
		list, err := ratchet.Load(*checkRatchet)
		if err != nil {
			fmt.Fprintln(stderr, "slt:", err)
			return 2
		}
		violations := list.Check(outcomes)
		for _, v := range violations {
			fmt.Fprintf(stdout, "ratchet: %s\n", v)
		}
		fmt.Fprintf(stdout, "ratchet %s: %d entries, %d violations\n", *checkRatchet, list.Len(), len(violations))
		status = 0
		if len(violations) > 0 || unreadable > 0 {
			status = 1
		}
	}
	if *writeRatchet != "" {
		old, err := ratchet.Load(*writeRatchet)
		if err != nil {
			fmt.Fprintln(stderr, "slt:", err)
			return 2
		}
		list := ratchet.Regenerate(old, outcomes, *reason)
		header := fmt.Sprintf("Records expected to fail for driver %q; see sqltests/README.md.\n"+
			"Regenerate: go run ./cmd/slt -driver %s -write-ratchet FILE [-root DIR] FILE_OR_DIR...", *driver, *driver)
		if err := list.WriteFile(*writeRatchet, header); err != nil {
			fmt.Fprintln(stderr, "slt:", err)
			return 2
		}
		fmt.Fprintf(stdout, "wrote %s: %d entries\n", *writeRatchet, list.Len())
	}
	return status
}

// maxShownLines bounds the expected and actual lines printed per failure.
const maxShownLines = 20

func printFailure(w io.Writer, key string, f slt.Failure) {
	fmt.Fprintf(w, "  FAIL %s:%d (%s): %s\n", key, f.Line, f.Kind, f.Err)
	if f.SQL != "" {
		fmt.Fprintf(w, "    sql:      %s\n", strings.ReplaceAll(f.SQL, "\n", "\n              "))
	}
	if f.Expected != nil || f.Got != nil {
		fmt.Fprintf(w, "    expected: %s\n", shown(f.Expected))
		fmt.Fprintf(w, "    got:      %s\n", shown(f.Got))
	}
}

func shown(lines []string) string {
	if len(lines) == 0 {
		return "(no rows)"
	}
	more := ""
	if len(lines) > maxShownLines {
		more = fmt.Sprintf(" ... (%d lines)", len(lines))
		lines = lines[:maxShownLines]
	}
	return strings.Join(lines, " | ") + more
}
