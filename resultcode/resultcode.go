package resultcode

import (
	"errors"
	"fmt"
)

// Code is an SQLite result code: a primary code in the low byte, optionally
// extended in the higher bits (SQLITE_CONSTRAINT_UNIQUE = 19 | 8<<8 = 2067).
type Code int

// Primary result codes, with SQLite's numbers.
const (
	OK         Code = 0
	Error      Code = 1
	Internal   Code = 2
	Perm       Code = 3
	Abort      Code = 4
	Busy       Code = 5
	Locked     Code = 6
	NoMem      Code = 7
	ReadOnly   Code = 8
	Interrupt  Code = 9
	IOErr      Code = 10
	Corrupt    Code = 11
	NotFound   Code = 12
	Full       Code = 13
	CantOpen   Code = 14
	Protocol   Code = 15
	Empty      Code = 16
	Schema     Code = 17
	TooBig     Code = 18
	Constraint Code = 19
	Mismatch   Code = 20
	Misuse     Code = 21
	NoLFS      Code = 22
	Auth       Code = 23
	Format     Code = 24
	Range      Code = 25
	NotADB     Code = 26
	Notice     Code = 27
	Warning    Code = 28
	Row        Code = 100
	Done       Code = 101
)

// Extended result codes used by Wren.
const (
	IOErrRead         Code = IOErr | 1<<8
	IOErrShortRead    Code = IOErr | 2<<8
	IOErrWrite        Code = IOErr | 3<<8
	IOErrFsync        Code = IOErr | 4<<8
	IOErrTruncate     Code = IOErr | 6<<8
	IOErrFstat        Code = IOErr | 7<<8
	IOErrUnlock       Code = IOErr | 8<<8
	IOErrRdlock       Code = IOErr | 9<<8
	IOErrDelete       Code = IOErr | 10<<8
	IOErrLock         Code = IOErr | 15<<8
	IOErrShmOpen      Code = IOErr | 18<<8
	IOErrShmMap       Code = IOErr | 21<<8
	IOErrMmap         Code = IOErr | 24<<8
	LockedSharedCache Code = Locked | 1<<8
	BusyRecovery      Code = Busy | 1<<8
	BusySnapshot      Code = Busy | 2<<8
	BusyTimeout       Code = Busy | 3<<8
	CantOpenIsDir     Code = CantOpen | 2<<8
	CorruptIndex      Code = Corrupt | 3<<8
	ReadOnlyRollback  Code = ReadOnly | 3<<8
	ReadOnlyDBMoved   Code = ReadOnly | 4<<8
	AbortRollback     Code = Abort | 2<<8

	ConstraintCheck      Code = Constraint | 1<<8
	ConstraintCommitHook Code = Constraint | 2<<8
	ConstraintForeignKey Code = Constraint | 3<<8
	ConstraintFunction   Code = Constraint | 4<<8
	ConstraintNotNull    Code = Constraint | 5<<8
	ConstraintPrimaryKey Code = Constraint | 6<<8
	ConstraintTrigger    Code = Constraint | 7<<8
	ConstraintUnique     Code = Constraint | 8<<8
	ConstraintVTab       Code = Constraint | 9<<8
	ConstraintRowID      Code = Constraint | 10<<8
	ConstraintPinned     Code = Constraint | 11<<8
	ConstraintDataType   Code = Constraint | 12<<8
)

// Primary returns the primary code of an extended one.
func (c Code) Primary() Code { return c & 0xff }

// Message is SQLite's text for the code (sqlite3_errstr).
func (c Code) Message() string {
	switch c.Primary() {
	case OK:
		return "not an error"
	case Error:
		return "SQL logic error"
	case Internal:
		return "internal error"
	case Perm:
		return "access permission denied"
	case Abort:
		if c == AbortRollback {
			return "abort due to ROLLBACK"
		}
		return "query aborted"
	case Busy:
		if c == BusyRecovery {
			return "database is locked"
		}
		return "database is locked"
	case Locked:
		return "database table is locked"
	case NoMem:
		return "out of memory"
	case ReadOnly:
		return "attempt to write a readonly database"
	case Interrupt:
		return "interrupted"
	case IOErr:
		return "disk I/O error"
	case Corrupt:
		return "database disk image is malformed"
	case NotFound:
		return "unknown operation"
	case Full:
		return "database or disk is full"
	case CantOpen:
		return "unable to open database file"
	case Protocol:
		return "locking protocol"
	case Schema:
		return "database schema has changed"
	case TooBig:
		return "string or blob too big"
	case Constraint:
		return "constraint failed"
	case Mismatch:
		return "datatype mismatch"
	case Misuse:
		return "bad parameter or other API misuse"
	case NoLFS:
		return "large file support is disabled"
	case Auth:
		return "authorization denied"
	case Range:
		return "column index out of range"
	case NotADB:
		return "file is not a database"
	case Row:
		return "another row available"
	case Done:
		return "no more rows available"
	}
	return "unknown error"
}

func (c Code) String() string { return fmt.Sprintf("%s (%d)", c.Message(), int(c)) }

// E is an error carrying a result code. Msg, when set, replaces the code's
// standard message (SQLite's "UNIQUE constraint failed: t.a", "no such
// table: x"); Err is an underlying cause such as an OS error.
type E struct {
	Code Code
	Msg  string
	Err  error
}

func (e *E) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = e.Code.Message()
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *E) Unwrap() error { return e.Err }

// Is makes errors.Is(err, resultcode.ErrCorrupt) true for any *E whose
// primary code matches the sentinel's, and errors.Is(err, &E{Code: ext})
// match an exact extended code.
func (e *E) Is(target error) bool {
	t, ok := target.(*E)
	if !ok {
		return false
	}
	if t.Code == t.Code.Primary() {
		return e.Code.Primary() == t.Code
	}
	return e.Code == t.Code
}

// New returns an error with the code and a message (SQLite's wording).
func New(code Code, msg string) error { return &E{Code: code, Msg: msg} }

// Errorf formats the message.
func Errorf(code Code, format string, args ...any) error {
	return &E{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code to an underlying cause (an OS error, say).
func Wrap(code Code, cause error) error { return &E{Code: code, Err: cause} }

// Sentinels for errors.Is. They compare by primary code.
var (
	ErrError      = &E{Code: Error}
	ErrInternal   = &E{Code: Internal}
	ErrPerm       = &E{Code: Perm}
	ErrAbort      = &E{Code: Abort}
	ErrBusy       = &E{Code: Busy}
	ErrLocked     = &E{Code: Locked}
	ErrNoMem      = &E{Code: NoMem}
	ErrReadOnly   = &E{Code: ReadOnly}
	ErrInterrupt  = &E{Code: Interrupt}
	ErrIO         = &E{Code: IOErr}
	ErrCorrupt    = &E{Code: Corrupt}
	ErrFull       = &E{Code: Full}
	ErrCantOpen   = &E{Code: CantOpen}
	ErrProtocol   = &E{Code: Protocol}
	ErrSchema     = &E{Code: Schema}
	ErrTooBig     = &E{Code: TooBig}
	ErrConstraint = &E{Code: Constraint}
	ErrMismatch   = &E{Code: Mismatch}
	ErrMisuse     = &E{Code: Misuse}
	ErrRange      = &E{Code: Range}
	ErrNotADB     = &E{Code: NotADB}
)

// Of returns the result code carried by err: the code of the outermost *E in
// its chain, Error for any other non-nil error, OK for nil.
func Of(err error) Code {
	if err == nil {
		return OK
	}
	var e *E
	if errors.As(err, &e) {
		return e.Code
	}
	return Error
}
