// Command slt runs sqllogictest scripts against Wren or the reference SQLite
// and reports, per file, how many records ran, passed, failed and were
// skipped:
//
//	cd sqltests && go run ./cmd/slt [-driver wren|sqlite] [-v] FILE_OR_DIR...
//
// The last line is "N passed, M failed, K skipped"; the exit status is 0
// only when nothing failed. With -v every failure is printed with its
// file:line, SQL, expected and actual lines.
//
// The ratchet (see package ratchet) is checked with -ratchet FILE, and
// rewritten from the run with -write-ratchet FILE; in both, paths are
// relative to -root (default: the directory argument, when there is one).
// With -ratchet the exit status says whether the run agrees with the list.
package main
