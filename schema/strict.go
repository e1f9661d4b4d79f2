package schema

import (
	"strings"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/vdbe"
)

// StrictTypes are the column types a STRICT table accepts, as
// https://www.sqlite.org/stricttables.html lists them.
var StrictTypes = []string{"INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"}

// applyStrict checks that every column of the STRICT table t has one of
// StrictTypes and records it. An ANY column gets no affinity (BLOB), so a
// value is stored exactly as given; the other types keep the affinity
// their name gives them anyway.
func applyStrict(t *Table) error {
	for i := range t.Columns {
		c := &t.Columns[i]
		typ := unquoteType(c.DeclType)
		if typ == "" {
			return resultcode.Errorf(resultcode.Error, "missing datatype for %s.%s", t.Name, c.Name)
		}
		std := ""
		for _, s := range StrictTypes {
			if strings.EqualFold(typ, s) {
				std = s
			}
		}
		if std == "" {
			return resultcode.Errorf(resultcode.Error, "unknown datatype for %s.%s: \"%s\"", t.Name, c.Name, c.DeclType)
		}
		c.StrictType = std
		if std == "ANY" {
			c.Affinity = vdbe.AffinityBlob
		}
	}
	return nil
}

// unquoteType strips the quotes of a type written as one quoted name
// (a STRICT table accepts "INT" as INT, as SQLite does).
func unquoteType(typ string) string {
	if len(typ) >= 2 {
		switch q, e := typ[0], typ[len(typ)-1]; {
		case q == '"' && e == '"', q == '\'' && e == '\'', q == '`' && e == '`', q == '[' && e == ']':
			return typ[1 : len(typ)-1]
		}
	}
	return typ
}

// StrictKind is the record kind a value must have to be stored in the
// STRICT column c, with record.Null meaning any kind (ANY).
func (c *Column) StrictKind() record.Kind {
	switch c.StrictType {
	case "INT", "INTEGER":
		return record.Integer
	case "REAL":
		return record.Real
	case "TEXT":
		return record.Text
	case "BLOB":
		return record.Blob
	}
	return record.Null
}

// ErrGenerated is the error for any use of a table with generated columns.
var ErrGenerated = resultcode.New(resultcode.Error, "generated columns are not supported yet")

// CheckSupported returns ErrGenerated for a table Wren cannot read or
// write correctly yet, nil otherwise.
func (t *Table) CheckSupported() error {
	if t.HasGenerated {
		return ErrGenerated
	}
	return nil
}
