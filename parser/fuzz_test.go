package parser

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wrendb/wren/parser/ast"
)

// FuzzParse feeds arbitrary text to the parser. It must never panic or
// hang, every error must be an *Error with an offset inside the text, and
// whatever parses must print to text that parses to the same tree.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"grammar.sql", "errors.tsv", "mutations.tsv"} {
		file, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "\t")
			f.Add(line)
		}
		file.Close()
	}
	f.Fuzz(func(t *testing.T, sql string) {
		rest := sql
		for i := 0; ; i++ {
			if i > len(sql) {
				t.Fatalf("no progress through %q", sql)
			}
			stmt, tail, err := Parse(rest)
			if err != nil {
				e, ok := err.(*Error)
				if !ok || e.Offset < 0 || e.Offset > len(rest) || e.Msg == "" {
					t.Fatalf("bad error %#v for %q", err, rest)
				}
				return
			}
			if stmt == nil {
				return
			}
			printed := ast.String(stmt)
			again, tail2, err := Parse(printed)
			if err != nil || tail2 != "" {
				t.Fatalf("printed form does not parse: %v\ninput:   %q\nprinted: %q", err, rest, printed)
			}
			if !equalIgnoringSpans(reflect.ValueOf(stmt), reflect.ValueOf(again)) {
				t.Fatalf("round trip changed the tree\ninput:   %q\nprinted: %q", rest, printed)
			}
			if len(tail) >= len(rest) {
				t.Fatalf("tail %q does not shrink %q", tail, rest)
			}
			rest = tail
		}
	})
}
