// Package schema holds Wren's description of a database's objects: tables,
// their columns and constraints, indexes, views and triggers, as read from
// the sqlite_schema table.
//
// A Schema is immutable once published. Every connection of a Database
// shares the same *Schema pointer, so opening a connection costs nothing
// however many tables the file holds. DDL never edits a published Schema:
// it takes a Clone (a shallow copy whose maps are new but whose untouched
// Table, Index and View values are shared), edits the clone, and the engine
// publishes the clone when the transaction commits. A rollback simply drops
// the clone.
//
// Build turns the rows of sqlite_schema into a Schema, parsing each row's
// SQL text with the parser; FromCreateTable and friends turn a parsed CREATE
// statement into the objects Build would read back, and the *SQL helpers
// give the text SQLite stores for each (from the object's name on, after a
// normalised "CREATE TABLE ", as sqlite3 does).
//
// A STRICT table's columns must each be declared INT, INTEGER, REAL, TEXT,
// BLOB or ANY (strict.go); the check runs whenever a table is described,
// so a CREATE TABLE and a file's schema are held to the same rule, and an
// ANY column gets no affinity so that it keeps values as given. Generated
// columns are recorded (Column.Generated, Table.HasGenerated) but not yet
// supported: a VIRTUAL one is absent from the record, so column i of such
// a table is not record field i, and Table.CheckSupported makes every
// statement that would read or write the table fail instead.
package schema
