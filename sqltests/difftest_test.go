package sqltests

import (
	"database/sql"
	"flag"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wrendb/wren/sqltests/difftest"
	"github.com/wrendb/wren/sqltests/drivers"
	"github.com/wrendb/wren/sqltests/ratchet"
)

// The CI budget of the differential tester: fixed seeds, so that the
// ratchet can name them. 1000 seeds of 40 queries (about 54,000 statements
// and queries) take about 18 s of CPU for both engines together, well
// inside the ~2 minute budget on two cores. Longer runs: -difftest.seeds,
// or go run ./cmd/difftest -duration 1h.
var (
	difftestFirst = flag.Uint64("difftest.first", 1, "first seed of the differential tests")
	difftestSeeds = flag.Int("difftest.seeds", 1000, "number of seeds the differential test runs (CI: 1000)")
	difftestOut   = flag.String("difftest.out", "", "directory to write shrunk repros of unexpected mismatches to (default: only logged)")
)

// selfCheckSeeds is how many seeds the reference-against-itself check runs.
const selfCheckSeeds = 300

// maxShrunk bounds how many unexpected mismatches one run shrinks.
const maxShrunk = 5

func engine(name string) difftest.Engine {
	return difftest.Engine{Name: name, Open: func() (*sql.DB, error) { return drivers.Open(name) }}
}

// TestDifferential compares Wren with SQLite over the CI seeds and holds the
// mismatches to testdata/ratchet/wren-difftest.txt, where each seed is a
// "file" and each setup statement or query of it a "record" (numbered from
// 1 in generation order). Unexpected mismatches are shrunk, and their repro
// scripts logged (and written to -difftest.out).
func TestDifferential(t *testing.T) {
	d := &difftest.Differ{Test: engine(drivers.Wren), Reference: engine(drivers.Reference)}
	start := time.Now()
	results := d.RunSeeds(*difftestFirst, *difftestSeeds, 0, nil)
	items, mismatches := 0, 0
	outcomes := make([]ratchet.FileOutcome, len(results))
	bySeedItem := map[string]difftest.Mismatch{}
	for i, r := range results {
		key := fmt.Sprintf("seed-%d", r.Seed)
		o := ratchet.FileOutcome{Path: key, Failed: map[int]string{}}
		for item := 1; item <= r.Items; item++ {
			o.Executed = append(o.Executed, item)
		}
		for _, m := range r.Mismatches {
			o.Failed[m.Item] = m.Kind + ": " + m.Detail
			bySeedItem[fmt.Sprintf("%s:%d", key, m.Item)] = m
		}
		outcomes[i] = o
		items += r.Items
		mismatches += len(r.Mismatches)
	}
	t.Logf("wren vs sqlite: %d seeds, %d statements and queries, %d mismatches, %v",
		len(results), items, mismatches, time.Since(start).Round(time.Millisecond))

	listPath := filepath.Join("testdata", "ratchet", "wren-difftest.txt")
	list, err := ratchet.Load(listPath)
	if err != nil {
		t.Fatal(err)
	}
	if *updateRatchet {
		updated := ratchet.Regenerate(list, outcomes, "")
		header := "Differential-test mismatches expected for Wren: seed-N names a seed, seed-N:M its M-th\n" +
			"statement or query. Regenerate with: go test -run TestDifferential -update-ratchet.\n" +
			"Every entry was checked against sqlite3 3.40.1 (our oracle) as well: \"same answer as\n" +
			"sqlite3 3.40.1\" means Wren agrees with it and only the 3.53 reference differs; the\n" +
			"candidates are the 3.53 changes the query exercises (see sqltests/README.md)."
		if err := updated.WriteFile(listPath, header); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d entries", listPath, updated.Len())
		return
	}
	shrunk := 0
	for i, v := range list.Check(outcomes) {
		if i < 30 {
			t.Errorf("ratchet %s: %s", listPath, v)
		}
		m, ok := bySeedItem[fmt.Sprintf("%s:%d", v.Path, v.Line)]
		if !ok || shrunk >= maxShrunk {
			continue
		}
		shrunk++
		small := d.Shrink(m)
		script, err := d.Repro(small)
		if err != nil {
			t.Errorf("repro of %v: %v", small, err)
			continue
		}
		t.Logf("shrunk repro of %s:\n%s", v.Path, script)
		if *difftestOut != "" {
			path, err := d.WriteRepro(small, *difftestOut)
			if err != nil {
				t.Error(err)
			} else {
				t.Logf("wrote %s", path)
			}
		}
	}
}

// TestDifferentialSelfCheck runs the differential tester with SQLite on both
// sides (separate databases) and requires full agreement, TLP included: it
// proves the generator deterministic and the comparison sound.
func TestDifferentialSelfCheck(t *testing.T) {
	d := &difftest.Differ{Test: engine(drivers.Reference), Reference: engine(drivers.Reference)}
	for _, r := range d.RunSeeds(*difftestFirst, selfCheckSeeds, 0, nil) {
		for _, m := range r.Mismatches {
			t.Errorf("%v", m)
		}
	}
}
