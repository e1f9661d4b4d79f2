package pager

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/wrendb/wren/resultcode"
)

// headerMagic opens every SQLite 3 database file.
const headerMagic = "SQLite format 3\x00"

// Header offsets the pager reads or maintains (fileformat2.html, "The
// Database Header").
const (
	offPageSize      = 16
	offWriteVersion  = 18
	offReadVersion   = 19
	offReserved      = 20
	offChangeCounter = 24
	offDBSize        = 28
	offVersionValid  = 92
	offVersionNumber = 96
)

// parseHeaderGeometry checks the magic string and returns the page size and
// the reserved bytes per page, or an error wrapping ErrNotADB.
func parseHeaderGeometry(hdr []byte) (pageSize, reserved int, err error) {
	if string(hdr[:16]) != headerMagic {
		return 0, 0, fmt.Errorf("pager: bad magic string: %w", resultcode.ErrNotADB)
	}
	pageSize = int(binary.BigEndian.Uint16(hdr[offPageSize:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if !validPageSize(pageSize) {
		return 0, 0, fmt.Errorf("pager: bad page size %d: %w", pageSize, resultcode.ErrNotADB)
	}
	reserved = int(hdr[offReserved])
	if pageSize-reserved < 480 {
		return 0, 0, fmt.Errorf("pager: %d reserved bytes leave too little of a %d-byte page: %w",
			reserved, pageSize, resultcode.ErrNotADB)
	}
	return pageSize, reserved, nil
}

// readFileState reads the header and size of the database file at the start
// of a read transaction (under a SHARED lock), drops the cache if another
// connection changed the file since our last transaction, and sets the
// page size and database size.
func (p *Pager) readFileState() error {
	size, err := p.file.Size()
	if err != nil {
		return fmt.Errorf("pager: size of %s: %w", p.dbName, err)
	}
	var hdr [100]byte
	if size > 0 {
		n, err := p.file.ReadAt(hdr[:], 0)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("pager: read header: %w", err)
		}
		if n < len(hdr) {
			return fmt.Errorf("pager: file of %d bytes is too short for a header: %w", size, resultcode.ErrNotADB)
		}
	}
	var vers [16]byte
	copy(vers[:], hdr[offChangeCounter:])
	p.walHeader = size > 0 && hdr[offReadVersion] == 2
	changed := vers != p.fileVers || size != p.fileBytes
	if changed {
		p.cache.clear()
	}
	if p.mmapSize > 0 || p.mapping != nil {
		p.refreshMapping(size)
	}
	p.fileVers, p.fileBytes = vers, size
	if size == 0 {
		p.dbSize, p.dbFileSize = 0, 0
		return nil
	}
	pageSize, reserved, err := parseHeaderGeometry(hdr[:])
	if err != nil {
		return err
	}
	if pageSize != p.pageSize {
		p.cache.clear()
		p.cache.free = nil
		p.pageSize = pageSize
		p.cache.capacity = cachePages(p.cacheSize, pageSize)
	}
	p.reserved = reserved
	filePages := uint32((size + int64(pageSize) - 1) / int64(pageSize))
	p.dbFileSize = filePages
	p.dbSize = filePages
	// The in-header size is trusted only when the version-valid-for number
	// matches the change counter: an older writer may have left it stale.
	inHeader := binary.BigEndian.Uint32(hdr[offDBSize:])
	if inHeader != 0 && binary.BigEndian.Uint32(hdr[offChangeCounter:]) == binary.BigEndian.Uint32(hdr[offVersionValid:]) {
		if inHeader > filePages && p.walHeader {
			// A WAL database in the middle of a checkpoint (or left by
			// one that crashed): the WAL has the rest, and readWALState
			// sizes the database from it.
			return nil
		}
		if inHeader > filePages {
			return fmt.Errorf("pager: header says %d pages but the file holds %d: %w",
				inHeader, filePages, resultcode.ErrCorrupt)
		}
		p.dbSize = inHeader
	}
	return nil
}
