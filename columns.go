package wren

import (
	"database/sql"
	"reflect"
	"strings"
	"time"

	"github.com/wrendb/wren/engine"
	"github.com/wrendb/wren/schema"
)

type reflectType = reflect.Type

// columns is what a statement's result columns look like, worked out once
// per prepared statement and shared by its Rows.
type columns struct {
	schema   *schema.Schema // the connection's schema when they were worked out
	names    []string
	dbType   []string // declared type without its size, upper case
	notNull  []bool
	known    []bool // notNull is known: the column is a table column
	isTime   []bool // declared DATE, DATETIME or TIMESTAMP
	scanType []reflect.Type
}

// newColumns describes a statement's result columns. With timeText, columns
// declared DATE, DATETIME or TIMESTAMP are read as stored (_time_text=1).
func newColumns(st *engine.Stmt, sch *schema.Schema, timeText bool) *columns {
	n := st.ColumnCount()
	// One backing array per element type: a query's first run on a new
	// connection builds these, and a pool opens connections often.
	strs, flags := make([]string, 2*n), make([]bool, 3*n)
	c := &columns{
		schema: sch,
		names:  strs[:n:n], dbType: strs[n:], notNull: flags[:n:n],
		known: flags[n : 2*n : 2*n], isTime: flags[2*n:], scanType: make([]reflect.Type, n),
	}
	for i := range n {
		c.names[i] = st.ColumnName(i)
		decl := st.ColumnDeclType(i)
		c.dbType[i] = baseTypeName(decl)
		// The engine does not yet tell a table column from an
		// expression (both come back known); an expression has no
		// declared type, so "no declared type" is answered as unknown,
		// which is never wrong.
		notNull, known := st.ColumnNotNull(i)
		c.notNull[i], c.known[i] = notNull, known && (decl != "" || notNull)
		c.isTime[i] = !timeText && isTimeType(c.dbType[i])
		typ := c.dbType[i]
		if timeText && isTimeType(typ) {
			typ = "" // stored as written: any storage class
		}
		c.scanType[i] = scanType(typ, !c.notNull[i])
	}
	return c
}

// baseTypeName drops a declared type's size: "varchar(20)" is "VARCHAR",
// as database/sql's ColumnTypeDatabaseTypeName asks.
func baseTypeName(decl string) string {
	if i := strings.IndexByte(decl, '('); i >= 0 {
		decl = decl[:i]
	}
	return strings.ToUpper(strings.TrimSpace(decl))
}

var (
	typeAny        = reflect.TypeFor[any]()
	typeInt64      = reflect.TypeFor[int64]()
	typeFloat64    = reflect.TypeFor[float64]()
	typeString     = reflect.TypeFor[string]()
	typeBytes      = reflect.TypeFor[[]byte]()
	typeBool       = reflect.TypeFor[bool]()
	typeTime       = reflect.TypeFor[time.Time]()
	typeNullInt64  = reflect.TypeFor[sql.NullInt64]()
	typeNullFloat  = reflect.TypeFor[sql.NullFloat64]()
	typeNullString = reflect.TypeFor[sql.NullString]()
	typeNullBool   = reflect.TypeFor[sql.NullBool]()
	typeNullTime   = reflect.TypeFor[sql.NullTime]()
)

// scanType picks the Go type for a declared type by SQLite's affinity
// rules (https://www.sqlite.org/datatype3.html#determination_of_column_affinity),
// with BOOLEAN and the time types singled out. A column that may hold
// NULL scans into the sql.Null type; an expression, whose values may be of
// any class, into any.
func scanType(decl string, nullable bool) reflect.Type {
	pick := func(plain, null reflect.Type) reflect.Type {
		if nullable {
			return null
		}
		return plain
	}
	switch {
	case decl == "":
		return typeAny
	case isTimeType(decl):
		return pick(typeTime, typeNullTime)
	case decl == "BOOL" || decl == "BOOLEAN":
		return pick(typeBool, typeNullBool)
	case strings.Contains(decl, "INT"):
		return pick(typeInt64, typeNullInt64)
	case strings.Contains(decl, "CHAR"), strings.Contains(decl, "CLOB"), strings.Contains(decl, "TEXT"):
		return pick(typeString, typeNullString)
	case strings.Contains(decl, "BLOB"):
		return typeBytes
	case strings.Contains(decl, "REAL"), strings.Contains(decl, "FLOA"), strings.Contains(decl, "DOUB"):
		return pick(typeFloat64, typeNullFloat)
	}
	return typeAny
}
