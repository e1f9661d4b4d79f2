package engine

import "testing"

// BenchmarkGroupByIndexed is BenchmarkGroupBy with an index on the GROUP
// BY column: the loop reads the rows in group order, so no sorter is
// needed, as in SQLite.
func BenchmarkGroupByIndexed(b *testing.B) {
	benchQueries(b, "CREATE INDEX t_g ON t(g)", "SELECT g, count(*), sum(v), avg(v) FROM t GROUP BY g", nil)
}

// BenchmarkGroupByCovering groups by an indexed column reading nothing
// else: the index alone is scanned.
func BenchmarkGroupByCovering(b *testing.B) {
	benchQueries(b, "CREATE INDEX t_g ON t(g)", "SELECT g, count(*) FROM t GROUP BY g", nil)
}

// BenchmarkGroupByCoveringSorted is BenchmarkGroupByCovering with the
// index order defeated (GROUP BY +g): the covering index is scanned and
// its rows sorted, as before GROUP BY could use index order.
func BenchmarkGroupByCoveringSorted(b *testing.B) {
	benchQueries(b, "CREATE INDEX t_g ON t(g)", "SELECT g, count(*) FROM t GROUP BY +g", nil)
}

// BenchmarkGroupByIndexedSorted is BenchmarkGroupByIndexed with the index
// order defeated: a table scan and a sorter.
func BenchmarkGroupByIndexedSorted(b *testing.B) {
	benchQueries(b, "CREATE INDEX t_g ON t(g)", "SELECT g, count(*), sum(v), avg(v) FROM t GROUP BY +g", nil)
}
