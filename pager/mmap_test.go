package pager

import (
	"path/filepath"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// With mmap_size set, pages come from the mapping of the database file and
// read the same as without it, in rollback and in WAL mode, also after
// another connection shrank the file and grew it again.
func TestMmapReads(t *testing.T) {
	for _, mode := range []JournalMode{JournalDelete, JournalWAL} {
		t.Run(mode.String(), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "m.db")
			vfs := osvfs.NewUnix()
			opts := Options{PageSize: 512, Create: true, JournalMode: mode}
			w := mustOpen(t, vfs, db, opts)
			w.SetWALAutoCheckpoint(1) // keep the database file current
			m := pagesOf(30, 1, 512)
			mustCommitPages(t, w, m)
			mustCommitPages(t, w, m)

			r := mustOpen(t, vfs, db, Options{})
			r.SetMmapSize(1 << 20)
			if d := diffPages(m.expected(512), mustSnapshot(t, r)); d != "" {
				t.Fatalf("mapped reads (-want +got):\n%s", d)
			}
			if len(r.mapping) != 30*512 {
				t.Fatalf("mapping of %d bytes for a file of 30 pages", len(r.mapping))
			}

			// Shrink the file to 10 pages, then grow it to 20 with new
			// content: the mapped reader must follow both.
			if err := w.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			if err := w.Truncate(10); err != nil {
				t.Fatal(err)
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			small := make(model)
			for pgno := uint32(1); pgno <= 10; pgno++ {
				small[pgno] = m[pgno]
			}
			if d := diffPages(small.expected(512), mustSnapshot(t, r)); d != "" {
				t.Errorf("after the file shrank (-want +got):\n%s", d)
			}
			grown := small.clone()
			for pgno := uint32(5); pgno <= 20; pgno++ {
				grown[pgno] = stamp(pgno, 3, 512)
			}
			mustCommitPages(t, w, grown)
			if d := diffPages(grown.expected(512), mustSnapshot(t, r)); d != "" {
				t.Errorf("after the file grew again (-want +got):\n%s", d)
			}
			r.SetMmapSize(0)
			if r.mapping != nil {
				t.Errorf("mapping kept after mmap_size 0")
			}
			if d := diffPages(grown.expected(512), mustSnapshot(t, r)); d != "" {
				t.Errorf("unmapped reads (-want +got):\n%s", d)
			}
		})
	}
}
