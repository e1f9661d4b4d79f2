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
//
// A transaction of many statements opens and releases a savepoint per
// statement, so the journal is emptied far more often than it is closed:
// reset forgets the records but keeps the buffer (at most stmtSpillBytes
// plus a page, since larger journals live in the file) and the temporary
// file, which later statements overwrite from offset 0. Only the end of
// the transaction closes the file.
type stmtJournal struct {
	pageSize int
	pgnos    []uint32
	buf      []byte     // page images while in memory
	f        osvfs.File // the temporary file, once opened
	spilled  bool       // the records are in f, not in buf
	open     func() (osvfs.File, error)
}

func (s *stmtJournal) len() int { return len(s.pgnos) }

func (s *stmtJournal) append(pgno uint32, data []byte) error {
	if !s.spilled && len(s.buf)+len(data) > stmtSpillBytes {
		if s.f == nil {
			f, err := s.open()
			if err != nil {
				return fmt.Errorf("pager: open statement journal: %w", err)
			}
			s.f = f
		}
		if _, err := s.f.WriteAt(s.buf, 0); err != nil {
			return fmt.Errorf("pager: write statement journal: %w", err)
		}
		s.spilled, s.buf = true, s.buf[:0]
	}
	if s.spilled {
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
	if !s.spilled {
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
	if !s.spilled {
		s.buf = s.buf[:n*s.pageSize]
	}
}

// reset drops every record but keeps the buffer and the temporary file
// for the next statement; pageSize is the page size from now on.
func (s *stmtJournal) reset(pageSize int, open func() (osvfs.File, error)) {
	if s.pageSize != pageSize {
		s.buf = nil
	}
	s.pageSize, s.open = pageSize, open
	s.pgnos, s.buf, s.spilled = s.pgnos[:0], s.buf[:0], false
}

// close drops every record and the temporary file, keeping the in-memory
// buffer for the next transaction.
func (s *stmtJournal) close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.pgnos, s.buf, s.spilled = s.pgnos[:0], s.buf[:0], false
}

// openTempFile opens a scratch file next to the database, deleted on close
// (on unix at once).
func (p *Pager) openTempFile() (osvfs.File, error) {
	name := fmt.Sprintf("%s-stmt%016x", p.dbName, rand.Uint64())
	return p.vfs.Open(name, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenExclusive|
		osvfs.OpenTempFile|osvfs.OpenDeleteOnClose)
}
