package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/dustin/go-humanize"
)

// headerField is one field of the 100-byte database header
// (https://www.sqlite.org/fileformat2.html#the_database_header) that
// .dbinfo shows, with sqlite3's label.
type headerField struct {
	label  string
	offset int
	size   int // 1, 2 or 4 bytes, big-endian
}

var headerFields = []headerField{
	{"database page size:", 16, 2},
	{"write format:", 18, 1},
	{"read format:", 19, 1},
	{"reserved bytes:", 20, 1},
	{"file change counter:", 24, 4},
	{"database page count:", 28, 4},
	{"freelist page count:", 36, 4},
	{"schema cookie:", 40, 4},
	{"schema format:", 44, 4},
	{"default cache size:", 48, 4},
	{"autovacuum top root:", 52, 4},
	{"incremental vacuum:", 64, 4},
	{"text encoding:", 56, 4},
	{"user version:", 60, 4},
	{"application id:", 68, 4},
	{"software version:", 96, 4},
}

func (h headerField) read(hdr []byte) uint32 {
	b := hdr[h.offset : h.offset+h.size]
	switch h.size {
	case 1:
		return uint32(b[0])
	case 2:
		v := uint32(binary.BigEndian.Uint16(b))
		if h.offset == 16 && v == 1 {
			v = 65536 // a page size of 65536 is stored as 1
		}
		return v
	}
	return binary.BigEndian.Uint32(b)
}

// readHeader reads the database header of path straight from the file:
// database/sql has no way to ask for it, and these are the bytes sqlite3
// shows too. Changes still in a WAL file are not in it.
func readHeader(path string) ([]byte, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	hdr := make([]byte, 100)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, 0, fmt.Errorf("%s: cannot read the database header: %v", path, err)
	}
	if string(hdr[:16]) != "SQLite format 3\x00" {
		return nil, 0, fmt.Errorf("%s: file is not a database", path)
	}
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	return hdr, st.Size(), nil
}

func (s *shell) metaDBInfo(a []string) metaResult {
	if err := s.ensureOpen(); err != nil {
		return s.metaError(err)
	}
	if s.dbPath == "" || s.dbPath == ":memory:" {
		// An in-memory database has no file header to show; give what the
		// PRAGMAs know.
		for _, p := range []string{"page_size", "page_count", "freelist_count", "schema_version", "user_version", "application_id"} {
			rows, err := s.queryValues("PRAGMA " + p)
			if err == nil && len(rows) == 1 && len(rows[0]) == 1 {
				fmt.Fprintf(s.out, "%-20s %s\n", p+":", rows[0][0].textOr(""))
			}
		}
		return metaOK
	}
	hdr, size, err := readHeader(s.dbPath)
	if err != nil {
		return s.metaError(err)
	}
	var pageSize, pages, freePages uint32
	for _, f := range headerFields {
		v := f.read(hdr)
		switch f.offset {
		case 16:
			pageSize = v
		case 28:
			pages = v
		case 36:
			freePages = v
		}
		if f.offset == 56 {
			enc := map[uint32]string{1: " (utf8)", 2: " (utf16le)", 3: " (utf16be)"}[v]
			fmt.Fprintf(s.out, "%-20s %d%s\n", f.label, v, enc)
			continue
		}
		fmt.Fprintf(s.out, "%-20s %d\n", f.label, v)
	}
	counts := map[string]int64{}
	var schemaSize int64
	if rows, err := s.queryValues("SELECT type, count(*), total(length(sql)) FROM sqlite_schema GROUP BY type"); err == nil {
		for _, r := range rows {
			counts[r[0].textOr("")] = r[1].i
			schemaSize += int64(r[2].f)
		}
	}
	fmt.Fprintf(s.out, "%-20s %d\n", "number of tables:", counts["table"])
	fmt.Fprintf(s.out, "%-20s %d\n", "number of indexes:", counts["index"])
	fmt.Fprintf(s.out, "%-20s %d\n", "number of triggers:", counts["trigger"])
	fmt.Fprintf(s.out, "%-20s %d\n", "number of views:", counts["view"])
	fmt.Fprintf(s.out, "%-20s %d\n", "schema size:", schemaSize)
	// What sqlite3 does not show: the sizes, in units people read.
	fmt.Fprintf(s.out, "%-20s %s (%d bytes)\n", "file size:", humanize.IBytes(uint64(size)), size)
	fmt.Fprintf(s.out, "%-20s %s\n", "data size:", humanize.IBytes(uint64(pageSize)*uint64(pages)))
	fmt.Fprintf(s.out, "%-20s %s\n", "free space:", humanize.IBytes(uint64(pageSize)*uint64(freePages)))
	if st, err := os.Stat(s.dbPath + "-wal"); err == nil {
		fmt.Fprintf(s.out, "%-20s %s\n", "wal file size:", humanize.IBytes(uint64(st.Size())))
	}
	return metaOK
}
