// Package parser turns SQL text into a syntax tree (package parser/ast),
// accepting the SQL dialect of SQLite 3.4x (https://www.sqlite.org/lang.html)
// and failing with SQLite's own error messages.
//
// It is a hand-written recursive-descent parser over a tokenizer that
// follows SQLite's tokenize.c: the same token boundaries, the same
// keywords, the same treatment of keywords as names (the %fallback ID list
// of SQLite's parse.y), and the same handling of comments, quoted names
// and parameters.
//
// # Basics
//
// Parse reads the first statement of a string and returns the rest, as
// sqlite3_prepare does, so a caller can run a script statement by
// statement:
//
//	for sql != "" {
//		stmt, tail, err := parser.Parse(sql)
//		if err != nil {
//			return err // e.g. `near "FROM": syntax error`
//		}
//		if stmt == nil {
//			break // only comments and semicolons were left
//		}
//		run(stmt)
//		sql = tail
//	}
//
// ParseAll does that loop and returns every statement; ParseExpr parses a
// lone expression (a DEFAULT value, a CHECK or index expression read back
// from the schema).
//
// # The tree
//
// Every node records the byte offset where it starts. Names are ast.Ident
// values that keep their unquoted text and the quote they were written
// with, because SQLite treats a double-quoted name that matches no column
// as a string. Literals keep their source text, because the compiler must
// apply SQLite's own numeric conversion (an integer too large for int64 is
// a REAL; 0x literals are 64-bit patterns; 3.46's _ digit separators are
// dropped). CREATE statements keep their full text and each column its
// declared type as written, since SQLite stores both in sqlite_schema.
//
// ast.String prints a tree back to SQL; parsing the printed text gives the
// same tree again (apart from offsets and recorded source text).
//
// # Errors
//
// Errors are *Error values whose message is exactly SQLite's:
//
//	near "X": syntax error        a token the grammar does not allow there
//	incomplete input              the text ended inside a statement
//	unrecognized token: "X"       text that is no token (an unclosed quote, 12abc, x'0G')
//	parser stack overflow         nesting deeper than SQLite's parser stack
//	Expression tree is too large (maximum depth 1000)
//
// and the checks SQLite makes while parsing: misplaced ORDER BY/LIMIT in a
// compound SELECT, unknown join types and table options, unsupported
// window frames, out-of-range ?NNN parameters, too many function
// arguments or compound terms, and the restrictions on statements inside
// a trigger. Offset is the byte offset of the token the message names.
// Errors that need the schema (no such table, duplicate column names) are
// left to the compiler.
//
// # Limits
//
// Nesting is limited the way SQLite's LALR stack limits it (about 100
// entries: roughly 90 nested parentheses or 18 nested subqueries), so no
// input can exhaust Go's stack; expression height is limited to 1000 as
// SQLITE_MAX_EXPR_DEPTH does. Where SQLite versions differ, the parser
// takes the newer syntax: ORDER BY inside aggregate arguments (3.44),
// digit separators (3.46) and join keywords as function names.
package parser
