package main

import (
	"bufio"
	"io"
)

// csvReader reads the fields of a .import file the way sqlite3's CSV
// reader does: a field in double quotes may hold separators, newlines and
// doubled quotes; a carriage return before a newline is dropped; anything
// else is taken as it stands. In ascii mode nothing is quoted.
type csvReader struct {
	r      *bufio.Reader
	colSep byte
	rowSep byte
	quoted bool // csv rules; false for ascii and other separators
	line   int  // current line number, from 1
	field  []byte
}

// fieldEnd says what ended the field just read.
type fieldEnd int

const (
	endColumn fieldEnd = iota
	endRow
	endFile
)

func newCSVReader(r io.Reader, colSep, rowSep byte, quoted bool) *csvReader {
	return &csvReader{r: bufio.NewReaderSize(r, 256<<10), colSep: colSep, rowSep: rowSep, quoted: quoted, line: 1}
}

// next reads one field. At the very end of the input it returns endFile
// with an empty field and atEOF set.
func (c *csvReader) next() (field string, end fieldEnd, atEOF bool) {
	c.field = c.field[:0]
	ch, err := c.r.ReadByte()
	if err != nil {
		return "", endFile, true
	}
	if c.quoted && ch == '"' {
		for {
			ch, err = c.r.ReadByte()
			if err != nil {
				return string(c.field), endFile, false
			}
			if ch == '"' {
				nx, err := c.r.ReadByte()
				if err != nil {
					return string(c.field), endFile, false
				}
				if nx == '"' {
					c.field = append(c.field, '"')
					continue
				}
				ch = nx
				if ch == '\r' {
					if p, err := c.r.Peek(1); err == nil && p[0] == c.rowSep {
						ch, _ = c.r.ReadByte()
					}
				}
				if ch == c.colSep {
					return string(c.field), endColumn, false
				}
				if ch == c.rowSep {
					c.line++
					return string(c.field), endRow, false
				}
				// a stray character after the closing quote: keep it and
				// read on as an unquoted field
				c.field = append(c.field, ch)
				break
			}
			if ch == '\n' {
				c.line++
			}
			c.field = append(c.field, ch)
		}
	} else {
		c.r.UnreadByte()
	}
	for {
		ch, err = c.r.ReadByte()
		if err != nil {
			return string(c.field), endFile, false
		}
		if ch == c.colSep {
			return string(c.field), endColumn, false
		}
		if ch == c.rowSep {
			c.line++
			if c.quoted && len(c.field) > 0 && c.field[len(c.field)-1] == '\r' {
				c.field = c.field[:len(c.field)-1]
			}
			return string(c.field), endRow, false
		}
		c.field = append(c.field, ch)
	}
}

// readRow reads the fields of one row; ok is false at the end of input.
func (c *csvReader) readRow() (fields []string, startLine int, ok bool) {
	startLine = c.line
	for {
		f, end, atEOF := c.next()
		if atEOF && len(fields) == 0 {
			return nil, startLine, false
		}
		fields = append(fields, f)
		if end != endColumn {
			return fields, startLine, true
		}
	}
}

// skipBOM drops a UTF-8 byte-order mark at the start of the input.
func (c *csvReader) skipBOM() {
	if b, err := c.r.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		c.r.Discard(3)
	}
}
