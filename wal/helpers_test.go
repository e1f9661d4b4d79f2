package wal

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

const testPageSize = 1024

// conn is what a pager in WAL mode holds: the database file, with the
// SHARED lock every WAL-mode connection keeps, and a Log.
type conn struct {
	t   testing.TB
	vfs osvfs.VFS
	db  osvfs.File
	log *Log
}

func openConn(t testing.TB, vfs osvfs.VFS, name string, opts Options) *conn {
	t.Helper()
	c, err := tryOpenConn(vfs, name, opts)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	c.t = t
	return c
}

func tryOpenConn(vfs osvfs.VFS, name string, opts Options) (*conn, error) {
	db, err := vfs.Open(name, osvfs.OpenMainDB|osvfs.OpenReadWrite|osvfs.OpenCreate)
	if err != nil {
		return nil, err
	}
	if err := db.Lock(osvfs.LockShared); err != nil {
		db.Close()
		return nil, err
	}
	l, err := Open(vfs, db, name, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &conn{vfs: vfs, db: db, log: l}, nil
}

func (c *conn) close() error {
	err := c.log.Close()
	if e := c.db.Close(); err == nil {
		err = e
	}
	return err
}

func (c *conn) mustClose() {
	c.t.Helper()
	if err := c.close(); err != nil {
		c.t.Fatalf("close: %v", err)
	}
}

// page is a test page: every byte is fill, after a 4-byte page number.
func page(pgno uint32, fill byte) []byte {
	p := bytes.Repeat([]byte{fill}, testPageSize)
	p[0], p[1], p[2], p[3] = byte(pgno>>24), byte(pgno>>16), byte(pgno>>8), byte(pgno)
	return p
}

// commit writes pages (page number to fill byte) as one transaction and
// sets the database size to dbSize.
func (c *conn) commit(fills map[uint32]byte, dbSize uint32) error {
	if _, err := c.log.BeginRead(); err != nil {
		return err
	}
	defer c.log.EndRead()
	if err := c.log.BeginWrite(); err != nil {
		return err
	}
	var pages []Page
	for pgno := uint32(1); pgno <= dbSize; pgno++ {
		if f, ok := fills[pgno]; ok {
			pages = append(pages, Page{Pgno: pgno, Data: page(pgno, f)})
		}
	}
	if err := c.log.Append(pages, dbSize); err != nil {
		c.log.Rollback()
		return err
	}
	return c.log.EndWrite()
}

func (c *conn) mustCommit(fills map[uint32]byte, dbSize uint32) {
	c.t.Helper()
	if err := c.commit(fills, dbSize); err != nil {
		c.t.Fatalf("commit: %v", err)
	}
}

// readPage reads page pgno in the current read transaction: from the WAL
// when a frame holds it, else from the database file.
func (c *conn) readPage(pgno uint32) ([]byte, error) {
	f, err := c.log.FindFrame(pgno)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, testPageSize)
	if f != 0 {
		err := c.log.ReadFrame(f, buf)
		return buf, err
	}
	if _, err := c.db.ReadAt(buf, int64(pgno-1)*testPageSize); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf, nil
}

// fills reads every page of the snapshot and returns its fill byte (0 for
// a page never written), or an error if a page is not a test page.
func (c *conn) fills() (map[uint32]byte, uint32, error) {
	size := c.log.DBSize()
	if size == 0 {
		n, err := c.db.Size()
		if err != nil {
			return nil, 0, err
		}
		size = uint32(n / testPageSize)
	}
	out := make(map[uint32]byte)
	for pgno := uint32(1); pgno <= size; pgno++ {
		p, err := c.readPage(pgno)
		if err != nil {
			return nil, 0, err
		}
		if !bytes.Equal(p, page(pgno, p[testPageSize-1])) {
			return nil, 0, errCorrupt("page %d is not a test page", pgno)
		}
		out[pgno] = p[testPageSize-1]
	}
	return out, size, nil
}

func (c *conn) snapshot() (map[uint32]byte, uint32) {
	c.t.Helper()
	if _, err := c.log.BeginRead(); err != nil {
		c.t.Fatalf("BeginRead: %v", err)
	}
	defer c.log.EndRead()
	m, size, err := c.fills()
	if err != nil {
		c.t.Fatalf("reading the snapshot: %v", err)
	}
	return m, size
}

// countingVFS counts ReadAt calls on the files opened as WALs.
type countingVFS struct {
	osvfs.VFS
	walReads *int
}

type countingFile struct {
	osvfs.File
	reads *int
}

func (f countingFile) ReadAt(p []byte, off int64) (int, error) {
	*f.reads++
	return f.File.ReadAt(p, off)
}

func (v countingVFS) Open(name string, flags osvfs.OpenFlag) (osvfs.File, error) {
	f, err := v.VFS.Open(name, flags)
	if err != nil || flags&osvfs.OpenWAL == 0 {
		return f, err
	}
	m, ok := f.(osvfs.Mapper)
	if !ok {
		return countingFile{f, v.walReads}, nil
	}
	return struct {
		countingFile
		osvfs.Mapper
	}{countingFile{f, v.walReads}, m}, nil
}
