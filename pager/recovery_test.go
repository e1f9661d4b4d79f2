package pager

import (
	"encoding/binary"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// journalBuilder crafts journal files byte by byte, from the format
// description rather than from journal.go.
type journalBuilder struct {
	b        []byte
	sector   int
	pageSize int
}

func (jb *journalBuilder) header(nRec, nonce, origSize uint32) {
	for len(jb.b)%jb.sector != 0 {
		jb.b = append(jb.b, 0)
	}
	h := make([]byte, jb.sector)
	copy(h, journalMagic[:])
	binary.BigEndian.PutUint32(h[8:], nRec)
	binary.BigEndian.PutUint32(h[12:], nonce)
	binary.BigEndian.PutUint32(h[16:], origSize)
	binary.BigEndian.PutUint32(h[20:], uint32(jb.sector))
	binary.BigEndian.PutUint32(h[24:], uint32(jb.pageSize))
	jb.b = append(jb.b, h...)
}

func (jb *journalBuilder) record(pgno uint32, page []byte, nonce uint32) {
	jb.b = binary.BigEndian.AppendUint32(jb.b, pgno)
	jb.b = append(jb.b, page...)
	jb.b = binary.BigEndian.AppendUint32(jb.b, sampledChecksum(nonce, page))
}

// superJournal appends a super-journal name record, as SQLite writes it
// for a multi-database commit.
func (jb *journalBuilder) superJournal(name string) {
	for len(jb.b)%jb.sector != 0 {
		jb.b = append(jb.b, 0)
	}
	pending := pendingBytePage(jb.pageSize)
	jb.b = binary.BigEndian.AppendUint32(jb.b, pending)
	jb.b = append(jb.b, name...)
	jb.b = binary.BigEndian.AppendUint32(jb.b, uint32(len(name)))
	var sum uint32
	for _, c := range []byte(name) {
		sum += uint32(int32(int8(c)))
	}
	jb.b = binary.BigEndian.AppendUint32(jb.b, sum)
	jb.b = append(jb.b, journalMagic[:]...)
}

func TestHotJournalPlayback(t *testing.T) {
	const ps = 1024
	const nonce, nonce2 = 0x12345678, 0x9abcdef0
	// The database holds tx 2 content on pages 1..6; the journal holds the
	// tx 1 originals of some of them and says the database had 4 pages.
	var page1 []byte // page 1 as the first transaction wrote it
	orig := func(pgno uint32) []byte {
		if pgno == 1 {
			return page1
		}
		return stamp(pgno, 1, ps)
	}
	tests := []struct {
		name    string
		journal func(jb *journalBuilder)
		// restored pages hold tx 1 content afterwards; the others tx 2.
		restored []uint32
		pages    uint32 // database size afterwards
	}{
		{"three records", func(jb *journalBuilder) {
			jb.header(4, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(2, orig(2), nonce)
			jb.record(3, orig(3), nonce)
			jb.record(4, orig(4), nonce)
		}, []uint32{1, 2, 3, 4}, 4},
		{"bad checksum stops playback", func(jb *journalBuilder) {
			jb.header(4, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(2, orig(2), nonce)
			jb.record(3, orig(3), nonce+1)
			jb.record(4, orig(4), nonce)
		}, []uint32{1, 2}, 4},
		{"page number 0 stops playback", func(jb *journalBuilder) {
			jb.header(4, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(2, orig(2), nonce)
			jb.record(0, orig(3), nonce)
			jb.record(4, orig(4), nonce)
		}, []uint32{1, 2}, 4},
		{"record count unknown: up to the end", func(jb *journalBuilder) {
			jb.header(nRecUnknown, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(3, orig(3), nonce)
			jb.record(4, orig(4), nonce)
		}, []uint32{1, 3, 4}, 4},
		{"records beyond the count are ignored", func(jb *journalBuilder) {
			jb.header(2, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(3, orig(3), nonce)
			jb.record(4, orig(4), nonce)
		}, []uint32{1, 3}, 4},
		{"second segment", func(jb *journalBuilder) {
			jb.header(1, nonce, 4)
			jb.record(3, orig(3), nonce)
			jb.header(2, nonce2, 4)
			jb.record(2, orig(2), nonce2)
			jb.record(1, orig(1), nonce2)
		}, []uint32{1, 2, 3}, 4},
		{"truncated last record", func(jb *journalBuilder) {
			jb.header(3, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(3, orig(3), nonce)
			jb.record(4, orig(4), nonce)
			jb.b = jb.b[:len(jb.b)-10]
		}, []uint32{1, 3}, 4},
		{"records for pages beyond the original size are skipped", func(jb *journalBuilder) {
			jb.header(3, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(6, orig(6), nonce)
			jb.record(3, orig(3), nonce)
		}, []uint32{1, 3}, 4},
		{"super-journal gone: the transaction committed", func(jb *journalBuilder) {
			jb.header(2, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(3, orig(3), nonce)
			jb.superJournal("/gone-mj\xe9\x01")
		}, nil, 6},
		{"super-journal present: played back", func(jb *journalBuilder) {
			jb.header(2, nonce, 4)
			jb.record(1, orig(1), nonce)
			jb.record(3, orig(3), nonce)
			jb.superJournal("/present-mj")
		}, []uint32{1, 3}, 4},
		{"bad page size in the header: nothing", func(jb *journalBuilder) {
			jb.header(2, nonce, 4)
			binary.BigEndian.PutUint32(jb.b[24:], 1000)
			jb.record(1, orig(1), nonce)
			jb.record(3, orig(3), nonce)
		}, nil, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vfs := osvfs.NewMem()
			p := mustOpen(t, vfs, "db", Options{PageSize: ps, Create: true})
			mustCommitPages(t, p, pagesOf(4, 1, ps))
			page1 = readAll(t, vfs, "db")[:ps]
			current := pagesOf(6, 2, ps)
			mustCommitPages(t, p, current.clone())
			jb := &journalBuilder{sector: 512, pageSize: ps}
			tt.journal(jb)
			writeRaw(t, vfs, "db-journal", jb.b)
			writeRaw(t, vfs, "/present-mj", []byte("x"))

			q := mustOpen(t, vfs, "db", Options{})
			got, err := snapshot(q)
			if err != nil {
				t.Fatal(err)
			}
			want := model{}
			for pgno := uint32(1); pgno <= tt.pages; pgno++ {
				want[pgno] = current[pgno]
			}
			for _, pgno := range tt.restored {
				want[pgno] = stamp(pgno, 1, ps)
			}
			if d := diffPages(want.expected(ps), got); d != "" {
				t.Errorf("after playback (-want +got):\n%s", d)
			}
			if exists, _ := vfs.Exists("db-journal"); exists {
				t.Errorf("journal still exists")
			}
		})
	}
}

// A journal whose first byte is zero is not hot and stays untouched; a
// journal next to an empty database is deleted.
func TestColdJournals(t *testing.T) {
	vfs := osvfs.NewMem()
	p := mustOpen(t, vfs, "db", Options{PageSize: 512, Create: true})
	want := pagesOf(3, 1, 512)
	mustCommitPages(t, p, want.clone())
	jb := &journalBuilder{sector: 512, pageSize: 512}
	jb.header(1, 7, 1)
	jb.record(2, make([]byte, 512), 7)
	jb.b[0] = 0
	writeRaw(t, vfs, "db-journal", jb.b)
	got, err := snapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPages(want.expected(512), got); d != "" {
		t.Errorf("cold journal was played back (-want +got):\n%s", d)
	}
	if exists, _ := vfs.Exists("db-journal"); !exists {
		t.Errorf("cold journal was deleted")
	}

	writeRaw(t, vfs, "empty", nil)
	writeRaw(t, vfs, "empty-journal", append(journalMagic[:], make([]byte, 600)...))
	e := mustOpen(t, vfs, "empty", Options{})
	if err := e.BeginRead(); err != nil {
		t.Fatal(err)
	}
	e.EndRead()
	if exists, _ := vfs.Exists("empty-journal"); exists {
		t.Errorf("journal next to an empty database was kept")
	}
}
