package pager

// Page is one database page held in the pager's cache. A Page obtained from
// Get or Append is referenced until Release; while referenced it stays in the
// cache and its Data slice stays valid. Call Pager.Write before changing
// Data.
type Page struct {
	pager *Pager
	pgno  uint32
	data  []byte
	refs  int
	dirty bool
	// detached is set when the page was dropped from the cache (rollback,
	// truncation) while someone still held a reference; Release then only
	// drops the count.
	detached bool
	// prev and next link the unreferenced clean pages in LRU order.
	prev, next *Page
}

// Pgno is the page's number, counting from 1.
func (pg *Page) Pgno() uint32 { return pg.pgno }

// Data is the page's content, PageSize bytes. Page 1 starts with the
// 100-byte database header.
func (pg *Page) Data() []byte { return pg.data }

// Release drops this reference. An unreferenced clean page may be evicted;
// an unreferenced dirty page may be spilled to the database file.
func (pg *Page) Release() {
	if pg.refs <= 0 {
		return
	}
	pg.refs--
	if pg.refs == 0 && !pg.detached && !pg.dirty {
		c := &pg.pager.cache
		c.lruPush(pg)
		// Shrink back to size after a burst of references.
		for len(c.pages) > c.capacity && c.evictOne() {
		}
	}
}

// pageCache maps page numbers to cached pages. Unreferenced clean pages sit
// on an LRU list and are evicted first; dirty pages are also kept in a set
// so that commit and spill find them without scanning the cache.
type pageCache struct {
	pages    map[uint32]*Page
	dirty    map[uint32]*Page
	capacity int
	// lruHead is the most recently released page, lruTail the next victim.
	lruHead, lruTail *Page
	// free holds page buffers of evicted pages for reuse.
	free [][]byte
}

func newPageCache(capacity int) pageCache {
	return pageCache{
		pages:    make(map[uint32]*Page),
		dirty:    make(map[uint32]*Page),
		capacity: capacity,
	}
}

func (c *pageCache) lruPush(pg *Page) {
	pg.prev = nil
	pg.next = c.lruHead
	if c.lruHead != nil {
		c.lruHead.prev = pg
	}
	c.lruHead = pg
	if c.lruTail == nil {
		c.lruTail = pg
	}
}

func (c *pageCache) lruRemove(pg *Page) {
	if pg.prev == nil && pg.next == nil && c.lruHead != pg {
		return // not on the list
	}
	if pg.prev != nil {
		pg.prev.next = pg.next
	} else {
		c.lruHead = pg.next
	}
	if pg.next != nil {
		pg.next.prev = pg.prev
	} else {
		c.lruTail = pg.prev
	}
	pg.prev, pg.next = nil, nil
}

// lookup returns the cached page and takes a reference to it.
func (c *pageCache) lookup(pgno uint32) *Page {
	pg := c.pages[pgno]
	if pg == nil {
		return nil
	}
	if pg.refs == 0 && !pg.dirty {
		c.lruRemove(pg)
	}
	pg.refs++
	return pg
}

// full reports whether adding a page would exceed the cache size.
func (c *pageCache) full() bool { return len(c.pages) >= c.capacity }

// evictOne drops the least recently used clean unreferenced page, reporting
// whether there was one.
func (c *pageCache) evictOne() bool {
	pg := c.lruTail
	if pg == nil {
		return false
	}
	c.drop(pg)
	return true
}

// drop removes pg from the cache whatever its state. A page still
// referenced is detached: its holder keeps a valid but orphaned buffer.
func (c *pageCache) drop(pg *Page) {
	if pg.detached {
		return
	}
	if pg.refs == 0 && !pg.dirty {
		c.lruRemove(pg)
	}
	delete(c.pages, pg.pgno)
	delete(c.dirty, pg.pgno)
	pg.dirty = false
	if pg.refs > 0 {
		pg.detached = true
		return
	}
	c.free = append(c.free, pg.data)
	pg.data = nil
}

// markDirty records that pg differs from the database file.
func (c *pageCache) markDirty(pg *Page) {
	if pg.dirty {
		return
	}
	if pg.refs == 0 {
		c.lruRemove(pg)
	}
	pg.dirty = true
	c.dirty[pg.pgno] = pg
}

// markClean records that pg now equals the database file.
func (c *pageCache) markClean(pg *Page) {
	if !pg.dirty {
		return
	}
	pg.dirty = false
	delete(c.dirty, pg.pgno)
	if pg.refs == 0 && !pg.detached {
		c.lruPush(pg)
	}
}

// insert adds a new referenced page with a buffer of size bytes (contents
// unspecified). The caller has made room.
func (c *pageCache) insert(p *Pager, pgno uint32, size int) *Page {
	var buf []byte
	for len(c.free) > 0 && buf == nil {
		b := c.free[len(c.free)-1]
		c.free = c.free[:len(c.free)-1]
		if len(b) == size {
			buf = b
		}
	}
	if buf == nil {
		buf = make([]byte, size)
	}
	pg := &Page{pager: p, pgno: pgno, data: buf, refs: 1}
	c.pages[pgno] = pg
	return pg
}

// clear drops every page.
func (c *pageCache) clear() {
	for _, pg := range c.pages {
		c.drop(pg)
	}
	c.lruHead, c.lruTail = nil, nil
}

// dropAbove drops every page numbered above n.
func (c *pageCache) dropAbove(n uint32) {
	for pgno, pg := range c.pages {
		if pgno > n {
			c.drop(pg)
		}
	}
}
