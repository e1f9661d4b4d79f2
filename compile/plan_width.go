package compile

import (
	"math"
	"strings"

	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// SQLite turns a full table scan into a scan of a covering index only when
// the index's rows are estimated narrower than the table's. The estimate is
// coarse (from declared types, in units of about 4 bytes) but it decides
// which b-tree a query without ORDER BY walks, and so the order its rows
// come out in: we follow it so that unordered results match sqlite3's.

// columnWidth is the estimated stored size of a column of type decl: 1 for
// numbers and untyped columns; for text and blobs, a quarter of the
// declared length plus one (VARCHAR(100) is 26), or 5 when no length is
// given (TEXT, CLOB, BLOB) — except that a CHAR type without a length
// counts as 1, as in SQLite.
func columnWidth(decl string) int {
	if decl == "" {
		return 1
	}
	aff := vdbe.AffinityOf(decl)
	if aff != vdbe.AffinityText && aff != vdbe.AffinityBlob {
		return 1
	}
	up := strings.ToUpper(decl)
	sized, hasSize := "", false
	if i := strings.Index(up, "CHAR"); i >= 0 {
		sized, hasSize = up[i+4:], true
	} else if i := strings.Index(up, "BLOB"); i >= 0 && aff == vdbe.AffinityBlob && strings.HasPrefix(up[i+4:], "(") {
		sized, hasSize = up[i+4:], true
	}
	v := 16
	if hasSize {
		v = leadingNumber(sized)
	}
	return min(v/4+1, 255)
}

// leadingNumber is the first run of digits in s, or 0 when there is none.
func leadingNumber(s string) int {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return 0
	}
	n := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 1<<20; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// tableWidth is the estimated width of a table row: its columns, plus the
// rowid when no INTEGER PRIMARY KEY holds it.
func tableWidth(t *schema.Table) int {
	w := 0
	for _, c := range t.Columns {
		w += columnWidth(c.DeclType)
	}
	if t.RowidAlias < 0 {
		w++
	}
	return w
}

// indexWidth is the estimated width of an index entry: its key columns and
// the rowid that ends it.
func indexWidth(t *schema.Table, ix *schema.Index) int {
	w := 1 // the rowid
	for _, c := range ix.Columns {
		if c.Column >= 0 && c.Column < len(t.Columns) {
			w += columnWidth(t.Columns[c.Column].DeclType)
		} else {
			w++
		}
	}
	return w
}

// logEst is SQLite's logarithmic estimate, about 10·log2(x), used to
// compare the widths: two widths whose estimates round to the same value
// count as equal.
func logEst(x uint64) int {
	steps := [8]int{0, 2, 3, 5, 6, 7, 8, 9}
	y := 40
	if x < 8 {
		if x < 2 {
			return 0
		}
		for x < 8 {
			y -= 10
			x <<= 1
		}
	} else {
		for x > 255 {
			y += 40
			x >>= 4
		}
		for x > 15 {
			y += 10
			x >>= 1
		}
	}
	return steps[x&7] + y - 10
}

// narrowerThanTable reports whether scanning ix reads estimated-narrower
// rows than scanning its table.
func narrowerThanTable(t *schema.Table, ix *schema.Index) bool {
	return logEst(uint64(indexWidth(t, ix))*4) < logEst(uint64(tableWidth(t))*4)
}

// bestCoveringScan is the covering index SQLite would scan instead of
// source si's table, and its cost relative to the table scan (0 when
// there is none). SQLite costs a full scan of the table at 16 plus the
// rows, and of an index at 1+15*szIdx/szTab, in its logarithmic units
// where 10 doubles; a partial index, whose WHERE the terms must imply,
// is assumed to hold half the rows (10 less). Among equal costs the
// narrower index wins, then the first.
func (c *compiler) bestCoveringScan(sc *scope, si int, terms []*wterm) (*schema.Index, int) {
	s := sc.srcs[si]
	if s.table == nil || s.regBase > 0 || sc.usedCols == nil {
		return nil, 0
	}
	var best *schema.Index
	bestRun, bestWidth := 0, 0
	tab := logEst(uint64(tableWidth(s.table)) * 4)
	for _, ix := range s.usableIndexes() {
		if !coversColumns(s, ix, sc.usedCols) {
			continue
		}
		width := indexWidth(s.table, ix)
		run := 1 + 15*logEst(uint64(width)*4)/tab
		if ix.Partial != nil {
			if !c.partialIndexImplied(sc, si, ix, terms) {
				continue
			}
			run -= 10
		} else if !narrowerThanTable(s.table, ix) {
			continue
		}
		if run >= 16 {
			continue
		}
		if best == nil || run < bestRun || (run == bestRun && width < bestWidth) {
			best, bestRun, bestWidth = ix, run, width
		}
	}
	if best == nil {
		return nil, 0
	}
	return best, bestRun - 16
}

// coveringScan is how much cheaper a full scan of source si is, per row
// and in rows produced, when planCovering reads it from a covering index
// instead: a partial index is assumed to hold half the rows.
func (c *compiler) coveringScan(sc *scope, si int, a access, terms []*wterm) (run, rows float64) {
	if a.kind != accessScan {
		return 1, 1
	}
	best, delta := c.bestCoveringScan(sc, si, terms)
	if best == nil {
		return 1, 1
	}
	rows = 1
	if best.Partial != nil {
		rows = 0.5
	}
	return math.Pow(2, float64(delta)/10), rows
}
