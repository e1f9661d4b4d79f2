// Package ratchet keeps the list of sqllogictest records that are known to
// fail for Wren, and checks a run against it in both directions:
//
//   - a failing record that the list does not name is a regression (or a new
//     test that Wren does not pass yet, which must be listed with a reason);
//   - a listed record that passes means the list is stale: the engine got
//     better, and the entry must go, so the list stays true.
//
// The list is a text file, one entry per line, "#" comments allowed:
//
//	test/select1.test            engine not built (issue 5)
//	test/select2.test:1234       REAL rendering of sum() overflow
//
// A path alone names a whole file: every executed record of it is expected
// to fail; it may be a path.Match pattern ("seed-*") covering many files. A
// path with ":line" names one record by the line it starts on.
// Paths are relative to the directory the run started from (the corpus
// root, or testdata/), with forward slashes. The reason is free text up to
// the end of the line.
//
// Regenerate rewrites a list from a run, keeping the reason of every entry
// that still applies: records of a file that fails entirely collapse into a
// file entry, and a file that partly passes is listed record by record.
package ratchet
