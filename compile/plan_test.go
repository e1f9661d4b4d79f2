package compile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/schema"
)

func testSchema(t *testing.T) *schema.Schema {
	t.Helper()
	rows := []schema.Row{
		{Type: "table", Name: "t", Root: 2, SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, c)", HasSQL: true},
		{Type: "index", Name: "ta", Root: 3, SQL: "CREATE INDEX ta ON t(a)", HasSQL: true},
		{Type: "index", Name: "tbc", Root: 4, SQL: "CREATE UNIQUE INDEX tbc ON t(b, c DESC)", HasSQL: true},
		{Type: "table", Name: "u", Root: 5, SQL: "CREATE TABLE u(x INT, y)", HasSQL: true},
	}
	s, err := schema.Build(rows, 1)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The planner's choices, in EXPLAIN QUERY PLAN's words.
func TestPlans(t *testing.T) {
	sch := testSchema(t)
	cases := []struct {
		sql  string
		plan []string
	}{
		{"SELECT * FROM t WHERE id = 5", []string{"SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"SELECT * FROM t WHERE a = 5", []string{"SEARCH t USING INDEX ta (a=?)"}},
		{"SELECT * FROM t WHERE a > 5 AND a < 9", []string{"SEARCH t USING INDEX ta (a>? AND a<?)"}},
		{"SELECT * FROM t WHERE b = 'x' AND c = 1", []string{"SEARCH t USING INDEX tbc (b=? AND c=?)"}},
		// A TEXT comparison cannot use the INT column's index.
		{"SELECT * FROM t WHERE a = b", []string{"SCAN t"}},
		{"SELECT * FROM t WHERE +a = 5", []string{"SCAN t"}},
		{"SELECT * FROM t WHERE c = 1", []string{"SCAN t"}},
		// The join starts from the constrained table and looks up the other.
		{"SELECT * FROM u, t WHERE t.id = u.x AND u.y = 3", []string{"SCAN u", "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"SELECT * FROM t, u WHERE t.a = 1 AND u.x = t.id", []string{"SEARCH t USING INDEX ta (a=?)", "SEARCH u USING AUTOMATIC COVERING INDEX (x=?)"}},
		// IN and IS NULL drive lookups; an index that holds every column
		// read is read alone; an index in ORDER BY order spares the sort.
		{"SELECT * FROM t WHERE a IN (1, 2)", []string{"SEARCH t USING INDEX ta (a=?)"}},
		{"SELECT * FROM t WHERE id IN (1, 2)", []string{"SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"SELECT id FROM t WHERE a IS NULL", []string{"SEARCH t USING COVERING INDEX ta (a=?)"}},
		{"SELECT * FROM t ORDER BY a DESC LIMIT 3", []string{"SCAN t USING INDEX ta"}},
		{"SELECT * FROM t ORDER BY c", []string{"SCAN t", "USE TEMP B-TREE FOR ORDER BY"}},
		{"SELECT * FROM t NOT INDEXED WHERE a = 5", []string{"SCAN t"}},
		{"SELECT a, count(*) FROM t GROUP BY a ORDER BY 2", []string{"SCAN t USING COVERING INDEX ta", "USE TEMP B-TREE FOR ORDER BY"}},
	}
	for _, tc := range cases {
		st, _, err := parser.Parse(tc.sql)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Compile(st, &Env{Schema: sch})
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		var got []string
		for _, p := range prog.Plan {
			got = append(got, p.Detail)
		}
		if diff := cmp.Diff(tc.plan, got); diff != "" {
			t.Errorf("%s:\n%s", tc.sql, diff)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	sch := testSchema(t)
	cases := map[string]string{
		"SELECT nosuch FROM t":                             "no such column: nosuch",
		"SELECT id FROM t, t":                              "ambiguous column name: id",
		"SELECT * FROM t ORDER BY 9":                       "1st ORDER BY term out of range - should be between 1 and 4",
		"SELECT a FROM t GROUP BY 0":                       "1st GROUP BY term out of range - should be between 1 and 1",
		"SELECT (SELECT a, b FROM t)":                      "sub-select returns 2 columns - expected 1",
		"SELECT a FROM t UNION SELECT a, b FROM t":         "SELECTs to the left and right of UNION do not have the same number of result columns",
		"SELECT count(count(*)) FROM t":                    "misuse of aggregate function count()",
		"SELECT * FROM t WHERE sum(a) > 1":                 "misuse of aggregate: sum()",
		"SELECT substr()":                                  "wrong number of arguments to function substr()",
		"SELECT nofunc(1)":                                 "no such function: nofunc",
		"INSERT INTO t(a) VALUES(1, 2)":                    "2 values for 1 columns",
		"INSERT INTO t VALUES(1)":                          "table t has 4 columns but 1 values were supplied",
		"UPDATE t SET nosuch = 1":                          "no such column: nosuch",
		"DELETE FROM sqlite_master":                        "table sqlite_master may not be modified",
		"SELECT * FROM t a JOIN u b USING (nosuch)":        "cannot join using column nosuch - column not present in both tables",
		"SELECT a FROM t HAVING a > 1":                     "a GROUP BY clause is required before HAVING",
		"SELECT 1 FROM t WHERE a IN (SELECT id, a FROM t)": "sub-select returns 2 columns - expected 1",
	}
	for sql, want := range cases {
		st, _, err := parser.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(st, &Env{Schema: sch})
		if err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", sql, err, want)
		}
	}
}
