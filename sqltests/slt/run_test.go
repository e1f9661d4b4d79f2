package slt

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/sqltests/drivers"
)

func openReference() (*sql.DB, error) { return drivers.Open(drivers.Reference) }

// failed is one expected failure: the line of the record and its kind.
type failed struct {
	Line int
	Kind string
}

func failuresOf(r Result) []failed {
	var out []failed
	for _, f := range r.Failures {
		out = append(out, failed{f.Line, f.Kind})
	}
	return out
}

// TestRunnerScripts runs the synthetic scripts of testdata/runner on the
// reference SQLite. Most pass entirely, which shows that the runner renders,
// sorts and hashes as the corpus expects; the others plant failures, which
// must be found on exactly the planted lines.
func TestRunnerScripts(t *testing.T) {
	tests := []struct {
		file              string
		run, passed, skip int
		records           int
		halted            bool
		failures          []failed
	}{
		{file: "basic.test", records: 16, run: 16, passed: 16},
		{file: "crlf.test", records: 16, run: 16, passed: 16},
		{file: "sorting.test", records: 5, run: 5, passed: 5},
		{file: "hashing.test", records: 5, run: 5, passed: 5},
		{file: "conditionals.test", records: 6, run: 3, passed: 3, skip: 3},
		{file: "halt.test", records: 1, run: 1, passed: 1, halted: true},
		{file: "labels.test", records: 5, run: 4, passed: 3, skip: 1,
			failures: []failed{{28, FailLabel}}},
		{file: "invalid.test", records: 2, run: 2, passed: 1, halted: true,
			failures: []failed{{6, FailInvalid}}},
		{file: "failures.test", records: 11, run: 11, passed: 3, failures: []failed{
			{8, FailQuery},      // wrong value
			{14, FailStatement}, // statement ok that fails
			{17, FailStatement}, // statement error that succeeds
			{20, FailQuery},     // column count
			{26, FailQuery},     // prepare error
			{31, FailQuery},     // too many rows
			{36, FailQuery},     // too few rows
			{43, FailQuery},     // unknown sort mode
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := RunFile(context.Background(), openReference, filepath.Join("..", "testdata", "runner", tt.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := struct {
				Records, Run, Passed, Failed, Skipped int
				Halted                                bool
				Failures                              []failed
			}{res.Records, res.Run, res.Passed, res.Failed, res.Skipped, res.Halted, failuresOf(res)}
			want := got
			want.Records, want.Run, want.Passed, want.Failed, want.Skipped = tt.records, tt.run, tt.passed, tt.run-tt.passed, tt.skip
			want.Halted, want.Failures = tt.halted, tt.failures
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
				for _, f := range res.Failures {
					t.Logf("failure at line %d (%s): %s", f.Line, f.Kind, f.Err)
				}
			}
		})
	}
}

// TestRunnerWithoutConnection: when no connection can be made, every
// executed record fails, and skipped ones are still counted as skipped.
func TestRunnerWithoutConnection(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "testdata", "runner", "conditionals.test"))
	if err != nil {
		t.Fatal(err)
	}
	res := RunScript(context.Background(), nil, errors.New("no engine"), script, Options{})
	if res.Run != 3 || res.Failed != 3 || res.Skipped != 3 || res.CountFailures(FailConnection) != 3 {
		t.Errorf("got run %d failed %d skipped %d (%d connection failures); want 3, 3, 3, 3",
			res.Run, res.Failed, res.Skipped, res.CountFailures(FailConnection))
	}
}

// misbehavingDriver panics or hangs on Exec of particular statements, to
// show that one bad record does not take the run down.
type misbehavingDriver struct{}

type misbehavingConn struct{}

func (misbehavingDriver) Open(string) (driver.Conn, error) { return misbehavingConn{}, nil }

func (misbehavingConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("no queries") }
func (misbehavingConn) Close() error                        { return nil }
func (misbehavingConn) Begin() (driver.Tx, error)           { return nil, errors.New("no transactions") }

func (misbehavingConn) ExecContext(ctx context.Context, query string, _ []driver.NamedValue) (driver.Result, error) {
	switch query {
	case "PANIC":
		panic("driver bug")
	case "HANG":
		select {} // ignores its context, as a buggy engine might
	}
	return driver.RowsAffected(0), nil
}

func init() { sql.Register("slt-misbehaving", misbehavingDriver{}) }

func TestRunnerSurvivesPanicAndHang(t *testing.T) {
	script := []byte("statement ok\nFINE\n\nstatement ok\nPANIC\n\nstatement ok\nFINE\n\n" +
		"statement ok\nHANG\n\nstatement ok\nFINE\n")
	db, err := drivers.OpenDSN("slt-misbehaving", "")
	if err != nil {
		t.Fatal(err)
	}
	res := RunScript(context.Background(), db, nil, script, Options{RecordTimeout: 200 * time.Millisecond})
	want := []failed{{4, FailPanic}, {10, FailTimeout}, {13, FailTimeout}}
	if diff := cmp.Diff(want, failuresOf(res)); diff != "" {
		t.Errorf("failures mismatch (-want +got):\n%s", diff)
	}
	if res.Run != 5 || res.Passed != 2 || !res.Abandoned {
		t.Errorf("run %d passed %d abandoned %v; want 5, 2, true", res.Run, res.Passed, res.Abandoned)
	}
}

// panickyDriver panics as soon as a connection is asked for.
type panickyDriver struct{}

func (panickyDriver) Open(string) (driver.Conn, error) { panic("cannot even connect") }

func init() { sql.Register("slt-panicky", panickyDriver{}) }

func TestRunnerSurvivesPanicWhileConnecting(t *testing.T) {
	db, err := drivers.OpenDSN("slt-panicky", "")
	if err != nil {
		t.Fatal(err)
	}
	res := RunScript(context.Background(), db, nil, []byte("statement ok\nSELECT 1\n"), Options{})
	if res.Failed != 1 || res.CountFailures(FailConnection) != 1 {
		t.Errorf("got %s; want the one record failed for want of a connection", res.Summary())
	}
}

// TestRunnerInterruptsSlowQuery: a query that outlives its time limit on a
// driver that honours the context fails (it must not pass as an empty
// result), and the file goes on on the same connection.
func TestRunnerInterruptsSlowQuery(t *testing.T) {
	script := []byte("query I\n" +
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c WHERE x < 0\n\n" +
		"query I\nSELECT 1\n----\n1\n")
	db, err := openReference()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res := RunScript(context.Background(), db, nil, script, Options{RecordTimeout: 100 * time.Millisecond})
	if diff := cmp.Diff([]failed{{1, FailTimeout}}, failuresOf(res)); diff != "" {
		t.Errorf("failures mismatch (-want +got):\n%s", diff)
	}
	if res.Passed != 1 || res.Abandoned {
		t.Errorf("passed %d, abandoned %v; want the next record to run and pass", res.Passed, res.Abandoned)
	}
}
