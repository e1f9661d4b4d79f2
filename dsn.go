package wren

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseDSN reads a data source name:
//
//	app.db                                  a file, created if missing
//	:memory:                                an in-memory database, one per connection
//	file:app.db?mode=ro                     an SQLite URI (https://www.sqlite.org/uri.html)
//	file:///var/lib/app.db?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)
//	file:cache?mode=memory                  an in-memory database shared by the process
//	app.db?_txlock=immediate                parameters after a plain path work too
//
// The parameters are SQLite's mode (ro, rw, rwc, memory), immutable (1 or
// 0) and cache (shared or private), and Wren's _pragma (repeatable;
// "name(value)", run on every new connection), _txlock (deferred,
// immediate, exclusive) and _time_format (see TimeFormat). Any other key is
// an error, so that a misspelt option does not go unnoticed. A path with
// a literal '?' or '#' must be written as a file: URI with %3F or %23.
func ParseDSN(dsn string) (*Config, error) {
	cfg := &Config{}
	path, query, err := splitDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.Path = path
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			if kv == "" {
				continue
			}
			key, value, _ := strings.Cut(kv, "=")
			k, err1 := url.PathUnescape(key)
			v, err2 := url.PathUnescape(value)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("wren: DSN %q: bad %%-escape in %q", dsn, kv)
			}
			if err := cfg.setParam(k, v); err != nil {
				return nil, err
			}
		}
	}
	if cfg.Path == "" && cfg.Mode != ModeMemory {
		return nil, fmt.Errorf("wren: DSN %q names no database: give a file path, or \":memory:\" for an in-memory database", dsn)
	}
	if cfg.Path == "" {
		cfg.Path = ":memory:"
	}
	if _, err := cfg.settings(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// splitDSN separates the path from the query string, decoding a file: URI
// as SQLite does: an optional //localhost authority, %-escapes in the path,
// and a '#' fragment that is ignored.
func splitDSN(dsn string) (path, query string, err error) {
	rest, isURI := strings.CutPrefix(dsn, "file:")
	if !isURI {
		path, query, _ = strings.Cut(dsn, "?")
		return path, query, nil
	}
	rest, _, _ = strings.Cut(rest, "#")
	path, query, _ = strings.Cut(rest, "?")
	if auth, ok := strings.CutPrefix(path, "//"); ok {
		host, p, _ := strings.Cut(auth, "/")
		if host != "" && host != "localhost" {
			return "", "", fmt.Errorf("wren: DSN %q: invalid uri authority: %s", dsn, host)
		}
		path = "/" + p
	}
	path, err = url.PathUnescape(path)
	if err != nil {
		return "", "", fmt.Errorf("wren: DSN %q: bad %%-escape in the path", dsn)
	}
	return path, query, nil
}

// mattnParams are go-sqlite3's options: naming the _pragma that replaces
// one makes the error a fix, not a puzzle.
var mattnParams = map[string]string{
	"_busy_timeout": "busy_timeout", "_timeout": "busy_timeout", "_journal_mode": "journal_mode",
	"_journal": "journal_mode", "_foreign_keys": "foreign_keys", "_fk": "foreign_keys",
	"_synchronous": "synchronous", "_sync": "synchronous", "_locking_mode": "locking_mode",
	"_locking": "locking_mode", "_case_sensitive_like": "case_sensitive_like", "_cslike": "case_sensitive_like",
	"_recursive_triggers": "recursive_triggers", "_rt": "recursive_triggers", "_cache_size": "cache_size",
	"_auto_vacuum": "auto_vacuum", "_vacuum": "auto_vacuum", "_query_only": "query_only",
	"_secure_delete": "secure_delete", "_defer_foreign_keys": "defer_foreign_keys",
	"_ignore_check_constraints": "ignore_check_constraints",
}

func (cfg *Config) setParam(key, value string) error {
	switch key {
	case "mode":
		switch value {
		case "ro":
			cfg.Mode = ModeReadOnly
		case "rw":
			cfg.Mode = ModeReadWrite
		case "rwc":
			cfg.Mode = ModeReadWriteCreate
		case "memory":
			cfg.Mode = ModeMemory
		default:
			return fmt.Errorf("wren: no such access mode: %s (want ro, rw, rwc or memory)", value)
		}
	case "immutable":
		b, err := parseBool(key, value)
		if err != nil {
			return err
		}
		cfg.Immutable = b
	case "cache":
		switch value {
		case "shared":
			cfg.SharedCache = true
		case "private":
			cfg.SharedCache = false
		default:
			return fmt.Errorf("wren: no such cache mode: %s (want shared or private)", value)
		}
	case "_pragma":
		if _, _, err := parsePragma(value); err != nil {
			return err
		}
		cfg.Pragmas = append(cfg.Pragmas, value)
	case "_txlock":
		switch strings.ToLower(value) {
		case "deferred":
			cfg.TxLock = TxLockDeferred
		case "immediate":
			cfg.TxLock = TxLockImmediate
		case "exclusive":
			cfg.TxLock = TxLockExclusive
		default:
			return fmt.Errorf("wren: _txlock=%s: want deferred, immediate or exclusive", value)
		}
	case "_time_format":
		cfg.TimeFormat = TimeFormat(strings.ToLower(value))
	case "_time_text":
		b, err := parseBool(key, value)
		if err != nil {
			return err
		}
		cfg.TimeText = b
	default:
		if p, ok := mattnParams[strings.ToLower(key)]; ok {
			return fmt.Errorf("wren: unknown DSN parameter %q: use _pragma=%s(value)", key, p)
		}
		return fmt.Errorf("wren: unknown DSN parameter %q (known: mode, immutable, cache, _pragma, _txlock, _time_format, _time_text)", key)
	}
	return nil
}

func parseBool(key, value string) (bool, error) {
	switch strings.ToLower(value) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("wren: %s=%s: want 1 or 0", key, value)
}

// FormatDSN renders cfg as a DSN that ParseDSN reads back to the same
// Config (except VFS, which a string cannot carry).
func (cfg *Config) FormatDSN() string {
	var q []string
	if cfg.Mode != ModeReadWriteCreate {
		q = append(q, "mode="+cfg.Mode.String())
	}
	if cfg.Immutable {
		q = append(q, "immutable=1")
	}
	if cfg.SharedCache {
		q = append(q, "cache=shared")
	}
	for _, p := range cfg.Pragmas {
		q = append(q, "_pragma="+escapeDSN(p))
	}
	if cfg.TxLock != TxLockDeferred {
		q = append(q, "_txlock="+cfg.TxLock.String())
	}
	if cfg.TimeFormat != "" {
		q = append(q, "_time_format="+escapeDSN(string(cfg.TimeFormat)))
	}
	if cfg.TimeText {
		q = append(q, "_time_text=1")
	}
	s := "file:" + escapeDSN(cfg.Path)
	if strings.HasPrefix(cfg.Path, "//") {
		s = "file://localhost" + escapeDSN(cfg.Path)
	}
	if len(q) > 0 {
		s += "?" + strings.Join(q, "&")
	}
	return s
}

// escapeDSN %-escapes the bytes that would end a path or a parameter.
func escapeDSN(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '?', '#', '&', '%', '=':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
