package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wrendb/wren/parser/ast"
)

var benchStatements = []struct{ name, sql string }{
	{"PointSelect", "SELECT a, b FROM t WHERE id = ?"},
	{"Insert", "INSERT INTO users (name, email, created) VALUES (?, ?, ?)"},
	{"Update", "UPDATE users SET name = ?, email = ? WHERE id = ?"},
	{"Delete", "DELETE FROM sessions WHERE expires < ?"},
	{"Join", "SELECT u.name, count(o.id) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.active = 1 GROUP BY u.id HAVING n > 2 ORDER BY n DESC LIMIT 10"},
	{"CreateTable", "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, created DATETIME DEFAULT CURRENT_TIMESTAMP)"},
	{"Window", "SELECT id, sum(amount) OVER (PARTITION BY user_id ORDER BY created ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM orders"},
}

// BenchmarkParse measures parsing typical statements; b.SetBytes makes
// the throughput visible in MB/s.
func BenchmarkParse(b *testing.B) {
	for _, bs := range benchStatements {
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bs.sql)))
			for b.Loop() {
				if _, _, err := Parse(bs.sql); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLex measures the tokenizer alone.
func BenchmarkLex(b *testing.B) {
	sql := benchStatements[4].sql
	b.SetBytes(int64(len(sql)))
	b.ReportAllocs()
	for b.Loop() {
		l := lexer{src: sql}
		for l.next().kind != tkEOF {
		}
	}
}

// BenchmarkParseGrammarCorpus parses every statement of testdata/grammar.sql.
func BenchmarkParseGrammarCorpus(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "grammar.sql"))
	if err != nil {
		b.Fatal(err)
	}
	sql := string(data)
	b.SetBytes(int64(len(sql)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAll(sql); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrint measures rendering a tree back to SQL.
func BenchmarkPrint(b *testing.B) {
	st, _, err := Parse(benchStatements[4].sql)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = ast.String(st)
	}
}
