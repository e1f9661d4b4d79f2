// Package ast defines the syntax tree that package parser builds from SQL
// text and that the compiler consumes.
//
// Statements implement Stmt and expressions implement Expr; both are
// Nodes with a Pos, the byte offset where the node starts in the parsed
// text. The tree is typed and complete: each SQL construct has its own
// struct (Select, Insert, CreateTable, Binary, FuncCall, ...) and keeps
// what the compiler needs to reproduce SQLite's behaviour:
//
//   - Ident holds a name without its quotes plus the quote character, so
//     the compiler can apply SQLite's rule that an unmatched "name" is a
//     string literal.
//   - Literal keeps its source text (Raw) for SQLite's exact numeric
//     conversion, and the decoded value of strings and blobs.
//   - CreateTable, CreateIndex, CreateView, CreateTrigger and
//     CreateVirtualTable keep the statement text as written (what SQLite
//     stores in sqlite_schema.sql); ColumnDef keeps its declared type text;
//     a DEFAULT keeps the text of its value; ResultColumn keeps the text of
//     its expression, which SQLite uses as the column name.
//
// Parentheses are not nodes: the tree's shape records grouping. A compound
// SELECT is a first core plus the cores that follow it, left-associative,
// with the ORDER BY and LIMIT of the whole.
//
// String renders any node back to SQL. Parsing that text gives the same
// tree again, apart from positions and recorded source text:
//
//	stmt, _, _ := parser.Parse("select a+1 as x from t where b in (1,2)")
//	fmt.Println(ast.String(stmt))
//	// SELECT a + 1 AS x FROM t WHERE b IN (1, 2)
package ast
