package compile

import (
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
