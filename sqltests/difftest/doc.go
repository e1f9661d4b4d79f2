// Package difftest is a differential tester in the style of SQLancer: from a
// seed it generates a random schema (tables of every column affinity, with
// UNIQUE, NOT NULL and INTEGER PRIMARY KEY columns, plain, unique, partial,
// NOCASE and DESC indexes), random rows (NULLs, int64 limits, reals, texts
// that look like numbers, blobs), UPDATEs and DELETEs of them, and random
// queries: expressions of every operator family, CASE, CAST, COLLATE, scalar
// functions, LIKE and GLOB, IN lists, IN and EXISTS subqueries (correlated
// or not), scalar aggregate subqueries, derived tables, inner, LEFT and
// CROSS joins, DISTINCT, GROUP BY with HAVING, UNION, INTERSECT and EXCEPT,
// and ORDER BY that leaves no ties (so LIMIT and OFFSET are deterministic).
//
// It runs each case on the engine under test and on the reference, and
// compares every setup statement (did it fail on one side only?) and every
// query: whether both failed, the column count, and the rows with each
// value's storage class (so 1, 1.0 and '1' differ), as multisets unless the
// query is ordered.
//
// Some queries also carry a predicate p for ternary logic partitioning
// (TLP): the rows of Q must be exactly those of Q WHERE p, Q WHERE NOT p
// and Q WHERE p IS NULL together. That identity is checked on each engine,
// which catches optimiser bugs even where both engines agree.
//
// A mismatch is shrunk (Differ.Shrink) to a small case of the same kind and
// written (Differ.WriteRepro) as a sqllogictest script whose expectations
// are the reference's answers, ready to become a regression test.
//
// Generation avoids what would make correct engines disagree: no random()
// or time functions, no LIMIT without a total order, aggregates only over
// simple arguments and dyadic reals (so sums do not depend on row order), no
// subqueries in UPDATE and DELETE, and never the largest rowid in an
// INTEGER PRIMARY KEY (after it, SQLite picks new rowids at random).
// One known source of false alarms remains: the reference driver bundles a
// modern SQLite (3.53), which converts computed REALs to text with up to 17
// digits, where SQLite 3.40 (Wren's oracle) uses 15; a query that turns a
// non-terminating real such as 0.5/3 into text shows the difference.
package difftest
