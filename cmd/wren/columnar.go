package main

import (
	"io"
	"strings"
)

// columnar collects a whole result for the column, box, table and markdown
// modes, which must know every cell before printing the first to size the
// columns. It follows sqlite3 3.40's layout: widths count code points (not
// display cells), a tab advances to the next multiple of 8, a newline or
// any other control character starts a new line inside the cell, and a
// cell longer than its .width wraps onto further lines. When any row spans
// several lines, rows are set apart (a blank line in column mode, a rule
// in box and table modes).
type columnar struct {
	s        *settings
	ncol     int
	cells    []string // header row, then every printed line of every row
	rowStart []bool   // per printed line: true if it is a row's last line
	multi    bool     // some row spans several lines
	widths   []int    // .width per column, 0 when unset
}

func newColumnar(s *settings, cols []string) *columnar {
	g := &columnar{s: s, ncol: len(cols)}
	g.widths = make([]int, len(cols))
	copy(g.widths, s.widths)
	for i, c := range cols {
		line, _, _ := splitDisplayLine(c, g.wrapAt(i), s.columnar.wordWrap)
		g.cells = append(g.cells, line)
	}
	return g
}

// wrapAt is the width at which column i wraps: its .width, or the
// mode's --wrap.
func (g *columnar) wrapAt(i int) int {
	if w := abs(g.widths[i]); w != 0 {
		return w
	}
	return abs(g.s.columnar.wrap)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// add lays out one result row, as one or more printed lines.
func (g *columnar) add(vals []value) {
	rest := make([]string, g.ncol)
	more := make([]bool, g.ncol)
	for i, v := range vals {
		if g.s.columnar.quote {
			rest[i] = quotedCell(v)
		} else {
			rest[i] = v.textOr(g.s.nullValue)
		}
		more[i] = true
	}
	for {
		any := false
		for i := range g.ncol {
			if !more[i] {
				g.cells = append(g.cells, "")
				continue
			}
			line, tail, hasTail := splitDisplayLine(rest[i], g.wrapAt(i), g.s.columnar.wordWrap)
			g.cells = append(g.cells, line)
			rest[i], more[i] = tail, hasTail
			any = any || hasTail
		}
		g.rowStart = append(g.rowStart, !any)
		if !any {
			return
		}
		g.multi = true
	}
}

// quotedCell is a value as the --quote option shows it: an SQL literal,
// with blobs in lower-case x'..' form.
func quotedCell(v value) string {
	switch v.class {
	case classNull:
		return "NULL"
	case classText:
		return quotedString(cString(string(v.b)))
	case classBlob:
		return "x" + strings.TrimPrefix(hexBlob(v.b), "X")
	}
	t, _ := v.text()
	return t
}

// splitDisplayLine takes the first display line of z: at most maxWidth
// code points (0: no limit), tabs expanded, ending at a control
// character. With wordWrap, a line that reaches maxWidth is broken after
// a space or between a word and punctuation in its second half, if there
// is one. It returns the line and what is left for the next line.
func splitDisplayLine(z string, maxWidth int, wordWrap bool) (line, tail string, hasTail bool) {
	if maxWidth == 0 {
		maxWidth = 1000000
	}
	at := func(i int) byte { // z[i], with the NUL a C string ends with
		if i < len(z) {
			return z[i]
		}
		return 0
	}
	i, n := 0, 0
	for n < maxWidth && i < len(z) {
		if c := z[i]; c >= ' ' {
			n++
			i++
			for i < len(z) && z[i]&0xc0 == 0x80 {
				i++
			}
			continue
		} else if c == '\t' {
			for {
				n++
				if n&7 == 0 || n >= maxWidth {
					break
				}
			}
			i++
			continue
		}
		break
	}
	k := i
	if n >= maxWidth && wordWrap {
		for k = i; k > i/2; k-- {
			if isSpace(at(k - 1)) {
				break
			}
		}
		if k <= i/2 {
			for k = i; k > i/2; k-- {
				if isAlnum(at(k-1)) != isAlnum(at(k)) && at(k)&0xc0 != 0x80 {
					break
				}
			}
		}
		if k <= i/2 {
			k = i
		} else {
			i = k
			for at(i) == ' ' {
				i++
			}
		}
	}
	var b strings.Builder
	for j, w := 0, 0; j < k; {
		c := z[j]
		if c >= ' ' {
			w++
			b.WriteByte(c)
			j++
			for j < len(z) && z[j]&0xc0 == 0x80 {
				b.WriteByte(z[j])
				j++
			}
			continue
		}
		if c == '\t' {
			for {
				w++
				b.WriteByte(' ')
				if w&7 == 0 || w >= maxWidth {
					break
				}
			}
			j++
			continue
		}
		break
	}
	switch {
	case n >= maxWidth && at(i) >= ' ':
		return b.String(), z[i:], true
	case at(i) == '\r' && at(i+1) == '\n':
		if i+2 < len(z) {
			return b.String(), z[i+2:], true
		}
		return b.String(), "", false
	case at(i) == 0 || at(i+1) == 0:
		return b.String(), "", false
	}
	return b.String(), z[i+1:], true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// charCount counts code points as sqlite3's strlenChar does.
func charCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i]&0xc0 != 0x80 {
			n++
		}
	}
	return n
}

// padCell is sqlite3's utf8_width_print: the cell cut or padded to w code
// points, right-aligned when w is negative.
func padCell(z string, w int) string {
	aw := abs(w)
	n, i := 0, 0
	for ; i < len(z); i++ {
		if z[i]&0xc0 != 0x80 {
			n++
			if n == aw {
				i++
				for i < len(z) && z[i]&0xc0 == 0x80 {
					i++
				}
				break
			}
		}
	}
	if n >= aw {
		return z[:i]
	}
	if w < 0 {
		return strings.Repeat(" ", aw-n) + z
	}
	return z + strings.Repeat(" ", aw-n)
}

const (
	boxH  = "─"
	boxV  = "│"
	boxDR = "┌"
	boxDL = "┐"
	boxUR = "└"
	boxUL = "┘"
	boxVR = "├"
	boxVL = "┤"
	boxDH = "┬"
	boxUH = "┴"
	boxX  = "┼"
)

func (g *columnar) print(w io.Writer) {
	out := &strings.Builder{}
	actual := make([]int, g.ncol)
	for i := range actual {
		actual[i] = abs(g.widths[i])
	}
	for i, c := range g.cells {
		actual[i%g.ncol] = max(actual[i%g.ncol], charCount(c))
	}
	rule := func(left, mid, right, h string) {
		for i, a := range actual {
			if i == 0 {
				out.WriteString(left)
			} else {
				out.WriteString(mid)
			}
			out.WriteString(strings.Repeat(h, a+2))
		}
		out.WriteString(right + "\n")
	}
	centered := func(i int) string {
		n := charCount(g.cells[i])
		a := actual[i]
		return strings.Repeat(" ", max(0, (a-n)/2)) + g.cells[i] + strings.Repeat(" ", max(0, (a-n+1)/2))
	}
	colSep, rowSep := "  ", "\n"
	switch g.s.mode {
	case modeColumn:
		if g.s.showHeader {
			for i := range g.ncol {
				wd := actual[i]
				if g.widths[i] < 0 {
					wd = -wd
				}
				out.WriteString(padCell(g.cells[i], wd))
				out.WriteString(sepOrEnd(i, g.ncol, "  ", "\n"))
			}
			for i := range g.ncol {
				out.WriteString(strings.Repeat("-", actual[i]))
				out.WriteString(sepOrEnd(i, g.ncol, "  ", "\n"))
			}
		}
	case modeTable:
		colSep, rowSep = " | ", " |\n"
		rule("+", "+", "+", "-")
		out.WriteString("| ")
		for i := range g.ncol {
			out.WriteString(centered(i) + sepOrEnd(i, g.ncol, " | ", " |\n"))
		}
		rule("+", "+", "+", "-")
	case modeMarkdown:
		colSep, rowSep = " | ", " |\n"
		out.WriteString("| ")
		for i := range g.ncol {
			out.WriteString(centered(i) + sepOrEnd(i, g.ncol, " | ", " |\n"))
		}
		rule("|", "|", "|", "-")
	case modeBox:
		colSep, rowSep = " "+boxV+" ", " "+boxV+"\n"
		rule(boxDR, boxDH, boxDL, boxH)
		out.WriteString(boxV + " ")
		for i := range g.ncol {
			out.WriteString(centered(i) + sepOrEnd(i, g.ncol, " "+boxV+" ", " "+boxV+"\n"))
		}
		rule(boxVR, boxX, boxVL, boxH)
	}
	lines := g.cells[g.ncol:]
	nlines := len(lines) / g.ncol
	for l := range nlines {
		if g.s.mode != modeColumn {
			if g.s.mode == modeBox {
				out.WriteString(boxV + " ")
			} else {
				out.WriteString("| ")
			}
		}
		for j := range g.ncol {
			wd := actual[j]
			if g.widths[j] < 0 {
				wd = -wd
			}
			out.WriteString(padCell(lines[l*g.ncol+j], wd))
			if j < g.ncol-1 {
				out.WriteString(colSep)
			}
		}
		out.WriteString(rowSep)
		if g.multi && g.rowStart[l] && l+1 < nlines {
			switch g.s.mode {
			case modeTable:
				rule("+", "+", "+", "-")
			case modeBox:
				rule(boxVR, boxX, boxVL, boxH)
			case modeColumn:
				out.WriteString("\n")
			}
		}
	}
	switch g.s.mode {
	case modeTable:
		rule("+", "+", "+", "-")
	case modeBox:
		rule(boxUR, boxUH, boxUL, boxH)
	}
	io.WriteString(w, out.String())
}

func sepOrEnd(i, n int, sep, end string) string {
	if i == n-1 {
		return end
	}
	return sep
}
