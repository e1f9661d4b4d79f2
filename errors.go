package wren

import (
	"context"
	"errors"
	"time"

	"github.com/wrendb/wren/resultcode"
)

// ErrorCode is an SQLite result code, with SQLite's numbers: a primary code
// in the low byte (SQLITE_CONSTRAINT = 19), optionally extended in the
// higher bits (SQLITE_CONSTRAINT_UNIQUE = 2067). The named constants live
// in package resultcode; comparing with a plain number works too.
type ErrorCode = resultcode.Code

// Error is the error Wren returns for a failure SQLite would report with a
// result code. Its message is SQLite's ("UNIQUE constraint failed: t.a",
// "no such table: t", "database is locked").
//
// errors.Is matches an Error against the sentinels below by primary code
// (errors.Is(err, wren.ErrConstraint)), or by extended code when the
// sentinel has one (errors.Is(err, wren.ErrConstraintUnique)). When a
// context ended the statement, errors.Is(err, context.Canceled) or
// context.DeadlineExceeded is true as well.
type Error struct {
	Code         ErrorCode // primary result code, such as 19 (SQLITE_CONSTRAINT)
	ExtendedCode ErrorCode // extended result code, such as 2067 (SQLITE_CONSTRAINT_UNIQUE); equal to Code when SQLite has no finer one
	Msg          string    // SQLite's message

	cause error // the engine's error, with its internal context
	ctx   error // the context's error, when a context interrupted the statement
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = e.ExtendedCode.Message()
	}
	if e.ctx != nil {
		return msg + ": " + e.ctx.Error()
	}
	return msg
}

// Unwrap exposes the context's error and the engine's error, so that
// errors.Is works with context.Canceled and the resultcode sentinels.
func (e *Error) Unwrap() []error {
	switch {
	case e.ctx != nil && e.cause != nil:
		return []error{e.ctx, e.cause}
	case e.ctx != nil:
		return []error{e.ctx}
	case e.cause != nil:
		return []error{e.cause}
	}
	return nil
}

// Is reports whether target is a sentinel Error with the same code: the
// primary code for a sentinel without an extended code, the exact extended
// code otherwise.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t.ExtendedCode != 0 && t.ExtendedCode != t.Code {
		return e.ExtendedCode == t.ExtendedCode
	}
	return e.Code == t.Code
}

func sentinel(code ErrorCode) *Error {
	return &Error{Code: code.Primary(), ExtendedCode: code, Msg: code.Message()}
}

// Sentinels for errors.Is, one per primary result code Wren reports.
var (
	ErrError      = sentinel(resultcode.Error)      // SQL error or missing database
	ErrInternal   = sentinel(resultcode.Internal)   // an internal logic error
	ErrPerm       = sentinel(resultcode.Perm)       // access permission denied
	ErrAbort      = sentinel(resultcode.Abort)      // the operation was aborted
	ErrBusy       = sentinel(resultcode.Busy)       // the database file is locked
	ErrLocked     = sentinel(resultcode.Locked)     // a table is locked
	ErrNoMem      = sentinel(resultcode.NoMem)      // out of memory
	ErrReadOnly   = sentinel(resultcode.ReadOnly)   // attempt to write a read-only database
	ErrInterrupt  = sentinel(resultcode.Interrupt)  // interrupted (by a context, say)
	ErrIOErr      = sentinel(resultcode.IOErr)      // a disk I/O error
	ErrCorrupt    = sentinel(resultcode.Corrupt)    // the database file is malformed
	ErrFull       = sentinel(resultcode.Full)       // the disk is full
	ErrCantOpen   = sentinel(resultcode.CantOpen)   // unable to open the database file
	ErrProtocol   = sentinel(resultcode.Protocol)   // a locking protocol error
	ErrSchema     = sentinel(resultcode.Schema)     // the schema changed
	ErrTooBig     = sentinel(resultcode.TooBig)     // a string or blob is too big
	ErrConstraint = sentinel(resultcode.Constraint) // a constraint failed
	ErrMismatch   = sentinel(resultcode.Mismatch)   // datatype mismatch
	ErrMisuse     = sentinel(resultcode.Misuse)     // API misuse
	ErrRange      = sentinel(resultcode.Range)      // a parameter index out of range
	ErrNotADB     = sentinel(resultcode.NotADB)     // the file is not a database
)

// Sentinels for the extended constraint codes, which programs most often
// tell apart.
var (
	ErrConstraintCheck      = sentinel(resultcode.ConstraintCheck)      // 275
	ErrConstraintForeignKey = sentinel(resultcode.ConstraintForeignKey) // 787
	ErrConstraintNotNull    = sentinel(resultcode.ConstraintNotNull)    // 1299
	ErrConstraintPrimaryKey = sentinel(resultcode.ConstraintPrimaryKey) // 1555
	ErrConstraintUnique     = sentinel(resultcode.ConstraintUnique)     // 2067
	ErrConstraintRowID      = sentinel(resultcode.ConstraintRowID)      // 2579
)

// convertError turns an engine error into an *Error. ctx is the context
// the statement ran under: when it has ended, an interruption or a lock
// wait cut short is reported as the context's error too.
func convertError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var we *Error
	if errors.As(err, &we) {
		return err
	}
	e := &Error{cause: err}
	var rc *resultcode.E
	if errors.As(err, &rc) {
		e.ExtendedCode = rc.Code
		e.Msg = rc.Msg
	} else {
		e.ExtendedCode = resultcode.Error
		e.Msg = err.Error()
	}
	e.Code = e.ExtendedCode.Primary()
	if e.Msg == "" {
		e.Msg = e.ExtendedCode.Message()
	}
	if ctx != nil && (e.Code == resultcode.Interrupt || e.Code == resultcode.Busy) {
		e.ctx = endedContext(ctx)
	}
	return e
}

// endedContext returns ctx's error, or context.DeadlineExceeded when the
// deadline has passed but the context's timer has not fired yet (a busy
// machine runs it late): a lock wait cut short at the deadline must say
// so either way.
func endedContext(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// contextError reports a context that ended before a statement started, in
// the shape of an interrupted statement.
func contextError(cerr error) error {
	return &Error{Code: resultcode.Interrupt, ExtendedCode: resultcode.Interrupt, Msg: "interrupted", ctx: cerr}
}
