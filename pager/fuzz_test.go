package pager

import (
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// readEverything opens name and reads every page; errors are fine, panics
// and hangs are not.
func readEverything(vfs osvfs.VFS, name string) {
	p, err := Open(vfs, name, Options{})
	if err != nil {
		return
	}
	defer p.Close()
	if err := p.BeginRead(); err != nil {
		return
	}
	defer p.EndRead()
	for pgno := uint32(1); pgno <= p.PageCount() && pgno <= 64; pgno++ {
		if pg, err := p.Get(pgno); err == nil {
			pg.Release()
		}
	}
}

// validDB is a 4-page database of 512-byte pages.
func validDB(t testing.TB) []byte {
	vfs := osvfs.NewMem()
	p, err := Open(vfs, "db", Options{PageSize: 512, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	mustCommitPages(t, p, pagesOf(4, 1, 512))
	p.Close()
	f, _ := vfs.Open("db", osvfs.OpenReadOnly)
	defer f.Close()
	b := make([]byte, 4*512)
	f.ReadAt(b, 0)
	return b
}

// FuzzOpen opens arbitrary bytes as a database file.
func FuzzOpen(f *testing.F) {
	db := validDB(f)
	f.Add(db)
	f.Add(db[:100])
	f.Add([]byte(headerMagic))
	f.Fuzz(func(t *testing.T, file []byte) {
		vfs := osvfs.NewMem()
		writeRaw(t, vfs, "db", file)
		readEverything(vfs, "db")
	})
}

// FuzzHotJournal plays back arbitrary bytes as a hot journal of a valid
// database.
func FuzzHotJournal(f *testing.F) {
	db := validDB(f)
	jb := &journalBuilder{sector: 512, pageSize: 512}
	jb.header(2, 99, 3)
	jb.record(1, db[:512], 99)
	jb.record(2, make([]byte, 512), 99)
	f.Add(jb.b)
	jb.superJournal("/x")
	f.Add(jb.b)
	jb = &journalBuilder{sector: 512, pageSize: 512}
	jb.header(nRecUnknown, 1, 0xffffffff)
	f.Add(jb.b)
	f.Fuzz(func(t *testing.T, journal []byte) {
		vfs := osvfs.NewMem()
		writeRaw(t, vfs, "db", db)
		writeRaw(t, vfs, "db-journal", journal)
		readEverything(vfs, "db")
	})
}
