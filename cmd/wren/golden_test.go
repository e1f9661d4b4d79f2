package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The golden tests run the scripts of testdata/golden through sqlite3
// (3.40.1, the oracle) once, with -update, and keep its output in
// NAME.golden; every test run then feeds the same script to the shell on
// stdin and compares stdout, stderr and the exit status byte for byte.
var update = flag.Bool("update", false, "regenerate testdata/golden/*.golden by running sqlite3")

// waitingForEngine lists the scripts whose SQL the Wren engine cannot run
// yet, with the feature they wait for. The test skips them with that
// reason; the list shrinks as the engine grows.
var waitingForEngine = map[string]string{
	"without_rowid": "WITHOUT ROWID tables",
	"generated":     "generated columns (computed, and hidden from PRAGMA table_info)",
}

// goldenResult is what one run of a script produced.
type goldenResult struct {
	stdout, stderr string
	exit           int
}

func (r goldenResult) format() string {
	return fmt.Sprintf("-- stdout --\n%s-- stderr --\n%s-- exit %d --\n", r.stdout, r.stderr, r.exit)
}

// runSqlite3 runs the oracle on a script, in the package directory (the
// scripts name files under testdata/ by relative paths).
func runSqlite3(t *testing.T, script []byte, args ...string) goldenResult {
	t.Helper()
	path, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatalf("-update needs sqlite3 on PATH: %v", err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin = bytes.NewReader(script)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	exit := 0
	if ee, ok := err.(*exec.ExitError); ok {
		exit = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return goldenResult{out.String(), errb.String(), exit}
}

// runWren runs the shell in-process on a script.
func runWren(script []byte, args ...string) goldenResult {
	var out, errb bytes.Buffer
	exit := run(args, bytes.NewReader(script), &out, &errb)
	return goldenResult{out.String(), errb.String(), exit}
}

func TestGolden(t *testing.T) {
	scripts, err := filepath.Glob("testdata/golden/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no golden scripts")
	}
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".sql")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(script)
			if err != nil {
				t.Fatal(err)
			}
			goldenPath := strings.TrimSuffix(script, ".sql") + ".golden"
			args := scriptArgs(src)
			if *update {
				want := runSqlite3(t, src, args...).format()
				if err := os.WriteFile(goldenPath, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			got := runWren(src, args...).format()
			diff := cmp.Diff(string(want), got)
			if reason, ok := waitingForEngine[name]; ok {
				if diff == "" {
					t.Fatalf("%s now matches sqlite3: remove it from waitingForEngine (%s)", name, reason)
				}
				t.Skipf("waiting for engine: %s", reason)
			}
			if diff != "" {
				t.Errorf("%s: output differs from sqlite3's (-sqlite3 +wren):\n%s", name, diff)
			}
		})
	}
}

// scriptArgs reads the command-line arguments a script wants from a first
// line "-- args: ...", for testing options such as -bail or -csv.
func scriptArgs(src []byte) []string {
	first, _, _ := strings.Cut(string(src), "\n")
	rest, ok := strings.CutPrefix(first, "-- args:")
	if !ok {
		return nil
	}
	return strings.Fields(rest)
}
