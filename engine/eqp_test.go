package engine

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// planTree renders EXPLAIN QUERY PLAN rows (id, parent, notused, detail)
// the way the sqlite3 shell prints them.
func planTree(rows [][4]string) string {
	var b strings.Builder
	b.WriteString("QUERY PLAN\n")
	var walk func(parent, prefix string)
	walk = func(parent, prefix string) {
		var kids [][4]string
		for _, r := range rows {
			if r[1] == parent {
				kids = append(kids, r)
			}
		}
		for i, k := range kids {
			branch, more := "|--", "|  "
			if i == len(kids)-1 {
				branch, more = "`--", "   "
			}
			b.WriteString(prefix + branch + k[3] + "\n")
			walk(k[0], prefix+more)
		}
	}
	walk("0", "")
	return b.String()
}

// TestExplainQueryPlanGolden compares Wren's plans with those of the
// sqlite3 shell 3.40.1, recorded in testdata/eqp/eqp.golden by gen.sh.
func TestExplainQueryPlanGolden(t *testing.T) {
	schemaSQL, err := os.ReadFile("testdata/eqp/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("testdata/eqp/eqp.golden")
	if err != nil {
		t.Fatal(err)
	}
	c := memConn(t)
	mustExec(t, c, string(schemaSQL))
	blocks := strings.Split(string(golden), "-- ")[1:]
	if len(blocks) < 30 {
		t.Fatalf("only %d golden plans", len(blocks))
	}
	for _, blk := range blocks {
		query, want, _ := strings.Cut(blk, "\n")
		s, _, err := c.Prepare("EXPLAIN QUERY PLAN " + query)
		if err != nil {
			t.Errorf("%s: %v", query, err)
			continue
		}
		var rows [][4]string
		for {
			ok, err := s.Step()
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			if !ok {
				break
			}
			var r [4]string
			for i := range r {
				r[i] = render(s.Column(i))
			}
			rows = append(rows, r)
		}
		s.Close()
		if diff := cmp.Diff(want, planTree(rows)); diff != "" {
			t.Errorf("%s (-sqlite3 +wren):\n%s", query, diff)
		}
	}
}

// TestPlannerResults runs queries whose plans use the planner's index
// paths (IN lookups, index order forwards and backwards, covering reads,
// LEFT JOIN null rows) and compares their rows with sqlite3's, recorded
// in testdata/eqp/results.golden by gen_results.sh.
func TestPlannerResults(t *testing.T) {
	setup, err := os.ReadFile("testdata/eqp/results_schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("testdata/eqp/results.golden")
	if err != nil {
		t.Fatal(err)
	}
	c := memConn(t)
	mustExec(t, c, string(setup))
	blocks := strings.Split(string(golden), "-- ")[1:]
	if len(blocks) < 20 {
		t.Fatalf("only %d golden queries", len(blocks))
	}
	for _, blk := range blocks {
		query, rest, _ := strings.Cut(blk, "\n")
		var want []string
		if rest != "" {
			want = strings.Split(strings.TrimSuffix(rest, "\n"), "\n")
		}
		got, err := queryRows(t, c, query)
		if err != nil {
			t.Errorf("%s: %v", query, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-sqlite3 +wren):\n%s", query, diff)
		}
	}
}
