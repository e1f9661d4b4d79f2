package engine

import (
	"strconv"
	"strings"
	"time"

	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// The PRAGMAs of WAL mode and lock waits: journal_mode, synchronous,
// wal_checkpoint, wal_autocheckpoint, journal_size_limit, mmap_size and
// busy_timeout. Each
// setting is the connection's, as in SQLite (the driver's _pragma applies
// it to every connection of a pool), and a PRAGMA that sets a value
// returns the value now in force.

// maxMmapSize is SQLite's default SQLITE_MAX_MMAP_SIZE on Linux: larger
// mmap_size requests are cut to it.
const maxMmapSize = 0x7fff0000

// prepareWALPragma prepares the PRAGMAs above except journal_mode (which
// has its own case in preparePragma); ok is false for any other name.
func (c *Conn) prepareWALPragma(name, arg string, hasArg bool) (kind execKind, run func(*Stmt) error, cols []string, ok bool) {
	one := func(s *Stmt, v int64) { s.rows = append(s.rows, []record.Value{ival(v)}) }
	num := func() int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
		if err != nil {
			return 0
		}
		return n
	}
	switch name {
	case "synchronous":
		return execTxControl, func(s *Stmt) error {
			if hasArg {
				c.pg.SetSynchronous(syncLevel(arg))
				return nil
			}
			one(s, sqliteSyncLevel(c.pg.Synchronous()))
			return nil
		}, pragmaColumns(hasArg, "synchronous"), true
	case "wal_checkpoint":
		return execTxControl, func(s *Stmt) error { return c.pragmaWALCheckpoint(s, arg) }, []string{"busy", "log", "checkpointed"}, true
	case "wal_autocheckpoint":
		return execTxControl, func(s *Stmt) error {
			if hasArg {
				c.pg.SetWALAutoCheckpoint(int(num()))
			}
			one(s, int64(c.pg.WALAutoCheckpoint()))
			return nil
		}, []string{"wal_autocheckpoint"}, true
	case "journal_size_limit":
		return execTxControl, func(s *Stmt) error {
			if hasArg {
				c.pg.SetJournalSizeLimit(max(num(), -1))
			}
			one(s, c.pg.JournalSizeLimit())
			return nil
		}, []string{"journal_size_limit"}, true
	case "mmap_size":
		return execTxControl, func(s *Stmt) error {
			if hasArg && !c.db.cfg.Memory {
				c.pg.SetMmapSize(min(max(num(), 0), maxMmapSize))
			}
			one(s, c.pg.MmapSize())
			return nil
		}, []string{"mmap_size"}, true
	case "busy_timeout":
		return execTxControl, func(s *Stmt) error {
			if hasArg {
				c.SetBusyTimeout(time.Duration(max(num(), 0)) * time.Millisecond)
			}
			one(s, c.busyTimeout.Milliseconds())
			return nil
		}, []string{"timeout"}, true
	}
	return 0, nil, nil, false
}

// probeMode makes the pager look at the file outside a transaction, so
// that it knows whether the file is a WAL database (a pager learns it at
// its first transaction). Inside a transaction it already knows.
func (c *Conn) probeMode() error {
	if c.inRead || c.inWrite || c.db.cfg.Memory {
		return nil
	}
	if err := c.lockRead(); err != nil {
		return err
	}
	return c.bt.EndRead()
}

// pragmaJournalMode runs PRAGMA journal_mode[=mode]: it switches the mode
// when asked (into WAL, out of WAL, or between rollback modes) and returns
// the mode in force, in lower case. An unknown mode changes nothing, as in
// SQLite; an in-memory database keeps MEMORY (or OFF).
func (c *Conn) pragmaJournalMode(s *Stmt, arg string, hasArg bool) error {
	if err := c.probeMode(); err != nil {
		return err
	}
	if hasArg {
		m, err := parseJournalMode(arg)
		switch {
		case err != nil || strings.TrimSpace(arg) == "":
			// Unknown: report the mode in force.
		case c.db.cfg.Memory:
			if m == pager.JournalOff || m == pager.JournalMemory {
				if err := c.pg.SetJournalMode(m); err != nil {
					return err
				}
			}
		case c.inWrite && (m == pager.JournalWAL) != (c.pg.JournalMode() == pager.JournalWAL):
			if m == pager.JournalWAL {
				return errorf("cannot change into wal mode from within a transaction")
			}
			return errorf("cannot change out of wal mode from within a transaction")
		case c.inWrite:
			// Between rollback modes inside a transaction: SQLite
			// applies it at the next transaction; Wren ignores it.
		default:
			if m != pager.JournalWAL && c.pg.JournalMode() == pager.JournalWAL {
				c.db.dropIdlePagers() // their SHARED locks would keep WAL mode
			}
			if err := c.pg.SetJournalMode(m); err != nil {
				return err
			}
		}
	}
	s.rows = append(s.rows, []record.Value{tval(c.pg.JournalMode().String())})
	return nil
}

// pragmaWALCheckpoint runs PRAGMA wal_checkpoint[(mode)] and returns its
// row: busy (0 or 1), the frames in the WAL, and the frames now in the
// database file; -1 and -1 outside WAL mode, as SQLite. The blocking modes
// wait for the writer in the lock queue, bounded by the busy timeout and
// the statement's context.
func (c *Conn) pragmaWALCheckpoint(s *Stmt, arg string) error {
	mode := pager.CheckpointPassive
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "full":
		mode = pager.CheckpointFull
	case "restart":
		mode = pager.CheckpointRestart
	case "truncate":
		mode = pager.CheckpointTruncate
	}
	if c.inRead || c.inWrite {
		return resultcode.New(resultcode.Locked, "database table is locked")
	}
	if err := c.probeMode(); err != nil {
		return err
	}
	res, err := c.pg.CheckpointContext(c.Context(), mode)
	if err != nil {
		return err
	}
	busy := int64(0)
	if res.Busy {
		busy = 1
	}
	s.rows = append(s.rows, []record.Value{ival(busy), ival(int64(res.Log)), ival(int64(res.Checkpointed))})
	return nil
}

// syncLevel turns PRAGMA synchronous's argument into the pager's level:
// SQLite's numbers 0 (OFF), 1 (NORMAL), 2 (FULL) and 3 (EXTRA), or their
// names, or a boolean (on, yes and true mean NORMAL, as in SQLite). An
// unknown name means NORMAL, as in SQLite.
func syncLevel(arg string) pager.Synchronous {
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "0", "off", "no", "false":
		return pager.SyncOff
	case "2", "full":
		return pager.SyncFull
	case "3", "extra":
		return pager.SyncExtra
	}
	return pager.SyncNormal
}

// sqliteSyncLevel is the number PRAGMA synchronous reports for a level.
func sqliteSyncLevel(s pager.Synchronous) int64 {
	switch s {
	case pager.SyncOff:
		return 0
	case pager.SyncNormal:
		return 1
	case pager.SyncExtra:
		return 3
	}
	return 2
}

// pragmaColumns is a PRAGMA's result columns: none when it sets a value
// without reporting it.
func pragmaColumns(hasArg bool, name string) []string {
	if hasArg {
		return nil
	}
	return []string{name}
}
