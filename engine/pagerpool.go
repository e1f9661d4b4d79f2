package engine

import "github.com/wrendb/wren/pager"

// Idle pagers. Opening a pager costs system calls (the file's existence,
// open, fstat for the lock queue's key, a read of the header) and closing
// it one more, while a connection that runs SELECT 1 needs none: a pool
// such as database/sql's opens and closes connections all the time. So a
// closing connection gives its pager back to the Database when it is as a
// new one would be, and the next Connect takes it: connecting then does no
// I/O at all. An idle pager is outside any transaction, and its page cache
// is checked against the file's change counter at its next transaction, as
// the cache of any connection between transactions.
//
// Pagers of in-memory databases are not kept: such a database goes away
// with its last pager, as SQLite's does. An idle WAL-mode pager keeps the
// SHARED lock every WAL connection holds while it is open, as an idle
// connection of a pool would: leaving WAL mode needs the EXCLUSIVE lock, so
// PRAGMA journal_mode drops the idle pagers first (dropIdlePagers), and the
// checkpoint SQLite runs when the last connection closes runs when the
// Database closes.

// maxIdlePagers bounds the pagers a Database keeps for later connections
// (each keeps its file descriptor and its page cache).
const maxIdlePagers = 4

// pagerSettings are the per-connection settings of a pager that PRAGMAs
// change. An idle pager gets a new pager's settings back (the DSN's
// _pragma=synchronous(normal) runs on every connection, so a pool would
// gain nothing if a changed setting disqualified a pager); one whose
// settings cannot be set back in memory (the page size, the journal mode
// of a pager that has not read the file, WAL) is closed, so that one
// connection's PRAGMA never leaks into the next.
type pagerSettings struct {
	pageSize         int
	cacheSize        int
	sync             pager.Synchronous
	journal          pager.JournalMode
	mmapSize         int64
	autoCheckpoint   int
	journalSizeLimit int64
}

func settingsOf(pg *pager.Pager) pagerSettings {
	return pagerSettings{
		pageSize:         pg.PageSize(),
		cacheSize:        pg.CacheSize(),
		sync:             pg.Synchronous(),
		journal:          pg.JournalMode(),
		mmapSize:         pg.MmapSize(),
		autoCheckpoint:   pg.WALAutoCheckpoint(),
		journalSizeLimit: pg.JournalSizeLimit(),
	}
}

// takePager returns an idle pager, or opens a new one.
func (db *Database) takePager() (*pager.Pager, error) {
	db.mu.Lock()
	if n := len(db.idle); n > 0 {
		pg := db.idle[n-1]
		db.idle[n-1] = nil
		db.idle = db.idle[:n-1]
		db.mu.Unlock()
		pg.SetBusyTimeout(db.cfg.BusyTimeout)
		return pg, nil
	}
	db.mu.Unlock()
	pg, err := db.openPager()
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	if db.fresh == nil {
		s := settingsOf(pg)
		db.fresh = &s
	}
	db.mu.Unlock()
	return pg, nil
}

// givePager takes back the pager of a closing connection, or closes it.
//
// A pager that has seen no page (PageCount 0: it never read the file, or
// the file is empty) has no WAL open and must end up as a new pager is. A
// pager that has seen pages is in the mode the file's header says, as a
// new one would be after its first transaction.
func (db *Database) givePager(pg *pager.Pager) error {
	if db.cfg.Memory || pg.InRead() {
		return pg.Close()
	}
	db.mu.Lock()
	want := db.fresh
	reuse := !db.closed && len(db.idle) < maxIdlePagers && want != nil
	if reuse {
		w := *want
		if pg.PageCount() > 0 && w.journal == pager.JournalWAL {
			w.journal = pager.JournalDelete
		}
		reuse = resetSettings(pg, w)
	}
	if !reuse {
		db.mu.Unlock()
		return pg.Close()
	}
	db.idle = append(db.idle, pg)
	db.mu.Unlock()
	return nil
}

// resetSettings gives pg the settings w, where that needs no I/O, and
// reports whether pg now has them all.
func resetSettings(pg *pager.Pager, w pagerSettings) bool {
	s := settingsOf(pg)
	if pg.PageCount() > 0 && s.journal == pager.JournalWAL {
		// A WAL database: the mode is the file's, not the connection's.
		w.journal = pager.JournalWAL
	}
	if s == w {
		return true
	}
	if s.pageSize != w.pageSize || (s.journal == pager.JournalWAL) != (w.journal == pager.JournalWAL) {
		return false
	}
	if s.journal != w.journal {
		// Between rollback modes only the next transactions change.
		if err := pg.SetJournalMode(w.journal); err != nil {
			return false
		}
	}
	pg.SetCacheSize(w.cacheSize)
	pg.SetSynchronous(w.sync)
	pg.SetMmapSize(w.mmapSize)
	pg.SetWALAutoCheckpoint(w.autoCheckpoint)
	pg.SetJournalSizeLimit(w.journalSizeLimit)
	return settingsOf(pg) == w
}

// dropIdlePagers closes the idle pagers, so that they hold no lock.
func (db *Database) dropIdlePagers() {
	db.mu.Lock()
	idle := db.idle
	db.idle = nil
	db.mu.Unlock()
	for _, pg := range idle {
		pg.Close()
	}
}

// closeIdle closes the idle pagers; db.mu is held.
func (db *Database) closeIdle() {
	for i, pg := range db.idle {
		pg.Close()
		db.idle[i] = nil
	}
	db.idle = db.idle[:0]
}
