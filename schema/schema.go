package schema

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// Schema is one immutable snapshot of a database's objects. Names are
// looked up without regard to ASCII case, as SQLite does.
type Schema struct {
	// Cookie is the schema cookie (header offset 40) this snapshot matches.
	Cookie uint32
	// FileFormat is the schema format number (header offset 44).
	FileFormat uint32

	Tables   map[string]*Table // keyed by lower-cased name
	Indexes  map[string]*Index
	Views    map[string]*View
	Triggers map[string]*Trigger
}

// New returns an empty schema holding only sqlite_schema itself.
func New() *Schema {
	s := &Schema{
		Tables:   map[string]*Table{},
		Indexes:  map[string]*Index{},
		Views:    map[string]*View{},
		Triggers: map[string]*Trigger{},
	}
	s.Tables["sqlite_schema"] = MasterTable()
	return s
}

// Clone returns a copy whose maps may be edited without touching s. The
// objects themselves are shared: replace an object to change it.
func (s *Schema) Clone() *Schema {
	c := &Schema{Cookie: s.Cookie, FileFormat: s.FileFormat,
		Tables:   make(map[string]*Table, len(s.Tables)),
		Indexes:  make(map[string]*Index, len(s.Indexes)),
		Views:    make(map[string]*View, len(s.Views)),
		Triggers: make(map[string]*Trigger, len(s.Triggers)),
	}
	for k, v := range s.Tables {
		c.Tables[k] = v
	}
	for k, v := range s.Indexes {
		c.Indexes[k] = v
	}
	for k, v := range s.Views {
		c.Views[k] = v
	}
	for k, v := range s.Triggers {
		c.Triggers[k] = v
	}
	return c
}

// Key is the map key for a name.
func Key(name string) string { return strings.ToLower(name) }

// Table returns the table named name, or nil. sqlite_master and the temp
// spellings are accepted as SQLite accepts them.
func (s *Schema) Table(name string) *Table {
	k := Key(name)
	if k == "sqlite_master" {
		k = "sqlite_schema"
	}
	return s.Tables[k]
}

// Index returns the index named name, or nil.
func (s *Schema) Index(name string) *Index { return s.Indexes[Key(name)] }

// View returns the view named name, or nil.
func (s *Schema) View(name string) *View { return s.Views[Key(name)] }

// Trigger returns the trigger named name, or nil.
func (s *Schema) Trigger(name string) *Trigger { return s.Triggers[Key(name)] }

// TableIndexes lists the indexes of table in the order SQLite keeps them
// (the most recently created first), which is the order PRAGMA index_list
// reports and the order in which uniqueness is checked.
func (s *Schema) TableIndexes(table string) []*Index {
	t := s.Table(table)
	if t == nil {
		return nil
	}
	return t.Indexes
}

// TableTriggers lists the triggers on a table or view.
func (s *Schema) TableTriggers(table string) []*Trigger {
	var out []*Trigger
	k := Key(table)
	for _, tr := range s.Triggers {
		if Key(tr.Table) == k {
			out = append(out, tr)
		}
	}
	sortTriggers(out)
	return out
}

// Table is a rowid table (WITHOUT ROWID tables are not supported yet).
type Table struct {
	Name    string
	Root    uint32
	Columns []Column
	// RowidAlias is the index of the INTEGER PRIMARY KEY column that aliases
	// the rowid, or -1.
	RowidAlias    int
	Autoincrement bool
	WithoutRowid  bool
	// Strict marks a STRICT table: every column has one of the types of
	// StrictTypes and writes are checked against it.
	Strict bool
	// HasGenerated marks a table with generated columns, which Wren does
	// not support yet: it can be dropped but not read or written, because
	// a VIRTUAL column is absent from the record and would shift the
	// columns after it.
	HasGenerated bool
	// Checks are the CHECK constraints, table and column ones, in order.
	Checks []Check
	// Indexes are the table's indexes, most recent first (SQLite's order).
	Indexes []*Index
	// PrimaryKey lists the columns of a PRIMARY KEY that is not a rowid alias.
	PrimaryKey []int
	// SQL is the text stored in sqlite_schema ("" for sqlite_schema itself).
	SQL string
	// Stmt is the parsed CREATE TABLE.
	Stmt *ast.CreateTable
}

// Check is one CHECK constraint.
type Check struct {
	Name string // "" when unnamed
	Expr ast.Expr
}

// Column is a table column.
type Column struct {
	Name      string
	DeclType  string
	Affinity  vdbe.Affinity
	Collation string // "" means BINARY
	NotNull   bool
	// NotNullConflict is the ON CONFLICT clause of NOT NULL.
	NotNullConflict ast.ConflictAction
	Default         ast.Expr // nil when none
	DefaultText     string
	PrimaryKey      bool
	Hidden          bool
	// StrictType is the column's type in a STRICT table, upper-cased
	// ("INT", "INTEGER", "REAL", "TEXT", "BLOB" or "ANY"); "" otherwise.
	StrictType string
	// Generated is the GENERATED ALWAYS AS clause, nil for a plain column.
	Generated *ast.ColumnConstraint
}

// ColumnIndex returns the position of the column named name, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

// Clone returns a copy of t whose slices may be edited.
func (t *Table) Clone() *Table {
	c := *t
	c.Columns = append([]Column(nil), t.Columns...)
	c.Indexes = append([]*Index(nil), t.Indexes...)
	c.Checks = append([]Check(nil), t.Checks...)
	return &c
}

// IsRowidName reports whether name is one of the rowid's names and not
// shadowed by a real column of t.
func (t *Table) IsRowidName(name string) bool {
	if !IsRowidName(name) {
		return false
	}
	return t.ColumnIndex(name) < 0
}

// IsRowidName reports whether name is "rowid", "oid" or "_rowid_".
func IsRowidName(name string) bool {
	return strings.EqualFold(name, "rowid") || strings.EqualFold(name, "oid") || strings.EqualFold(name, "_rowid_")
}

// IndexColumn is one key column of an index.
type IndexColumn struct {
	// Column is the table column, or -1 for the rowid, or -2 for an
	// expression.
	Column    int
	Expr      ast.Expr
	Desc      bool
	Collation string
	Name      string // the column's name ("" for an expression)
}

// Index is an index b-tree. Each entry holds the key columns followed by
// the rowid.
type Index struct {
	Name       string
	Table      string
	Root       uint32
	Columns    []IndexColumn
	Unique     bool
	OnConflict ast.ConflictAction
	// Origin is "c" (CREATE INDEX), "u" (UNIQUE constraint) or "pk".
	Origin  string
	Partial ast.Expr // WHERE of a partial index, or nil
	SQL     string   // "" for automatic indexes
}

// View is a view.
type View struct {
	Name    string
	Columns []string // explicit column names, or nil
	Select  *ast.Select
	SQL     string
}

// Trigger is a trigger.
type Trigger struct {
	Name  string
	Table string
	SQL   string
	Stmt  *ast.CreateTrigger
	seq   int
}

func sortTriggers(ts []*Trigger) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].seq > ts[j-1].seq; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// MasterTable describes sqlite_schema.
func MasterTable() *Table {
	col := func(n, t string) Column {
		return Column{Name: n, DeclType: t, Affinity: vdbe.AffinityOf(t)}
	}
	return &Table{Name: "sqlite_schema", Root: 1, RowidAlias: -1, Columns: []Column{
		col("type", "text"), col("name", "text"), col("tbl_name", "text"),
		col("rootpage", "int"), col("sql", "text"),
	}}
}
