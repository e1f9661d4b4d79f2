package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkImport measures .import of a CSV file of 20,000 rows (about
// 1 MB) into an in-memory table; b.SetBytes makes the result a rate.
func BenchmarkImport(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("id,name,amount,note\n")
	for i := range 20000 {
		fmt.Fprintf(&sb, "%d,user_%d,%d.%02d,\"note %d, with \"\"quotes\"\"\"\n", i, i*7919%100000, i%1000, i%100, i)
	}
	path := filepath.Join(b.TempDir(), "bench.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	script := []byte(".import --csv " + path + " t\n")
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for range b.N {
		if r := runWren(script); r.exit != 0 {
			b.Fatalf("exit %d: %s", r.exit, r.stderr)
		}
	}
}
