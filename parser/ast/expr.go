package ast

// LiteralKind says what a Literal holds.
type LiteralKind uint8

// Literal kinds.
const (
	LitNull             LiteralKind = iota
	LitInteger                      // decimal or hex digits, maybe with _ separators
	LitFloat                        // has a '.' or an exponent
	LitString                       // '...'; also a bare name after DEFAULT
	LitBlob                         // x'...'
	LitCurrentTime                  // CURRENT_TIME
	LitCurrentDate                  // CURRENT_DATE
	LitCurrentTimestamp             // CURRENT_TIMESTAMP
)

// Literal is a constant written in the SQL text.
//
// Raw is the source text exactly as written: the compiler does SQLite's own
// numeric conversion from it (an integer too large for int64 is a REAL, a
// hex literal is a 64-bit two's complement value, _ digit separators are
// dropped). Value is the decoded text of strings (quotes removed, ”
// undone) and the hex digits of blobs; for other kinds it equals Raw.
//
// CREATE TABLE's "DEFAULT name" stores the bare name as a LitString whose
// Raw has no quotes; SQLite treats it as a string, or as a boolean when the
// name is TRUE or FALSE.
type Literal struct {
	Position int
	Kind     LiteralKind
	Raw      string
	Value    string
}

// Variable is a parameter: ?, ?NNN, :name, @name, $name (with SQLite's
// Tcl-style suffixes such as $a::b(c)).
type Variable struct {
	Position int
	Raw      string // the parameter as written, e.g. "?3" or ":name"
}

// ColumnRef is a name in an expression: column, table.column or
// schema.table.column. A lone name may also turn out to be TRUE/FALSE or,
// when double-quoted and matching no column, a string literal; the compiler
// decides.
type ColumnRef struct {
	Schema Ident
	Table  Ident
	Column Ident
}

// UnaryOp is a prefix operator.
type UnaryOp uint8

// Prefix operators.
const (
	OpNeg    UnaryOp = iota // -x
	OpPlus                  // +x
	OpBitNot                // ~x
	OpNot                   // NOT x
)

// Unary is a prefix operator applied to X.
type Unary struct {
	Position int
	Op       UnaryOp
	X        Expr
}

// BinaryOp is an infix operator.
type BinaryOp uint8

// Infix operators. IS DISTINCT FROM is OpIsNot and IS NOT DISTINCT FROM is
// OpIs, as in SQLite.
const (
	OpOr BinaryOp = iota
	OpAnd
	OpEq // = or ==
	OpNe // != or <>
	OpLt
	OpLe
	OpGt
	OpGe
	OpIs
	OpIsNot
	OpBitAnd
	OpBitOr
	OpLShift
	OpRShift
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpRem
	OpConcat
	OpJSON     // ->
	OpJSONText // ->>
)

var binaryNames = [...]string{"OR", "AND", "=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT",
	"&", "|", "<<", ">>", "+", "-", "*", "/", "%", "||", "->", "->>"}

// String returns the operator as SQL writes it.
func (op BinaryOp) String() string {
	if int(op) < len(binaryNames) {
		return binaryNames[op]
	}
	return "?"
}

// Binary is X Op Y.
type Binary struct {
	Op   BinaryOp
	X, Y Expr
}

// LikeOp names the pattern-matching operator.
type LikeOp uint8

// Pattern operators.
const (
	OpLike LikeOp = iota
	OpGlob
	OpRegexp
	OpMatch
)

var likeNames = [...]string{"LIKE", "GLOB", "REGEXP", "MATCH"}

// String returns the keyword.
func (op LikeOp) String() string {
	if int(op) < len(likeNames) {
		return likeNames[op]
	}
	return "?"
}

// Like is X [NOT] LIKE|GLOB|REGEXP|MATCH Pattern [ESCAPE Escape].
type Like struct {
	Not     bool
	Op      LikeOp
	X       Expr
	Pattern Expr
	Escape  Expr // nil when absent
}

// Between is X [NOT] BETWEEN Low AND High.
type Between struct {
	Not       bool
	X         Expr
	Low, High Expr
}

// In is X [NOT] IN (...). Exactly one of the right-hand forms is set:
// a list (List, possibly empty), a subquery (Select), or a table or
// table-valued function (Table, with Args when written with parentheses).
type In struct {
	Not     bool
	X       Expr
	List    []Expr
	Select  *Select
	Table   *QualifiedName
	Args    []Expr
	HasArgs bool // Table was followed by (...)
}

// IsNull is X ISNULL (Not false) or X NOTNULL / X NOT NULL (Not true). The
// forms X IS NULL and X IS NOT NULL are Binary nodes.
type IsNull struct {
	Not bool
	X   Expr
}

// Collate is X COLLATE name.
type Collate struct {
	X         Expr
	Collation Ident
}

// Cast is CAST(X AS type).
type Cast struct {
	Position int
	X        Expr
	Type     string // the type name as written; may be empty
}

// When is one WHEN ... THEN ... arm of a CASE.
type When struct {
	Cond, Result Expr
}

// Case is CASE [Operand] WHEN ... THEN ... [ELSE Else] END.
type Case struct {
	Position int
	Operand  Expr // nil when absent
	Whens    []When
	Else     Expr // nil when absent
}

// Exists is EXISTS (select). NOT EXISTS is a Unary OpNot around it.
type Exists struct {
	Position int
	Select   *Select
}

// Subquery is a parenthesized SELECT used as a value.
type Subquery struct {
	Position int
	Select   *Select
}

// Row is a row value (a, b, ...) of two or more expressions.
type Row struct {
	Position int
	Exprs    []Expr
}

// FuncCall is a function call, including aggregate and window calls.
type FuncCall struct {
	Name     Ident
	Distinct bool
	Star     bool // name(*)
	Args     []Expr
	OrderBy  []OrderingTerm // name(args ORDER BY ...)
	Filter   Expr           // FILTER (WHERE ...), nil when absent
	OverName *Ident         // OVER name
	Over     *WindowDef     // OVER (...)
}

// RaiseAction is the first argument of RAISE.
type RaiseAction uint8

// RAISE actions.
const (
	RaiseIgnore RaiseAction = iota
	RaiseRollback
	RaiseAbort
	RaiseFail
)

// Raise is RAISE(IGNORE) or RAISE(action, message) in a trigger body.
type Raise struct {
	Position int
	Action   RaiseAction
	Message  Expr // nil for IGNORE
}

// Pos implementations.
func (e *Literal) Pos() int  { return e.Position }
func (e *Variable) Pos() int { return e.Position }
func (e *ColumnRef) Pos() int {
	if !e.Schema.IsZero() {
		return e.Schema.Position
	}
	if !e.Table.IsZero() {
		return e.Table.Position
	}
	return e.Column.Position
}
func (e *Unary) Pos() int    { return e.Position }
func (e *Binary) Pos() int   { return e.X.Pos() }
func (e *Like) Pos() int     { return e.X.Pos() }
func (e *Between) Pos() int  { return e.X.Pos() }
func (e *In) Pos() int       { return e.X.Pos() }
func (e *IsNull) Pos() int   { return e.X.Pos() }
func (e *Collate) Pos() int  { return e.X.Pos() }
func (e *Cast) Pos() int     { return e.Position }
func (e *Case) Pos() int     { return e.Position }
func (e *Exists) Pos() int   { return e.Position }
func (e *Subquery) Pos() int { return e.Position }
func (e *Row) Pos() int      { return e.Position }
func (e *FuncCall) Pos() int { return e.Name.Position }
func (e *Raise) Pos() int    { return e.Position }

func (*Literal) exprNode()   {}
func (*Variable) exprNode()  {}
func (*ColumnRef) exprNode() {}
func (*Unary) exprNode()     {}
func (*Binary) exprNode()    {}
func (*Like) exprNode()      {}
func (*Between) exprNode()   {}
func (*In) exprNode()        {}
func (*IsNull) exprNode()    {}
func (*Collate) exprNode()   {}
func (*Cast) exprNode()      {}
func (*Case) exprNode()      {}
func (*Exists) exprNode()    {}
func (*Subquery) exprNode()  {}
func (*Row) exprNode()       {}
func (*FuncCall) exprNode()  {}
func (*Raise) exprNode()     {}
