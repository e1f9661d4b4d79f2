// Package compile turns a parsed SELECT, INSERT, UPDATE or DELETE into a
// vdbe.Program, with SQLite's semantics.
//
// # Pipeline
//
// Compile dispatches on the statement. A query is compiled core by core
// (select.go): its FROM clause becomes sources (from.go: tables,
// subqueries, views and CTEs), its result columns are expanded and named
// as SQLite names them, and its rows are produced by the nested loops of
// where.go and sent to a destination (the statement's result, a temporary
// table or index, a sorter, a register for a scalar subquery). A RIGHT
// or FULL JOIN records which right-hand rows matched and, after the main
// loops, runs the rest of the join once more for the unmatched ones, the
// sources to their left on NULL rows (join_right.go).
//
// # Subqueries in FROM
//
// A FROM subquery, view or CTE is, as in SQLite, flattened into the query
// that reads it when SQLite's rules allow (flatten.go: its tables join
// the outer loops, its WHERE the outer WHERE, and a column nobody reads
// is never computed); a UNION ALL one read by a simple query turns that
// query into a compound of flattened parts (flatten_compound.go).
// Otherwise the outer WHERE terms that read only its columns are pushed
// into it (pushdown.go), and it runs as a co-routine when it is the outer
// loop, producing its rows only as the loop asks for them, or is
// materialized into a temporary table (coroutine.go). A recursive CTE
// runs a queue, a priority queue under ORDER BY (from.go). A
// parenthesized join on the right of a RIGHT or FULL JOIN is materialized
// as one source (join_right.go).
//
// Names are resolved lazily, at code generation, against a chain of
// scopes (scope.go): the FROM sources of the current SELECT, then its
// result aliases, then the enclosing queries' scopes (a correlated
// reference), then NEW and OLD inside a trigger program, and finally the
// double-quoted-string fallback. A subquery that resolves nothing outside
// itself is guarded by a Once instruction and runs only once.
//
// # Planner
//
// whereLoops splits WHERE and ON into AND-terms, finds the column
// constraints each term offers (col = expr, ranges, BETWEEN, IS NULL, col
// IN (list or uncorrelated subquery)), orders the joined sources by the
// estimated cost of their nested loops (every order of a small join,
// plan_join.go; the FROM order when a LEFT JOIN fixes it), and picks each
// source's access: a rowid lookup or range (plan_rowid.go), an index with
// equality constraints on its leading columns and a range on the next, one
// lookup per value of an IN list (plan_in.go), an automatic index built
// once on an inner table of a join, or a full scan. An index that holds
// every column the query reads is read alone, without the table (a
// covering index), and a single-table query whose ORDER BY an index or the
// rowid already delivers is read in that order, forwards or backwards,
// instead of sorted (plan_cover.go); the narrower covering index scan goes
// inside a join, and a partial index is scanned where the query's terms
// imply its WHERE (plan_partial.go). An index is used only where SQLite
// would: the comparison's affinity must suit the column and its collation
// must be the index's. Every term is still checked at the innermost level
// it can be, so a plan can only make a query faster, never change its
// answer. EXPLAIN QUERY PLAN describes the plan in SQLite's words,
// subqueries as subtrees numbered as SQLite numbers them (eqp.go).
//
// # Aggregates
//
// An aggregate query does not copy its rows: the GROUP BY sorter holds
// only the group keys and each source's rowid, and the sources are
// repositioned on those rows to step the aggregates, and once more on a
// group's last row (or its min()/max() row) to evaluate bare columns and
// correlated subqueries of the output. When the planner can read the
// single source in group order instead (an index on the GROUP BY terms,
// in any permutation, or the rowid), there is no sorter: a group is
// output as soon as a row with other keys arrives, and an ORDER BY naming
// the GROUP BY terms needs no sort of its own (group_order.go).
//
// # Compounds
//
// A compound SELECT combines its parts in temporary indexes, or streams
// them for UNION ALL (compound.go); with an ORDER BY it runs, as in
// SQLite, as a merge of two co-routines whose rows come sorted, the left
// one itself a merge when it is a compound (compound_merge.go).
//
// # Writes
//
// INSERT, UPDATE and DELETE (dml.go) check NOT NULL, CHECK, the rowid and
// every UNIQUE index before writing anything, with SQLite's conflict
// resolution (ABORT, FAIL, IGNORE, REPLACE, ROLLBACK) and messages. In a
// STRICT table each value, after the column's affinity, must then have
// the column's type (a TypeCheck instruction per column, after NOT NULL
// as in SQLite); a type error is SQLITE_CONSTRAINT_DATATYPE and always
// aborts, whatever the conflict clause. Tables with generated columns and
// views with INSTEAD OF triggers are refused with a "not supported yet"
// error rather than read or written wrongly.
// UPDATE and DELETE first collect the rowids to change, so that the
// changes cannot disturb their own scan. Triggers (trigger.go) are
// compiled inline, reading NEW and OLD from registers.
//
// With Env.ForeignKeys (PRAGMA foreign_keys), the same statements count
// FOREIGN KEY violations as SQLite does (fkey.go): a register for the
// immediate constraints, checked when the statement ends, and the
// connection's counter for the deferred ones, checked at COMMIT. ON
// DELETE and ON UPDATE actions are DELETE and UPDATE statements on the
// child table, compiled inline like triggers.
//
// The code is split by area (select, compound, aggregate, subquery, where,
// dml, trigger, expr) so that each can grow on its own.
package compile
