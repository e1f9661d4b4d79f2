package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wrendb/wren"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/parser/ast"
)

// shell is one run of the program: the open database, the output
// settings the dot-commands change, and where output goes.
type shell struct {
	stdout, stderr io.Writer
	out            io.Writer // current output: stdout, or a file from .output/.once
	outFile        *os.File
	once           bool // outFile is from .once: close it after the next command
	onceArmed      bool // .once just ran: the next command is the one it redirects

	db       *sql.DB
	conn     *sql.Conn // one connection, so that :memory: and temp tables persist
	dbPath   string    // as given on the command line or to .open ("" for :memory:)
	readonly bool

	set     settings
	bail    bool
	timer   bool
	changes bool
	echo    bool
	eqp     bool
	explain string // "auto" (default), "on" or "off"

	interactive bool // reading a terminal: errors without "near line N"
	progressOn  bool // .import may draw a progress bar on stderr
	argMode     bool // running SQL given as arguments: errors as "Error: in prepare, ..."

	lineno   int // line number in the current input
	errCount int
	lastCode int // result code of the last failed statement

	mu          sync.Mutex
	cancel      context.CancelFunc // cancels the running statement (Ctrl-C)
	interrupted atomic.Bool        // Ctrl-C was pressed: a script stops
}

func newShell(stdout, stderr io.Writer) *shell {
	return &shell{stdout: stdout, stderr: stderr, out: stdout, set: defaultSettings(), explain: "auto"}
}

// open opens path (":memory:" or "" for a private in-memory database).
// A database that does not exist yet is created in rollback-journal mode,
// as sqlite3 creates it, rather than Wren's default of WAL.
func (s *shell) open(path string) error {
	s.closeDB()
	// _time_text=1: show DATE/DATETIME/TIMESTAMP columns as stored, as
	// sqlite3 does, rather than as the driver's time.Time.
	dsn := ":memory:?_time_text=1"
	if path != "" && path != ":memory:" {
		q := []string{"_time_text=1"}
		if s.readonly {
			q = append(q, "mode=ro")
		} else if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			q = append(q, "_pragma=journal_mode(delete)")
		}
		dsn = "file:" + escapePath(path) + "?" + strings.Join(q, "&")
	}
	db, err := sql.Open(wren.DriverName, dsn)
	if err != nil {
		return err
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		return err
	}
	s.db, s.conn, s.dbPath = db, conn, path
	return nil
}

// escapePath makes a file name safe inside a file: URI.
func escapePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}

func (s *shell) closeDB() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	if s.db != nil {
		s.db.Close()
		s.db = nil
	}
}

// ensureOpen opens the default in-memory database on first use.
func (s *shell) ensureOpen() error {
	if s.conn != nil {
		return nil
	}
	return s.open(s.dbPath)
}

// interrupt cancels the running statement, if any; it reports whether
// there was one.
func (s *shell) interrupt() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
		return true
	}
	return false
}

// catchInterrupts turns SIGINT (Ctrl-C) into cancelling the running
// statement. On a terminal the shell then carries on; reading a script it
// stops after the interrupted statement, as sqlite3 does. A Ctrl-C with
// no statement running ends a script at once.
func (s *shell) catchInterrupts() (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for range sigs {
			s.interrupted.Store(true)
			if !s.interrupt() && !s.interactive {
				s.flushStdout()
				os.Exit(130)
			}
		}
	}()
	return func() { signal.Stop(sigs); close(sigs) }
}

func (s *shell) statementContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		cancel()
	}
}

// sqlError is an error to print in sqlite3's words: kind is "Parse error"
// (the statement could not be prepared) or "Runtime error" (it failed
// while running); context is the excerpt pointing at the error, if known.
type sqlError struct {
	kind    string
	msg     string
	context string
	code    int    // SQLite's primary result code; sqlite3 exits with it in argument mode
	plain   string // the message without the code, as dot-commands print it
}

func (e *sqlError) Error() string { return e.msg }

// engineError turns an error from database/sql into the message sqlite3
// prints: SQLite's message, with the result code after it when it is not
// plain SQLITE_ERROR.
func engineError(kind string, err error) *sqlError {
	var we *wren.Error
	if errors.As(err, &we) {
		msg := we.Msg
		if msg == "" {
			msg = we.Error()
		}
		if errors.Is(err, context.Canceled) || we.Code == 9 {
			return &sqlError{kind: kind, msg: "interrupted (9)", code: 9}
		}
		if we.Code == 1 {
			// sqlite3 names plain SQLITE_ERROR without its code, whether
			// preparing or running the statement raised it.
			return &sqlError{kind: kind, msg: msg, code: 1, plain: msg}
		}
		if kind == "Parse error" {
			kind = "Runtime error"
		}
		return &sqlError{kind: kind, msg: fmt.Sprintf("%s (%d)", msg, int(we.Code)), code: int(we.Code), plain: msg}
	}
	if errors.Is(err, context.Canceled) {
		return &sqlError{kind: kind, msg: "interrupted (9)", code: 9}
	}
	return &sqlError{kind: kind, msg: err.Error()}
}

// errorContext is sqlite3's excerpt of a statement around a parse error:
// the statement (from about 50 bytes before the error, at most 78 bytes,
// whitespace shown as spaces) and a marker under the error.
func errorContext(sql string, offset int) string {
	if offset < 0 || offset > len(sql) {
		return ""
	}
	for offset > 50 {
		offset--
		sql = sql[1:]
		for len(sql) > 0 && sql[0]&0xc0 == 0x80 {
			sql = sql[1:]
			offset--
		}
	}
	n := len(sql)
	if n > 78 {
		n = 78
		for n > 0 && sql[n]&0xc0 == 0x80 {
			n--
		}
	}
	code := []byte(sql[:n])
	for i, c := range code {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
			code[i] = ' '
		}
	}
	if offset < 25 {
		return "\n  " + string(code) + "\n  " + strings.Repeat(" ", max(offset, 0)) + "^--- error here"
	}
	return "\n  " + string(code) + "\n  " + strings.Repeat(" ", offset-14) + "error here ---^"
}

func trimLeftSpace(s string) string {
	return strings.TrimLeft(s, " \t\n\r\f\v")
}

// runSQL runs the statements of buf, which starts on line startLine of
// the input, and reports the first error as sqlite3 does. It returns false
// after an error.
func (s *shell) runSQL(buf string, startLine int) bool {
	s.echoInput(buf)
	if err := s.ensureOpen(); err != nil {
		fmt.Fprintf(s.stderr, "Error: unable to open database \"%s\": %v\n", s.dbPath, err)
		s.errCount++
		return false
	}
	start := time.Now()
	usage := processTimes()
	err := s.execScript(buf)
	if s.timer {
		s.printTimer(start, usage)
	}
	if err != nil {
		s.reportSQLError(err, startLine)
		s.errCount++
		s.lastCode = 1
		var se *sqlError
		if errors.As(err, &se) && se.code > 1 {
			s.lastCode = se.code
		}
		return false
	}
	if s.changes {
		s.printChanges()
	}
	return true
}

func (s *shell) reportSQLError(err error, startLine int) {
	var se *sqlError
	if !errors.As(err, &se) {
		se = &sqlError{kind: "Error", msg: err.Error()}
	}
	switch {
	case s.argMode:
		phase := "in prepare, "
		if se.kind == "Runtime error" {
			phase = "stepping, "
		}
		fmt.Fprintf(s.stderr, "Error: %s%s%s\n", phase, se.msg, se.context)
	case s.interactive:
		fmt.Fprintf(s.stderr, "%s: %s%s\n", se.kind, se.msg, se.context)
	default:
		fmt.Fprintf(s.stderr, "%s near line %d: %s%s\n", se.kind, startLine, se.msg, se.context)
	}
}

// execScript runs every statement of sql in turn, stopping at the first
// error.
func (s *shell) execScript(sql string) error {
	rest := sql
	for {
		rest = trimLeftSpace(rest)
		if rest == "" {
			return nil
		}
		stmt, tail, err := parser.Parse(rest)
		if err != nil {
			var pe *parser.Error
			ctx := ""
			if errors.As(err, &pe) {
				ctx = errorContext(rest, pe.Offset)
			}
			return &sqlError{kind: "Parse error", msg: err.Error(), context: ctx}
		}
		if stmt == nil {
			return nil
		}
		text := rest[:len(rest)-len(tail)]
		if err := s.execStatement(text, stmt); err != nil {
			return err
		}
		rest = tail
	}
}

// execStatement runs one statement and prints its rows in the current
// mode.
func (s *shell) execStatement(text string, stmt ast.Stmt) error {
	if s.eqp {
		if _, isExplain := stmt.(*ast.Explain); !isExplain {
			s.printQueryPlan(text)
		}
	}
	ctx, done := s.statementContext()
	defer done()
	// Prepared apart from running, so that an error says which of the two
	// failed, as sqlite3's "Parse error" and "Runtime error" do.
	prepared, err := s.conn.PrepareContext(ctx, text)
	if err != nil {
		e := engineError("Parse error", err)
		if off := nameErrorOffset(stmt, e.msg); off >= 0 {
			e.context = errorContext(text, off)
		}
		return e
	}
	defer prepared.Close()
	rows, err := prepared.QueryContext(ctx)
	if err != nil {
		return engineError("Runtime error", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return engineError("Runtime error", err)
	}
	if len(cols) == 0 {
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			return engineError("Runtime error", err)
		}
		return nil
	}
	if ex, ok := stmt.(*ast.Explain); ok && s.explain != "off" {
		return s.printExplain(rows, cols, ex)
	}
	r := newRenderer(s.out, &s.set, cols)
	if err := s.eachRow(rows, len(cols), r.row); err != nil {
		r.end()
		return err
	}
	r.end()
	return nil
}

// eachRow scans every row of rows into values for fn.
func (s *shell) eachRow(rows *sql.Rows, ncol int, fn func([]value)) error {
	raw := make([]any, ncol)
	ptrs := make([]any, ncol)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	vals := make([]value, ncol)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return engineError("Runtime error", err)
		}
		for i, v := range raw {
			vals[i] = valueOf(v)
		}
		fn(vals)
	}
	if err := rows.Err(); err != nil {
		return engineError("Runtime error", err)
	}
	return nil
}

// queryValues runs a query for the shell's own use (dot-commands) and
// returns every row.
func (s *shell) queryValues(query string, args ...any) ([][]value, error) {
	if err := s.ensureOpen(); err != nil {
		return nil, err
	}
	ctx, done := s.statementContext()
	defer done()
	rows, err := s.conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, engineError("Parse error", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]value
	err = s.eachRow(rows, len(cols), func(v []value) {
		out = append(out, append([]value(nil), v...))
	})
	return out, err
}

func (s *shell) printChanges() {
	rows, err := s.queryValues("SELECT changes(), total_changes()")
	if err != nil || len(rows) != 1 || len(rows[0]) != 2 {
		return
	}
	fmt.Fprintf(s.out, "changes: %d   total_changes: %d\n", rows[0][0].i, rows[0][1].i)
}

func (s *shell) printTimer(start time.Time, before cpuTimes) {
	after := processTimes()
	fmt.Fprintf(s.out, "Run Time: real %.3f user %f sys %f\n",
		time.Since(start).Seconds(), (after.user - before.user).Seconds(), (after.sys - before.sys).Seconds())
}

// echoInput prints input as it is run, for .echo on.
func (s *shell) echoInput(text string) {
	if s.echo {
		fmt.Fprintln(s.out, text)
	}
}

// flushStdout writes out buffered results (before a prompt, and before
// the shell waits for input).
func (s *shell) flushStdout() {
	if f, ok := s.stdout.(interface{ Flush() error }); ok {
		f.Flush()
	}
}
