package pager

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/osvfs"
)

// newHeaderPage fills data as the btree layer would initialize page 1 of an
// empty database: the header and an empty sqlite_schema leaf.
func newHeaderPage(data []byte) {
	clear(data)
	copy(data, headerMagic)
	ps := len(data)
	if ps == 65536 {
		binary.BigEndian.PutUint16(data[16:], 1)
	} else {
		binary.BigEndian.PutUint16(data[16:], uint16(ps))
	}
	data[18], data[19] = 1, 1
	data[21], data[22], data[23] = 64, 32, 32
	binary.BigEndian.PutUint32(data[44:], 4) // schema format
	binary.BigEndian.PutUint32(data[56:], 1) // UTF-8
	data[100] = 0x0d                         // table leaf
	binary.BigEndian.PutUint16(data[105:], uint16(ps))
}

// stamp returns the recognizable content of page pgno as transaction tx
// leaves it. For page 1 only bytes from 200 on are stamped, so the header
// and the schema leaf stay valid.
func stamp(pgno uint32, tx int, pageSize int) []byte {
	b := make([]byte, pageSize)
	for i := 0; i+8 <= pageSize; i += 8 {
		binary.BigEndian.PutUint32(b[i:], pgno)
		binary.BigEndian.PutUint32(b[i+4:], uint32(tx)*2654435761^uint32(i))
	}
	return b
}

// setPage writes content into page pgno, appending pages up to it.
func setPage(p *Pager, pgno uint32, content []byte) error {
	for p.PageCount() < pgno {
		pg, err := p.Append()
		if err != nil {
			return err
		}
		if pg.Pgno() == 1 {
			newHeaderPage(pg.Data())
		}
		pg.Release()
	}
	pg, err := p.Get(pgno)
	if err != nil {
		return err
	}
	defer pg.Release()
	if err := p.Write(pg); err != nil {
		return err
	}
	if pgno == 1 {
		copy(pg.Data()[200:], content[200:])
	} else {
		copy(pg.Data(), content)
	}
	return nil
}

// snapshot reads every page of the database in a read transaction. Page 1's
// pager-maintained header fields are zeroed so that snapshots compare by
// content.
func snapshot(p *Pager) (map[uint32][]byte, error) {
	if err := p.BeginRead(); err != nil {
		return nil, err
	}
	defer p.EndRead()
	return snapshotIn(p)
}

func snapshotIn(p *Pager) (map[uint32][]byte, error) {
	pages := make(map[uint32][]byte)
	for pgno := uint32(1); pgno <= p.PageCount(); pgno++ {
		if pgno == p.PendingBytePage() {
			continue
		}
		pg, err := p.Get(pgno)
		if err != nil {
			return nil, err
		}
		b := append([]byte(nil), pg.Data()...)
		pg.Release()
		if pgno == 1 {
			for _, off := range []int{offChangeCounter, offDBSize, offVersionValid, offVersionNumber} {
				binary.BigEndian.PutUint32(b[off:], 0)
			}
			// The file format versions say rollback or WAL: the pager's.
			b[offWriteVersion], b[offReadVersion] = 0, 0
		}
		pages[pgno] = b
	}
	return pages, nil
}

// model is what a sequence of transactions should leave in the file.
type model map[uint32][]byte

func (m model) clone() model {
	c := make(model, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// expected turns a model into what snapshot returns.
func (m model) expected(pageSize int) map[uint32][]byte {
	out := make(map[uint32][]byte, len(m))
	for pgno, content := range m {
		if pgno == 1 {
			b := make([]byte, pageSize)
			newHeaderPage(b)
			b[offWriteVersion], b[offReadVersion] = 0, 0
			copy(b[200:], content[200:])
			out[1] = b
			continue
		}
		out[pgno] = content
	}
	return out
}

func mustOpen(t testing.TB, vfs osvfs.VFS, name string, opts Options) *Pager {
	t.Helper()
	p, err := Open(vfs, name, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", name, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// mustCommitPages writes pages (pgno -> content) in one transaction.
func mustCommitPages(t testing.TB, p *Pager, pages map[uint32][]byte) {
	t.Helper()
	if err := p.BeginWrite(); err != nil {
		t.Fatalf("BeginWrite: %v", err)
	}
	keys := make([]uint32, 0, len(pages))
	for pgno := range pages {
		keys = append(keys, pgno)
	}
	slices.Sort(keys)
	for _, pgno := range keys {
		if err := setPage(p, pgno, pages[pgno]); err != nil {
			t.Fatalf("write page %d: %v", pgno, err)
		}
	}
	if err := p.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// digest summarizes pages for cmp.Diff, which is slow on large byte
// slices: the stamp at the start of the page (at byte 200 for page 1) and a
// CRC of the whole page.
func digest(pages map[uint32][]byte) map[uint32]string {
	out := make(map[uint32]string, len(pages))
	for pgno, b := range pages {
		at := 0
		if pgno == 1 {
			at = 200
		}
		out[pgno] = fmt.Sprintf("%x crc %08x", b[at:at+8], crc32.ChecksumIEEE(b))
	}
	return out
}

// diffPages is cmp.Diff over digests.
func diffPages(want, got map[uint32][]byte) string {
	return cmp.Diff(digest(want), digest(got))
}

// rewriteAllPages marks every page after page 1 written, unchanged, so that
// a commit writes them all (and a small cache spills them on the way).
func rewriteAllPages(t testing.TB, p *Pager) {
	t.Helper()
	for pgno := uint32(2); pgno <= p.PageCount(); pgno++ {
		pg, err := p.Get(pgno)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Write(pg); err != nil {
			t.Fatal(err)
		}
		pg.Release()
	}
}
