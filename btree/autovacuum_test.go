//go:build unix

package btree

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
)

// avSchema keeps the test's sqlite_schema rows: name -> (rowid, root).
type avTable struct {
	rowid int64
	root  uint32
	index bool
	sql   string
}

func deleteWhere(t *testing.T, bt *BTree, root uint32, keep func(int64) bool) {
	t.Helper()
	c := must1[*Cursor](t)(bt.OpenTable(root))
	defer c.Close()
	ok, err := c.First()
	for ; ok && err == nil; ok, err = c.Next() {
		if !keep(must1[int64](t)(c.Rowid())) {
			must(t, c.Delete())
		}
	}
	must(t, err)
}

// Ensure that auto_vacuum databases written by Wren keep pointer maps
// right, shrink at commit (full) or on request (incremental), move the last
// root into a dropped table's slot, and satisfy sqlite3.
func TestAutoVacuum(t *testing.T) {
	for _, mode := range []AutoVacuum{AutoVacuumFull, AutoVacuumIncremental} {
		t.Run(mode.String(), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "av.db")
			p, err := pager.Open(osvfs.NewUnix(), file, pager.Options{PageSize: 1024, Create: true})
			must(t, err)
			bt := must1[*BTree](t)(Open(p))
			must(t, bt.SetAutoVacuum(mode))
			must(t, bt.BeginWrite())
			if bt.AutoVacuum() != mode {
				t.Fatalf("mode %v after begin, want %v", bt.AutoVacuum(), mode)
			}
			tables := map[string]*avTable{}
			next := int64(1)
			create := func(name string) {
				root := must1[uint32](t)(bt.CreateTable(true))
				sql := fmt.Sprintf("CREATE TABLE %s(a INTEGER, b BLOB)", name)
				writeSchemaRow(t, bt, next, "table", name, name, root, sql)
				tables[name] = &avTable{rowid: next, root: root, sql: sql}
				next++
			}
			create("a")
			fillTable(t, bt, tables["a"].root, 1, 400, 3000)
			create("b") // its root must move page(s) of a out of the way
			fillTable(t, bt, tables["b"].root, 1, 300, 2500)
			create("c")
			fillTable(t, bt, tables["c"].root, 1, 200, 0)
			must(t, p.SetHeaderUint32(40, 1))
			var roots []uint32
			rootList := func() []uint32 {
				roots = roots[:0]
				for _, tb := range tables {
					roots = append(roots, tb.root)
				}
				return roots
			}
			checkIntegrity(t, bt, rootList()...)
			must(t, bt.Commit())
			must(t, p.Close())
			requireIntegrityOK(t, file)
			if got := strings.TrimSpace(sqlite3Out(t, file, "PRAGMA auto_vacuum;")); got != map[AutoVacuum]string{AutoVacuumFull: "1", AutoVacuumIncremental: "2"}[mode] {
				t.Fatalf("sqlite3 reports auto_vacuum=%s", got)
			}

			p, err = pager.Open(osvfs.NewUnix(), file, pager.Options{})
			must(t, err)
			defer p.Close()
			bt = must1[*BTree](t)(Open(p))
			must(t, bt.BeginWrite())
			before := p.PageCount()
			deleteWhere(t, bt, tables["a"].root, func(id int64) bool { return id%3 == 0 })
			// drop b: c's root (the last root) moves into b's slot
			moved := must1[uint32](t)(bt.DropTable(tables["b"].root))
			if moved != tables["c"].root {
				t.Fatalf("DropTable moved page %d, want c's root %d", moved, tables["c"].root)
			}
			sc := must1[*Cursor](t)(bt.OpenTable(1))
			must1[bool](t)(sc.SeekRowid(tables["b"].rowid))
			must(t, sc.Delete())
			sc.Close()
			tables["c"].root = tables["b"].root
			writeSchemaRow(t, bt, tables["c"].rowid, "table", "c", "c", tables["c"].root, tables["c"].sql)
			delete(tables, "b")
			checkIntegrityNoFreelistShrink := bt.IntegrityCheck(append([]uint32{1}, rootList()...), 10)
			if len(checkIntegrityNoFreelistShrink) > 0 {
				t.Fatalf("integrity before commit: %q", checkIntegrityNoFreelistShrink)
			}
			if mode == AutoVacuumIncremental {
				free := bt.header(hdrFreelistCount)
				if free == 0 {
					t.Fatal("no free pages after deletes")
				}
				n := must1[int](t)(bt.IncrementalVacuum(5))
				if n < 5 {
					t.Fatalf("incremental vacuum removed %d pages", n)
				}
				checkIntegrity(t, bt, rootList()...)
				must1[int](t)(bt.IncrementalVacuum(0))
				if f := bt.header(hdrFreelistCount); f != 0 {
					t.Fatalf("freelist has %d pages after a full incremental vacuum", f)
				}
				checkIntegrity(t, bt, rootList()...)
			}
			must(t, bt.Commit())
			must(t, bt.BeginRead())
			after := p.PageCount()
			if after >= before {
				t.Fatalf("file did not shrink: %d -> %d pages", before, after)
			}
			if f := bt.header(hdrFreelistCount); f != 0 {
				t.Fatalf("freelist has %d pages after commit", f)
			}
			checkIntegrity(t, bt, rootList()...)
			got := scanTable(t, bt, tables["c"].root)
			if len(got) != 199 {
				t.Fatalf("c has %d rows after moving", len(got))
			}
			must(t, bt.EndRead())
			must(t, p.Close())
			requireIntegrityOK(t, file)
			if got := strings.TrimSpace(sqlite3Out(t, file, "SELECT count(*) FROM a; SELECT count(*) FROM c; PRAGMA freelist_count;")); got != "133\n199\n0" {
				t.Fatalf("sqlite3 reads %q", got)
			}
		})
	}
}
