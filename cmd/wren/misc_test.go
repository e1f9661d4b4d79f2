package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestArgsMode compares SQL and dot-commands given as arguments with
// sqlite3: output, errors ("Error: in prepare, ...") and exit status.
func TestArgsMode(t *testing.T) {
	needSqlite3(t)
	cases := [][]string{
		{":memory:", "select 1, 'two'", "select 3"},
		{":memory:", "selec 1", "select 'not reached'"},
		{":memory:", "select 1", ".mode json", "select 3 as x"},
		{":memory:", ".bogus", "select 1"},
		{"-csv", "-header", ":memory:", "select 1 as a, 'x y' as b"},
		{"-json", ":memory:", "select 1 as a"},
		{"-box", ":memory:", "select 1 as a, NULL as b"},
		{"-cmd", ".mode line", ":memory:", "select 1 as a"},
		{"-separator", "::", ":memory:", "select 1, 2"},
		{":memory:", "create table t(a unique)", "insert into t values (1)", "insert into t values (1)", "select 'not reached'"},
		{":memory:", "select nosuchfn(1)"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want := runSqlite3(t, nil, args...)
			got := runWren(nil, args...)
			if diff := cmp.Diff(want.format(), got.format()); diff != "" {
				t.Errorf("(-sqlite3 +wren):\n%s", diff)
			}
		})
	}
}

func TestDBInfo(t *testing.T) {
	sqlite3 := needSqlite3(t)
	db := filepath.Join(t.TempDir(), "info.db")
	sqlite3Run(t, sqlite3, "PRAGMA page_size=1024; PRAGMA user_version=7; PRAGMA application_id=42;"+
		"CREATE TABLE a(x); CREATE INDEX ax ON a(x); CREATE VIEW v AS SELECT 1;", db)
	r := runWren(nil, db, ".dbinfo")
	if r.exit != 0 || r.stderr != "" {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	for _, line := range []string{
		"database page size:  1024\n",
		"user version:        7\n",
		"application id:      42\n",
		"text encoding:       1 (utf8)\n",
		"number of tables:    1\n",
		"number of indexes:   1\n",
		"number of views:     1\n",
		"database page count: 3\n",
		"file size:           3.0 KiB (3072 bytes)\n",
	} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf(".dbinfo lacks %q:\n%s", line, r.stdout)
		}
	}
	if r := runWren(nil, filepath.Join(t.TempDir(), "not-a-db.db"), ".dbinfo"); r.exit == 0 && r.stderr == "" && strings.Contains(r.stdout, "page size:  0") {
		t.Errorf(".dbinfo of an empty file printed zeros instead of an error:\n%s", r.stdout)
	}
}

func TestTimerAndStats(t *testing.T) {
	r := runWren([]byte(".timer on\nselect 1;\n.timer off\nselect 2;\n.stats\n"))
	if r.exit != 0 || r.stderr != "" {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	re := regexp.MustCompile(`^1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n2\nlock queue: acquisitions=\d+ waits=\d+ .*\n$`)
	if !re.MatchString(r.stdout) {
		t.Errorf("unexpected output:\n%s", r.stdout)
	}
}

func TestImportProgress(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "p.csv")
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := range 5000 {
		b.WriteString("row,")
		b.WriteString(strings.Repeat("x", i%50))
		b.WriteString("\n")
	}
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := progressThreshold
	progressThreshold = 0
	defer func() { progressThreshold = saved }()
	t.Setenv("WREN_PROGRESS", "1")
	r := runWren([]byte(".import --csv " + csv + " p\nselect count(*) from p;\n"))
	if r.exit != 0 || r.stdout != "5000\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.exit, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "100%") || !strings.Contains(r.stderr, "5,000 rows") {
		t.Errorf("no final progress line: %q", r.stderr)
	}
}

func TestOpenReadonly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ro.db")
	if r := runWren([]byte("create table t(a); insert into t values (1);\n"), db); r.exit != 0 {
		t.Fatalf("setup: %s", r.stderr)
	}
	r := runWren([]byte("select * from t;\ninsert into t values (2);\n"), "-readonly", db)
	if r.stdout != "1\n" || r.exit != 1 || !strings.Contains(r.stderr, "readonly") {
		t.Errorf("-readonly: exit %d, stdout %q, stderr %q", r.exit, r.stdout, r.stderr)
	}
}
