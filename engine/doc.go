// Package engine runs SQL on an SQLite-format database: it is the API a Go
// program uses directly, and the layer the database/sql driver wraps.
//
// A Database is one open file, shared by every connection of the process
// that opens the same file (Open returns the same *Database, reference
// counted). It holds the published schema.Schema. A Conn is one connection:
// its own pager and b-tree over the shared file, its transaction state, and
// a copy of the schema pointer, so connecting costs no parsing; and since a
// closed connection leaves its pager to the next one (pagerpool.go),
// usually no I/O either.
//
// Statements are prepared with Conn.Prepare and run with Stmt.Step, as with
// sqlite3_prepare_v2 and sqlite3_step. SELECT, INSERT, UPDATE and DELETE are
// compiled (package compile) to a vdbe.Program; transaction control, DDL and
// PRAGMAs run here in Go and report their rows through the same Stmt API.
//
// # Transactions
//
// Outside BEGIN, each statement runs in its own transaction: a read
// transaction for a query, a write transaction for anything that writes,
// none for a query that reads no table (SELECT 1 takes no lock, as in
// SQLite). Preparing takes no lock either once the schema is loaded.
// Every writing statement also runs under a pager savepoint, so that a
// failing statement undoes only itself (ON CONFLICT ABORT), keeps its
// earlier changes (FAIL) or the whole transaction is rolled back
// (ROLLBACK), as SQLite does.
//
// # Schema changes
//
// DDL edits a clone of the connection's schema and bumps the schema cookie;
// the clone is published to the Database at COMMIT and dropped on ROLLBACK.
// Whenever a transaction starts, the file's cookie is compared with the
// connection's: when another connection or process changed the schema, the
// connection adopts the published schema or reloads it from sqlite_schema,
// and prepared statements recompile themselves before they run.
package engine
