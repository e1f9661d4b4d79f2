package wren

import (
	"context"
	"database/sql/driver"
)

// stmt is a prepared statement. It holds its engine statement, taken from
// the connection's cache and given back at Close. A query of several
// statements keeps only its text and runs through the connection's
// multi-statement path.
type stmt struct {
	c      *conn
	query  string
	p      *prepared // nil for a multi-statement query or one with no statement
	multi  bool
	closed bool
}

var (
	_ driver.Stmt             = (*stmt)(nil)
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

// Close gives the statement back to the connection's cache.
func (s *stmt) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.p != nil && !s.c.closed {
		if s.p.running {
			// A Rows still reads it: the Rows gives it back.
			return nil
		}
		s.c.unclaim(s.p)
	}
	return nil
}

// NumInput returns -1: the driver checks the arguments itself, because
// named parameters and ?NNN make "how many" a question database/sql
// cannot answer.
func (s *stmt) NumInput() int { return -1 }

// Exec implements driver.Stmt.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), namedValues(args))
}

// Query implements driver.Stmt.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), namedValues(args))
}

func namedValues(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

// ExecContext runs the statement.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	c := s.c
	if c.closed {
		return nil, errClosed
	}
	if s.multi || s.p == nil || s.p.running {
		return c.ExecContext(ctx, s.query, args)
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	w := c.watch(ctx)
	defer w.stop()
	b := newBinder(args, c.s.timeFormat)
	err := c.execOne(ctx, s.p, &b, true)
	resetStmt(s.p)
	if err != nil {
		return nil, err
	}
	return c.result(), nil
}

// QueryContext runs the statement and returns its rows.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	c := s.c
	if c.closed {
		return nil, errClosed
	}
	if s.multi || s.p == nil || s.p.running {
		// A Rows of this statement is still open: run a second copy.
		return c.QueryContext(ctx, s.query, args)
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	w := c.watch(ctx)
	b := newBinder(args, c.s.timeFormat)
	r, err := c.startRows(ctx, s.p, &b, w, false)
	if err != nil {
		resetStmt(s.p)
		w.stop()
		return nil, err
	}
	r.stmt = s
	return r, nil
}
