//go:build unix

package btree

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
)

func headerOf(bt *BTree, off int) (uint32, error) {
	if err := bt.BeginRead(); err != nil {
		return 0, err
	}
	defer bt.EndRead()
	return bt.header(off), nil
}

// Ensure that Wren's balancing fills pages as SQLite's does: the same rows
// inserted in the same order give the same number of pages.
func TestFillMatchesSQLite(t *testing.T) {
	needSQLite3(t)
	const n = 20000
	orders := map[string]string{
		"ascending":  "i",
		"descending": "-i",
		"scattered":  "(i*7919) % 20011",
	}
	for name, order := range orders {
		for _, withIndex := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/index=%v", name, withIndex), func(t *testing.T) {
				dir := t.TempDir()
				sfile := filepath.Join(dir, "s.db")
				script := fmt.Sprintf(`PRAGMA page_size=1024;
CREATE TABLE t(a INTEGER, b TEXT);
%s
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<%d)
INSERT INTO t(rowid, a, b) SELECT %s, i, printf('%%0*d', i %% 50, i) FROM n ORDER BY i;
`, map[bool]string{true: "CREATE INDEX ti ON t(b, a);"}[withIndex], n, order)
				sqlite3Out(t, sfile, script)
				want := strings.TrimSpace(sqlite3Out(t, sfile, "PRAGMA page_count;"))
				sqlite3Out(t, sfile, "DELETE FROM t WHERE a % 3 = 0 OR (a > 5000 AND a < 9000);")
				wantAfter := strings.TrimSpace(sqlite3Out(t, sfile, "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count);"))

				wfile := filepath.Join(dir, "w.db")
				p, err := pager.Open(osvfs.NewUnix(), wfile, pager.Options{PageSize: 1024, Create: true, CacheSize: 10000})
				must(t, err)
				bt := must1[*BTree](t)(Open(p))
				must(t, bt.BeginWrite())
				tab := must1[uint32](t)(bt.CreateTable(true))
				var idx uint32
				if withIndex {
					idx = must1[uint32](t)(bt.CreateTable(false))
				}
				writeSchemaRow(t, bt, 1, "table", "t", "t", tab, "CREATE TABLE t(a INTEGER, b TEXT)")
				if withIndex {
					writeSchemaRow(t, bt, 2, "index", "ti", "t", idx, "CREATE INDEX ti ON t(b, a)")
				}
				tc := must1[*Cursor](t)(bt.OpenTable(tab))
				var ic *Cursor
				if withIndex {
					ic = must1[*Cursor](t)(bt.OpenIndex(idx, nil))
				}
				for i := int64(1); i <= n; i++ {
					var id int64
					switch name {
					case "ascending":
						id = i
					case "descending":
						id = -i
					default:
						id = (i * 7919) % 20011
					}
					b := fmt.Sprintf("%0*d", int(i%50), i)
					must(t, tc.Insert(id, record.AppendRecord(nil, []record.Value{record.IntValue(i), record.TextValue(b)})))
					if withIndex {
						must(t, ic.InsertIndex(indexKey(record.TextValue(b), record.IntValue(i), record.IntValue(id))))
					}
				}
				must(t, p.SetHeaderUint32(40, 1))
				must(t, bt.Commit())
				got := p.PageCount()
				if wi, _ := strconv.Atoi(want); int(got) != wi {
					t.Errorf("after inserts Wren used %d pages, sqlite3 %d", got, wi)
				}
				// Delete as sqlite3's DELETE does: rows in rowid order, each
				// followed by its index entry.
				must(t, bt.BeginWrite())
				ok, err := tc.First()
				for ; ok && err == nil; ok, err = tc.Next() {
					id := must1[int64](t)(tc.Rowid())
					vals, err := record.DecodeRecord(must1[[]byte](t)(tc.Payload(nil)), nil)
					must(t, err)
					a := vals[0].Int
					if a%3 != 0 && !(a > 5000 && a < 9000) {
						continue
					}
					must(t, tc.Delete())
					if withIndex {
						found := must1[bool](t)(ic.Seek([]record.Value{vals[1], vals[0], record.IntValue(id)}, SeekEQ))
						if !found {
							t.Fatalf("index entry of %d missing", id)
						}
						must(t, ic.Delete())
					}
				}
				must(t, err)
				must(t, bt.Commit())
				inUse := p.PageCount() - must1[uint32](t)(headerOf(bt, hdrFreelistCount))
				if wi, _ := strconv.Atoi(wantAfter); int(inUse) != wi {
					t.Errorf("after deletes Wren uses %d pages, sqlite3 %d", inUse, wi)
				}
				must(t, p.Close())
				requireIntegrityOK(t, wfile)
			})
		}
	}
}
