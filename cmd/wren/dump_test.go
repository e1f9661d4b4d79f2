package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dumpFixture builds a database with tables, indexes, views and triggers
// and rows of every storage class, including text that needs escaping.
const dumpFixture = `
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB);
CREATE TABLE log(x, "odd ""col""");
CREATE TABLE "odd table"(k, v);
CREATE INDEX tb ON t(b);
CREATE UNIQUE INDEX "odd index" ON "odd table"(k);
CREATE VIEW vv AS SELECT a, b FROM t WHERE c > 0;
CREATE TRIGGER trg AFTER DELETE ON t BEGIN INSERT INTO log VALUES (old.a, 'deleted'); END;
INSERT INTO t VALUES (1, 'one', 1.5, x'01ff'), (2, 'two''s', NULL, NULL),
  (3, 'line
break', -2.0, x''), (4, 'ünïcödé 日本', 1e300, zeroblob(4)), (5, 'cr' || char(13) || 'x', 0.1, NULL);
INSERT INTO log VALUES (NULL, 'tab	in it');
INSERT INTO "odd table" VALUES ('k', 9223372036854775807), ('j', -9223372036854775808);
CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
INSERT INTO seq(v) VALUES ('a'), ('b'), ('c');
DELETE FROM seq WHERE id = 3;
`

func needSqlite3(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed: the interop test needs the oracle")
	}
	return path
}

func sqlite3Run(t *testing.T, bin string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("sqlite3 %v: %v\n%s", args, err, errb.String())
	}
	if errb.Len() > 0 {
		t.Fatalf("sqlite3 %v wrote to stderr:\n%s", args, errb.String())
	}
	return out.String()
}

func wrenRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	r := runWren([]byte(stdin), args...)
	if r.exit != 0 || r.stderr != "" {
		t.Fatalf("wren %v: exit %d\n%s", args, r.exit, r.stderr)
	}
	return r.stdout
}

// TestDumpRoundTrip is acceptance test 2 of the shell's issue: a dump
// written by either program reads back into the other, and then both
// dump the copy the same way.
func TestDumpRoundTrip(t *testing.T) {
	sqlite3 := needSqlite3(t)
	dir := t.TempDir()
	x := filepath.Join(dir, "x.db")
	sqlite3Run(t, sqlite3, dumpFixture, x)
	want := sqlite3Run(t, sqlite3, "", x, ".dump")

	t.Run("wren dumps what sqlite3 wrote", func(t *testing.T) {
		got := wrenRun(t, "", x, ".dump")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf(".dump differs (-sqlite3 +wren):\n%s", diff)
		}
	})
	t.Run("wren .dump | sqlite3", func(t *testing.T) {
		y := filepath.Join(dir, "y1.db")
		sqlite3Run(t, sqlite3, wrenRun(t, "", x, ".dump"), y)
		if diff := cmp.Diff(want, sqlite3Run(t, sqlite3, "", y, ".dump")); diff != "" {
			t.Errorf("sqlite3's dump of the copy differs (-original +copy):\n%s", diff)
		}
		if diff := cmp.Diff(want, wrenRun(t, "", y, ".dump")); diff != "" {
			t.Errorf("wren's dump of the copy differs (-original +copy):\n%s", diff)
		}
	})
	t.Run("sqlite3 .dump | wren", func(t *testing.T) {
		y := filepath.Join(dir, "y2.db")
		wrenRun(t, want, y)
		if diff := cmp.Diff(want, sqlite3Run(t, sqlite3, "", y, ".dump")); diff != "" {
			t.Errorf("sqlite3's dump of the copy differs (-original +copy):\n%s", diff)
		}
		if diff := cmp.Diff(want, wrenRun(t, "", y, ".dump")); diff != "" {
			t.Errorf("wren's dump of the copy differs (-original +copy):\n%s", diff)
		}
		if got := sqlite3Run(t, sqlite3, "", y, "PRAGMA integrity_check"); got != "ok\n" {
			t.Errorf("integrity_check of the file wren wrote: %q", got)
		}
	})
}
