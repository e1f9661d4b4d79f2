package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/wrendb/wren/parser"
)

// A renderer prints the result of one statement in one output mode. The
// shell calls row for every result row and end once after the last; rows
// is the number of rows printed so far (sqlite3's p->cnt), which decides
// separators between rows and whether a header is printed.
//
// Every mode reproduces sqlite3 3.40.1's bytes. Where sqlite3 treats a
// value as a C string (list, csv, line and the columnar modes print
// sqlite3_column_text), text and blobs stop at their first NUL byte.
type renderer struct {
	w    io.Writer
	s    *settings
	cols []string
	rows int

	// the columnar modes collect every cell before printing
	grid *columnar
}

func newRenderer(w io.Writer, s *settings, cols []string) *renderer {
	r := &renderer{w: w, s: s, cols: cols}
	switch s.mode {
	case modeColumn, modeBox, modeTable, modeMarkdown:
		r.grid = newColumnar(s, cols)
	}
	return r
}

func (r *renderer) put(s string) { io.WriteString(r.w, s) }

// row prints (or, in a columnar mode, collects) one result row.
func (r *renderer) row(vals []value) {
	if r.grid != nil {
		r.grid.add(vals)
		r.rows++
		return
	}
	s := r.s
	switch s.mode {
	case modeList, modeTabs, modeASCII:
		if r.rows == 0 && s.showHeader {
			r.put(strings.Join(r.cols, s.colSep) + s.rowSep)
		}
		for i, v := range vals {
			r.put(v.textOr(s.nullValue))
			if i < len(vals)-1 {
				r.put(s.colSep)
			}
		}
		r.put(s.rowSep)
	case modeCSV:
		if r.rows == 0 && s.showHeader {
			for i, c := range r.cols {
				r.put(csvField(c, true, s))
				if i < len(r.cols)-1 {
					r.put(s.colSep)
				}
			}
			r.put(s.rowSep)
		}
		for i, v := range vals {
			t, ok := v.text()
			r.put(csvField(t, ok, s))
			if i < len(vals)-1 {
				r.put(s.colSep)
			}
		}
		r.put(s.rowSep)
	case modeHTML:
		if r.rows == 0 && s.showHeader {
			r.put("<TR>")
			for _, c := range r.cols {
				r.put("<TH>" + htmlEscape(cString(c)) + "</TH>\n")
			}
			r.put("</TR>\n")
		}
		r.put("<TR>")
		for _, v := range vals {
			r.put("<TD>" + htmlEscape(v.textOr(s.nullValue)) + "</TD>\n")
		}
		r.put("</TR>\n")
	case modeTcl:
		if r.rows == 0 && s.showHeader {
			for i, c := range r.cols {
				r.put(cQuoted(cString(c)))
				if i < len(r.cols)-1 {
					r.put(s.colSep)
				}
			}
			r.put(s.rowSep)
		}
		for i, v := range vals {
			r.put(cQuoted(v.textOr(s.nullValue)))
			if i < len(vals)-1 {
				r.put(s.colSep)
			}
		}
		r.put(s.rowSep)
	case modeLine:
		width := 5
		for _, c := range r.cols {
			width = max(width, len(c))
		}
		if r.rows > 0 {
			r.put(s.rowSep)
		}
		for i, v := range vals {
			name := r.cols[i]
			r.put(strings.Repeat(" ", width-len(name)) + name + " = " + v.textOr(s.nullValue) + s.rowSep)
		}
	case modeQuote:
		if r.rows == 0 && s.showHeader {
			for i, c := range r.cols {
				if i > 0 {
					r.put(s.colSep)
				}
				r.put(quotedString(cString(c)))
			}
			r.put(s.rowSep)
		}
		for i, v := range vals {
			if i > 0 {
				r.put(s.colSep)
			}
			r.put(sqlLiteral(v, false))
		}
		r.put(s.rowSep)
	case modeInsert:
		var b strings.Builder
		b.WriteString("INSERT INTO " + s.destTable)
		if s.showHeader {
			b.WriteByte('(')
			for i, c := range r.cols {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(quoteIdentIfNeeded(c))
			}
			b.WriteByte(')')
		}
		for i, v := range vals {
			if i == 0 {
				b.WriteString(" VALUES(")
			} else {
				b.WriteByte(',')
			}
			b.WriteString(sqlLiteral(v, true))
		}
		b.WriteString(");\n")
		r.put(b.String())
	case modeJSON:
		if r.rows == 0 {
			r.put("[{")
		} else {
			r.put(",\n{")
		}
		for i, v := range vals {
			r.put(jsonString([]byte(cString(r.cols[i]))) + ":")
			switch v.class {
			case classNull:
				r.put("null")
			case classReal:
				r.put(exactReal(v.f))
			case classBlob:
				r.put(jsonString(v.b))
			case classText:
				r.put(jsonString([]byte(cString(string(v.b)))))
			default:
				t, _ := v.text()
				r.put(t)
			}
			if i < len(vals)-1 {
				r.put(",")
			}
		}
		r.put("}")
	}
	r.rows++
}

// end finishes the statement's output.
func (r *renderer) end() {
	if r.grid != nil {
		if r.rows > 0 {
			r.grid.print(r.w)
		}
		return
	}
	if r.s.mode == modeJSON && r.rows > 0 {
		r.put("]\n")
	}
}

// cString cuts s at its first NUL, as C code reading it would.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// needsCSVQuote lists the bytes that make sqlite3 quote a CSV field:
// control characters, space, '"', '\”, DEL and every byte of a multi-byte
// UTF-8 sequence.
func needsCSVQuote(c byte) bool {
	return c < 0x21 || c == '"' || c == '\'' || c >= 0x7f
}

// csvField renders one field of csv mode; NULL is the .nullvalue, unquoted.
func csvField(t string, ok bool, s *settings) string {
	if !ok {
		return s.nullValue
	}
	quote := t == "" || strings.Contains(t, s.colSep)
	for i := 0; i < len(t) && !quote; i++ {
		quote = needsCSVQuote(t[i])
	}
	if !quote {
		return t
	}
	return `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
}

// quotedString is sqlite3's output_quoted_string: single quotes around,
// embedded quotes doubled, everything else as it is.
func quotedString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// escapedString is sqlite3's output_quoted_escaped_string, used by insert
// mode and .dump: like quotedString, but newlines and carriage returns are
// written as \n and \r inside the literal and turned back by replace(), so
// the output stays one line per statement.
func escapedString(s string) string {
	if !strings.ContainsAny(s, "\n\r") {
		return quotedString(s)
	}
	nl, cr := "", ""
	if strings.Contains(s, "\n") {
		nl = unusedMarker(s, `\n`, `\012`)
	}
	if strings.Contains(s, "\r") {
		cr = unusedMarker(s, `\r`, `\015`)
	}
	var b strings.Builder
	if nl != "" {
		b.WriteString("replace(")
	}
	if cr != "" {
		b.WriteString("replace(")
	}
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString("''")
		case '\n':
			b.WriteString(nl)
		case '\r':
			b.WriteString(cr)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	if cr != "" {
		b.WriteString(",'" + cr + "',char(13))")
	}
	if nl != "" {
		b.WriteString(",'" + nl + "',char(10))")
	}
	return b.String()
}

// unusedMarker picks a stand-in for a newline or carriage return that
// does not already occur in s.
func unusedMarker(s, a, b string) string {
	if !strings.Contains(s, a) {
		return a
	}
	if !strings.Contains(s, b) {
		return b
	}
	for i := 0; ; i++ {
		m := "(" + a + strconv.Itoa(i) + ")"
		if !strings.Contains(s, m) {
			return m
		}
	}
}

// sqlLiteral renders a value as quote and insert modes (and .dump) do.
// escaped selects insert mode's treatment of newlines.
func sqlLiteral(v value, escaped bool) string {
	switch v.class {
	case classNull:
		return "NULL"
	case classInteger:
		return strconv.FormatInt(v.i, 10)
	case classReal:
		return exactReal(v.f)
	case classBlob:
		return hexBlob(v.b)
	}
	t := cString(string(v.b))
	if escaped {
		return escapedString(t)
	}
	return quotedString(t)
}

func hexBlob(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 3+2*len(b))
	out = append(out, "X'"...)
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(append(out, '\''))
}

// jsonString is sqlite3's output_json_string.
func jsonString(b []byte) string {
	var out strings.Builder
	out.WriteByte('"')
	for _, c := range b {
		switch {
		case c == '\\' || c == '"':
			out.WriteByte('\\')
			out.WriteByte(c)
		case c == '\b':
			out.WriteString(`\b`)
		case c == '\f':
			out.WriteString(`\f`)
		case c == '\n':
			out.WriteString(`\n`)
		case c == '\r':
			out.WriteString(`\r`)
		case c == '\t':
			out.WriteString(`\t`)
		case c <= 0x1f:
			out.WriteString(`\u00`)
			out.WriteByte("0123456789abcdef"[c>>4])
			out.WriteByte("0123456789abcdef"[c&15])
		default:
			out.WriteByte(c)
		}
	}
	out.WriteByte('"')
	return out.String()
}

// quoteIdentIfNeeded returns name as it is when it is a plain identifier
// that is not a keyword, and in double quotes otherwise, as sqlite3 writes
// table and column names in insert mode and .dump.
func quoteIdentIfNeeded(name string) string {
	plain := name != "" && !(name[0] >= '0' && name[0] <= '9')
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	if plain && !parser.IsKeyword(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// htmlEscape is sqlite3's output_html_string.
func htmlEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", "&", "&amp;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}
