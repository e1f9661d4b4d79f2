package compile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/vdbe"
)

// planTree renders a plan as indented lines, a child two spaces deeper
// than its parent.
func planTree(plan []vdbe.PlanStep) []string {
	depth := map[int]int{0: -1}
	var out []string
	for _, p := range plan {
		d := depth[p.Parent] + 1
		depth[p.ID] = d
		out = append(out, strings.Repeat("  ", d)+p.Detail)
	}
	return out
}

func compileSQL(t *testing.T, sql string) *vdbe.Program {
	t.Helper()
	st, _, err := parser.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile(st, &Env{Schema: testSchema(t)})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return prog
}

// How each FROM subquery runs: flattened into its query, a co-routine,
// materialized, with the outer WHERE pushed into it.
func TestSubqueryStrategies(t *testing.T) {
	cases := []struct {
		sql  string
		plan []string
	}{
		// Flattened: the outer WHERE reaches the subquery's table's index.
		{"SELECT * FROM (SELECT a, b FROM t) WHERE a = 1", []string{"SEARCH t USING INDEX ta (a=?)"}},
		{"SELECT * FROM (SELECT * FROM (SELECT a FROM t WHERE a > 1)) WHERE a < 5",
			[]string{"SEARCH t USING COVERING INDEX ta (a>? AND a<?)"}},
		{"WITH c AS (SELECT a FROM t) SELECT * FROM c", []string{"SCAN t USING COVERING INDEX ta"}},
		{"SELECT * FROM u LEFT JOIN (SELECT a, b FROM t) s ON s.a = u.x",
			[]string{"SCAN u", "SEARCH t USING INDEX ta (a=?) LEFT-JOIN"}},
		// Not flattened (DISTINCT): a co-routine when it is the outer
		// loop, with the outer WHERE pushed into it; else materialized.
		{"SELECT * FROM (SELECT DISTINCT a FROM t) WHERE a > 3",
			[]string{"CO-ROUTINE (subquery-1)", "  SEARCH t USING COVERING INDEX ta (a>?)", "SCAN (subquery-1)"}},
		{"SELECT * FROM (SELECT DISTINCT a FROM t) AS s LEFT JOIN u ON s.a = u.x",
			[]string{"CO-ROUTINE s", "  SCAN t USING COVERING INDEX ta", "SCAN s", "SEARCH u USING AUTOMATIC COVERING INDEX (x=?) LEFT-JOIN"}},
		{"SELECT * FROM (SELECT DISTINCT a FROM t) AS s, u",
			[]string{"MATERIALIZE s", "  SCAN t USING COVERING INDEX ta", "SCAN s", "SCAN u"}},
		// A CTE used twice is materialized once (and shown once).
		{"WITH c AS (SELECT a FROM t) SELECT * FROM c, c AS d",
			[]string{"MATERIALIZE c", "  SCAN t USING COVERING INDEX ta", "SCAN c", "SCAN d"}},
		// A UNION ALL subquery makes its query a compound of flattened parts.
		{"SELECT * FROM (SELECT a FROM t UNION ALL SELECT x FROM u) WHERE a > 1",
			[]string{"COMPOUND QUERY", "  LEFT-MOST SUBQUERY", "    SEARCH t USING COVERING INDEX ta (a>?)", "  UNION ALL", "    SCAN u"}},
		{"SELECT * FROM (SELECT a FROM t UNION SELECT x FROM u)",
			[]string{"CO-ROUTINE (subquery-2)", "  COMPOUND QUERY", "    LEFT-MOST SUBQUERY", "      SCAN t USING COVERING INDEX ta",
				"    UNION USING TEMP B-TREE", "      SCAN u", "SCAN (subquery-2)"}},
		{"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c LIMIT 5) SELECT * FROM c",
			[]string{"CO-ROUTINE c", "  SETUP", "    SCAN CONSTANT ROW", "  RECURSIVE STEP", "    SCAN c", "SCAN c"}},
		{"SELECT * FROM t RIGHT JOIN (u JOIN t AS t2 ON u.x = t2.a) ON t.a = u.x",
			[]string{"MATERIALIZE (join-1)", "  SCAN u", "  SEARCH t2 USING INDEX ta (a=?)", "SCAN t", "SCAN (join-1)", "RIGHT-JOIN (join-1)", "  SCAN (join-1)"}},
	}
	for _, tc := range cases {
		got := planTree(compileSQL(t, tc.sql).Plan)
		if diff := cmp.Diff(tc.plan, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.sql, diff)
		}
	}
}

// A flattened subquery's column that the query does not read is never
// computed; a materialized one's is.
func TestFlattenSkipsUnusedColumns(t *testing.T) {
	calls := func(sql string) int {
		n := 0
		for _, op := range compileSQL(t, sql).Ops {
			if op.Code == vdbe.CodeFunction && op.P4.Func != nil && op.P4.Func.Name == "abs" {
				n++
			}
		}
		return n
	}
	if n := calls("SELECT a FROM (SELECT a, abs(b) AS boom FROM t)"); n != 0 {
		t.Errorf("flattened: abs() called %d times, want 0", n)
	}
	if n := calls("SELECT a FROM (SELECT DISTINCT a, abs(b) AS boom FROM t)"); n != 1 {
		t.Errorf("co-routine: abs() called %d times, want 1", n)
	}
}
