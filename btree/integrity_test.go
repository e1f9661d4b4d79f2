//go:build unix

package btree

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
)

// Ensure that IntegrityCheck finds what sqlite3's integrity_check finds, in
// the same words, on files sqlite3 made and the test then damaged.
func TestIntegrityCheckMatchesSQLite(t *testing.T) {
	needSQLite3(t)
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.db")
	sqlite3Out(t, orig, `PRAGMA page_size=512;
CREATE TABLE t(a, b);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400)
INSERT INTO t SELECT i, CASE WHEN i%40=0 THEN randomblob(1500) ELSE randomblob(i%60) END FROM n;
CREATE TABLE u(x);
INSERT INTO u SELECT randomblob(100) FROM t WHERE a < 50;
DELETE FROM t WHERE a % 7 = 0;`)
	base, err := os.ReadFile(orig)
	must(t, err)

	// Locate structures with Wren: t's root (interior) and its first leaf.
	p, err := pager.Open(osvfs.NewUnix(), orig, pager.Options{ReadOnly: true})
	must(t, err)
	bt := must1[*BTree](t)(Open(p))
	must(t, bt.BeginRead())
	schema := readSchema(t, bt)
	tRoot, uRoot := schema["t"].root, schema["u"].root
	root := must1[*memPage](t)(bt.getPage(tRoot))
	if root.leaf || root.nCell < 3 {
		t.Fatalf("t's root is not an interior page with cells")
	}
	pc0 := must1[int](t)(root.cellOffset(0))
	pc1 := must1[int](t)(root.cellOffset(1))
	child0 := get4(root.data[pc0:])
	root.release()
	leaf := must1[*memPage](t)(bt.getPage(child0))
	leafPc := must1[int](t)(leaf.cellOffset(leaf.nCell - 1))
	leaf.release()
	must(t, bt.EndRead())
	must(t, p.Close())

	ps := 512
	off := func(pg uint32, o int) int { return int(pg-1)*ps + o }
	cases := []struct {
		name   string
		damage func(b []byte)
	}{
		{"freelist-count", func(b []byte) { putU32(b, 36, get4(b[36:])+3) }},
		{"freelist-dropped", func(b []byte) { putU32(b, 32, 0); putU32(b, 36, 0) }},
		{"child-referenced-twice", func(b []byte) { putU32(b, off(tRoot, pc1), child0) }},
		{"fragment-count", func(b []byte) { b[off(child0, 7)] += 2 }},
		{"rowid-out-of-order", func(b []byte) {
			// the last cell's rowid (after its 1-byte payload length) becomes 0x7f
			b[off(child0, leafPc+1)] = 0x01
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			img := append([]byte(nil), base...)
			tc.damage(img)
			file := filepath.Join(dir, tc.name+".db")
			must(t, os.WriteFile(file, img, 0o644))
			out := sqlite3Out(t, file, "PRAGMA integrity_check;")
			var want []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if l != "*** in database main ***" && l != "ok" && !strings.HasPrefix(l, "row ") && !strings.HasPrefix(l, "wrong # of entries") {
					want = append(want, l)
				}
			}
			p, err := pager.Open(osvfs.NewUnix(), file, pager.Options{ReadOnly: true})
			must(t, err)
			defer p.Close()
			bt := must1[*BTree](t)(Open(p))
			must(t, bt.BeginRead())
			got := bt.IntegrityCheck([]uint32{1, tRoot, uRoot}, 100)
			must(t, bt.EndRead())
			slices.Sort(got)
			slices.Sort(want)
			if len(want) == 0 {
				t.Fatalf("sqlite3 found nothing: %q", out)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("messages (-sqlite3 +wren):\n%s", diff)
			}
		})
	}
}
