// Package wren is an SQLite-compatible SQL database engine written in pure Go
// (no cgo), used through database/sql. It reads and writes SQLite 3 database
// files and speaks SQLite's SQL with SQLite's semantics.
//
// # Basics
//
// Importing the package registers the driver as "wren":
//
//	import (
//		"database/sql"
//
//		_ "github.com/wrendb/wren"
//	)
//
//	db, err := sql.Open("wren", "file:app.db?_pragma=foreign_keys(1)")
//
// From there everything is database/sql: Exec, Query, QueryRow, Prepare,
// BeginTx, with contexts. Parameters are SQLite's: positional ? and ?NNN,
// and named :name, @name and $name, bound with sql.Named("name", v). An Exec
// of several statements separated by semicolons runs them all, binding the
// arguments in order, which is what migration tools expect.
//
// # Data source names
//
// A DSN is a file path, ":memory:", or an SQLite URI such as
// "file:app.db?mode=ro". The parameters are SQLite's mode (ro, rw, rwc,
// memory), immutable and cache, and Wren's _pragma (repeatable:
// _pragma=busy_timeout(10000)&_pragma=foreign_keys(1), run on every new
// connection), _txlock (deferred, immediate, exclusive) and _time_format.
// An unknown parameter is an error, never silently ignored. See ParseDSN;
// programs that prefer a struct fill a Config and call its Connector
// method, then sql.OpenDB.
//
// ":memory:" is a database private to one connection, as in SQLite, so a
// *sql.DB pool sees a different empty database on each connection. For an
// in-memory database shared by the whole pool, name it:
// "file:cache?mode=memory".
//
// # Values
//
// INTEGER reads back as int64, REAL as float64, TEXT as string and BLOB as
// []byte. A bool is stored as 1 or 0. A time.Time is stored as TEXT
// "2006-01-02 15:04:05.999999999-07:00", which SQLite's date and time
// functions understand, and columns declared DATE, DATETIME or TIMESTAMP
// read back as time.Time (see TimeFormat for other encodings). Every Go
// integer type is accepted, except a uint64 above math.MaxInt64, which is
// an error rather than a silently different number.
//
// # Connections share one schema
//
// All connections of a process to one database file share one parsed,
// immutable schema. Opening a connection reads and parses nothing, so it
// costs a few microseconds whether the database has one table or ten
// thousand. A schema change made by one connection is seen by the others
// at their next statement; one made by another process (the sqlite3 shell,
// say) is noticed through the file's schema cookie and loaded once.
// Prepared statements recompile themselves after a schema change; users
// never see SQLITE_SCHEMA. Each connection also caches its prepared
// statements by SQL text.
//
// # Transactions and contexts
//
// SQLite's transactions are serializable: BeginTx accepts the default
// level and sql.LevelSerializable and refuses the others. A ReadOnly
// transaction refuses writes with "attempt to write a readonly database".
// A context that is cancelled or passes its deadline interrupts the running
// statement; the error then matches both wren.ErrInterrupt and the
// context's error under errors.Is. A lock is waited for up to busy_timeout
// (5 seconds unless a _pragma says otherwise), or until the context's
// deadline if that comes first (the error then matches wren.ErrBusy and
// context.DeadlineExceeded).
//
// # Errors
//
// Failures are *Error values carrying SQLite's result code, extended code
// and message ("UNIQUE constraint failed: users.email"). Test them with
// errors.Is and the sentinels: errors.Is(err, wren.ErrConstraint) for any
// constraint, errors.Is(err, wren.ErrConstraintUnique) for that one only.
package wren
