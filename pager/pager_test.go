package pager

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// pagesOf builds a model of pages 1..n stamped with tx.
func pagesOf(n uint32, tx, pageSize int) model {
	m := model{}
	for pgno := uint32(1); pgno <= n; pgno++ {
		m[pgno] = stamp(pgno, tx, pageSize)
	}
	return m
}

func TestCommitReopenReadsBack(t *testing.T) {
	for _, ps := range []int{512, 4096, 65536} {
		for _, mode := range []JournalMode{JournalDelete, JournalTruncate, JournalPersist, JournalMemory, JournalOff} {
			t.Run(mode.String(), func(t *testing.T) {
				vfs := osvfs.NewMem()
				opts := Options{PageSize: ps, Create: true, JournalMode: mode}
				p := mustOpen(t, vfs, "db", opts)
				want := pagesOf(20, 1, ps)
				mustCommitPages(t, p, want.clone())
				// Rewrite some pages in a second transaction.
				second := model{3: stamp(3, 2, ps), 7: stamp(7, 2, ps), 1: stamp(1, 2, ps)}
				mustCommitPages(t, p, second.clone())
				for k, v := range second {
					want[k] = v
				}
				if err := p.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				q := mustOpen(t, vfs, "db", Options{})
				if q.PageSize() != ps {
					t.Errorf("PageSize after reopen = %d, want %d", q.PageSize(), ps)
				}
				got, err := snapshot(q)
				if err != nil {
					t.Fatal(err)
				}
				if diff := diffPages(want.expected(ps), got); diff != "" {
					t.Errorf("pages after reopen (-want +got):\n%s", diff)
				}
				if exists, _ := vfs.Exists("db-journal"); exists != (mode == JournalTruncate || mode == JournalPersist) {
					t.Errorf("journal exists = %v after commit in %v mode", exists, mode)
				}
			})
		}
	}
}

func TestCommitMaintainsHeaderFields(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 1024, Create: true})
	mustCommitPages(t, p, pagesOf(5, 1, 1024))
	mustCommitPages(t, p, model{2: stamp(2, 2, 1024)})
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	defer p.EndRead()
	got := map[string]uint32{
		"change counter":    p.HeaderUint32(offChangeCounter),
		"db size":           p.HeaderUint32(offDBSize),
		"version-valid-for": p.HeaderUint32(offVersionValid),
		"version number":    p.HeaderUint32(offVersionNumber),
	}
	want := map[string]uint32{
		"change counter":    2,
		"db size":           5,
		"version-valid-for": 2,
		"version number":    sqliteVersionNumber,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("header fields (-want +got):\n%s", diff)
	}
}

func TestRollbackRestores(t *testing.T) {
	for _, mode := range []JournalMode{JournalDelete, JournalTruncate, JournalPersist, JournalMemory, JournalOff} {
		t.Run(mode.String(), func(t *testing.T) {
			vfs := osvfs.NewMem()
			p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true, JournalMode: mode})
			want := pagesOf(10, 1, 512)
			mustCommitPages(t, p, want.clone())
			if err := p.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			for _, pgno := range []uint32{1, 2, 5, 12, 13} {
				if err := setPage(p, pgno, stamp(pgno, 2, 512)); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Rollback(); err != nil {
				t.Fatal(err)
			}
			got, err := snapshot(p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := diffPages(want.expected(512), got); diff != "" {
				t.Errorf("pages after rollback (-want +got):\n%s", diff)
			}
			q := mustOpen(t, vfs, "db", Options{})
			got, err = snapshot(q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := diffPages(want.expected(512), got); diff != "" {
				t.Errorf("pages seen by a new pager (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTruncateAtCommitAndRollback(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	want := pagesOf(30, 1, 512)
	mustCommitPages(t, p, want.clone())

	// A rolled back truncation changes nothing.
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := p.Truncate(10); err != nil {
		t.Fatal(err)
	}
	if err := p.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got, err := snapshot(p); err != nil || diffPages(want.expected(512), got) != "" {
		t.Fatalf("after rolled back truncate: %v, %s", err, diffPages(want.expected(512), got))
	}

	// A committed one cuts the file.
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	if err := p.Truncate(10); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	for pgno := uint32(11); pgno <= 30; pgno++ {
		delete(want, pgno)
	}
	q := mustOpen(t, vfs, "db", Options{})
	got, err := snapshot(q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffPages(want.expected(512), got); diff != "" {
		t.Errorf("after truncate (-want +got):\n%s", diff)
	}
	f, _ := vfs.Open("db", osvfs.OpenReadOnly|osvfs.OpenMainDB)
	defer f.Close()
	if size, _ := f.Size(); size != 10*512 {
		t.Errorf("file size %d, want %d", size, 10*512)
	}
}

func TestAppendSkipsPendingBytePage(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 65536, Create: true})
	if err := p.BeginWrite(); err != nil {
		t.Fatal(err)
	}
	defer p.Rollback()
	pending := p.PendingBytePage()
	if pending != osvfs.PendingByte/65536+1 {
		t.Fatalf("PendingBytePage = %d", pending)
	}
	// Pretend the database already reaches the page before it.
	p.dbSize = pending - 1
	pg, err := p.Append()
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Release()
	if pg.Pgno() != pending+1 {
		t.Errorf("Append returned page %d, want %d (pending byte page is %d)", pg.Pgno(), pending+1, pending)
	}
	if _, err := p.Get(pending); !errors.Is(err, resultcode.ErrCorrupt) {
		t.Errorf("Get(pending byte page) = %v, want ErrCorrupt", err)
	}
}

// writeRaw creates a file with the given bytes.
func writeRaw(t *testing.T, vfs osvfs.VFS, name string, b []byte) {
	t.Helper()
	f, err := vfs.Open(name, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenMainDB)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, 0); err != nil {
		t.Fatal(err)
	}
}

func TestBadFilesAreRejected(t *testing.T) {
	valid := func(ps int) []byte {
		b := make([]byte, ps*3)
		newHeaderPage(b[:ps])
		binary.BigEndian.PutUint32(b[offChangeCounter:], 1)
		binary.BigEndian.PutUint32(b[offVersionValid:], 1)
		binary.BigEndian.PutUint32(b[offDBSize:], 3)
		return b
	}
	tests := []struct {
		name   string
		file   func() []byte
		want   error
		getPg3 error // error of Get(3) when the transaction starts
	}{
		{"valid", func() []byte { return valid(1024) }, nil, nil},
		{"bad magic", func() []byte { b := valid(1024); b[3] = 'X'; return b }, resultcode.ErrNotADB, nil},
		{"text file", func() []byte { return []byte("hello, this is not a database at all\n") }, resultcode.ErrNotADB, nil},
		{"page size 1000", func() []byte { b := valid(1024); binary.BigEndian.PutUint16(b[16:], 1000); return b }, resultcode.ErrNotADB, nil},
		{"page size 256", func() []byte { b := valid(1024); binary.BigEndian.PutUint16(b[16:], 256); return b }, resultcode.ErrNotADB, nil},
		{"page size 0", func() []byte { b := valid(1024); binary.BigEndian.PutUint16(b[16:], 0); return b }, resultcode.ErrNotADB, nil},
		{"header claims more pages", func() []byte { b := valid(1024); binary.BigEndian.PutUint32(b[offDBSize:], 9); return b }, resultcode.ErrCorrupt, nil},
		{"last page cut short", func() []byte {
			b := valid(1024)
			binary.BigEndian.PutUint32(b[offVersionValid:], 7)
			return b[:2*1024+100]
		}, nil, resultcode.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vfs := osvfs.NewMem()
			writeRaw(t, vfs, "db", tt.file())
			p := mustOpen(t, vfs, "db", Options{})
			err := p.BeginRead()
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("BeginRead = %v, want %v", err, tt.want)
			}
			if err != nil {
				if p.InRead() {
					t.Errorf("InRead after a failed BeginRead")
				}
				return
			}
			defer p.EndRead()
			pg, err := p.Get(3)
			if !errors.Is(err, tt.getPg3) || (tt.getPg3 == nil) != (err == nil) {
				t.Errorf("Get(3) = %v, want %v", err, tt.getPg3)
			}
			if err == nil {
				pg.Release()
			}
			if _, err := p.Get(4); !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("Get(4) beyond the end = %v, want ErrCorrupt", err)
			}
			if _, err := p.Get(0); !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("Get(0) = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	mustCommitPages(t, p, pagesOf(3, 1, 512))
	ro := mustOpen(t, vfs, "db", Options{ReadOnly: true})
	if err := ro.BeginWrite(); !errors.Is(err, resultcode.ErrReadOnly) {
		t.Errorf("BeginWrite on a read-only pager = %v, want ErrReadOnly", err)
	}
	if ro.InRead() {
		t.Errorf("read transaction left open by a refused BeginWrite")
	}
	if err := ro.BeginRead(); err != nil {
		t.Fatal(err)
	}
	pg, err := ro.Get(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.Write(pg); !errors.Is(err, resultcode.ErrReadOnly) {
		t.Errorf("Write on a read-only pager = %v, want ErrReadOnly", err)
	}
	pg.Release()
	ro.EndRead()
}

func TestMisuse(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	mustCommitPages(t, p, pagesOf(3, 1, 512))
	if _, err := p.Get(1); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("Get outside a transaction = %v, want ErrMisuse", err)
	}
	if err := p.BeginRead(); err != nil {
		t.Fatal(err)
	}
	pg, err := p.Get(1)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write(pg); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("Write in a read transaction = %v, want ErrMisuse", err)
	}
	pg.Release()
	if _, err := p.Append(); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("Append in a read transaction = %v, want ErrMisuse", err)
	}
	if err := p.SetPageSize(1024); !errors.Is(err, resultcode.ErrMisuse) {
		t.Errorf("SetPageSize on a database with pages = %v, want ErrMisuse", err)
	}
	p.EndRead()
}

func TestSetPageSizeOnEmptyDatabase(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{Create: true})
	if err := p.SetPageSize(8192); err != nil {
		t.Fatal(err)
	}
	mustCommitPages(t, p, pagesOf(2, 1, 8192))
	q := mustOpen(t, vfs, "db", Options{PageSize: 512})
	if err := q.BeginRead(); err != nil {
		t.Fatal(err)
	}
	defer q.EndRead()
	if q.PageSize() != 8192 || q.PageCount() != 2 {
		t.Errorf("reopened: page size %d, %d pages; want 8192, 2", q.PageSize(), q.PageCount())
	}
}
