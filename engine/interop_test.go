package engine

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sqlite3Out(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(sqlite3Path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %v: %v\n%s", args, err, out)
	}
	return strings.TrimRight(string(out), "\n")
}

func fileConn(t *testing.T, path string) *Conn {
	t.Helper()
	db, err := Open(path, Config{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); db.Close() })
	return c
}

// TestWrenFileReadBySQLite writes a database through SQL and checks that
// sqlite3 finds it sound and sees the same rows.
func TestWrenFileReadBySQLite(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	path := filepath.Join(t.TempDir(), "w.db")
	c := fileConn(t, path)
	mustExec(t, c, `CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB, UNIQUE(name));
		CREATE INDEX t_score ON t(score DESC, name);
		CREATE VIEW top AS SELECT name, score FROM t WHERE score > 50;
		BEGIN;`)
	for i := 0; i < 2000; i++ {
		if err := c.Exec("INSERT INTO t(name, score, data) VALUES('name-' || ?1, ?1 * 0.37, randomblob(?1 % 300))", ival(int64(i))); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, c, `COMMIT;
		DELETE FROM t WHERE id % 7 = 0;
		UPDATE t SET score = score + 1000 WHERE id % 11 = 0;
		CREATE TABLE big(x); INSERT INTO big VALUES(zeroblob(100000)), (printf('%.*c', 50000, 'x'));`)
	if got := sqlite3Out(t, path, "PRAGMA integrity_check"); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
	q := "SELECT count(*), sum(score), sum(length(data)) FROM t; SELECT name FROM top ORDER BY score DESC LIMIT 3; SELECT length(x) FROM big"
	want := sqlite3Out(t, path, q)
	var got []string
	for _, part := range strings.Split(q, "; ") {
		rows, err := queryRowsShell(t, c, part)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rows...)
	}
	if diff := cmp.Diff(strings.Split(want, "\n"), got); diff != "" {
		t.Fatalf("sqlite3 (-) wren (+):\n%s", diff)
	}
	// .dump of the Wren file recreates the same rows in sqlite3.
	dump := sqlite3Out(t, path, ".dump")
	path2 := filepath.Join(t.TempDir(), "copy.db")
	cmd := exec.Command(sqlite3Path, path2)
	cmd.Stdin = strings.NewReader(dump)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}
	a := sqlite3Out(t, path, "SELECT * FROM t ORDER BY id")
	b := sqlite3Out(t, path2, "SELECT * FROM t ORDER BY id")
	if a != b {
		t.Fatal(".dump did not recreate the same rows")
	}
}

// TestSQLiteFileReadByWren queries a database sqlite3 made.
func TestSQLiteFileReadByWren(t *testing.T) {
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skip("sqlite3 not installed")
	}
	path := filepath.Join(t.TempDir(), "s.db")
	sqlite3Out(t, path, `PRAGMA page_size=1024;
		CREATE TABLE a(id INTEGER PRIMARY KEY, k TEXT COLLATE NOCASE, v);
		CREATE INDEX a_k ON a(k);
		CREATE TABLE b(aid REFERENCES a, w REAL);
		CREATE VIEW ab AS SELECT k, sum(w) AS total FROM a JOIN b ON b.aid = a.id GROUP BY k;
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 3000)
		INSERT INTO a SELECT i, 'key' || (i % 97), randomblob(i % 500) FROM n;
		INSERT INTO b SELECT id, id * 1.5 FROM a WHERE id % 3 = 0;`)
	c := fileConn(t, path)
	for _, q := range []string{
		"SELECT count(*), sum(length(v)) FROM a",
		"SELECT id FROM a WHERE k = 'KEY5' ORDER BY id LIMIT 5",
		"SELECT k, total FROM ab ORDER BY total DESC LIMIT 5",
		"SELECT count(*) FROM a LEFT JOIN b ON b.aid = a.id WHERE b.aid IS NULL",
	} {
		want := sqlite3Out(t, path, q)
		got, err := queryRowsShell(t, c, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if diff := cmp.Diff(strings.Split(want, "\n"), got); diff != "" {
			t.Errorf("%s: sqlite3 (-) wren (+):\n%s", q, diff)
		}
	}
	// Wren writes into the sqlite3 file; sqlite3 still finds it sound.
	mustExec(t, c, "INSERT INTO a(k, v) SELECT k || 'x', v FROM a WHERE id < 500; DELETE FROM b WHERE w > 1000; CREATE INDEX b_w ON b(w)")
	if got := sqlite3Out(t, path, "PRAGMA integrity_check"); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
}

func queryRowsShell(t *testing.T, c *Conn, sql string) ([]string, error) {
	s, _, err := c.Prepare(sql)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []string
	for {
		ok, err := s.Step()
		if err != nil {
			return out, err
		}
		if !ok {
			return out, nil
		}
		var parts []string
		for i := 0; i < s.ColumnCount(); i++ {
			parts = append(parts, shellValue(s.Column(i)))
		}
		out = append(out, strings.Join(parts, "|"))
	}
}
