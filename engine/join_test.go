package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRightAndFullJoin checks RIGHT and FULL OUTER JOIN against the rows
// the sqlite3 shell (3.40.1) returns for the same statements.
func TestRightAndFullJoin(t *testing.T) {
	c := memConn(t)
	for _, sql := range []string{
		"CREATE TABLE a(x INTEGER, y TEXT)",
		"CREATE TABLE b(x INTEGER, z TEXT)",
		"CREATE TABLE c(x INTEGER, w TEXT)",
		"CREATE INDEX bx ON b(x)",
		"INSERT INTO a VALUES(1,'a1'),(2,'a2'),(3,'a3'),(NULL,'an')",
		"INSERT INTO b VALUES(2,'b2'),(3,'b3'),(4,'b4'),(NULL,'bn')",
		"INSERT INTO c VALUES(3,'c3'),(4,'c4'),(1,'c1')",
	} {
		mustExec(t, c, sql)
	}
	tests := []struct {
		name string
		sql  string
		want []string
	}{
		{"right", "SELECT a.x, a.y, b.x, b.z FROM a RIGHT JOIN b ON a.x=b.x ORDER BY b.z, a.y",
			[]string{"2|a2|2|b2", "3|a3|3|b3", "NULL|NULL|4|b4", "NULL|NULL|NULL|bn"}},
		{"full", "SELECT a.y, b.z FROM a FULL JOIN b ON a.x=b.x ORDER BY a.y, b.z",
			[]string{"NULL|b4", "NULL|bn", "a1|NULL", "a2|b2", "a3|b3", "an|NULL"}},
		{"where on the null-extended side", "SELECT a.y, b.z FROM a RIGHT JOIN b ON a.x=b.x WHERE a.y IS NULL ORDER BY b.z",
			[]string{"NULL|b4", "NULL|bn"}},
		{"using is coalesce", "SELECT x, y, z FROM a FULL JOIN b USING(x) ORDER BY x, y, z",
			[]string{"NULL|NULL|bn", "NULL|an|NULL", "1|a1|NULL", "2|a2|b2", "3|a3|b3", "4|NULL|b4"}},
		{"inner join after right", "SELECT a.y, b.z, c.w FROM a RIGHT JOIN b ON a.x=b.x JOIN c ON c.x=b.x ORDER BY c.w, b.z",
			[]string{"a3|b3|c3", "NULL|b4|c4"}},
		{"right join after inner", "SELECT a.y, b.z, c.w FROM a JOIN b ON a.x=b.x RIGHT JOIN c ON c.x=a.x ORDER BY c.w",
			[]string{"NULL|NULL|c1", "a3|b3|c3", "NULL|NULL|c4"}},
		{"aggregate", "SELECT count(*), count(a.y), count(b.z) FROM a FULL JOIN b ON a.x=b.x",
			[]string{"6|4|4"}},
		{"subquery operand", "SELECT s.y, b.z FROM (SELECT * FROM a WHERE x>2) AS s RIGHT JOIN b ON s.x=b.x ORDER BY b.z",
			[]string{"NULL|b2", "a3|b3", "NULL|b4", "NULL|bn"}},
		{"correlated", "SELECT c.w, (SELECT count(*) FROM a RIGHT JOIN b ON a.x=b.x WHERE b.x=c.x) FROM c ORDER BY c.w",
			[]string{"c1|0", "c3|1", "c4|1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := queryRows(t, c, tt.sql)
			if err != nil {
				t.Fatalf("%s: %v", tt.sql, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: rows (-want +got):\n%s", tt.sql, diff)
			}
		})
	}
}

// TestRightJoinUnsupported checks that the shapes not supported yet give
// an error, not a wrong answer.
// A parenthesized join on the right of RIGHT or FULL JOIN is one operand:
// its rows are the inner join's, matched or not against the left table.
// Expected rows are sqlite3 3.40.1's.
func TestRightJoinParenthesizedOperand(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE a(x); CREATE TABLE b(x); CREATE TABLE c(x);"+
		"INSERT INTO a VALUES(1),(2); INSERT INTO b VALUES(2),(3),(4); INSERT INTO c VALUES(3),(2),(5)")
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{"SELECT a.x, b.x, c.x FROM a RIGHT JOIN (b JOIN c ON b.x=c.x) ON a.x=b.x ORDER BY 2",
			[]string{"2|2|2", "NULL|3|3"}},
		{"SELECT a.x, b.x, c.x FROM a FULL JOIN (b JOIN c ON b.x=c.x) ON a.x=b.x ORDER BY 1, 2",
			[]string{"NULL|3|3", "1|NULL|NULL", "2|2|2"}},
	} {
		got, err := queryRows(t, c, tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: rows (-want +got):\n%s", tc.sql, diff)
		}
	}
}
