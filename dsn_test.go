package wren

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Ensure that every DSN form of DESIGN parses to the Config it means.
func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn  string
		want Config
	}{
		{"app.db", Config{Path: "app.db"}},
		{"/var/lib/app.db", Config{Path: "/var/lib/app.db"}},
		{":memory:", Config{Path: ":memory:"}},
		{"file::memory:", Config{Path: ":memory:"}},
		{"file::memory:?cache=shared", Config{Path: ":memory:", SharedCache: true}},
		{"file:app.db", Config{Path: "app.db"}},
		{"file:/abs/app.db", Config{Path: "/abs/app.db"}},
		{"file:///abs/app.db", Config{Path: "/abs/app.db"}},
		{"file://localhost/abs/app.db", Config{Path: "/abs/app.db"}},
		{"file:a%20b%3Fc.db", Config{Path: "a b?c.db"}},
		{"file:app.db#fragment", Config{Path: "app.db"}},
		{"file:app.db?mode=ro", Config{Path: "app.db", Mode: ModeReadOnly}},
		{"file:app.db?mode=rw", Config{Path: "app.db", Mode: ModeReadWrite}},
		{"file:app.db?mode=rwc", Config{Path: "app.db", Mode: ModeReadWriteCreate}},
		{"file:cache?mode=memory", Config{Path: "cache", Mode: ModeMemory}},
		{"file:?mode=memory", Config{Path: ":memory:", Mode: ModeMemory}},
		{"file:app.db?immutable=1", Config{Path: "app.db", Immutable: true}},
		{"file:app.db?immutable=0", Config{Path: "app.db"}},
		{"file:app.db?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)", Config{Path: "app.db", Pragmas: []string{"busy_timeout(10000)", "foreign_keys(1)"}}},
		{"file:app.db?_pragma=journal_mode%3Ddelete", Config{Path: "app.db", Pragmas: []string{"journal_mode=delete"}}},
		{"file:app.db?_txlock=immediate", Config{Path: "app.db", TxLock: TxLockImmediate}},
		{"file:app.db?_txlock=EXCLUSIVE", Config{Path: "app.db", TxLock: TxLockExclusive}},
		{"file:app.db?_txlock=deferred", Config{Path: "app.db", TxLock: TxLockDeferred}},
		{"file:app.db?_time_format=unixmilli", Config{Path: "app.db", TimeFormat: TimeFormatUnixMilli}},
		{"file:app.db?_time_text=1", Config{Path: "app.db", TimeText: true}},
		{"app.db?_txlock=immediate&mode=ro", Config{Path: "app.db", TxLock: TxLockImmediate, Mode: ModeReadOnly}},
		{"file:app.db?&mode=ro&", Config{Path: "app.db", Mode: ModeReadOnly}},
	}
	for _, tt := range tests {
		got, err := ParseDSN(tt.dsn)
		if err != nil {
			t.Errorf("ParseDSN(%q): %v", tt.dsn, err)
			continue
		}
		if diff := cmp.Diff(tt.want, *got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseDSN(%q) mismatch (-want +got):\n%s", tt.dsn, diff)
		}
	}
}

// Ensure that a misspelt or unknown option is an error that says what is
// wrong, never silently ignored.
func TestParseDSNErrors(t *testing.T) {
	tests := []struct {
		dsn  string
		want string // a part of the message
	}{
		{"", "names no database"},
		{"file:", "names no database"},
		{"file:app.db?_foo=1", `unknown DSN parameter "_foo"`},
		{"file:app.db?vfs=unix", `unknown DSN parameter "vfs"`},
		{"file:app.db?_busy_timeout=5000", "use _pragma=busy_timeout(value)"},
		{"app.db?_fk=1", "use _pragma=foreign_keys(value)"},
		{"file:app.db?mode=rx", "no such access mode: rx"},
		{"file:app.db?cache=big", "no such cache mode: big"},
		{"file:app.db?immutable=maybe", "immutable=maybe"},
		{"file:app.db?_txlock=later", "_txlock=later"},
		{"file:app.db?_time_format=iso", `unknown time format "iso"`},
		{"file:app.db?_pragma=foreign_keys(1", `missing ")"`},
		{"file:app.db?_pragma=x(1;DROP TABLE t)", "the value must be"},
		{"file:app.db?_pragma=1x(1)", "is not a pragma name"},
		{"file:app.db?_pragma=busy_timeout(soon)", "busy_timeout(soon)"},
		{"file:app.db?_pragma=journal_mode", "journal_mode needs a mode"},
		{"file://example.com/app.db", "invalid uri authority: example.com"},
		{"file:a%zz.db", "bad %-escape"},
		{"file:app.db?mode=%zz", "bad %-escape"},
	}
	for _, tt := range tests {
		_, err := ParseDSN(tt.dsn)
		if err == nil {
			t.Errorf("ParseDSN(%q) succeeded, want an error containing %q", tt.dsn, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDSN(%q) = %q, want it to contain %q", tt.dsn, err, tt.want)
		}
		if _, err := NewConnector(tt.dsn); err == nil {
			t.Errorf("NewConnector(%q) succeeded", tt.dsn)
		}
	}
}

// Ensure that FormatDSN writes what ParseDSN reads back.
func TestFormatDSNRoundTrip(t *testing.T) {
	configs := []Config{
		{Path: "app.db"},
		{Path: "/tmp/a b?c#d&e=f%.db", Mode: ModeReadOnly, Immutable: true},
		{Path: "//net/share.db"},
		{Path: ":memory:", SharedCache: true},
		{Path: "shared", Mode: ModeMemory, TxLock: TxLockExclusive, TimeFormat: TimeFormatUnix},
		{Path: "app.db", Pragmas: []string{"busy_timeout(100)", "journal_mode=wal", "foreign_keys"}, TxLock: TxLockImmediate},
	}
	for _, cfg := range configs {
		dsn := cfg.FormatDSN()
		got, err := ParseDSN(dsn)
		if err != nil {
			t.Errorf("ParseDSN(FormatDSN(%+v) = %q): %v", cfg, dsn, err)
			continue
		}
		if diff := cmp.Diff(cfg, *got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("round trip of %q (-want +got):\n%s", dsn, diff)
		}
	}
}

// Ensure that the settings a connection runs with follow the pragmas:
// busy_timeout and journal_mode are the driver's, the rest run as SQL.
func TestConfigSettings(t *testing.T) {
	cfg := Config{Path: "x.db", Pragmas: []string{"busy_timeout(250)", "journal_mode(DELETE)", "foreign_keys(1)", "synchronous=normal", "cache_size('-2000')"}}
	s, err := cfg.settings()
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Busy    time.Duration
		Journal string
		Pragmas []string
		Create  bool
	}
	got := view{s.busyTimeout, s.engine.JournalMode, s.pragmas, s.engine.Create}
	want := view{250 * time.Millisecond, "delete", []string{"PRAGMA foreign_keys(1)", "PRAGMA synchronous(normal)", "PRAGMA cache_size('-2000')"}, true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settings mismatch (-want +got):\n%s", diff)
	}
	def, err := (&Config{Path: "x.db"}).settings()
	if err != nil {
		t.Fatal(err)
	}
	if def.busyTimeout != 5*time.Second || def.timeFormat != TimeFormatSQLite {
		t.Errorf("defaults: busy timeout %v, time format %q; want 5s, sqlite", def.busyTimeout, def.timeFormat)
	}
	ro, _ := (&Config{Path: "x.db", Immutable: true}).settings()
	if !ro.engine.ReadOnly || ro.engine.Create {
		t.Errorf("immutable: ReadOnly=%v Create=%v, want true false", ro.engine.ReadOnly, ro.engine.Create)
	}
}

// Ensure that the busy timeout gives way to a sooner context deadline.
func TestBusyFor(t *testing.T) {
	if got := busyFor(5*time.Second, time.Now().Add(time.Hour)); got != 5*time.Second {
		t.Errorf("far deadline: %v, want 5s", got)
	}
	if got := busyFor(5*time.Second, time.Now().Add(100*time.Millisecond)); got > 101*time.Millisecond || got <= 0 {
		t.Errorf("near deadline: %v, want about 100ms", got)
	}
	if got := busyFor(5*time.Second, time.Now().Add(-time.Second)); got != 0 {
		t.Errorf("past deadline: %v, want 0", got)
	}
}
