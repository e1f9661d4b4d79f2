package ast

import "strings"

// CreateTable is CREATE [TEMP] TABLE [IF NOT EXISTS] name (columns,
// constraints) [options], or CREATE TABLE name AS select.
type CreateTable struct {
	Position     int
	Text         string // the statement as written, from CREATE to its last token
	Temp         bool   // TEMP or TEMPORARY
	IfNotExists  bool
	Name         QualifiedName
	Columns      []ColumnDef
	Constraints  []TableConstraint
	AsSelect     *Select
	WithoutRowid bool
	Strict       bool
}

// ColumnDef is one column of CREATE TABLE or ALTER TABLE ADD COLUMN.
type ColumnDef struct {
	Name        Ident
	Type        string // the type as written ("" when none), e.g. "VARCHAR(10)"; see DeclaredType
	Constraints []ColumnConstraint
}

// DeclaredType returns the column's type as SQLite records it. SQLite's
// grammar reads the words GENERATED ALWAYS in front of "AS (expr)" as part
// of the type name, and sqlite3AddColumn then cuts a trailing "ALWAYS"
// (and a "GENERATED" before it) from any type of 16 bytes or more; this
// does the same.
func (c *ColumnDef) DeclaredType() string {
	t := c.Type
	if len(t) >= 16 && strings.EqualFold(t[len(t)-6:], "always") {
		t = strings.TrimRight(t[:len(t)-6], " \t\n\f\r")
		if len(t) >= 9 && strings.EqualFold(t[len(t)-9:], "generated") {
			t = strings.TrimRight(t[:len(t)-9], " \t\n\f\r")
		}
	}
	return t
}

// ConstraintKind says which column or table constraint this is.
type ConstraintKind uint8

// Constraint kinds.
const (
	ConsPrimaryKey ConstraintKind = iota
	ConsNotNull
	ConsNull // the no-op NULL constraint
	ConsUnique
	ConsCheck
	ConsDefault
	ConsCollate
	ConsForeignKey // REFERENCES on a column, FOREIGN KEY on a table
	ConsGenerated
	ConsDeferrable // a lone [NOT] DEFERRABLE after a column's REFERENCES
	ConsName       // CONSTRAINT name with no constraint after it
)

// ColumnConstraint is one constraint after a column's type.
type ColumnConstraint struct {
	Position      int
	Name          Ident // CONSTRAINT name, zero when absent
	Kind          ConstraintKind
	Order         SortOrder      // PRIMARY KEY ASC|DESC
	OnConflict    ConflictAction // PRIMARY KEY, NOT NULL, NULL, UNIQUE
	Autoincrement bool
	Expr          Expr   // CHECK, DEFAULT, GENERATED
	DefaultText   string // DEFAULT: the value's source text, e.g. "-1" or "(1+2)"
	Collation     Ident
	ForeignKey    *ForeignKey
	Stored        bool // GENERATED ... STORED (else VIRTUAL)
	GeneratedType Ident
	Always        bool        // GENERATED ALWAYS written after another constraint (else it is part of the column's Type)
	Deferrable    *Deferrable // ConsDeferrable
}

// TableConstraint is one constraint after the columns of CREATE TABLE.
type TableConstraint struct {
	Position      int
	Name          Ident
	Kind          ConstraintKind // ConsPrimaryKey, ConsUnique, ConsCheck or ConsForeignKey
	Columns       []OrderingTerm // PRIMARY KEY, UNIQUE
	Autoincrement bool
	OnConflict    ConflictAction
	Expr          Expr    // CHECK
	FromColumns   []Ident // FOREIGN KEY (these) REFERENCES ...
	ForeignKey    *ForeignKey
}

// FKAction is what a foreign key does ON DELETE or ON UPDATE.
type FKAction uint8

// Foreign key actions.
const (
	FKNoAction FKAction = iota
	FKSetNull
	FKSetDefault
	FKCascade
	FKRestrict
)

// FKArgKind names a REFERENCES argument.
type FKArgKind uint8

// REFERENCES arguments.
const (
	FKOnDelete FKArgKind = iota
	FKOnUpdate
	FKOnInsert // accepted and ignored, as in SQLite
	FKMatch
)

// FKArg is one ON DELETE/ON UPDATE/ON INSERT action or MATCH name.
type FKArg struct {
	Kind   FKArgKind
	Action FKAction
	Match  Ident
}

// ForeignKey is REFERENCES table [(columns)] [args] [deferrable].
type ForeignKey struct {
	Table      Ident
	Columns    []Ident
	Args       []FKArg
	Deferrable *Deferrable
}

// InitiallyKind is the INITIALLY clause of a deferrable constraint.
type InitiallyKind uint8

// INITIALLY values.
const (
	InitiallyDefault InitiallyKind = iota
	InitiallyDeferred
	InitiallyImmediate
)

// Deferrable is [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE].
type Deferrable struct {
	Not       bool
	Initially InitiallyKind
}

// CreateIndex is CREATE [UNIQUE] INDEX.
type CreateIndex struct {
	Position    int
	Text        string
	Unique      bool
	IfNotExists bool
	Name        QualifiedName
	Table       Ident
	Columns     []OrderingTerm
	Where       Expr
}

// CreateView is CREATE [TEMP] VIEW.
type CreateView struct {
	Position    int
	Text        string
	Temp        bool
	IfNotExists bool
	Name        QualifiedName
	Columns     []Ident
	Select      *Select
}

// TriggerTime is BEFORE, AFTER or INSTEAD OF.
type TriggerTime uint8

// Trigger times.
const (
	TriggerDefault TriggerTime = iota // none written: BEFORE
	TriggerBefore
	TriggerAfter
	TriggerInsteadOf
)

// TriggerEvent is the statement kind that fires a trigger.
type TriggerEvent uint8

// Trigger events.
const (
	TriggerDelete TriggerEvent = iota
	TriggerInsert
	TriggerUpdate
)

// CreateTrigger is CREATE [TEMP] TRIGGER.
type CreateTrigger struct {
	Position    int
	Text        string
	Temp        bool
	IfNotExists bool
	Name        QualifiedName
	Time        TriggerTime
	Event       TriggerEvent
	UpdateOf    []Ident
	Table       QualifiedName
	ForEachRow  bool
	When        Expr
	Body        []Stmt // *Insert, *Update, *Delete or *Select
}

// CreateVirtualTable is CREATE VIRTUAL TABLE name USING module[(args)].
type CreateVirtualTable struct {
	Position    int
	Text        string
	IfNotExists bool
	Name        QualifiedName
	Module      Ident
	Args        []string // each argument's text as written, trimmed
	HasArgs     bool
}

// ObjectKind is the kind of schema object a DROP removes.
type ObjectKind uint8

// Object kinds.
const (
	ObjTable ObjectKind = iota
	ObjIndex
	ObjView
	ObjTrigger
)

var objectNames = [...]string{"TABLE", "INDEX", "VIEW", "TRIGGER"}

// String returns the keyword.
func (k ObjectKind) String() string {
	if int(k) < len(objectNames) {
		return objectNames[k]
	}
	return "?"
}

// Drop is DROP TABLE|INDEX|VIEW|TRIGGER [IF EXISTS] name.
type Drop struct {
	Position int
	Kind     ObjectKind
	IfExists bool
	Name     QualifiedName
}

// AlterKind says what ALTER TABLE does.
type AlterKind uint8

// ALTER TABLE actions.
const (
	AlterRename AlterKind = iota
	AlterRenameColumn
	AlterAddColumn
	AlterDropColumn
)

// AlterTable is ALTER TABLE name followed by one action.
type AlterTable struct {
	Position int
	Text     string
	Table    QualifiedName
	Kind     AlterKind
	NewName  Ident      // RENAME TO, RENAME COLUMN ... TO
	Column   Ident      // RENAME COLUMN old, DROP COLUMN
	Add      *ColumnDef // ADD COLUMN
	AddText  string     // ADD COLUMN: the column definition as written
}

func (s *CreateTable) Pos() int        { return s.Position }
func (s *CreateIndex) Pos() int        { return s.Position }
func (s *CreateView) Pos() int         { return s.Position }
func (s *CreateTrigger) Pos() int      { return s.Position }
func (s *CreateVirtualTable) Pos() int { return s.Position }
func (s *Drop) Pos() int               { return s.Position }
func (s *AlterTable) Pos() int         { return s.Position }

func (*CreateTable) stmtNode()        {}
func (*CreateIndex) stmtNode()        {}
func (*CreateView) stmtNode()         {}
func (*CreateTrigger) stmtNode()      {}
func (*CreateVirtualTable) stmtNode() {}
func (*Drop) stmtNode()               {}
func (*AlterTable) stmtNode()         {}
