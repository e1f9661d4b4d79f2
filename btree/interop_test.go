//go:build unix

package btree

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

// These tests check the file format against the real sqlite3 command: files
// Wren writes must pass sqlite3's integrity_check and read back identically,
// and files sqlite3 writes must read identically in Wren and stay sound
// after Wren changes them.

const sqlite3Path = "/usr/bin/sqlite3"

func needSQLite3(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sqlite3Path); err != nil {
		t.Skipf("sqlite3 not found at %s: interop tests skipped (CI installs it)", sqlite3Path)
	}
}

// sqlite3Out runs sql with the sqlite3 command on file and returns stdout.
func sqlite3Out(t *testing.T, file string, sql string) string {
	t.Helper()
	cmd := exec.Command(sqlite3Path, "-batch", file)
	cmd.Stdin = strings.NewReader(sql)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("sqlite3 %q: %v\n%s", sql, err, errb.String())
	}
	if errb.Len() > 0 {
		t.Fatalf("sqlite3 %q: %s", sql, errb.String())
	}
	return out.String()
}

func requireIntegrityOK(t *testing.T, file string) {
	t.Helper()
	if got := strings.TrimSpace(sqlite3Out(t, file, "PRAGMA integrity_check;")); got != "ok" {
		if len(got) > 2000 {
			got = got[:2000]
		}
		t.Fatalf("sqlite3 integrity_check: %s", got)
	}
}

// quote renders a value as SQLite's quote() does (no REALs in these tests).
func quote(v record.Value) string {
	switch v.Kind {
	case record.Null:
		return "NULL"
	case record.Integer:
		return strconv.FormatInt(v.Int, 10)
	case record.Text:
		return "'" + strings.ReplaceAll(string(v.Bytes), "'", "''") + "'"
	case record.Blob:
		return "X'" + strings.ToUpper(hex.EncodeToString(v.Bytes)) + "'"
	}
	return strconv.FormatFloat(v.Float, 'g', 15, 64)
}

type testRow struct {
	a int64
	b string
	c []byte
}

func (r testRow) record() []byte {
	return record.AppendRecord(nil, []record.Value{record.IntValue(r.a), record.TextValue(r.b), record.BlobValue(r.c)})
}

// makeRows builds n rows; every 97th has a payload around a few pages, and a
// handful carry blobs up to 100 KB.
func makeRows(n int, pageSize int, seed uint64) []testRow {
	r := rand.New(rand.NewPCG(seed, 11))
	rows := make([]testRow, n)
	for i := range rows {
		size := r.IntN(40)
		switch {
		case i%4999 == 17:
			size = 60_000 + r.IntN(40_000)
		case i%97 == 3:
			size = pageSize/2 + r.IntN(2*pageSize)
			if size > 20_000 {
				size = 20_000 + r.IntN(60_000)
			}
		}
		c := make([]byte, size)
		for j := range c {
			c[j] = byte(r.UintN(256))
		}
		rows[i] = testRow{a: int64(r.IntN(1 << 40)), b: fmt.Sprintf("k%07d-%d", r.IntN(5_000_000), i%13), c: c}
	}
	return rows
}

// writeSchemaRow adds a row to sqlite_schema.
func writeSchemaRow(t *testing.T, bt *BTree, rowid int64, typ, name, tbl string, root uint32, sql string) {
	t.Helper()
	c := must1[*Cursor](t)(bt.OpenTable(1))
	defer c.Close()
	rec := record.AppendRecord(nil, []record.Value{
		record.TextValue(typ), record.TextValue(name), record.TextValue(tbl),
		record.IntValue(int64(root)), record.TextValue(sql),
	})
	must(t, c.Insert(rowid, rec))
}

// Acceptance: a table of 100,000 rows and an index written by Wren, half of
// it deleted, passes sqlite3's integrity_check and reads back identically.
func TestInteropWrenWritesSQLiteReads(t *testing.T) {
	needSQLite3(t)
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	for _, ps := range []int{512, 4096, 65536} {
		t.Run(sizeName(ps), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "w.db")
			p, err := pager.Open(osvfs.NewUnix(), file, pager.Options{PageSize: ps, Create: true, CacheSize: -64 << 10})
			must(t, err)
			bt := must1[*BTree](t)(Open(p))
			must(t, bt.BeginWrite())
			tab := must1[uint32](t)(bt.CreateTable(true))
			idx := must1[uint32](t)(bt.CreateTable(false))
			writeSchemaRow(t, bt, 1, "table", "t", "t", tab, "CREATE TABLE t(a INTEGER, b TEXT, c BLOB)")
			writeSchemaRow(t, bt, 2, "index", "ti", "t", idx, "CREATE INDEX ti ON t(b)")
			must(t, p.SetHeaderUint32(40, 1)) // schema cookie
			rows := makeRows(n, ps, uint64(ps))
			tc := must1[*Cursor](t)(bt.OpenTable(tab))
			ic := must1[*Cursor](t)(bt.OpenIndex(idx, nil))
			r := rand.New(rand.NewPCG(5, uint64(ps)))
			// Rowids mostly ascending (the append path) with gaps, in two
			// interleaved passes so that inserts also land mid-tree.
			ids := make([]int64, n)
			for i := range ids {
				ids[i] = int64(i)*3 + 1
			}
			for _, pass := range []int{0, 1} {
				for i := pass; i < n; i += 2 {
					must(t, tc.Insert(ids[i], rows[i].record()))
					must(t, ic.InsertIndex(indexKey(record.TextValue(rows[i].b), record.IntValue(ids[i]))))
				}
			}
			must(t, bt.Commit())
			must(t, bt.BeginWrite())
			alive := make([]bool, n)
			for i := range alive {
				alive[i] = true
			}
			for _, i := range r.Perm(n)[:n/2] {
				alive[i] = false
				found := must1[bool](t)(tc.SeekRowid(ids[i]))
				if !found {
					t.Fatalf("rowid %d not found", ids[i])
				}
				must(t, tc.Delete())
				found = must1[bool](t)(ic.Seek([]record.Value{record.TextValue(rows[i].b), record.IntValue(ids[i])}, SeekEQ))
				if !found {
					t.Fatalf("index entry for rowid %d not found", ids[i])
				}
				must(t, ic.Delete())
			}
			tc.Close()
			ic.Close()
			checkIntegrity(t, bt, tab, idx)
			must(t, bt.Commit())
			must(t, p.Close())

			requireIntegrityOK(t, file)
			out := sqlite3Out(t, file, "SELECT rowid, a, quote(b), hex(c) FROM t ORDER BY rowid;")
			sc := bufio.NewScanner(strings.NewReader(out))
			sc.Buffer(make([]byte, 1<<20), 1<<24)
			i := 0
			for sc.Scan() {
				for i < n && !alive[i] {
					i++
				}
				if i >= n {
					t.Fatalf("sqlite3 returned an extra row: %.100s", sc.Text())
				}
				w := rows[i]
				want := fmt.Sprintf("%d|%d|%s|%s", ids[i], w.a, quote(record.TextValue(w.b)), strings.ToUpper(hex.EncodeToString(w.c)))
				if sc.Text() != want {
					t.Fatalf("row %d: sqlite3 read %.120s\nwant %.120s", ids[i], sc.Text(), want)
				}
				i++
			}
			must(t, sc.Err())
			for i < n && !alive[i] {
				i++
			}
			if i != n {
				t.Fatalf("sqlite3 stopped at row index %d of %d", i, n)
			}
			if got := strings.TrimSpace(sqlite3Out(t, file, "SELECT count(*) FROM t INDEXED BY ti WHERE b >= '';")); got != strconv.Itoa(n/2) {
				t.Fatalf("index count %s, want %d", got, n/2)
			}
		})
	}
}

// schemaEntry is one row of sqlite_schema as Wren reads it.
type schemaEntry struct {
	typ, name string
	root      uint32
}

func readSchema(t *testing.T, bt *BTree) map[string]schemaEntry {
	t.Helper()
	out := map[string]schemaEntry{}
	for _, p := range scanTable(t, bt, 1) {
		vals, err := record.DecodeRecord(p, nil)
		must(t, err)
		out[string(vals[1].Bytes)] = schemaEntry{typ: string(vals[0].Bytes), name: string(vals[1].Bytes), root: uint32(vals[3].Int)}
	}
	return out
}

// wrenQuoted renders a table as sqlite3 prints "SELECT rowid, quote(col)...".
func wrenQuoted(t *testing.T, bt *BTree, root uint32, ncol int, ipkCol int) string {
	t.Helper()
	c := must1[*Cursor](t)(bt.OpenTable(root))
	defer c.Close()
	var sb strings.Builder
	ok, err := c.First()
	for ; ok && err == nil; ok, err = c.Next() {
		id := must1[int64](t)(c.Rowid())
		p := must1[[]byte](t)(c.Payload(nil))
		vals, err := record.DecodeRecord(p, nil)
		must(t, err)
		fmt.Fprintf(&sb, "%d", id)
		for i := 0; i < ncol; i++ {
			v := record.NullValue()
			if i < len(vals) {
				v = vals[i]
			}
			if i == ipkCol {
				v = record.IntValue(id)
			}
			sb.WriteString("|" + quote(v))
		}
		sb.WriteString("\n")
	}
	must(t, err)
	return sb.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	must(t, err)
	defer src.Close()
	dst, err := os.Create(to)
	must(t, err)
	_, err = io.Copy(dst, src)
	must(t, err)
	must(t, dst.Close())
}

// Acceptance: files sqlite3 wrote (auto_vacuum none and full, overflow
// payloads, a freelist, a former WAL file) read identically in Wren, and
// stay sound in sqlite3's eyes after Wren inserts and deletes.
func TestInteropSQLiteWritesWrenReadsWrites(t *testing.T) {
	needSQLite3(t)
	setups := map[string]string{
		"plain":                  "PRAGMA page_size=1024;",
		"autovacuum-full":        "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL;",
		"autovacuum-incremental": "PRAGMA page_size=4096; PRAGMA auto_vacuum=INCREMENTAL;",
		"wal-then-delete":        "PRAGMA page_size=4096; PRAGMA journal_mode=WAL;",
		"reserved-bytes":         ".filectrl reserve_bytes 12\nPRAGMA page_size=1024;",
	}
	for name, setup := range setups {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "s.db")
			script := setup + `
CREATE TABLE t(a INTEGER, b TEXT, c BLOB);
CREATE INDEX ti ON t(b);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000)
INSERT INTO t SELECT i*7, 'v' || (i*7919 % 10007), CASE WHEN i%50 IN (0, 1) THEN randomblob(3000 + i) ELSE randomblob(i%30) END FROM n;
DELETE FROM t WHERE rowid % 5 = 0;
CREATE TABLE u(x INTEGER PRIMARY KEY, y TEXT);
INSERT INTO u VALUES (1, 'one'), (2, 'two'), (10, NULL);
`
			if name == "wal-then-delete" {
				script += "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;\n"
			}
			sqlite3Out(t, file, script)
			stats := strings.TrimSpace(sqlite3Out(t, file, "SELECT count(*) FROM t WHERE length(c) > 3000; PRAGMA freelist_count;"))
			if lines := strings.Split(stats, "\n"); lines[0] != "60" || (strings.HasPrefix(name, "autovacuum-full") != (lines[1] == "0")) {
				t.Fatalf("setup: overflow rows and freelist count = %q", stats)
			}
			if name == "wal-then-delete" {
				if _, err := os.Stat(file + "-wal"); err == nil {
					t.Fatal("WAL file still present after switching to DELETE")
				}
			}
			p, err := pager.Open(osvfs.NewUnix(), file, pager.Options{})
			must(t, err)
			defer p.Close()
			bt := must1[*BTree](t)(Open(p))
			must(t, bt.BeginRead())
			schema := readSchema(t, bt)
			tab, ti, u := schema["t"].root, schema["ti"].root, schema["u"].root
			if tab == 0 || ti == 0 || u == 0 {
				t.Fatalf("schema: %+v", schema)
			}
			want := sqlite3Out(t, file, "SELECT rowid, quote(a), quote(b), quote(c) FROM t ORDER BY rowid;")
			if got := wrenQuoted(t, bt, tab, 3, -1); got != want {
				t.Fatalf("table t differs: wren %d bytes, sqlite3 %d bytes", len(got), len(want))
			}
			want = sqlite3Out(t, file, "SELECT rowid, quote(x), quote(y) FROM u ORDER BY rowid;")
			if got := wrenQuoted(t, bt, u, 2, 0); got != want {
				t.Fatalf("table u differs:\nwren:\n%s\nsqlite3:\n%s", got, want)
			}
			roots := []uint32{1, tab, ti, u}
			if msgs := bt.IntegrityCheck(roots, 10); len(msgs) > 0 {
				t.Fatalf("Wren's integrity check of sqlite3's file: %q", msgs)
			}
			if nIdx := must1[int64](t)(must1[*Cursor](t)(bt.OpenIndex(ti, nil)).Count()); nIdx != 2400 {
				t.Fatalf("index has %d entries", nIdx)
			}
			must(t, bt.EndRead())

			// Wren changes the file: new rows (one with overflow), deletions.
			must(t, bt.BeginWrite())
			tc := must1[*Cursor](t)(bt.OpenTable(tab))
			ic := must1[*Cursor](t)(bt.OpenIndex(ti, nil))
			for i := int64(0); i < 500; i++ {
				id := 100_000 + i
				b := fmt.Sprintf("w%05d", i)
				c := rowData(id, int(i%40))
				if i%100 == 0 {
					c = rowData(id, 5000)
				}
				must(t, tc.Insert(id, testRow{a: i, b: b, c: c}.record()))
				must(t, ic.InsertIndex(indexKey(record.TextValue(b), record.IntValue(id))))
			}
			// delete rows 7..700 step 7 that exist (rowid multiple of 3)
			deleted := 0
			for id := int64(3); id <= 2000; id += 3 {
				found := must1[bool](t)(tc.SeekRowid(id))
				if !found {
					continue
				}
				p := must1[[]byte](t)(tc.Payload(nil))
				vals, err := record.DecodeRecord(p, nil)
				must(t, err)
				must(t, tc.Delete())
				ok := must1[bool](t)(ic.Seek([]record.Value{vals[1], record.IntValue(id)}, SeekEQ))
				if !ok {
					t.Fatalf("index entry of rowid %d missing", id)
				}
				must(t, ic.Delete())
				deleted++
			}
			tc.Close()
			ic.Close()
			if msgs := bt.IntegrityCheck(roots, 10); len(msgs) > 0 {
				t.Fatalf("integrity after Wren's changes: %q", msgs)
			}
			must(t, bt.Commit())
			must(t, p.Close())
			requireIntegrityOK(t, file)
			got := strings.TrimSpace(sqlite3Out(t, file, "SELECT count(*), sum(rowid >= 100000) FROM t;"))
			if want := fmt.Sprintf("%d|500", 2400+500-deleted); got != want {
				t.Fatalf("sqlite3 sees %s, want %s", got, want)
			}
			got = strings.TrimSpace(sqlite3Out(t, file, "SELECT quote(b), length(c) FROM t WHERE rowid = 100100;"))
			if got != "'w00100'|5000" {
				t.Fatalf("sqlite3 reads Wren's row as %q", got)
			}
		})
	}
}

// Acceptance: the Chinook sample database reads identically.
func TestInteropChinook(t *testing.T) {
	needSQLite3(t)
	src := "/work/shared/realdb/chinook.sqlite"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not available", src)
	}
	file := filepath.Join(t.TempDir(), "chinook.sqlite")
	copyFile(t, src, file)
	p, err := pager.Open(osvfs.NewUnix(), file, pager.Options{ReadOnly: true})
	must(t, err)
	defer p.Close()
	bt := must1[*BTree](t)(Open(p))
	must(t, bt.BeginRead())
	defer bt.EndRead()
	schema := readSchema(t, bt)
	for _, tc := range []struct {
		table, cols string
		ncol, ipk   int
	}{
		{"Artist", "quote(ArtistId), quote(Name)", 2, 0},
		{"Track", "quote(TrackId), quote(Name), quote(AlbumId), quote(MediaTypeId), quote(GenreId), quote(Composer), quote(Milliseconds), quote(Bytes)", 8, 0},
	} {
		e, ok := schema[tc.table]
		if !ok {
			t.Fatalf("no table %s in chinook", tc.table)
		}
		want := sqlite3Out(t, file, fmt.Sprintf("SELECT rowid, %s FROM %s ORDER BY rowid;", tc.cols, tc.table))
		got := wrenQuoted(t, bt, e.root, tc.ncol, tc.ipk)
		if got != want {
			gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Fatalf("%s line %d: wren %q, sqlite3 %q", tc.table, i, gl[i], wl[i])
				}
			}
			t.Fatalf("%s: wren %d lines, sqlite3 %d", tc.table, len(gl), len(wl))
		}
	}
	var roots []uint32
	for _, e := range schema {
		if e.root > 0 {
			roots = append(roots, e.root)
		}
	}
	if msgs := bt.IntegrityCheck(append(roots, 1), 10); len(msgs) > 0 {
		t.Fatalf("integrity check of chinook: %q", msgs)
	}
}
