package parser

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser/ast"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Ensure that every statement of the grammar corpus parses, prints back to
// the text recorded in grammar.golden, and re-parses to the same tree.
func TestGrammarCorpus(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "grammar.sql"))
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := ParseAll(string(src))
	if err != nil {
		t.Fatalf("grammar.sql: %v (at %q)", err, excerpt(string(src), err.(*Error).Offset))
	}
	var out strings.Builder
	for _, st := range stmts {
		checkRoundTrip(t, ast.String(st), st)
		out.WriteString(ast.String(st))
		out.WriteString(";\n")
	}
	golden := filepath.Join("testdata", "grammar.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("printed forms differ from %s (-want +got):\n%s", golden, diff)
	}
	if len(stmts) < 150 {
		t.Errorf("only %d statements in grammar.sql", len(stmts))
	}
}

func excerpt(s string, off int) string {
	end := min(off+40, len(s))
	return s[off:end]
}
