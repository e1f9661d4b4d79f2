// Package wren is an SQLite-compatible SQL database engine written in pure Go,
// used through database/sql:
//
//	import _ "github.com/wrendb/wren"
//
//	db, err := sql.Open("wren", "file:app.db")
//
// Wren reads and writes SQLite 3 database files and speaks SQLite's SQL with
// SQLite's semantics, without cgo.
//
// # State of the project
//
// The storage layers (osvfs, pager, btree, record) and the SQL parser are being
// built first; the execution engine that the driver runs statements on comes
// next. Until it lands, the registered driver opens no database: Open returns
// an error that says so.
package wren
