package drivers

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"

	_ "github.com/mattn/go-sqlite3" // registers "sqlite3", the reference
	"github.com/wrendb/wren"        // registers "wren"
)

// Reference is the name of the reference driver.
const Reference = "sqlite"

// Wren is the name of the driver under test.
const Wren = "wren"

// table maps the short names onto registered database/sql driver names and
// the DSN of a fresh in-memory database.
var table = map[string]struct{ driverName, dsn string }{
	Reference: {"sqlite3", ":memory:"},
	Wren:      {wren.DriverName, ":memory:"},
}

// Names lists the drivers Open accepts.
func Names() []string {
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Open makes a fresh, empty database on the named driver. Whether a
// connection can actually be made shows only when one is asked for.
func Open(name string) (*sql.DB, error) {
	entry, ok := table[name]
	if !ok {
		return nil, fmt.Errorf("unknown driver %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return OpenDSN(entry.driverName, entry.dsn)
}

// OpenDSN opens any registered database/sql driver the way Open does: one
// connection, kept for the life of the *sql.DB.
func OpenDSN(driverName, dsn string) (*sql.DB, error) {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Opener returns a function that opens fresh databases on the named driver.
func Opener(name string) (func() (*sql.DB, error), error) {
	if _, ok := table[name]; !ok {
		_, err := Open(name)
		return nil, err
	}
	return func() (*sql.DB, error) { return Open(name) }, nil
}
