package engine

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/vdbe"
)

// The differential tests run each script of testdata/diff/*.sql in Wren
// and in the real sqlite3 shell and compare the output line by line: rows
// in the shell's list mode, and "Error: message" for failing statements.

const sqlite3Path = "/usr/bin/sqlite3"

var (
	shellErr   = regexp.MustCompile(`^(?:Parse|Runtime) error near line \d+: (.*?)(?: \(\d+\))?$`)
	shellCaret = regexp.MustCompile(`^\s+(\^--- error here|error here ---\^)$`)
)

func runShell(t *testing.T, script string) []string {
	t.Helper()
	cmd := exec.Command(sqlite3Path, ":memory:")
	cmd.Stdin = strings.NewReader(script)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.Run()
	var lines []string
	raw := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	for i := 0; i < len(raw); i++ {
		l := raw[i]
		if m := shellErr.FindStringSubmatch(l); m != nil {
			lines = append(lines, "Error: "+m[1])
			// The shell echoes the statement and a caret under the error.
			if i+2 < len(raw) && shellCaret.MatchString(raw[i+2]) {
				i += 2
			}
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

func shellValue(v record.Value) string {
	switch v.Kind {
	case record.Null:
		return ""
	case record.Real:
		return string(vdbe.AppendReal(nil, v.Float))
	case record.Integer:
		var m vdbe.Mem
		m.SetValue(v)
		return string(vdbe.AppendText(nil, &m))
	}
	return string(v.Bytes)
}

func runWren(t *testing.T, script string) []string {
	t.Helper()
	c := memConn(t)
	var lines []string
	sql := script
	for strings.TrimSpace(sql) != "" {
		s, tail, err := c.Prepare(sql)
		if err != nil {
			lines = append(lines, "Error: "+err.Error())
			// Skip to the next statement, as the shell does.
			if i := strings.Index(sql, ";\n"); i >= 0 {
				sql = sql[i+2:]
				continue
			}
			break
		}
		sql = tail
		if s == nil {
			continue
		}
		for {
			ok, err := s.Step()
			if err != nil {
				lines = append(lines, "Error: "+err.Error())
				break
			}
			if !ok {
				break
			}
			var parts []string
			for i := 0; i < s.ColumnCount(); i++ {
				parts = append(parts, shellValue(s.Column(i)))
			}
			lines = append(lines, strings.Join(parts, "|"))
		}
		s.Close()
	}
	return lines
}

func TestDiffAgainstSQLite(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	files, _ := filepath.Glob("testdata/diff/*.sql")
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/diff")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := runShell(t, string(data))
			got := runWren(t, string(data))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("sqlite3 (-) vs wren (+):\n%s", diff)
			}
		})
	}
}
