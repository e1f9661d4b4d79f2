package difftest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wrendb/wren/sqltests/render"
)

// Repro renders a mismatch as a sqllogictest script whose expectations are
// the reference's answers: it passes on the reference and fails where the
// engine under test disagrees, so it can join testdata/ as a regression
// test once the bug is fixed. The header says where it came from.
func (d *Differ) Repro(m Mismatch) (string, error) {
	var probes []Probe
	if m.Probe != nil {
		probes = []Probe{*m.Probe}
	}
	want := runCase(d.Reference, m.Setup, probes, d.timeout())
	if want.Broken != "" {
		return "", fmt.Errorf("the reference could not run the repro: %s", firstLine(want.Broken))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Differential-test repro: seed %d, item %d, %s mismatch (%s vs %s).\n", m.Seed, m.Item, m.Kind, d.Test.Name, d.Reference.Name)
	fmt.Fprintf(&b, "# %s: %s\n", d.Test.Name, oneLineComment(m.Detail))
	b.WriteString("# Expected results are the reference's; every value is read as text.\n\n")
	b.WriteString("hash-threshold 0\n\n")
	for i, stmt := range m.Setup {
		writeStatement(&b, stmt, want.Setup[i].Err != "")
	}
	if m.Probe != nil {
		writeQuery(&b, m.Probe.Query.SQL(), want.Probes[0].Plain, m.Probe.Query.Ordered)
		if m.Probe.Partition != nil {
			b.WriteString("# The same rows, partitioned by a predicate p: WHERE p, WHERE NOT p, WHERE p IS NULL.\n")
			writeQuery(&b, m.Probe.Query.PartitionedSQL(m.Probe.Partition), want.Probes[0].Partitioned, false)
		}
	}
	return b.String(), nil
}

// WriteRepro writes Repro's script to dir/difftest-seed<N>-item<M>.test and
// returns the path.
func (d *Differ) WriteRepro(m Mismatch, dir string) (string, error) {
	script, err := d.Repro(m)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("difftest-seed%d-item%d.test", m.Seed, m.Item))
	return path, os.WriteFile(path, []byte(script), 0o644)
}

func writeStatement(b *strings.Builder, sql string, fails bool) {
	if fails {
		fmt.Fprintf(b, "statement error\n%s\n\n", sql)
	} else {
		fmt.Fprintf(b, "statement ok\n%s\n\n", sql)
	}
}

// writeQuery writes a query record, or a statement error record when the
// reference rejects the query.
func writeQuery(b *strings.Builder, sql string, o Outcome, ordered bool) {
	if o.Err != "" {
		fmt.Fprintf(b, "# The reference fails: %s\n", oneLineComment(o.Err))
		writeStatement(b, sql, true)
		return
	}
	sortMode := "rowsort"
	if ordered {
		sortMode = "nosort"
	}
	fmt.Fprintf(b, "query %s %s\n%s\n----\n", strings.Repeat("T", o.Columns), sortMode, sql)
	// The runner sorts what the engine returns, not the expected lines:
	// those must already be in rowsort order.
	rows := make([][]string, len(o.Values))
	for i, row := range o.Values {
		for _, v := range row {
			text, err := render.Value(v, 'T')
			if err != nil {
				text = "cannot render: " + err.Error()
			}
			rows[i] = append(rows[i], text)
		}
	}
	if !ordered {
		slices.SortFunc(rows, slices.Compare)
	}
	for _, row := range rows {
		for _, text := range row {
			b.WriteString(text + "\n")
		}
	}
	b.WriteString("\n")
}

func oneLineComment(s string) string { return strings.Join(strings.Fields(s), " ") }
