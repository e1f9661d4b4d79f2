package wren

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"

	"github.com/wrendb/wren/engine"
)

// DriverName is the name Wren registers with database/sql. Wren never
// registers "sqlite" or "sqlite3": those belong to other drivers, and
// registering a name twice panics.
const DriverName = "wren"

// Driver is Wren's database/sql driver, registered as "wren". Programs
// rarely use it directly: sql.Open("wren", dsn) or sql.OpenDB(connector)
// is the way in.
type Driver struct{}

func init() {
	sql.Register(DriverName, &Driver{})
}

var (
	_ driver.Driver        = (*Driver)(nil)
	_ driver.DriverContext = (*Driver)(nil)
	_ driver.Connector     = (*Connector)(nil)
)

// Open opens one connection to the database dsn names (see ParseDSN).
// database/sql calls OpenConnector instead, once per *sql.DB.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	cn, err := c.connect()
	if err != nil {
		c.Close()
		return nil, err
	}
	// The connection is the connector's only user: closing it closes the
	// database too.
	cn.closeConnector = true
	return cn, nil
}

// OpenConnector parses dsn once for a *sql.DB's whole pool.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	return NewConnector(dsn)
}

// Connector opens connections to one database. It keeps the database open
// from its first connection until Close (sql.DB.Close calls it), so that
// every connection shares the database's parsed schema and a new
// connection costs no I/O beyond opening the file.
type Connector struct {
	s *settings

	mu     sync.Mutex
	db     *engine.Database
	conns  int  // open connections
	closed bool // Close was called; the database closes with the last connection
}

// NewConnector returns a Connector for dsn (see ParseDSN), for use with
// sql.OpenDB. It checks the DSN but opens no file until the first
// connection.
func NewConnector(dsn string) (*Connector, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return cfg.Connector()
}

// Connector returns a Connector for the database cfg describes.
func (cfg *Config) Connector() (*Connector, error) {
	s, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	return &Connector{s: s}, nil
}

// Driver returns the registered Driver.
func (c *Connector) Driver() driver.Driver { return &Driver{} }

// Connect opens a new connection and runs the DSN's pragmas on it.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.connect()
}

func (c *Connector) connect() (*conn, error) {
	if c.s.private {
		return c.connectPrivate()
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, errors.New("wren: connector is closed")
	}
	if c.db == nil {
		db, err := openShared(c.s)
		if err != nil {
			c.mu.Unlock()
			return nil, convertError(nil, err)
		}
		c.db = db
	}
	db := c.db
	c.conns++
	c.mu.Unlock()

	ec, err := db.Connect()
	if err != nil {
		c.release()
		return nil, convertError(nil, err)
	}
	return c.setUp(&conn{ec: ec, s: c.s, owner: c})
}

// openShared opens the process's Database for a file. The engine keeps
// one Database per file, opened with the Config of its first user, so a
// read-only connector opens it read-write when the file allows and
// refuses writes itself (conn.checkWrite): a read-write connector that
// comes later can then write. Only a file that cannot be opened for
// writing is opened read-only.
func openShared(s *settings) (*engine.Database, error) {
	cfg := s.engine
	if !cfg.ReadOnly || cfg.Memory {
		return engine.Open(s.name, cfg)
	}
	cfg.ReadOnly = false
	db, err := engine.Open(s.name, cfg)
	if err == nil {
		return db, nil
	}
	return engine.Open(s.name, s.engine)
}

// connectPrivate opens a ":memory:" connection: a database of its own,
// as in SQLite, which goes away when the connection closes.
func (c *Connector) connectPrivate() (*conn, error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, errors.New("wren: connector is closed")
	}
	db, err := engine.Open(c.s.name, c.s.engine)
	if err != nil {
		return nil, convertError(nil, err)
	}
	ec, err := db.Connect()
	if err != nil {
		db.Close()
		return nil, convertError(nil, err)
	}
	return c.setUp(&conn{ec: ec, s: c.s, privateDB: db})
}

// setUp applies the busy timeout and the DSN's pragmas to a new connection.
func (c *Connector) setUp(cn *conn) (*conn, error) {
	cn.ec.SetBusyTimeout(c.s.busyTimeout)
	for _, p := range c.s.pragmas {
		if err := cn.execSimple(context.Background(), p); err != nil {
			cn.Close()
			return nil, err
		}
	}
	return cn, nil
}

// release drops a connection's hold on the database.
func (c *Connector) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conns--
	c.closeIfDone()
}

func (c *Connector) closeIfDone() {
	if c.closed && c.conns == 0 && c.db != nil {
		c.db.Close()
		c.db = nil
	}
}

// Close lets the database go once its last connection closes. It
// implements io.Closer, which sql.DB.Close calls.
func (c *Connector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.closeIfDone()
	return nil
}
