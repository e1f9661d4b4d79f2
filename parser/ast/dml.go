package ast

// InsertVerb is how an INSERT statement begins.
type InsertVerb uint8

// Insert verbs.
const (
	VerbInsert  InsertVerb = iota // INSERT [OR action]
	VerbReplace                   // REPLACE
)

// Insert is INSERT/REPLACE INTO.
type Insert struct {
	Position      int
	With          *With
	Verb          InsertVerb
	Or            ConflictAction
	Table         QualifiedName
	Alias         Ident
	Columns       []Ident
	Select        *Select // the rows: a VALUES or SELECT query; nil with DEFAULT VALUES
	DefaultValues bool
	Upserts       []Upsert
	Returning     []ResultColumn
}

// Upsert is one ON CONFLICT clause of an INSERT.
type Upsert struct {
	Position    int
	Target      []OrderingTerm // nil when no conflict target is given
	TargetWhere Expr
	DoNothing   bool
	Set         []SetClause
	Where       Expr
}

// SetClause is column = expr, or (c1, c2, ...) = expr.
type SetClause struct {
	Columns []Ident
	Paren   bool // the column list was parenthesized
	Value   Expr
}

// Update is UPDATE [OR action] table SET ... [FROM] [WHERE] [RETURNING]
// [ORDER BY] [LIMIT].
type Update struct {
	Position   int
	With       *With
	Or         ConflictAction
	Table      QualifiedName
	Alias      Ident
	IndexedBy  Ident
	NotIndexed bool
	Set        []SetClause
	From       *From
	Where      Expr
	Returning  []ResultColumn
	OrderBy    []OrderingTerm
	Limit      Expr
	Offset     Expr
}

// Delete is DELETE FROM table [WHERE] [RETURNING] [ORDER BY] [LIMIT].
type Delete struct {
	Position   int
	With       *With
	Table      QualifiedName
	Alias      Ident
	IndexedBy  Ident
	NotIndexed bool
	Where      Expr
	Returning  []ResultColumn
	OrderBy    []OrderingTerm
	Limit      Expr
	Offset     Expr
}

func (s *Select) Pos() int { return s.Position }
func (s *Insert) Pos() int { return s.Position }
func (s *Update) Pos() int { return s.Position }
func (s *Delete) Pos() int { return s.Position }

func (*Select) stmtNode() {}
func (*Insert) stmtNode() {}
func (*Update) stmtNode() {}
func (*Delete) stmtNode() {}
