// Package sqltests measures Wren's SQL conformance against SQLite. It is its
// own Go module, so that the reference it compares with (real SQLite, through
// the cgo driver github.com/mattn/go-sqlite3) never becomes a dependency of
// Wren itself.
//
// The module has four parts:
//
//   - slt runs sqllogictest scripts, SQLite's own conformance format, on any
//     database/sql driver, rendering values exactly as the reference C
//     harness does (package render);
//   - ratchet keeps the list of records known to fail for Wren, so that a
//     test fails both when something new breaks and when a listed record
//     starts to pass;
//   - difftest generates random schemas, data and queries from a seed, runs
//     them on Wren and on SQLite, compares the answers, and shrinks any
//     mismatch to a small .test file;
//   - cmd/slt and cmd/difftest are the command-line front ends.
//
// The tests of this package run the corpus (../../shared/sqllogictest, or
// $WREN_SLT_DIR) on both drivers, the project's own regression scripts in
// testdata/, and a fixed budget of the differential tester. README.md has
// the command lines.
package sqltests
