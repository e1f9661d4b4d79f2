package parser

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser/ast"
)

// sltDir finds the sqllogictest corpus: $WREN_SLT_DIR, else the shared
// folder next to the checkout.
func sltDir() string {
	if d := os.Getenv("WREN_SLT_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "sqllogictest")
}

// sltRecord is the SQL of one statement or query record.
type sltRecord struct {
	file      string
	line      int
	sql       string
	statement bool // a statement record (all of its SQL runs), not a query
	wantError bool // "statement error"
}

// readSLT extracts the records a SQLite runner executes from one file, as
// the corpus README describes: CRLF lines, # comments anywhere, records
// separated by blank lines, skipif/onlyif guards in front.
func readSLT(path string) ([]sltRecord, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var recs []sltRecord
	var lines []string
	firstLine := 0
	flush := func() {
		defer func() { lines = lines[:0] }()
		skip := false
		i := 0
		for ; i < len(lines); i++ {
			f := strings.Fields(lines[i])
			if len(f) >= 2 && f[0] == "skipif" {
				if strings.EqualFold(f[1], "sqlite") {
					skip = true
				}
				continue
			}
			if len(f) >= 2 && f[0] == "onlyif" {
				if !strings.EqualFold(f[1], "sqlite") {
					skip = true
				}
				continue
			}
			break
		}
		if skip || i >= len(lines) {
			return
		}
		f := strings.Fields(lines[i])
		body := lines[i+1:]
		switch f[0] {
		case "statement":
			recs = append(recs, sltRecord{file: path, line: firstLine, sql: strings.Join(body, "\n"),
				statement: true, wantError: len(f) > 1 && f[1] == "error"})
		case "query":
			end := len(body)
			for j, l := range body {
				if l == "----" {
					end = j
					break
				}
			}
			recs = append(recs, sltRecord{file: path, line: firstLine, sql: strings.Join(body[:end], "\n")})
		}
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if len(lines) == 0 {
			firstLine = n
		}
		lines = append(lines, line)
	}
	flush()
	return recs, sc.Err()
}

// Ensure that every statement and query of the sqllogictest corpus that
// SQLite runs parses, and that printing and re-parsing each gives the same
// tree.
func TestCorpusParsesAndRoundTrips(t *testing.T) {
	dir := sltDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("sqllogictest corpus not found at %s (set WREN_SLT_DIR): %v", dir, err)
	}
	var files []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".test") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skipf("no .test files under %s", dir)
	}
	// Files are independent: check them on every CPU.
	results := make([]corpusResult, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = checkCorpusFile(files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	var parsed, expectedFailures, records, distinct int
	for _, r := range results {
		records += r.records
		parsed += r.parsed
		expectedFailures += r.expectedFailures
		distinct += r.distinct
		for _, e := range r.errs {
			t.Error(e)
		}
	}
	t.Logf("%d files, %d records, %d statements parsed, %d expected failures (statement error), %d distinct texts round-tripped",
		len(files), records, parsed, expectedFailures, distinct)
}

type corpusResult struct {
	records, parsed, expectedFailures, distinct int
	errs                                        []string
}

// checkCorpusFile parses every record of one file and round-trips each
// distinct text; it returns counts and at most 10 error reports.
func checkCorpusFile(path string) corpusResult {
	var r corpusResult
	recs, err := readSLT(path)
	if err != nil {
		r.errs = append(r.errs, err.Error())
		return r
	}
	report := func(format string, args ...any) {
		if len(r.errs) < 10 {
			r.errs = append(r.errs, fmt.Sprintf(format, args...))
		}
	}
	seen := make(map[string]bool)
	for _, rec := range recs {
		r.records++
		sql := rec.sql
		for {
			stmt, tail, err := Parse(sql)
			if err != nil {
				if rec.wantError {
					r.expectedFailures++
				} else {
					report("%s:%d: %v\n%s", rec.file, rec.line, err, rec.sql)
				}
				break
			}
			if stmt == nil {
				break
			}
			r.parsed++
			if !seen[sql] {
				seen[sql] = true
				r.distinct++
				printed := ast.String(stmt)
				again, tail2, err := Parse(printed)
				switch {
				case err != nil || tail2 != "":
					report("%s:%d: printed form does not parse (%v): %s", rec.file, rec.line, err, printed)
				case !equalIgnoringSpans(reflect.ValueOf(stmt), reflect.ValueOf(again)):
					report("%s:%d: round trip changed the tree\nprinted: %s\n%s", rec.file, rec.line, printed,
						cmp.Diff(stmt, again, ignoreSpans))
				}
			}
			if !rec.statement {
				break
			}
			sql = tail
		}
	}
	return r
}
