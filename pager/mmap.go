package pager

import "github.com/wrendb/wren/osvfs"

// Memory-mapped reads of the database file (PRAGMA mmap_size). With a
// non-zero mmap size, the first mmap_size bytes of the file are mapped
// read-only and a cache miss copies the page from the mapping instead of
// reading it with a system call. Writes still go through WriteAt (the
// mapping is shared, so it sees them) into the cache's own copy of the
// page, which is what copy-on-write amounts to here. WAL frames are read
// from the WAL's own mapping (package wal).
//
// A mapping must never be read beyond the end of the file (touching such
// bytes is a SIGBUS), and another connection may shrink the file between
// our transactions. So the mapping is remade at the start of a read
// transaction whenever the file's size no longer matches it, and covers
// only the file's size as of then; pages beyond the file's size, as the
// pager knows it, are never read from the file at all. Within a transaction the
// file does not shrink under us below what we read: in rollback mode our
// SHARED lock keeps writers out, and in WAL mode a checkpoint truncates the
// file only to the size of a snapshot at least as new as every reader's.

// SetMmapSize sets PRAGMA mmap_size: how many bytes of the database file
// to map (0, the default, maps nothing). It takes effect at the next read
// transaction. Where the file cannot be mapped, pages are read as usual.
func (p *Pager) SetMmapSize(n int64) {
	p.mmapSize = max(n, 0)
	if p.state == stateNone && p.mmapSize == 0 {
		p.unmapFile()
	}
}

// MmapSize is the mmap_size setting.
func (p *Pager) MmapSize() int64 { return p.mmapSize }

// refreshMapping remakes the mapping for a file of size bytes at the start
// of a read transaction, when its length is not what the setting and the
// size call for.
func (p *Pager) refreshMapping(size int64) {
	want := min(p.mmapSize, size)
	want -= want % int64(p.pageSize)
	if want == int64(len(p.mapping)) {
		return
	}
	p.unmapFile()
	m, ok := p.file.(osvfs.Mapper)
	if !ok || want <= 0 {
		return
	}
	if b, err := m.Map(want); err == nil {
		p.mapping = b
	}
}

func (p *Pager) unmapFile() {
	if p.mapping != nil {
		p.file.(osvfs.Mapper).Unmap()
		p.mapping = nil
	}
}

// readMapped copies page pgno from the mapping into buf, reporting whether
// the mapping covers it.
func (p *Pager) readMapped(pgno uint32, buf []byte) bool {
	off := int64(pgno-1) * int64(p.pageSize)
	if off+int64(len(buf)) > int64(len(p.mapping)) {
		return false
	}
	copy(buf, p.mapping[off:])
	return true
}
