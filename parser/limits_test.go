package parser

import (
	"strings"
	"testing"
)

// Ensure that deep nesting fails the way SQLite's parser fails, with an
// error rather than a Go stack overflow, and that wide inputs still parse.
func TestNestingLimits(t *testing.T) {
	rep := strings.Repeat
	tests := []struct {
		name string
		sql  string
		want string // "" means it must parse
	}{
		{"90 parentheses", "SELECT " + rep("(", 90) + "1" + rep(")", 90), ""},
		{"1000 parentheses", "SELECT " + rep("(", 1000) + "1" + rep(")", 1000), "parser stack overflow"},
		{"100000 parentheses", "SELECT " + rep("(", 100000) + "1" + rep(")", 100000), "parser stack overflow"},
		{"100000 unclosed parentheses", "SELECT " + rep("(", 100000), "parser stack overflow"},
		{"15 nested subqueries", "SELECT " + rep("(SELECT ", 15) + "1" + rep(")", 15), ""},
		{"300 nested subqueries", "SELECT " + rep("(SELECT ", 300) + "1" + rep(")", 300), "parser stack overflow"},
		{"nested FROM subqueries", "SELECT * FROM " + rep("(SELECT * FROM ", 200) + "t" + rep(")", 200), "parser stack overflow"},
		{"nested CASE", "SELECT " + rep("CASE WHEN 1 THEN ", 1000) + "1" + rep(" END", 1000), "parser stack overflow"},
		{"nested calls", "SELECT " + rep("abs(", 1000) + "1" + rep(")", 1000), "parser stack overflow"},
		{"nested FILTER", "SELECT " + rep("f() FILTER (WHERE ", 1000) + "1" + rep(")", 1000), "parser stack overflow"},
		{"nested OVER", "SELECT " + rep("f() OVER (ORDER BY ", 1000) + "1" + rep(")", 1000), "parser stack overflow"},
		{"nested RAISE", "SELECT " + rep("RAISE(ABORT, ", 1000) + "1" + rep(")", 1000), "parser stack overflow"},
		{"2000 NOTs", "SELECT " + rep("NOT ", 2000) + "1", "parser stack overflow"},
		{"2000 minus signs", "SELECT " + rep("- ", 2000) + "1", "parser stack overflow"},
		{"nested joins", "SELECT * FROM " + rep("(", 1000) + "t" + rep(")", 1000), "parser stack overflow"},
		{"nested CTEs", rep("WITH a AS (", 1000) + "SELECT 1" + rep(") SELECT 1", 1000), "parser stack overflow"},
		{"999 additions", "SELECT 1" + rep("+1", 999), ""},
		{"1000 additions", "SELECT 1" + rep("+1", 1000), "Expression tree is too large (maximum depth 1000)"},
		{"1000 ANDs", "SELECT 1 WHERE 1" + rep(" AND 1", 1000), "Expression tree is too large (maximum depth 1000)"},
		{"100000 additions", "SELECT 1" + rep("+1", 100000), "Expression tree is too large (maximum depth 1000)"},
		{"1000 COLLATEs", "SELECT 1" + rep(" COLLATE x", 1000), ""},
		{"500 compound terms", "SELECT 1" + rep(" UNION SELECT 1", 499), ""},
		{"501 compound terms", "SELECT 1" + rep(" UNION SELECT 1", 500), "too many terms in compound SELECT"},
		{"10000 VALUES rows", "VALUES (1)" + rep(",(1)", 10000), ""},
		{"10000-item IN list", "SELECT 1 IN (1" + rep(",1", 10000) + ")", ""},
		{"127 arguments", "SELECT f(1" + rep(",1", 126) + ")", ""},
		{"128 arguments", "SELECT f(1" + rep(",1", 127) + ")", "too many arguments on function f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAll(tt.sql)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got error %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("parsed, want %q", tt.want)
			case tt.want != "" && err.Error() != tt.want:
				t.Fatalf("got %q, want %q", err, tt.want)
			}
		})
	}
}
