package ast

// TxMode is the locking mode of BEGIN.
type TxMode uint8

// Transaction modes.
const (
	TxDefault TxMode = iota
	TxDeferred
	TxImmediate
	TxExclusive
)

// Begin is BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION [name]].
type Begin struct {
	Position int
	Mode     TxMode
}

// Commit is COMMIT or END [TRANSACTION].
type Commit struct {
	Position int
}

// Rollback is ROLLBACK [TRANSACTION] [TO [SAVEPOINT] name].
type Rollback struct {
	Position  int
	Savepoint Ident // zero for a whole-transaction rollback
}

// Savepoint is SAVEPOINT name.
type Savepoint struct {
	Position int
	Name     Ident
}

// Release is RELEASE [SAVEPOINT] name.
type Release struct {
	Position int
	Name     Ident
}

// PragmaValue is the argument of a PRAGMA: a number with an optional sign,
// a name, or one of the keywords ON, DELETE, DEFAULT (kept as a bare Name).
type PragmaValue struct {
	Position int
	Number   string // the number with its sign as written, e.g. "-2000"; "" for a name
	Name     Ident
}

// Pragma is PRAGMA [schema.]name [= value | (value)].
type Pragma struct {
	Position int
	Name     QualifiedName
	Value    *PragmaValue // nil when absent
	Paren    bool         // the value was written as (value)
}

// Attach is ATTACH [DATABASE] file AS schema [KEY key].
type Attach struct {
	Position int
	File     Expr
	Schema   Expr
	Key      Expr
}

// Detach is DETACH [DATABASE] schema.
type Detach struct {
	Position int
	Schema   Expr
}

// Vacuum is VACUUM [schema] [INTO file].
type Vacuum struct {
	Position int
	Schema   Ident
	Into     Expr
}

// Analyze is ANALYZE [name[.name]].
type Analyze struct {
	Position int
	Name     QualifiedName // zero when absent; a lone name is in Name.Name
}

// Reindex is REINDEX [name[.name]].
type Reindex struct {
	Position int
	Name     QualifiedName
}

// Explain is EXPLAIN [QUERY PLAN] statement.
type Explain struct {
	Position  int
	QueryPlan bool
	Stmt      Stmt
}

func (s *Begin) Pos() int     { return s.Position }
func (s *Commit) Pos() int    { return s.Position }
func (s *Rollback) Pos() int  { return s.Position }
func (s *Savepoint) Pos() int { return s.Position }
func (s *Release) Pos() int   { return s.Position }
func (s *Pragma) Pos() int    { return s.Position }
func (s *Attach) Pos() int    { return s.Position }
func (s *Detach) Pos() int    { return s.Position }
func (s *Vacuum) Pos() int    { return s.Position }
func (s *Analyze) Pos() int   { return s.Position }
func (s *Reindex) Pos() int   { return s.Position }
func (s *Explain) Pos() int   { return s.Position }

func (*Begin) stmtNode()     {}
func (*Commit) stmtNode()    {}
func (*Rollback) stmtNode()  {}
func (*Savepoint) stmtNode() {}
func (*Release) stmtNode()   {}
func (*Pragma) stmtNode()    {}
func (*Attach) stmtNode()    {}
func (*Detach) stmtNode()    {}
func (*Vacuum) stmtNode()    {}
func (*Analyze) stmtNode()   {}
func (*Reindex) stmtNode()   {}
func (*Explain) stmtNode()   {}
