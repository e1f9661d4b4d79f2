package pager

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

func readAll(t *testing.T, vfs osvfs.VFS, name string) []byte {
	t.Helper()
	f, err := vfs.Open(name, osvfs.OpenReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return b
}

// sampledChecksum is the journal record checksum written out from the
// format description, independently of journalChecksum.
func sampledChecksum(nonce uint32, page []byte) uint32 {
	sum := nonce
	for i := len(page) - 200; i > 0; i -= 200 {
		sum += uint32(page[i])
	}
	return sum
}

type journalLayout struct {
	Magic      []byte
	NRec       uint32
	OrigSize   uint32
	SectorSize uint32
	PageSize   uint32
	Padding    bool // the rest of the header sector is zeros
	Pgnos      []uint32
	Originals  bool // every record holds the page's original content
	Checksums  bool // every record's checksum is right for the nonce
}

func decodeJournal(b []byte, originals map[uint32][]byte) journalLayout {
	var l journalLayout
	if len(b) < 512 {
		return l
	}
	l.Magic = b[:8]
	l.NRec = binary.BigEndian.Uint32(b[8:])
	nonce := binary.BigEndian.Uint32(b[12:])
	l.OrigSize = binary.BigEndian.Uint32(b[16:])
	l.SectorSize = binary.BigEndian.Uint32(b[20:])
	l.PageSize = binary.BigEndian.Uint32(b[24:])
	l.Padding = bytes.Count(b[28:l.SectorSize], []byte{0}) == int(l.SectorSize)-28
	l.Originals, l.Checksums = true, true
	ps := int(l.PageSize)
	for off := int(l.SectorSize); off+ps+8 <= len(b); off += ps + 8 {
		pgno := binary.BigEndian.Uint32(b[off:])
		page := b[off+4 : off+4+ps]
		l.Pgnos = append(l.Pgnos, pgno)
		if !bytes.Equal(page, originals[pgno]) {
			l.Originals = false
		}
		if binary.BigEndian.Uint32(b[off+4+ps:]) != sampledChecksum(nonce, page) {
			l.Checksums = false
		}
	}
	return l
}

func TestJournalFormat(t *testing.T) {
	tests := []struct {
		mode JournalMode
		sync Synchronous
	}{
		{JournalPersist, SyncFull},
		{JournalTruncate, SyncNormal},
		{JournalPersist, SyncOff},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String()+"/"+tt.sync.String(), func(t *testing.T) {
			vfs := osvfs.NewMem()
			p := mustOpen(t, vfs, "db", Options{PageSize: 1024, Create: true, JournalMode: tt.mode, Synchronous: tt.sync})
			base := pagesOf(6, 1, 1024)
			mustCommitPages(t, p, base.clone())
			originals, err := snapshot(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.BeginWrite(); err != nil {
				t.Fatal(err)
			}
			pg1, _ := p.Get(1)
			originals[1] = append([]byte(nil), pg1.Data()...)
			pg1.Release()
			next := base.clone()
			mustSet(t, p, next, 4, 2)
			mustSet(t, p, next, 2, 2)
			mustSet(t, p, next, 4, 3) // journaled once only
			mustSet(t, p, next, 8, 2) // beyond the original size: not journaled

			// Before the sync a synced journal's header has no magic yet.
			wantMagic := journalMagic[:]
			wantNRec := uint32(nRecUnknown)
			if err := p.jrnl.flush(); err != nil { // records are buffered
				t.Fatal(err)
			}
			if tt.sync != SyncOff {
				before := decodeJournal(readAll(t, vfs, "db-journal"), originals)
				if !bytes.Equal(before.Magic, make([]byte, 8)) || before.NRec != 0 {
					t.Errorf("header before the sync: magic %x nRec %d, want zeros", before.Magic, before.NRec)
				}
				wantMagic, wantNRec = journalMagic[:], 2
			}
			// Run the commit's journal steps: page 1 is journaled for the
			// change counter, then the journal is made durable.
			if err := p.updateChangeCounter(); err != nil {
				t.Fatal(err)
			}
			if tt.sync != SyncOff {
				wantNRec = 3
			}
			if err := p.syncJournal(); err != nil {
				t.Fatal(err)
			}
			got := decodeJournal(readAll(t, vfs, "db-journal"), originals)
			want := journalLayout{
				Magic: wantMagic, NRec: wantNRec, OrigSize: 6, SectorSize: 4096, PageSize: 1024,
				Padding: true, Pgnos: []uint32{4, 2, 1}, Originals: true, Checksums: true,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("journal (-want +got):\n%s", diff)
			}
			if err := p.Commit(); err != nil {
				t.Fatal(err)
			}
			after := readAll(t, vfs, "db-journal")
			switch tt.mode {
			case JournalTruncate:
				if len(after) != 0 {
					t.Errorf("TRUNCATE left %d bytes", len(after))
				}
			case JournalPersist:
				if len(after) == 0 || !bytes.Equal(after[:28], make([]byte, 28)) || after[28] != 0 {
					t.Errorf("PERSIST header after commit: %x", after[:32])
				}
			}
		})
	}
}

func TestJournalChecksumSamples(t *testing.T) {
	page := make([]byte, 1024)
	for i := range page {
		page[i] = byte(i * 7)
	}
	// 1024-200=824, 624, 424, 224, 24.
	want := uint32(5)
	for _, i := range []int{824, 624, 424, 224, 24} {
		want += uint32(page[i])
	}
	if got := journalChecksum(5, page); got != want {
		t.Errorf("journalChecksum = %d, want %d", got, want)
	}
	page512 := make([]byte, 512)
	page512[0] = 0xff // byte 0 is never sampled
	page512[312] = 3
	page512[112] = 4
	if got := journalChecksum(0xfffffff0, page512); got != 0xfffffff7 {
		t.Errorf("journalChecksum(512) = %#x, want 0xfffffff7", got)
	}
}
