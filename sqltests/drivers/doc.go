// Package drivers is the table of database/sql drivers the conformance tools
// run against, by the short names the commands accept:
//
//	wren    Wren itself (github.com/wrendb/wren, through the module's replace)
//	sqlite  the reference: real SQLite, through github.com/mattn/go-sqlite3
//
// mattn/go-sqlite3 registers itself as "sqlite3"; this package only maps the
// name "sqlite" onto it, so no second driver is registered under a name that
// belongs to another package. Importing it pulls in cgo, which is why it
// lives in the sqltests module and never in Wren's own.
//
// Open returns a fresh, empty, private database each time: an in-memory one,
// held by a single connection (SetMaxOpenConns(1)), since an SQLite
// ":memory:" database belongs to the connection that opened it. Callers pin
// that connection with db.Conn for the whole script.
package drivers
