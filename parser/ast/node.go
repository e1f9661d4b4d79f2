package ast

// Node is implemented by every node of the tree.
type Node interface {
	// Pos is the byte offset in the parsed text where the node starts.
	Pos() int
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

// Ident is a name as written: a bare word, a keyword used as a name, or a
// name quoted with "", [], “ or ” (SQLite accepts a string literal where a
// name is expected). The zero Ident means "absent".
type Ident struct {
	Name     string // the name with quotes removed and doubled quotes undone
	Quote    byte   // 0 for a bare word, else the opening quote: '"', '[', '`' or '\''
	Position int
}

// Pos returns the offset of the name's first byte.
func (id Ident) Pos() int { return id.Position }

// IsZero reports whether the identifier is absent.
func (id Ident) IsZero() bool { return id.Name == "" && id.Quote == 0 && id.Position == 0 }

// Quoted reports whether the name was written between quotes. A name quoted
// with "" that matches no column becomes a string literal in SQLite.
func (id Ident) Quoted() bool { return id.Quote != 0 }

// QualifiedName is [schema.]name.
type QualifiedName struct {
	Schema Ident // zero when not given
	Name   Ident
}

// Pos returns the offset of the first part written.
func (q QualifiedName) Pos() int {
	if !q.Schema.IsZero() {
		return q.Schema.Position
	}
	return q.Name.Position
}

// SortOrder is ASC or DESC, or neither.
type SortOrder uint8

// Sort orders.
const (
	SortDefault SortOrder = iota
	SortAsc
	SortDesc
)

// NullsOrder is NULLS FIRST or NULLS LAST, or neither.
type NullsOrder uint8

// Nulls orders.
const (
	NullsDefault NullsOrder = iota
	NullsFirst
	NullsLast
)

// OrderingTerm is one term of an ORDER BY list, of an index's column list,
// or of a PRIMARY KEY/UNIQUE table constraint. A COLLATE clause is part of
// Expr (a *Collate node).
type OrderingTerm struct {
	Expr  Expr
	Order SortOrder
	Nulls NullsOrder
}

// ConflictAction is the algorithm of an OR clause or an ON CONFLICT clause.
type ConflictAction uint8

// Conflict actions.
const (
	ConflictDefault ConflictAction = iota
	ConflictRollback
	ConflictAbort
	ConflictFail
	ConflictIgnore
	ConflictReplace
)

var conflictNames = [...]string{"", "ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"}

// String returns the keyword, or "" for ConflictDefault.
func (c ConflictAction) String() string {
	if int(c) < len(conflictNames) {
		return conflictNames[c]
	}
	return "?"
}
