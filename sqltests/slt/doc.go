// Package slt reads and runs sqllogictest scripts, the test format of
// SQLite's conformance corpus (https://www.sqlite.org/sqllogictest/), against
// any database/sql driver.
//
// A script is a sequence of records separated by blank lines. Parse turns a
// script into Records without interpreting them; RunScript then executes
// them in order on one connection to a fresh database, exactly as the
// reference C harness does:
//
//   - "statement ok" / "statement error" run every ;-separated statement of
//     the SQL and check only whether it failed;
//   - "query <types> [<sortmode> [<label>]]" prepares the first statement,
//     renders each value by its column's type letter (package render), sorts
//     the rendered strings (nosort, rowsort, valuesort), and compares them
//     with the expected lines, or with "N values hashing to <md5>" once the
//     number of values passes the file's hash-threshold;
//   - queries sharing a label must all produce the same hash;
//   - "skipif <db>" / "onlyif <db>" guard any record, "halt" ends the file.
//
// The format is specified in ../../shared/sqllogictest/README.md; every rule
// there is implemented here and exercised by the scripts in
// ../testdata/runner.
//
// The runner never lets one record take the run down: a driver panic fails
// that record, and a record that does not finish within its time limit
// fails, together with the rest of its file, since its connection is stuck.
package slt
