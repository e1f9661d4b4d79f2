package difftest

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Engine is a named way to open fresh, empty databases.
type Engine struct {
	Name string
	Open func() (*sql.DB, error)
}

// Outcome is what one statement or query did on one engine.
type Outcome struct {
	Err     string   // the error; "" when it succeeded
	Columns int      // number of result columns
	Rows    []string // each row as canonical text: storage class and value
	Values  [][]any  // the raw values, for writing repros
}

// probeOutcome holds a probe's query and, with a partition, its
// partitioned form.
type probeOutcome struct {
	Plain, Partitioned Outcome
}

// caseOutcome is a case's run on one engine.
type caseOutcome struct {
	Broken string // set when the engine could not run the case at all
	Setup  []Outcome
	Probes []probeOutcome
}

// canonical writes a value with its storage class, so that 1, 1.0, '1'
// and x'31' all differ: the comparison covers types as well as values.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return "int:" + strconv.FormatInt(x, 10)
	case float64:
		return "real:" + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "text:" + strconv.Quote(x)
	case []byte:
		return "blob:x'" + hex.EncodeToString(x) + "'"
	}
	return fmt.Sprintf("%T:%v", v, v)
}

// runCase runs setup statements and probes on a fresh database of eng. The
// whole case runs on its own goroutine: a panic or a hang becomes Broken
// instead of ending the caller.
func runCase(eng Engine, setup []string, probes []Probe, timeout time.Duration) caseOutcome {
	done := make(chan caseOutcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- caseOutcome{Broken: fmt.Sprintf("panic: %v\n%s", p, debug.Stack())}
			}
		}()
		done <- runCaseUnguarded(eng, setup, probes, timeout)
	}()
	select {
	case out := <-done:
		return out
	case <-time.After(timeout):
		return caseOutcome{Broken: fmt.Sprintf("timeout: the case did not finish within %v", timeout)}
	}
}

func runCaseUnguarded(eng Engine, setup []string, probes []Probe, timeout time.Duration) caseOutcome {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	db, err := eng.Open()
	if err != nil {
		return caseOutcome{Broken: "open: " + err.Error()}
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return caseOutcome{Broken: "connect: " + err.Error()}
	}
	defer conn.Close()
	var out caseOutcome
	for _, stmt := range setup {
		var o Outcome
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			o.Err = err.Error()
		}
		out.Setup = append(out.Setup, o)
	}
	for _, p := range probes {
		po := probeOutcome{Plain: query(ctx, conn, p.Query.SQL())}
		if p.Partition != nil {
			po.Partitioned = query(ctx, conn, p.Query.PartitionedSQL(p.Partition))
		}
		out.Probes = append(out.Probes, po)
	}
	return out
}

// query runs one query; an error at any point, stepping included, is the
// outcome's error.
func query(ctx context.Context, conn *sql.Conn, sqlText string) (out Outcome) {
	defer func() {
		if p := recover(); p != nil {
			out = Outcome{Err: fmt.Sprintf("panic: %v", p)}
		}
	}()
	rows, err := conn.QueryContext(ctx, sqlText)
	if err != nil {
		return Outcome{Err: err.Error()}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return Outcome{Err: err.Error()}
	}
	out.Columns = len(cols)
	raw := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return Outcome{Err: err.Error()}
		}
		row := make([]string, len(raw))
		for i, v := range raw {
			row[i] = canonical(v)
		}
		out.Rows = append(out.Rows, strings.Join(row, ", "))
		out.Values = append(out.Values, slices.Clone(raw))
	}
	if err := rows.Err(); err != nil {
		return Outcome{Err: err.Error()}
	}
	return out
}

// compareOutcomes describes how got (the engine under test) differs from
// want (the reference), or returns "". Errors match when both failed; rows
// compare in order when ordered, else as multisets.
func compareOutcomes(got, want Outcome, ordered bool) string {
	switch {
	case got.Err != "" && want.Err != "":
		return ""
	case got.Err != "":
		return "error: " + firstLine(got.Err) + "; the reference succeeds"
	case want.Err != "":
		return "succeeds; the reference fails: " + firstLine(want.Err)
	case got.Columns != want.Columns:
		return fmt.Sprintf("%d columns; the reference has %d", got.Columns, want.Columns)
	}
	if !ordered {
		return compareMultisets(got.Rows, want.Rows)
	}
	if !slices.Equal(got.Rows, want.Rows) {
		if compareMultisets(got.Rows, want.Rows) == "" {
			return "same rows in a different order: " + summarize(got.Rows) + "; reference: " + summarize(want.Rows)
		}
		return compareMultisets(got.Rows, want.Rows)
	}
	return ""
}

// compareMultisets compares row lists ignoring order, and describes a
// difference by the rows each side has that the other lacks.
func compareMultisets(got, want []string) string {
	count := map[string]int{}
	for _, r := range got {
		count[r]++
	}
	for _, r := range want {
		count[r]--
	}
	var extra, missing []string
	for _, r := range got {
		if count[r] > 0 {
			extra = append(extra, r)
			count[r]--
		}
	}
	for _, r := range want {
		if count[r] < 0 {
			missing = append(missing, r)
			count[r]++
		}
	}
	if len(extra) == 0 && len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%d rows (reference: %d); extra %s, missing %s",
		len(got), len(want), summarize(extra), summarize(missing))
}

func summarize(rows []string) string {
	const maxRows = 6
	if len(rows) == 0 {
		return "(none)"
	}
	more := ""
	if len(rows) > maxRows {
		more = fmt.Sprintf(" ... (%d rows)", len(rows))
		rows = rows[:maxRows]
	}
	return "[" + strings.Join(rows, " | ") + "]" + more
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
