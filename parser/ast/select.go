package ast

// Materialization is the hint of a common table expression.
type Materialization uint8

// CTE hints.
const (
	MaterializeDefault Materialization = iota
	Materialized                       // AS MATERIALIZED
	NotMaterialized                    // AS NOT MATERIALIZED
)

// CTE is one common table expression: name[(columns)] AS [hint] (select).
type CTE struct {
	Name         Ident
	Columns      []Ident
	Materialized Materialization
	Select       *Select
}

// With is a WITH [RECURSIVE] clause.
type With struct {
	Position  int
	Recursive bool
	CTEs      []CTE
}

// CompoundOp joins two SELECT cores.
type CompoundOp uint8

// Compound operators.
const (
	Union CompoundOp = iota
	UnionAll
	Intersect
	Except
)

var compoundNames = [...]string{"UNION", "UNION ALL", "INTERSECT", "EXCEPT"}

// String returns the keywords.
func (op CompoundOp) String() string {
	if int(op) < len(compoundNames) {
		return compoundNames[op]
	}
	return "?"
}

// Select is a complete query: an optional WITH, a first core, the cores
// joined to it by compound operators (left-associative, in order), and
// the ORDER BY and LIMIT of the whole. It is also a statement.
type Select struct {
	Position  int
	With      *With
	Core      *SelectCore
	Compounds []Compound
	OrderBy   []OrderingTerm
	Limit     Expr // nil when absent
	Offset    Expr // nil when absent; LIMIT a, b stores Limit=b, Offset=a
}

// Compound is "op core" after the first core of a Select.
type Compound struct {
	Op   CompoundOp
	Core *SelectCore
}

// SelectCore is one SELECT ... or VALUES (...), ... term.
type SelectCore struct {
	Position int
	Values   [][]Expr // set for a VALUES core; the other fields are then empty
	Distinct bool
	All      bool // SELECT ALL written explicitly
	Columns  []ResultColumn
	From     *From // nil when absent
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	Windows  []NamedWindow
}

// ResultColumn is one term of a select list or of a RETURNING clause:
// *, table.*, or an expression with an optional alias.
type ResultColumn struct {
	Position  int
	Star      bool  // * or table.*
	Table     Ident // the table of table.*
	Expr      Expr
	Alias     Ident
	AliasedAs bool   // the alias was introduced with AS
	Text      string // the expression's source text (SQLite's column name when there is no alias)
}

// From is a FROM clause: the first source, then the joined sources in
// order. Join operators are left-associative.
type From struct {
	Position int
	Items    []JoinItem
}

// JoinOp is the operator in front of a source: a comma or a
// [NATURAL] [LEFT|RIGHT|FULL] [OUTER] [INNER|CROSS] JOIN.
type JoinOp struct {
	Comma   bool
	Natural bool
	Left    bool // LEFT, or FULL together with Right
	Right   bool
	Outer   bool // the OUTER keyword was written
	Inner   bool
	Cross   bool
}

// JoinItem is one source of a FROM clause with its join operator (zero for
// the first) and its ON or USING constraint.
type JoinItem struct {
	Join   JoinOp
	Source TableSource
	On     Expr
	Using  []Ident
}

// TableSource is a table name, a table-valued function, a subquery or a
// parenthesized join.
type TableSource interface {
	Node
	tableSource()
}

// TableName is [schema.]name [AS alias] [INDEXED BY i | NOT INDEXED], or a
// table-valued function call name(args) [AS alias] when HasArgs is set.
type TableName struct {
	Name       QualifiedName
	Alias      Ident
	AliasedAs  bool
	IndexedBy  Ident
	NotIndexed bool
	HasArgs    bool
	Args       []Expr
}

// SubquerySource is (select) [AS alias].
type SubquerySource struct {
	Position  int
	Select    *Select
	Alias     Ident
	AliasedAs bool
}

// ParenJoin is (join-clause) [AS alias].
type ParenJoin struct {
	Position  int
	From      *From
	Alias     Ident
	AliasedAs bool
}

func (t *TableName) Pos() int      { return t.Name.Pos() }
func (t *SubquerySource) Pos() int { return t.Position }
func (t *ParenJoin) Pos() int      { return t.Position }

func (*TableName) tableSource()      {}
func (*SubquerySource) tableSource() {}
func (*ParenJoin) tableSource()      {}

// NamedWindow is "name AS (window)" of a WINDOW clause.
type NamedWindow struct {
	Name Ident
	Def  *WindowDef
}

// WindowDef is a window specification: [base] [PARTITION BY ...]
// [ORDER BY ...] [frame].
type WindowDef struct {
	Position    int
	Base        Ident
	PartitionBy []Expr
	OrderBy     []OrderingTerm
	Frame       *Frame // nil when absent
}

// FrameUnit is ROWS, RANGE or GROUPS.
type FrameUnit uint8

// Frame units.
const (
	FrameRows FrameUnit = iota
	FrameRange
	FrameGroups
)

// BoundKind is the kind of a frame boundary.
type BoundKind uint8

// Frame boundaries.
const (
	UnboundedPreceding BoundKind = iota
	Preceding                    // expr PRECEDING
	CurrentRow
	Following // expr FOLLOWING
	UnboundedFollowing
)

// FrameBound is one end of a frame.
type FrameBound struct {
	Kind BoundKind
	Expr Expr // for Preceding and Following
}

// FrameExclude is the EXCLUDE clause of a frame.
type FrameExclude uint8

// Frame exclusions.
const (
	ExcludeDefault FrameExclude = iota
	ExcludeNoOthers
	ExcludeCurrentRow
	ExcludeGroup
	ExcludeTies
)

// Frame is a window frame. Without BETWEEN, End is CURRENT ROW and
// Between is false.
type Frame struct {
	Unit    FrameUnit
	Between bool
	Start   FrameBound
	End     FrameBound
	Exclude FrameExclude
}
