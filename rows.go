package wren

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"

	"github.com/wrendb/wren/record"
)

// rows reads a query's results. Integers and floats reach database/sql
// without an allocation per value (see boxer); the text of a row becomes
// strings sharing one allocation (see rowStrings), and a blob a []byte
// reused from row to row, as driver.Rows allows.
type rows struct {
	c       *conn
	ctx     context.Context
	p       *prepared
	w       *watch
	owns    bool  // give p back to the cache at Close
	stmt    *stmt // the Stmt that owns p, when not owns
	cols    *columns
	box     boxer
	strs    rowStrings
	blobs   [][]byte
	done    bool
	stepped bool  // Next has stepped once
	closed  bool  // Close was called
	err     error // why the rows ended early
}

var (
	_ driver.Rows                           = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
)

func newRows(c *conn, ctx context.Context, p *prepared, w *watch, owns bool) *rows {
	// A schema change recompiles the statement, which may change its
	// columns (a table dropped and created again, say).
	if sch := c.ec.Schema(); p.meta == nil || p.meta.schema != sch {
		p.meta = newColumns(p.st, sch, c.s.timeText)
	}
	r := c.spareRows
	if r == nil {
		return &rows{c: c, ctx: ctx, p: p, w: w, owns: owns, cols: p.meta}
	}
	c.spareRows = nil
	box, blobs := r.box, r.blobs
	if len(blobs) != len(p.meta.names) {
		blobs = nil
	}
	*r = rows{c: c, ctx: ctx, p: p, w: w, owns: owns, cols: p.meta, box: box, blobs: blobs}
	return r
}

// Columns returns the result column names.
func (r *rows) Columns() []string {
	if r.cols == nil {
		return nil
	}
	return r.cols.names
}

// Close ends the query and gives the statement back. database/sql calls
// it once and then forgets the Rows, so the connection keeps it for its
// next query: one allocation less per query.
func (r *rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.abandon(nil)
	if r.c != nil && r.c.spareRows == nil {
		r.c.spareRows = r
	}
	return nil
}

// abandon ends the rows; err, when set, is what a later Next reports (a
// transaction that ended under them).
func (r *rows) abandon(err error) {
	if r.p == nil {
		return
	}
	r.done = true
	if r.err == nil {
		r.err = err
	}
	p := r.p
	r.p = nil
	r.w.stop()
	r.c.forgetRows(r)
	if r.owns || r.stmt == nil || r.stmt.closed {
		r.c.unclaim(p)
	} else {
		resetStmt(p)
		p.running = false
	}
}

// Next fills dest with the next row.
func (r *rows) Next(dest []driver.Value) error {
	if r.done || r.p == nil {
		if r.err != nil {
			return r.err
		}
		return io.EOF
	}
	st := r.p.st
	unbind := r.c.bindContext(r.ctx)
	ok, err := st.Step()
	unbind()
	if err != nil {
		err = r.c.stepError(r.ctx, err)
		r.err = err
		r.abandon(nil)
		return err
	}
	if !ok {
		r.abandon(nil)
		return io.EOF
	}
	if !r.stepped {
		r.stepped = true
		// The first step may have recompiled the statement for a schema
		// that changed since Columns was answered.
		if sch := r.c.ec.Schema(); sch != r.cols.schema {
			r.p.meta = newColumns(st, sch, r.c.s.timeText)
			r.cols = r.p.meta
		}
	}
	if len(dest) > len(r.cols.names) {
		dest = dest[:len(r.cols.names)]
	}
	row := st.RowMems()
	if len(row) < len(dest) {
		for i := len(row); i < len(dest); i++ {
			dest[i] = nil
		}
		dest = dest[:len(row)]
	}
	// Count the row's text first, to copy it all into one allocation.
	nText, textLen := 0, 0
	for i := range dest {
		if m := &row[i]; m.Kind() == record.Text && m.Len() > 0 && !r.cols.isTime[i] {
			nText++
			textLen += m.Len()
		}
	}
	if nText > 0 {
		r.strs.reset(nText, textLen)
	}
	for i := range dest {
		m := &row[i]
		switch m.Kind() {
		case record.Null:
			dest[i] = nil
		case record.Integer:
			if r.cols.isTime[i] {
				dest[i] = unixTime(m.Int(), r.c.s.timeFormat)
				continue
			}
			dest[i] = r.box.int64(m.Int())
		case record.Real:
			dest[i] = r.box.float64(m.Float())
		case record.Text:
			b := m.Bytes()
			if r.cols.isTime[i] {
				if t, ok := parseTime(string(b)); ok {
					dest[i] = t
				} else {
					dest[i] = string(b)
				}
				continue
			}
			if len(b) > 0 {
				dest[i] = r.strs.text(b)
			} else {
				dest[i] = ""
			}
		case record.Blob:
			dest[i] = r.blob(i, m.Bytes())
		}
	}
	return nil
}

// blob copies b into column i's buffer, which the next row reuses.
func (r *rows) blob(i int, b []byte) []byte {
	if r.blobs == nil {
		r.blobs = make([][]byte, len(r.cols.names))
	}
	buf := r.blobs[i]
	if cap(buf) < len(b) || buf == nil {
		buf = make([]byte, len(b), max(len(b), 16))
	}
	buf = buf[:len(b)]
	copy(buf, b)
	r.blobs[i] = buf
	return buf
}

// ColumnTypeDatabaseTypeName returns the column's declared type without
// its size, in upper case ("VARCHAR" for varchar(20)); "" for an
// expression.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.cols.dbType[i] }

// ColumnTypeNullable reports whether a table column may hold NULL; ok is
// false for an expression, which may or may not.
func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	return !r.cols.notNull[i], r.cols.known[i]
}

// ColumnTypeScanType returns the Go type to scan the column into.
func (r *rows) ColumnTypeScanType(i int) reflectType { return r.cols.scanType[i] }

var errTxEnded = errors.New("wren: the transaction ended while these rows were open")
