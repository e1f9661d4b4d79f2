package slt

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/wrendb/wren/sqltests/render"
)

// DefaultEngine is the name skipif/onlyif lines are compared with: the
// corpus was written for SQLite, and Wren answers to SQLite's name.
const DefaultEngine = "sqlite"

// DefaultRecordTimeout bounds one record. The slowest record of the corpus
// takes well under a second on SQLite.
const DefaultRecordTimeout = time.Minute

// Options configure a run. The zero value runs as the reference harness.
type Options struct {
	// Engine is matched against skipif/onlyif; DefaultEngine when empty.
	Engine string
	// RecordTimeout bounds each record; DefaultRecordTimeout when zero.
	RecordTimeout time.Duration
}

// Failure kinds, as reported in Failure.Kind.
const (
	FailStatement  = "statement"  // statement ok failed, or statement error succeeded
	FailQuery      = "query"      // wrong result, wrong column count, or prepare error
	FailLabel      = "label"      // right result, but not the hash its label had before
	FailInvalid    = "invalid"    // a record the format does not define
	FailConnection = "connection" // no connection to run the file on
	FailPanic      = "panic"      // the driver panicked
	FailTimeout    = "timeout"    // the record, or one before it in the file, hung
)

// Failure describes one failing record.
type Failure struct {
	Line     int
	Kind     string
	SQL      string
	Expected []string // expected lines, for queries
	Got      []string // lines the engine produced, for queries
	Err      string   // the error, or what went wrong
}

// Result summarises one script.
type Result struct {
	// Records counts statement and query records, run or skipped, which
	// is how the corpus README counts them, plus invalid records.
	Records int
	// Run counts executed records: statements, queries and invalid
	// records. Passed + Failed == Run.
	Run, Passed, Failed int
	// Skipped counts statements and queries guarded out by skipif/onlyif.
	Skipped int
	// Failures lists failing records in file order.
	Failures []Failure
	// Executed lists the line of every executed record, in file order,
	// so that callers can tell which records passed.
	Executed []int
	// Halted is set when a halt record (or an invalid record) stopped the
	// file early.
	Halted bool
	// Abandoned is set when a record hung: its connection is still busy,
	// so the database must not be closed (closing would wait for it).
	Abandoned bool
	Duration  time.Duration
}

// CountFailures returns the number of failures of one kind.
func (r *Result) CountFailures(kind string) int {
	n := 0
	for _, f := range r.Failures {
		if f.Kind == kind {
			n++
		}
	}
	return n
}

// Opener makes a fresh, empty database.
type Opener func() (*sql.DB, error)

// RunFile reads the script at path and runs it on a database from open.
// The error is for a file that cannot be read; everything that goes wrong
// while running is in the Result.
func RunFile(ctx context.Context, open Opener, path string, opts Options) (Result, error) {
	script, err := os.ReadFile(path)
	if err != nil {
		return Result{}, err
	}
	db, err := open()
	if err != nil {
		return RunScript(ctx, nil, err, script, opts), nil
	}
	res := RunScript(ctx, db, nil, script, opts)
	if !res.Abandoned {
		db.Close()
	}
	return res, nil
}

// RunScript runs a script's records in order on one connection of db. When
// db is nil, openErr says why there is no database, and every executed
// record fails with it.
func RunScript(ctx context.Context, db *sql.DB, openErr error, script []byte, opts Options) Result {
	start := time.Now()
	if opts.Engine == "" {
		opts.Engine = DefaultEngine
	}
	if opts.RecordTimeout <= 0 {
		opts.RecordTimeout = DefaultRecordTimeout
	}
	s := scriptRun{opts: opts, threshold: DefaultHashThreshold, labels: map[string]string{}}
	if db != nil {
		conn, err := connect(ctx, db)
		if err != nil {
			openErr = err
		} else {
			s.conn = conn
			defer func() {
				if !s.stuck {
					conn.Close()
				}
			}()
		}
	}
	if s.conn == nil {
		s.stuckErr = fmt.Sprintf("no connection: %v", openErr)
		s.stuckKind = FailConnection
	}
	s.timer = time.NewTimer(time.Hour)
	defer s.timer.Stop()
	for _, rec := range Parse(script) {
		if !s.step(ctx, rec) {
			s.res.Halted = true
			break
		}
	}
	s.res.Duration = time.Since(start)
	return s.res
}

// connect gets the connection a script runs on; a driver that panics while
// connecting gives an error instead.
func connect(ctx context.Context, db *sql.DB) (conn *sql.Conn, err error) {
	defer func() {
		if p := recover(); p != nil {
			conn, err = nil, fmt.Errorf("panic while connecting: %v", p)
		}
	}()
	return db.Conn(ctx)
}

// scriptRun is the state of one script's run.
type scriptRun struct {
	opts      Options
	conn      *sql.Conn
	threshold int
	labels    map[string]string // label -> hash of the first query with it
	timer     *time.Timer
	res       Result

	// Once a record hangs, its connection is in use for good: stuck is
	// set, and every later record fails with stuckKind and stuckErr. The
	// same path fails every record when there is no connection at all.
	stuck     bool
	stuckKind string
	stuckErr  string
}

// step handles one record and reports whether to go on with the file.
func (s *scriptRun) step(ctx context.Context, rec Record) bool {
	isTest := rec.Kind == KindStatement || rec.Kind == KindQuery
	if rec.Skipped(s.opts.Engine) {
		if isTest {
			s.res.Records++
			s.res.Skipped++
		}
		// A skipped labelled query still speaks for its label, through
		// its expected text: it is another engine's spelling of the
		// same logical query.
		if rec.Kind == KindQuery && rec.Label != "" {
			if _, seen := s.labels[rec.Label]; !seen {
				s.labels[rec.Label] = expectedHash(rec.Expected)
			}
		}
		return true
	}
	switch rec.Kind {
	case KindHashThreshold:
		s.threshold = rec.Threshold
		return true
	case KindHalt:
		return false
	case KindInvalid:
		s.res.Records++
		s.record(rec, &Failure{Line: rec.Line, Kind: FailInvalid, Err: rec.Invalid})
		return false
	}
	s.res.Records++
	if s.conn == nil || s.stuck {
		s.record(rec, &Failure{Line: rec.Line, Kind: s.stuckKind, SQL: rec.SQL, Err: s.stuckErr})
		return true
	}
	out, finished := s.runGuarded(ctx, rec)
	if !finished {
		s.stuck = true
		s.res.Abandoned = true
		s.stuckKind = FailTimeout
		s.stuckErr = fmt.Sprintf("abandoned: the record at line %d did not finish within %v", rec.Line, s.opts.RecordTimeout)
		s.record(rec, &Failure{Line: rec.Line, Kind: FailTimeout, SQL: rec.SQL,
			Err: fmt.Sprintf("did not finish within %v", s.opts.RecordTimeout)})
		return true
	}
	failure := out.failure
	if failure == nil && out.hashed && rec.Label != "" {
		if want, seen := s.labels[rec.Label]; seen && want != out.hash {
			failure = &Failure{Line: rec.Line, Kind: FailLabel, SQL: rec.SQL,
				Err: fmt.Sprintf("label %s: result hashes to %s, an earlier query with this label to %s", rec.Label, out.hash, want)}
		}
	}
	if out.hashed && rec.Label != "" {
		if _, seen := s.labels[rec.Label]; !seen {
			s.labels[rec.Label] = out.hash
		}
	}
	s.record(rec, failure)
	return true
}

// record counts an executed record.
func (s *scriptRun) record(rec Record, f *Failure) {
	s.res.Run++
	s.res.Executed = append(s.res.Executed, rec.Line)
	if f == nil {
		s.res.Passed++
		return
	}
	s.res.Failed++
	s.res.Failures = append(s.res.Failures, *f)
}

// outcome is what running one record produced.
type outcome struct {
	failure *Failure
	hashed  bool   // hash is set: the query produced a result
	hash    string // hash of the sorted result values, for labels
}

// runGuarded runs a record on its own goroutine, so that a driver panic
// becomes a failure and a hang becomes a timeout instead of ending the run.
// finished is false when the record is still running after the timeout.
func (s *scriptRun) runGuarded(ctx context.Context, rec Record) (out outcome, finished bool) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.RecordTimeout)
	defer cancel()
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{failure: &Failure{Line: rec.Line, Kind: FailPanic, SQL: rec.SQL,
					Err: fmt.Sprintf("panic: %v\n%s", p, debug.Stack())}}
			}
		}()
		out := s.run(ctx, rec)
		if ctx.Err() != nil {
			// A driver that honours the deadline returns an error, which a
			// query would otherwise take for the end of its result.
			out = outcome{failure: &Failure{Line: rec.Line, Kind: FailTimeout, SQL: rec.SQL,
				Err: fmt.Sprintf("interrupted after %v: %v", s.opts.RecordTimeout, ctx.Err())}}
		}
		done <- out
	}()
	// The watchdog gives a driver that honours the context time to return
	// on its own, so that its connection, still usable, runs the rest of
	// the file.
	s.timer.Reset(s.opts.RecordTimeout + min(s.opts.RecordTimeout/2, 10*time.Second))
	select {
	case out = <-done:
		s.timer.Stop()
		return out, true
	case <-s.timer.C:
		return outcome{}, false
	}
}

// run executes one statement or query record.
func (s *scriptRun) run(ctx context.Context, rec Record) outcome {
	if rec.Kind == KindStatement {
		_, err := s.conn.ExecContext(ctx, rec.SQL)
		switch {
		case err != nil && !rec.ExpectError:
			return outcome{failure: &Failure{Line: rec.Line, Kind: FailStatement, SQL: rec.SQL, Err: err.Error()}}
		case err == nil && rec.ExpectError:
			return outcome{failure: &Failure{Line: rec.Line, Kind: FailStatement, SQL: rec.SQL,
				Err: "statement succeeded; the test expects an error"}}
		}
		return outcome{}
	}
	return s.runQuery(ctx, rec)
}

// runQuery prepares the query's first statement, renders and sorts its
// result and compares it with the expected lines.
func (s *scriptRun) runQuery(ctx context.Context, rec Record) outcome {
	fail := func(format string, args ...any) outcome {
		return outcome{failure: &Failure{Line: rec.Line, Kind: FailQuery, SQL: rec.SQL, Expected: rec.Expected,
			Err: fmt.Sprintf(format, args...)}}
	}
	stmt, err := s.conn.PrepareContext(ctx, rec.SQL)
	if err != nil {
		return fail("prepare: %v", err)
	}
	defer stmt.Close()
	values, err := queryValues(ctx, stmt, rec.Types)
	if err != nil {
		return fail("%v", err)
	}
	if err := sortValues(values, len(rec.Types), rec.SortMode); err != nil {
		return fail("%v", err)
	}
	out := outcome{hashed: true, hash: HashValues(values)}
	got := resultLines(values, s.threshold)
	if !slices.Equal(got, rec.Expected) {
		out.failure = &Failure{Line: rec.Line, Kind: FailQuery, SQL: rec.SQL, Expected: rec.Expected, Got: got,
			Err: "wrong result"}
	}
	return out
}

// errColumnCount marks a result whose width does not match the types.
var errColumnCount = errors.New("column count")

// queryValues runs a prepared query and renders every value. An error while
// stepping is not reported, as in the reference harness: the result just
// ends there (a SELECT whose sum() overflows returns no rows).
func queryValues(ctx context.Context, stmt *sql.Stmt, types string) ([]string, error) {
	rows, err := stmt.QueryContext(ctx)
	if err != nil {
		// Some drivers take the first step inside Query; an error there is
		// a stepping error like any other.
		return nil, nil
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	if len(columns) != len(types) {
		return nil, fmt.Errorf("%w: the query returns %d columns, the test's types %q say %d",
			errColumnCount, len(columns), types, len(types))
	}
	raw := make([]any, len(columns))
	dest := make([]any, len(columns))
	for i := range raw {
		dest[i] = &raw[i]
	}
	var values []string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		for i, v := range raw {
			text, err := render.Value(v, types[i])
			if err != nil {
				return nil, fmt.Errorf("column %d: %w", i+1, err)
			}
			values = append(values, text)
		}
	}
	return values, nil
}

// Summary is the one-line summary the command prints per file.
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d records, %d run, %d passed, %d failed, %d skipped", r.Records, r.Run, r.Passed, r.Failed, r.Skipped)
	if r.Failed > 0 {
		fmt.Fprintf(&b, " (statement %d, query %d, label %d, other %d)",
			r.CountFailures(FailStatement), r.CountFailures(FailQuery), r.CountFailures(FailLabel),
			r.Failed-r.CountFailures(FailStatement)-r.CountFailures(FailQuery)-r.CountFailures(FailLabel))
	}
	fmt.Fprintf(&b, ", %v", r.Duration.Round(time.Millisecond))
	return b.String()
}
