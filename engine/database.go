package engine

import (
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/pager"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
)

// Config says how to open a database.
type Config struct {
	VFS         osvfs.VFS // nil: osvfs.NewUnix()
	ReadOnly    bool
	Create      bool // create the file if missing (mode=rwc)
	Memory      bool // an in-memory database: ":memory:" or "" is private, another name is shared in the process
	PageSize    int  // for new files
	JournalMode string
	BusyTimeout time.Duration // 0: the default, 5s; negative: do not wait (busy_timeout=0)
}

// Database is one database file opened by this process. Every Open of the
// same file returns the same *Database; it closes when the last user does.
type Database struct {
	keys    []string // its entries in the registry: the canonical path, and device+inode
	name    string   // the name the pagers open
	vfs     osvfs.VFS
	cfg     Config
	journal pager.JournalMode
	shared  bool
	schema  atomic.Pointer[schema.Schema]
	// schemaRead is set once a connection has checked schema against the
	// file: from then on statements compile without reading (Stmt.compile).
	schemaRead atomic.Bool
	// idle are closed connections' pagers, for the next Connect (pagerpool.go);
	// fresh is a new pager's settings. Both are guarded by mu.
	idle       []*pager.Pager
	fresh      *pagerSettings
	mu         sync.Mutex
	refs       int
	conns      int
	closed     bool
	triggerSeq atomic.Int64
}

var registry = struct {
	sync.Mutex
	m map[string]*Database
}{m: map[string]*Database{}}

// Open opens the database name as cfg says. A second Open of the same file
// (the same canonical path) or of the same named in-memory database returns
// the same *Database, with its reference count raised.
func Open(name string, cfg Config) (*Database, error) {
	switch {
	case cfg.BusyTimeout == 0:
		cfg.BusyTimeout = 5 * time.Second
	case cfg.BusyTimeout < 0:
		cfg.BusyTimeout = 0 // asked for explicitly: never wait
	}
	jm, err := parseJournalMode(cfg.JournalMode)
	if err != nil {
		return nil, err
	}
	private := cfg.Memory && (name == "" || name == ":memory:")
	if !cfg.Memory && name == ":memory:" {
		cfg.Memory = true
		private = true
	}
	var key string
	var vfs osvfs.VFS
	fileName := name
	switch {
	case private:
		vfs = osvfs.NewMem()
		fileName = "memdb"
		jm = pager.JournalMemory
	case cfg.Memory:
		key = "memory:" + name
		vfs = osvfs.NewMem()
		fileName = "memdb"
		jm = pager.JournalMemory
	default:
		vfs = cfg.VFS
		if vfs == nil {
			vfs = osvfs.NewUnix()
		}
		full, err := vfs.FullPathname(name)
		if err != nil {
			return nil, resultcode.Wrap(resultcode.CantOpen, err)
		}
		if real, err := filepath.EvalSymlinks(full); err == nil {
			full = real
		}
		key = "file:" + full
		fileName = full
	}
	if key != "" {
		registry.Lock()
		defer registry.Unlock()
		if db := registry.m[key]; db != nil {
			return db.addRef(), nil
		}
	}
	db := &Database{name: fileName, vfs: vfs, cfg: cfg, journal: jm, refs: 1, shared: key != ""}
	db.schema.Store(schema.New())
	// Open one pager now so that a missing file or a bad path is reported
	// by Open, as sqlite3_open_v2 does.
	pg, err := db.openPager()
	if err != nil {
		return nil, err
	}
	fileKey := pg.FileKey()
	pg.Close()
	if key == "" {
		return db, nil
	}
	// A hard link is another path to the same file: the device and inode
	// the pager reports find the Database its first path opened.
	fileKey = "id:" + fileKey
	if other := registry.m[fileKey]; other != nil && !cfg.Memory {
		registry.m[key] = other
		other.keys = append(other.keys, key)
		return other.addRef(), nil
	}
	db.keys = []string{key}
	registry.m[key] = db
	if !cfg.Memory {
		db.keys = append(db.keys, fileKey)
		registry.m[fileKey] = db
	}
	return db, nil
}

// addRef counts one more user of db.
func (db *Database) addRef() *Database {
	db.mu.Lock()
	db.refs++
	db.mu.Unlock()
	return db
}

func parseJournalMode(s string) (pager.JournalMode, error) {
	switch strings.ToLower(s) {
	case "", "wal":
		// New files start in WAL mode (DESIGN.md, "Driver conventions");
		// an existing file keeps the mode its header says.
		return pager.JournalWAL, nil
	case "delete":
		return pager.JournalDelete, nil
	case "truncate":
		return pager.JournalTruncate, nil
	case "persist":
		return pager.JournalPersist, nil
	case "memory":
		return pager.JournalMemory, nil
	case "off":
		return pager.JournalOff, nil
	}
	return 0, resultcode.Errorf(resultcode.Error, "unknown journal mode: %s", s)
}

func (db *Database) openPager() (*pager.Pager, error) {
	create := db.cfg.Create || db.cfg.Memory
	if !db.cfg.Memory && !create {
		ok, err := db.vfs.Exists(db.name)
		if err != nil {
			return nil, resultcode.Wrap(resultcode.CantOpen, err)
		}
		if !ok {
			return nil, resultcode.New(resultcode.CantOpen, "unable to open database file")
		}
	}
	pg, err := pager.Open(db.vfs, db.name, pager.Options{
		PageSize:    db.cfg.PageSize,
		JournalMode: db.journal,
		ReadOnly:    db.cfg.ReadOnly,
		Create:      create,
		BusyTimeout: db.cfg.BusyTimeout,
		// No transaction waits for the automatic checkpoint: it runs in
		// a goroutine of the pager package's. In-memory databases have
		// no WAL.
		BackgroundCheckpoint: !db.cfg.Memory,
	})
	if err != nil {
		if resultcode.Of(err) == resultcode.OK {
			return nil, resultcode.Wrap(resultcode.CantOpen, err)
		}
		return nil, err
	}
	return pg, nil
}

// Close drops one reference; the last Close forgets the database.
func (db *Database) Close() error {
	registry.Lock()
	defer registry.Unlock()
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.refs > 0 {
		db.refs--
	}
	if db.refs == 0 && !db.closed {
		db.closed = true
		db.closeIdle()
		for _, k := range db.keys {
			if registry.m[k] == db {
				delete(registry.m, k)
			}
		}
	}
	return nil
}

// Schema returns the published schema.
func (db *Database) Schema() *schema.Schema { return db.schema.Load() }
