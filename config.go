package wren

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wrendb/wren/engine"
	"github.com/wrendb/wren/osvfs"
)

// Mode says how a database is opened, as the mode= key of a file: URI.
type Mode int

const (
	ModeReadWriteCreate Mode = iota // mode=rwc: read and write, creating the file if missing (the default)
	ModeReadWrite                   // mode=rw: read and write an existing file
	ModeReadOnly                    // mode=ro: read an existing file; every write fails with SQLITE_READONLY
	ModeMemory                      // mode=memory: an in-memory database, shared by the process's connections that name it
)

func (m Mode) String() string {
	switch m {
	case ModeReadWriteCreate:
		return "rwc"
	case ModeReadWrite:
		return "rw"
	case ModeReadOnly:
		return "ro"
	case ModeMemory:
		return "memory"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// TxLock is the lock a transaction begun through database/sql takes at
// once, as BEGIN DEFERRED, IMMEDIATE or EXCLUSIVE.
type TxLock int

const (
	TxLockDeferred  TxLock = iota // _txlock=deferred: take locks as statements need them (the default)
	TxLockImmediate               // _txlock=immediate: take the write lock at BEGIN, so the transaction never fails to upgrade
	TxLockExclusive               // _txlock=exclusive: take the write lock at BEGIN and keep readers out
)

func (l TxLock) String() string {
	switch l {
	case TxLockDeferred:
		return "deferred"
	case TxLockImmediate:
		return "immediate"
	case TxLockExclusive:
		return "exclusive"
	}
	return "TxLock(" + strconv.Itoa(int(l)) + ")"
}

func (l TxLock) begin() string {
	switch l {
	case TxLockImmediate:
		return "BEGIN IMMEDIATE"
	case TxLockExclusive:
		return "BEGIN EXCLUSIVE"
	}
	return "BEGIN"
}

// TimeFormat says how a time.Time argument is stored.
type TimeFormat string

const (
	// TimeFormatSQLite stores TEXT "2006-01-02 15:04:05.999999999-07:00",
	// which SQLite's date and time functions read. The default.
	TimeFormatSQLite TimeFormat = "sqlite"
	// TimeFormatRFC3339 stores TEXT "2006-01-02T15:04:05.999999999Z07:00".
	TimeFormatRFC3339 TimeFormat = "rfc3339"
	// TimeFormatUnix stores INTEGER seconds since 1970 (SQLite's 'unixepoch').
	TimeFormatUnix TimeFormat = "unix"
	// TimeFormatUnixMilli stores INTEGER milliseconds since 1970.
	TimeFormatUnixMilli TimeFormat = "unixmilli"
	// TimeFormatUnixNano stores INTEGER nanoseconds since 1970.
	TimeFormatUnixNano TimeFormat = "unixnano"
)

const (
	sqliteTimeLayout   = "2006-01-02 15:04:05.999999999-07:00"
	defaultBusyTimeout = 5 * time.Second
)

// Config describes a database to open: everything a DSN says, for programs
// that would rather build a struct than a string. The zero value of each
// field is the default. ParseDSN returns the Config of a DSN.
type Config struct {
	// Path is the database file's name, or ":memory:" for an in-memory
	// database private to each connection, or the shared name of an
	// in-memory database when Mode is ModeMemory.
	Path string
	Mode Mode
	// Immutable promises that nobody changes the file while it is open
	// (immutable=1). Wren opens such a file read-only.
	Immutable bool
	// SharedCache (cache=shared) makes ":memory:" one in-memory database
	// shared by the process's connections instead of one per connection.
	// For files it changes nothing: Wren's connections to a file always
	// share their schema.
	SharedCache bool
	// Pragmas run on every new connection, in order, as "name(value)" or
	// "name". busy_timeout (milliseconds, default 5000) and journal_mode
	// are applied by the driver itself.
	Pragmas []string
	// TxLock is the lock database/sql transactions take at BEGIN.
	TxLock TxLock
	// TimeFormat is how time.Time arguments are stored ("" means TimeFormatSQLite).
	TimeFormat TimeFormat
	// TimeText (_time_text=1) reads columns declared DATE, DATETIME or
	// TIMESTAMP as they are stored (TEXT, INTEGER or REAL) instead of as
	// time.Time: for tools that show values exactly, like the shell.
	TimeText bool
	// VFS opens the files; nil means the operating system's (osvfs.NewUnix).
	// Tests use osvfs.NewMem or a fault-injecting VFS. Connections to one
	// file share one database, opened with the VFS of the first of them.
	VFS osvfs.VFS
}

// settings is a Config checked and digested into what a connection needs.
type settings struct {
	name        string // the name passed to engine.Open
	private     bool   // ":memory:": each connection has a database of its own
	engine      engine.Config
	pragmas     []string // "PRAGMA ..." statements run on each new connection
	busyTimeout time.Duration
	txLock      TxLock
	timeFormat  TimeFormat
	timeText    bool
}

func (c *Config) settings() (*settings, error) {
	s := &settings{name: c.Path, busyTimeout: defaultBusyTimeout, txLock: c.TxLock, timeFormat: c.TimeFormat, timeText: c.TimeText}
	if c.Path == "" {
		return nil, fmt.Errorf("wren: no database named: give a file path, or \":memory:\" for an in-memory database")
	}
	switch c.TimeFormat {
	case "":
		s.timeFormat = TimeFormatSQLite
	case TimeFormatSQLite, TimeFormatRFC3339, TimeFormatUnix, TimeFormatUnixMilli, TimeFormatUnixNano:
	default:
		return nil, fmt.Errorf("wren: unknown time format %q (want sqlite, rfc3339, unix, unixmilli or unixnano)", string(c.TimeFormat))
	}
	if c.TxLock < TxLockDeferred || c.TxLock > TxLockExclusive {
		return nil, fmt.Errorf("wren: unknown transaction lock %v", c.TxLock)
	}
	ec := engine.Config{VFS: c.VFS}
	switch c.Mode {
	case ModeReadWriteCreate:
		ec.Create = true
	case ModeReadWrite:
	case ModeReadOnly:
		ec.ReadOnly = true
	case ModeMemory:
		ec.Memory = true
	default:
		return nil, fmt.Errorf("wren: unknown mode %v", c.Mode)
	}
	if c.Immutable {
		ec.ReadOnly, ec.Create = true, false
	}
	if c.Path == ":memory:" {
		ec.Memory = true
		s.private = !c.SharedCache
		if c.SharedCache {
			// engine.Open treats ":memory:" as private; any other name
			// is a shared in-memory database.
			s.name = "file::memory:?cache=shared"
		}
	}
	for _, p := range c.Pragmas {
		name, value, err := parsePragma(p)
		if err != nil {
			return nil, err
		}
		switch name {
		case "busy_timeout":
			ms, err := strconv.ParseInt(value, 10, 64)
			if err != nil || ms < 0 {
				return nil, fmt.Errorf("wren: pragma busy_timeout(%s): want milliseconds, a whole number >= 0", value)
			}
			s.busyTimeout = time.Duration(ms) * time.Millisecond
			continue
		case "journal_mode":
			if value == "" {
				return nil, fmt.Errorf("wren: pragma journal_mode needs a mode, such as journal_mode(delete)")
			}
			ec.JournalMode = strings.ToLower(value)
			continue
		}
		stmt := "PRAGMA " + name
		if value != "" {
			stmt += "(" + value + ")"
		}
		s.pragmas = append(s.pragmas, stmt)
	}
	ec.BusyTimeout = s.busyTimeout
	if s.busyTimeout == 0 {
		ec.BusyTimeout = -1 // the engine reads 0 as "the default"; -1 is "never wait"
	}
	s.engine = ec
	return s, nil
}

// parsePragma splits "name(value)", "name=value" or "name" and checks that
// neither part can smuggle in more SQL.
func parsePragma(p string) (name, value string, err error) {
	name = p
	if i := strings.IndexAny(p, "(="); i >= 0 {
		name, value = p[:i], p[i+1:]
		if p[i] == '(' {
			v, ok := strings.CutSuffix(value, ")")
			if !ok {
				return "", "", fmt.Errorf("wren: _pragma %q: missing \")\"", p)
			}
			value = v
		}
	}
	name = strings.ToLower(strings.TrimSpace(name))
	value = strings.TrimSpace(value)
	if !isIdentifier(name) {
		return "", "", fmt.Errorf("wren: _pragma %q: %q is not a pragma name", p, name)
	}
	if !isPragmaValue(value) {
		return "", "", fmt.Errorf("wren: _pragma %q: the value must be a number, a name or a 'quoted string'", p)
	}
	return name, value, nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}

func isPragmaValue(s string) bool {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return !strings.Contains(s[1:len(s)-1], "'")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '.' || c == '-' || c == '+' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}
