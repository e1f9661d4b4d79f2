package sqltests

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wrendb/wren/sqltests/drivers"
	"github.com/wrendb/wren/sqltests/ratchet"
	"github.com/wrendb/wren/sqltests/slt"
)

var updateRatchet = flag.Bool("update-ratchet", false,
	"rewrite the ratchet lists in testdata/ratchet from this run instead of checking them (reasons are kept)")

// corpusExecuted is the number of records the corpus subset executes on
// SQLite, from its README; a full run must execute exactly these.
const (
	corpusFiles    = 54
	corpusExecuted = 329986
	corpusSkipped  = 38557
)

// recordTimeout bounds one record in the tests: far above what any corpus
// record needs, and low enough that a hanging engine cannot eat CI's budget
// (a hang abandons the rest of its file).
const recordTimeout = 10 * time.Second

// corpusDir finds the sqllogictest corpus: $WREN_SLT_DIR, or the shared
// folder next to the repository. Tests skip, saying so, when it is absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("WREN_SLT_DIR"); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			t.Fatalf("WREN_SLT_DIR=%s: %v", dir, err)
		}
		return dir
	}
	for _, dir := range []string{"../../shared/sqllogictest", "../shared/sqllogictest"} {
		if info, err := os.Stat(dir); err == nil && info.IsDir() {
			return dir
		}
	}
	t.Skip("sqllogictest corpus not found: set WREN_SLT_DIR to a copy of it " +
		"(CI has it at ../shared/sqllogictest next to the repository)")
	return ""
}

// runScripts runs every .test file under root on the named driver.
func runScripts(t *testing.T, driver, root string, paths []string) []slt.FileRun {
	t.Helper()
	open, err := drivers.Opener(driver)
	if err != nil {
		t.Fatal(err)
	}
	runs := slt.RunFiles(context.Background(), open, root, paths, 0, slt.Options{RecordTimeout: recordTimeout}, nil)
	for _, f := range runs {
		if f.Err != nil {
			t.Fatalf("%s: %v", f.Key, f.Err)
		}
	}
	return runs
}

func findScripts(t *testing.T, args ...string) []string {
	t.Helper()
	paths, err := slt.FindScripts(args)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

type totals struct{ executed, passed, failed, skipped int }

func sum(runs []slt.FileRun) totals {
	var s totals
	for _, f := range runs {
		s.executed += f.Result.Run
		s.passed += f.Result.Passed
		s.failed += f.Result.Failed
		s.skipped += f.Result.Skipped
	}
	return s
}

// requireAllPass fails the test for every failing record of the runs.
func requireAllPass(t *testing.T, runs []slt.FileRun) {
	t.Helper()
	shown := 0
	for _, f := range runs {
		for _, fail := range f.Result.Failures {
			if shown++; shown <= 20 {
				t.Errorf("%s:%d (%s): %s\n  sql: %s\n  expected: %q\n  got: %q",
					f.Key, fail.Line, fail.Kind, fail.Err, fail.SQL, fail.Expected, fail.Got)
			}
		}
	}
	if shown > 20 {
		t.Errorf("... and %d more failures", shown-20)
	}
}

// TestReferenceCorpus runs real SQLite over the whole corpus: every executed
// record must pass, which proves the runner (it takes about 20 s on two
// cores). With -short only evidence/ and select1-3 run.
func TestReferenceCorpus(t *testing.T) {
	dir := corpusDir(t)
	var paths []string
	if testing.Short() {
		paths = findScripts(t, filepath.Join(dir, "test", "evidence"),
			filepath.Join(dir, "test", "select1.test"), filepath.Join(dir, "test", "select2.test"),
			filepath.Join(dir, "test", "select3.test"))
	} else {
		paths = findScripts(t, dir)
	}
	runs := runScripts(t, drivers.Reference, dir, paths)
	requireAllPass(t, runs)
	s := sum(runs)
	t.Logf("reference: %d files, %d passed, %d failed, %d skipped", len(runs), s.passed, s.failed, s.skipped)
	if !testing.Short() && len(runs) == corpusFiles && os.Getenv("WREN_SLT_DIR") == "" {
		if s.executed != corpusExecuted || s.skipped != corpusSkipped {
			t.Errorf("executed %d and skipped %d records; the corpus README says %d and %d",
				s.executed, s.skipped, corpusExecuted, corpusSkipped)
		}
	}
}

// TestWrenCorpus runs Wren over the whole corpus and holds it to the
// ratchet in testdata/ratchet/wren-corpus.txt. With -update-ratchet it
// rewrites that list instead.
func TestWrenCorpus(t *testing.T) {
	dir := corpusDir(t)
	runs := runScripts(t, drivers.Wren, dir, findScripts(t, dir))
	s := sum(runs)
	t.Logf("wren: %d files, %d passed, %d failed, %d skipped", len(runs), s.passed, s.failed, s.skipped)
	checkRatchet(t, filepath.Join("testdata", "ratchet", "wren-corpus.txt"), runs)
}

// checkRatchet holds runs to a ratchet list, or rewrites the list with
// -update-ratchet.
func checkRatchet(t *testing.T, listPath string, runs []slt.FileRun) {
	t.Helper()
	list, err := ratchet.Load(listPath)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := make([]ratchet.FileOutcome, len(runs))
	for i, f := range runs {
		outcomes[i] = ratchet.FileOutcome{Path: f.Key, Executed: f.Result.Executed, Failed: f.FailedLines()}
	}
	if *updateRatchet {
		updated := ratchet.Regenerate(list, outcomes, "")
		header := "Records expected to fail for Wren, one per line with the reason; see sqltests/README.md.\n" +
			"Regenerate with: go test -run '" + t.Name() + "' -update-ratchet (reasons are kept)."
		if err := updated.WriteFile(listPath, header); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d entries", listPath, updated.Len())
		return
	}
	violations := list.Check(outcomes)
	for i, v := range violations {
		if i == 30 {
			t.Errorf("... %d violations in all", len(violations))
			break
		}
		t.Errorf("ratchet %s: %s", listPath, v)
	}
}

// TestRegressionScripts runs the project's own scripts in testdata/ (not
// testdata/runner, whose scripts test the runner itself). On the reference
// they must all pass: they document SQLite's behaviour. On Wren they are
// held to testdata/ratchet/wren-testdata.txt.
func TestRegressionScripts(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no regression scripts in testdata/")
	}
	t.Run("reference", func(t *testing.T) {
		requireAllPass(t, runScripts(t, drivers.Reference, "testdata", paths))
	})
	t.Run("wren", func(t *testing.T) {
		checkRatchet(t, filepath.Join("testdata", "ratchet", "wren-testdata.txt"), runScripts(t, drivers.Wren, "testdata", paths))
	})
}
