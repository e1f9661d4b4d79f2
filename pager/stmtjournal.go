package pager

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/wrendb/wren/osvfs"
)

// stmtSpillBytes is how much of the statement journal stays in memory
// before it moves to a temporary file (SQLite's SQLITE_STMTJRNL_SPILL).
const stmtSpillBytes = 64 << 10

// stmtJournal holds the originals of pages changed while savepoints are
// open and whose original the main journal cannot provide, in the role of
// SQLite's statement journal: record i is a page number (in memory) and a
// page image, in memory until stmtSpillBytes, then in a temporary file
// opened through the VFS.
type stmtJournal struct {
	pageSize int
	pgnos    []uint32
	buf      []byte     // page images while in memory
	f        osvfs.File // the temporary file, once spilled
	open     func() (osvfs.File, error)
}

func (s *stmtJournal) len() int { return len(s.pgnos) }

func (s *stmtJournal) append(pgno uint32, data []byte) error {
	if s.f == nil && len(s.buf)+len(data) > stmtSpillBytes {
		f, err := s.open()
		if err != nil {
			return fmt.Errorf("pager: open statement journal: %w", err)
		}
		if _, err := f.WriteAt(s.buf, 0); err != nil {
			f.Close()
			return fmt.Errorf("pager: write statement journal: %w", err)
		}
		s.f, s.buf = f, nil
	}
	if s.f != nil {
		if _, err := s.f.WriteAt(data, int64(len(s.pgnos))*int64(s.pageSize)); err != nil {
			return fmt.Errorf("pager: write statement journal: %w", err)
		}
	} else {
		s.buf = append(s.buf, data...)
	}
	s.pgnos = append(s.pgnos, pgno)
	return nil
}

// read copies record i's page image into buf.
func (s *stmtJournal) read(i int, buf []byte) error {
	off := int64(i) * int64(s.pageSize)
	if s.f == nil {
		copy(buf, s.buf[off:])
		return nil
	}
	if n, err := s.f.ReadAt(buf, off); n < len(buf) {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("pager: read statement journal: %w", err)
	}
	return nil
}

// truncate forgets the records from n on.
func (s *stmtJournal) truncate(n int) {
	s.pgnos = s.pgnos[:n]
	if s.f == nil {
		s.buf = s.buf[:n*s.pageSize]
	}
}

// close drops every record and the temporary file.
func (s *stmtJournal) close() {
	if s.f != nil {
		s.f.Close()
	}
	*s = stmtJournal{}
}

// openTempFile opens a scratch file next to the database, deleted on close
// (on unix at once).
func (p *Pager) openTempFile() (osvfs.File, error) {
	name := fmt.Sprintf("%s-stmt%016x", p.dbName, rand.Uint64())
	return p.vfs.Open(name, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenExclusive|
		osvfs.OpenTempFile|osvfs.OpenDeleteOnClose)
}
