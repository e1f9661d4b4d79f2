// Package render turns the values a database/sql driver returns into the
// strings SQLite's sqllogictest harness prints, so that a Go runner compares
// results exactly as the reference C harness does.
//
// The reference harness reads every column through one of three SQLite calls,
// chosen by the column's type letter in the test, not by the value's type:
//
//	I  printf("%d", sqlite3_column_int(col))      32-bit, from the stored value
//	R  printf("%.3f", sqlite3_column_double(col)) SQLite's own printf
//	T  sqlite3_column_text(col)                   then "(empty)" and "@" rules
//
// A database/sql driver hands us int64, float64, string, []byte or nil (the
// stored type), so this package re-implements the conversions SQLite applies
// between storage classes: the integer prefix of a text (sqlite3Atoi64),
// the numeric prefix of a text (sqlite3AtoF), the saturating REAL to INTEGER
// cast, SQLite's "%!.15g" real-to-text form and its "%.3f" that keeps at most
// 16 significant digits. Each function names the SQLite behaviour it mirrors;
// render_test.go pins them with tables taken from the sqlite3 shell.
package render
