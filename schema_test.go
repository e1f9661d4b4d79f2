package wren

import (
	"context"
	"database/sql/driver"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/osvfs"
)

// countingVFS records the reads of the database file, so a test can
// prove which bytes an operation touched. It does not offer memory
// mapping, so every read goes through ReadAt.
type countingVFS struct {
	osvfs.VFS
	mu    sync.Mutex
	reads []span
}

// span is one read: length bytes from offset.
type span struct{ off, n int64 }

func newCountingVFS() *countingVFS {
	return &countingVFS{VFS: osvfs.NewUnix()}
}

func (v *countingVFS) Open(name string, flags osvfs.OpenFlag) (osvfs.File, error) {
	f, err := v.VFS.Open(name, flags)
	if err != nil || strings.HasSuffix(name, "-journal") || strings.HasSuffix(name, "-wal") {
		return f, err
	}
	return &countingFile{File: f, v: v}, nil
}

// take returns the reads since the last take.
func (v *countingVFS) take() []span {
	v.mu.Lock()
	defer v.mu.Unlock()
	r := v.reads
	v.reads = nil
	return r
}

type countingFile struct {
	osvfs.File
	v *countingVFS
}

func (f *countingFile) ReadAt(p []byte, off int64) (int, error) {
	f.v.mu.Lock()
	f.v.reads = append(f.v.reads, span{off, int64(len(p))})
	f.v.mu.Unlock()
	return f.File.ReadAt(p, off)
}

// schemaReads counts the reads that touch sqlite_schema's pages other
// than page 1. Page 1 holds the file header, with the schema cookie and
// the change counter every transaction must check, so the pager reads it
// whole at each transaction start, as SQLite's does; the schema's other
// pages are only read to load the schema.
func schemaReads(reads []span, pages []int64, pageSize int64) int {
	n := 0
	for _, r := range reads {
		for _, pg := range pages {
			if pg == 1 {
				continue
			}
			lo, hi := (pg-1)*pageSize, pg*pageSize
			if r.off < hi && r.off+r.n > lo {
				n++
				break
			}
		}
	}
	return n
}

func needSQLite3(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed; this test builds its database with it")
	}
	return bin
}

func runSQLite3(t testing.TB, path, sql string) string {
	t.Helper()
	out, err := exec.Command(needSQLite3(t), path, sql).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %q: %v\n%s", sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

// manyTables writes a database of n tables, each with an index, through
// the real sqlite3, in rollback-journal mode.
func manyTables(t testing.TB, path string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("PRAGMA journal_mode=delete; BEGIN;")
	for i := range n {
		fmt.Fprintf(&b, "CREATE TABLE t%d(id INTEGER PRIMARY KEY, name TEXT, score REAL); CREATE INDEX t%d_name ON t%d(name);", i, i, i)
	}
	b.WriteString("INSERT INTO t0 VALUES(1, 'one', 1.5); COMMIT;")
	cmd := exec.Command(needSQLite3(t), path)
	cmd.Stdin = strings.NewReader(b.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %d tables: %v\n%s", n, err, out)
	}
}

func query(t testing.TB, c driver.Conn, sql string) [][]driver.Value {
	t.Helper()
	rows, err := c.(driver.QueryerContext).QueryContext(context.Background(), sql, nil)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out [][]driver.Value
	for {
		dest := make([]driver.Value, len(rows.Columns()))
		if err := rows.Next(dest); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("%s: %v", sql, err)
			}
			return out
		}
		out = append(out, dest)
	}
}

// Ensure that opening a connection to a database whose schema another
// connection has loaded reads no page at all, and that its first query
// reads none of sqlite_schema's pages beyond page 1 (whose header holds
// the schema cookie).
func TestConnectReadsNoSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.db")
	manyTables(t, path, 300)
	var schemaPages []int64
	for _, f := range strings.Fields(runSQLite3(t, path, "SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")) {
		n, _ := strconv.ParseInt(f, 10, 64)
		schemaPages = append(schemaPages, n)
	}
	if len(schemaPages) < 10 {
		t.Fatalf("sqlite_schema has %d pages, want a schema big enough to notice: %v", len(schemaPages), schemaPages)
	}
	pageSize, _ := strconv.Atoi(runSQLite3(t, path, "PRAGMA page_size"))

	vfs := newCountingVFS()
	cn, err := (&Config{Path: path, Mode: ModeReadWrite, VFS: vfs}).Connector()
	if err != nil {
		t.Fatal(err)
	}
	defer cn.Close()
	first, err := cn.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if got := query(t, first, "SELECT count(*) FROM t299"); !cmp.Equal(got, [][]driver.Value{{int64(0)}}) {
		t.Fatalf("first connection: %v", got)
	}
	if n := schemaReads(vfs.take(), schemaPages, int64(pageSize)); n < len(schemaPages)-1 {
		t.Fatalf("the first connection made %d read(s) of sqlite_schema's %d pages: the counting VFS is not seeing them", n, len(schemaPages))
	}

	second, err := cn.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if reads := vfs.take(); schemaReads(reads, schemaPages, int64(pageSize)) != 0 {
		t.Errorf("opening a second connection read sqlite_schema: reads %v", reads)
	}
	if got := query(t, second, "SELECT id, name, score FROM t0"); !cmp.Equal(got, [][]driver.Value{{int64(1), "one", 1.5}}) {
		t.Errorf("second connection: %v", got)
	}
	if reads := vfs.take(); schemaReads(reads, schemaPages, int64(pageSize)) != 0 {
		t.Errorf("the second connection's first query read sqlite_schema: reads %v", reads)
	}
}

// Ensure that DDL on one connection is seen by the others at their next
// statement, and that a statement prepared before the change runs after
// it (recompiled, never SQLITE_SCHEMA).
func TestDDLVisibleToOtherConnections(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ddl.db")
	cn, err := NewConnector(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cn.Close()
	ctx := context.Background()
	a, _ := cn.Connect(ctx)
	b, _ := cn.Connect(ctx)
	defer a.Close()
	defer b.Close()
	exec := func(c driver.Conn, sql string) {
		t.Helper()
		if _, err := c.(driver.ExecerContext).ExecContext(ctx, sql, nil); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES(1)")
	if got := query(t, b, "SELECT x FROM t"); !cmp.Equal(got, [][]driver.Value{{int64(1)}}) {
		t.Errorf("b reads %v after a's CREATE TABLE", got)
	}
	st, err := b.(driver.ConnPrepareContext).PrepareContext(ctx, "SELECT * FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	exec(a, "CREATE INDEX t_x ON t(x); CREATE TABLE u(y)")
	exec(a, "DROP TABLE t; CREATE TABLE t(p, q); INSERT INTO t VALUES('p', 'q')")
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, nil)
	if err != nil {
		t.Fatalf("the prepared statement after the schema changed: %v", err)
	}
	dest := make([]driver.Value, 2)
	if err := rows.Next(dest); err != nil {
		t.Fatalf("the prepared statement after the schema changed: %v", err)
	}
	rows.Close()
	if !cmp.Equal(dest, []driver.Value{"p", "q"}) {
		t.Errorf("the recompiled statement read %v, want [p q]", dest)
	}
	exec(b, "INSERT INTO u VALUES(2)")
	if got := query(t, a, "SELECT y FROM u"); !cmp.Equal(got, [][]driver.Value{{int64(2)}}) {
		t.Errorf("a reads %v from u", got)
	}
}

// Ensure that a table another process (the real sqlite3) adds is seen by
// an open connection and its prepared statements.
func TestSchemaChangedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ext.db")
	needSQLite3(t)
	cn, err := NewConnector("file:" + path + "?_pragma=journal_mode(delete)")
	if err != nil {
		t.Fatal(err)
	}
	defer cn.Close()
	ctx := context.Background()
	c, _ := cn.Connect(ctx)
	defer c.Close()
	if _, err := c.(driver.ExecerContext).ExecContext(ctx, "CREATE TABLE mine(a); INSERT INTO mine VALUES(1)", nil); err != nil {
		t.Fatal(err)
	}
	st, err := c.(driver.ConnPrepareContext).PrepareContext(ctx, "SELECT a FROM mine")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	runSQLite3(t, path, "CREATE TABLE theirs(b); INSERT INTO theirs VALUES('from sqlite3'); CREATE INDEX mine_a ON mine(a);")

	if got := query(t, c, "SELECT b FROM theirs"); !cmp.Equal(got, [][]driver.Value{{"from sqlite3"}}) {
		t.Errorf("reading the other process's table: %v", got)
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, nil)
	if err != nil {
		t.Fatalf("prepared statement after the other process's DDL: %v", err)
	}
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil || dest[0] != int64(1) {
		t.Errorf("prepared statement after the other process's DDL: %v, %v", dest, err)
	}
	rows.Close()
	// And sqlite3 sees what we write after its change.
	if _, err := c.(driver.ExecerContext).ExecContext(ctx, "INSERT INTO theirs VALUES('from wren')", nil); err != nil {
		t.Fatal(err)
	}
	if got := runSQLite3(t, path, "SELECT group_concat(b, ',') FROM theirs; PRAGMA integrity_check;"); got != "from sqlite3,from wren\nok" {
		t.Errorf("sqlite3 reads %q", got)
	}
}

// Ensure that two spellings of one file are one database: connectors for
// "dir/a.db", "dir/./a.db", a symbolic link and a hard link share one
// engine.Database (and so one schema).
func TestOneDatabasePerFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	spellings := map[string]string{
		"path":     path,
		"dot":      filepath.Join(dir, ".", "a.db"),
		"dotdot":   filepath.Join(dir, "sub", "..", "a.db"),
		"relative": "",
		"symlink":  filepath.Join(dir, "link.db"),
		"hardlink": filepath.Join(dir, "hard.db"),
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	first, err := NewConnector(path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	c0, err := first.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c0.Close()
	if _, err := c0.(driver.ExecerContext).ExecContext(context.Background(), "CREATE TABLE t(a)", nil); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(path, spellings["symlink"]); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(path, spellings["hardlink"]); err != nil {
		t.Fatal(err)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil {
			spellings["relative"] = rel
		}
	}
	for name, p := range spellings {
		t.Run(name, func(t *testing.T) {
			if p == "" {
				t.Skip("no relative path from the working directory")
			}
			cn, err := NewConnector(p)
			if err != nil {
				t.Fatal(err)
			}
			defer cn.Close()
			c, err := cn.Connect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if cn.db != first.db {
				t.Errorf("%s opened a second database for the same file", p)
			}
		})
	}
}
