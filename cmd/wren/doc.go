// Command wren is Wren's interactive shell, the counterpart of the sqlite3
// command-line program: open a database, type SQL, look at the results.
//
//	go install github.com/wrendb/wren/cmd/wren@latest
//	wren app.db                          # interactive prompt
//	wren app.db 'select count(*) from t' # run SQL given as arguments, then exit
//	wren app.db < script.sql             # run a script (exit status 1 on error)
//	wren x.db .dump | sqlite3 y.db       # dumps read back in either program
//
// Usage is wren [OPTIONS] [FILE] [SQL...]. Without FILE the database is a
// private in-memory one (.open FILE switches to a file). Options are
// sqlite3's: -bail, -cmd COMMAND, -readonly, -header/-noheader, the mode
// options (-csv, -json, -box, -line, -list, -column, -table, -markdown,
// -quote, -tabs, -html, -ascii), -separator, -nullvalue, -batch,
// -interactive, -echo and -version. Run .help for the dot-commands.
//
// # Compatibility
//
// The shell prints what sqlite3 3.40.1 prints, byte for byte: every output
// mode (list, csv, tabs, column, box, table, markdown, json, line, insert,
// quote, html, tcl, ascii), its handling of NULL, blobs, REALs and
// unicode, the dot-commands' output (.schema, .tables, .dump, .show) and
// the error messages ("Parse error near line 1: near "x": syntax error"
// followed by the excerpt that points at it). The golden tests in
// testdata/golden run the same scripts through both programs and compare
// the bytes; go test -update regenerates the expected output from the
// sqlite3 on PATH.
//
// Statements are split and checked for completeness by Wren's own parser
// (package parser): input is collected until the parser no longer reports
// "incomplete input" and the statement ends with its semicolon, which
// covers quotes, comments and CREATE TRIGGER ... END without a second
// tokenizer.
//
// The shell reaches the database only through database/sql and the "wren"
// driver, as any program would. Where database/sql has no answer, .dbinfo
// reads the 100-byte file header itself and .stats reports the process's
// lock-queue statistics from package lockqueue.
//
// # Interaction
//
// On a terminal, lines are edited with golang.org/x/term's line editor
// (cursor keys, word and line deletion, history on the up and down arrows,
// kept in ~/.wren_history or $WREN_HISTORY). The terminal is in raw mode
// only while a line is typed: while a statement runs, Ctrl-C raises
// SIGINT, which cancels the statement's context and leaves the shell at
// its prompt. At the prompt Ctrl-C drops the line being typed and Ctrl-D
// on an empty line exits.
//
// # Dependencies
//
// The shell is the only part of the module with dependencies beyond the
// standard library and golang.org/x/sys, and a program that imports the
// driver does not link them:
//
//   - golang.org/x/term, the Go team's terminal package: raw mode, window
//     size and a small line editor with history. It is pure Go, needs no
//     cgo (readline and libedit bindings do), and is maintained alongside
//     golang.org/x/sys, which the module uses already. A full readline
//     clone would add completion and search, at the cost of a larger
//     third-party dependency.
//   - github.com/dustin/go-humanize, for sizes people read in .dbinfo and
//     the .import progress bar (16 KiB, 1.2 GiB/s): small, stable and
//     without dependencies of its own.
package main
