// Package nopdriver is a database/sql driver that does (almost) nothing: it
// is the floor of the benchmark. Running the point-select and scan loops
// through it shows what database/sql itself costs per statement and per row,
// the part no SQLite driver can go below.
//
// Its whole "database" is a row counter: every INSERT executed adds one row.
// A query with arguments (a lookup by key) returns one row; a query without
// returns as many rows as were inserted. The columns are those between SELECT
// and FROM; a column named name reads as text, f as a float, anything else as
// an integer.
package nopdriver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"strings"
	"sync/atomic"
)

func init() {
	sql.Register("nop", Driver{})
}

// rows is the number of rows inserted so far, across all connections.
var rows atomic.Int64

// Driver is the do-nothing driver.
type Driver struct{}

// Open returns a connection; the name is ignored.
func (Driver) Open(name string) (driver.Conn, error) { return &conn{}, nil }

type conn struct{}

func (c *conn) Prepare(query string) (driver.Stmt, error) { return &stmt{query: query}, nil }
func (c *conn) Close() error                              { return nil }
func (c *conn) Begin() (driver.Tx, error)                 { return tx{}, nil }

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return tx{}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return exec(query), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return query_(query, len(args)), nil
}

type tx struct{}

func (tx) Commit() error   { return nil }
func (tx) Rollback() error { return nil }

type stmt struct{ query string }

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) { return exec(s.query), nil }
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return query_(s.query, len(args)), nil
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return exec(s.query), nil
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return query_(s.query, len(args)), nil
}

func exec(query string) driver.Result {
	if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(query)), "INSERT") {
		rows.Add(1)
	}
	return driver.RowsAffected(1)
}

// query_ returns the rows of query: one for a lookup (arguments given), all
// inserted rows otherwise.
func query_(query string, args int) driver.Rows {
	n := rows.Load()
	if args > 0 {
		n = 1
	}
	return &result{columns: columns(query), left: n}
}

// columns returns the select list of query, split at commas.
func columns(query string) []string {
	upper := strings.ToUpper(query)
	from := strings.Index(upper, " FROM ")
	sel := strings.Index(upper, "SELECT ")
	if sel < 0 || from < sel {
		return []string{"x"}
	}
	cols := strings.Split(query[sel+len("SELECT "):from], ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
	}
	return cols
}

type result struct {
	columns []string
	left    int64
}

func (r *result) Columns() []string { return r.columns }
func (r *result) Close() error      { return nil }

func (r *result) Next(dest []driver.Value) error {
	if r.left == 0 {
		return io.EOF
	}
	r.left--
	for i, c := range r.columns {
		switch c {
		case "name":
			dest[i] = "name-00000001"
		case "f":
			dest[i] = 1.5
		default:
			dest[i] = r.left
		}
	}
	return nil
}
