// Package vdbe is Wren's virtual database engine: the register machine that
// runs compiled SQL, with its value layer and function library.
//
// # Programs and the machine
//
// A Program (program.go) is a list of Ops, SQLite-style instructions with
// operands P1..P5 (opcode.go names and documents each), plus what the
// caller needs about the results. A VM (vm.go) runs one Program: its
// registers are Mems, so the loop allocates nothing for integer and real
// work; Step runs until the program produces a row or halts. Cursors
// (cursor.go) walk the database's b-trees, private temporary b-trees on
// an in-memory pager (for DISTINCT, IN lists, materialized subqueries,
// automatic indexes and compound SELECTs), or a sorter; a cursor decodes
// its current record lazily through record.Header, straight from the page
// when the payload is local. The sorter (sorter.go) sorts in memory and,
// past a size limit, spills sorted runs to temporary files that it then
// merges. Loops check the connection's interrupt flag at every step, and
// a panic inside the machine fails the statement instead of the process.
//
// Everything here follows SQLite 3.40 exactly, down to the text of a REAL
// and the rounding of printf. The golden file testdata/golden.txt holds
// several thousand expressions with the storage class and value the real
// sqlite3 produced for each; the tests evaluate them with this package
// and compare.
//
// # Values
//
// A register is a Mem: a record.Value (one of the five storage classes
// NULL, INTEGER, REAL, TEXT, BLOB) held in a plain struct, so a slice of
// registers is filled and overwritten without allocating. A Mem owns a
// byte buffer that its Set methods reuse; it can also borrow bytes (a
// column decoded straight from a page) and must then be Deepened before
// the page is released. A blob made by zeroblob(N) keeps only its length
// until someone reads its bytes. NaN is never stored: it becomes NULL, as
// in SQLite.
//
// # Conversions
//
// SQLite converts between classes in several slightly different ways, and
// each is provided under the name of the SQL that uses it:
//
//   - IntValue and RealValue read any value as a number the way the C API's
//     sqlite3_value_int64 and sqlite3_value_double do: text contributes its
//     longest numeric prefix ('12abc' is 12, 'abc' is 0).
//   - Cast implements CAST(x AS type): to INTEGER reads an integer prefix
//     (CAST('1e3' AS INTEGER) is 1), to REAL a numeric prefix, to NUMERIC the
//     whole number choosing INTEGER when exact (CAST('1e3' AS NUMERIC) is
//     1000). Hex is never accepted in text.
//   - ApplyAffinity converts for storage into a column: text that is
//     entirely a well-formed number becomes one in a NUMERIC, INTEGER or
//     REAL column; numbers become text in a TEXT column.
//   - Arith and its wrappers (Add, Subtract, ...) read text operands as
//     numbers, keep INTEGER arithmetic exact and fall back to REAL on
//     overflow; division or remainder by zero is NULL.
//   - AppendReal renders a REAL as SQLite does ("%!.15g": "1.0", "0.1",
//     "1.0e+20", "Inf"); AppendQuote renders any value as an SQL literal.
//
// SQLite parses and prints floating point with x87 80-bit long double
// intermediates; extFloat emulates that arithmetic in software so that
// every digit matches.
//
// # Affinity and comparison
//
// An Affinity is a column's preferred class, derived from its declared type
// by AffinityOf (datatype3.html section 3.1). Before comparing, the
// compiler picks one affinity for both operands (ComparisonAffinity) and
// the VM converts scratch copies (ApplyComparisonAffinity); CompareOp.Eval
// then compares with three-valued NULL logic, ordering values by
// record.CompareValues under the chosen collation.
//
// # Functions
//
// A Registry maps a name and an argument count to a FuncDef, which holds
// either a ScalarFunc or a constructor for an Aggregate. Builtins returns
// the shared registry of SQLite's core scalar and aggregate functions;
// a connection that adds its own functions Clones it. Lookup distinguishes
// "no such function" from a wrong argument count, so the compiler can
// report SQLite's error for each.
//
// A scalar function receives the argument registers as a []Mem and writes
// its result into an output Mem; an aggregate gets Step for each row and
// Final at the end of the group (window functions will add Inverse and
// Value). DISTINCT arguments are filtered by the VM before Step. Functions
// reach the connection (changes(), last_insert_rowid()) and the call's
// collation through FuncContext. Errors are *resultcode.E values with
// SQLite's messages, such as "integer overflow".
//
// Printf implements SQLite's printf: all of its conversions, flags and
// quirks, for the printf() and format() SQL functions.
package vdbe
