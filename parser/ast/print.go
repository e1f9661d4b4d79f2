package ast

import (
	"strings"
)

// String renders a node back to SQL text. Parsing the result gives the
// same tree, apart from positions and the recorded source text spans.
// Parentheses are written only where precedence needs them, so the text
// can differ from the original in spacing, parentheses and keyword case.
func String(n Node) string {
	var p printer
	p.node(n)
	return p.b.String()
}

type printer struct {
	b strings.Builder
}

func (p *printer) s(s string) { p.b.WriteString(s) }

func (p *printer) node(n Node) {
	switch n := n.(type) {
	case Expr:
		p.expr(n)
	case Stmt:
		p.stmt(n)
	case TableSource:
		p.source(n)
	case Ident:
		p.ident(n)
	case QualifiedName:
		p.qname(n)
	}
}

// ident writes a name with the quotes it was written with.
func (p *printer) ident(id Ident) {
	switch id.Quote {
	case 0:
		p.s(id.Name)
	case '[':
		p.s("[")
		p.s(id.Name)
		p.s("]")
	default:
		q := string(id.Quote)
		p.s(q)
		p.s(strings.ReplaceAll(id.Name, q, q+q))
		p.s(q)
	}
}

func (p *printer) qname(q QualifiedName) {
	if !q.Schema.IsZero() {
		p.ident(q.Schema)
		p.s(".")
	}
	p.ident(q.Name)
}

func (p *printer) idents(list []Ident) {
	for i, id := range list {
		if i > 0 {
			p.s(", ")
		}
		p.ident(id)
	}
}

// Printing precedences; primaries bind tightest.
const (
	pOr = iota + 1
	pAnd
	pNot
	pEq
	pCmp
	pEscape
	pBit
	pAdd
	pMul
	pConcat
	pCollate
	pUnary
	pPrimary
)

var binaryPrec = [...]int{
	OpOr: pOr, OpAnd: pAnd, OpEq: pEq, OpNe: pEq, OpLt: pCmp, OpLe: pCmp,
	OpGt: pCmp, OpGe: pCmp, OpIs: pEq, OpIsNot: pEq, OpBitAnd: pBit,
	OpBitOr: pBit, OpLShift: pBit, OpRShift: pBit, OpAdd: pAdd, OpSub: pAdd,
	OpMul: pMul, OpDiv: pMul, OpRem: pMul, OpConcat: pConcat, OpJSON: pConcat,
	OpJSONText: pConcat,
}

func precOf(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		if int(e.Op) < len(binaryPrec) {
			return binaryPrec[e.Op]
		}
	case *Unary:
		if e.Op == OpNot {
			return pNot
		}
		return pUnary
	case *Like, *Between, *In, *IsNull:
		return pEq
	case *Collate:
		return pCollate
	}
	return pPrimary
}

// operand writes e, parenthesized when it binds less tightly than min.
func (p *printer) operand(e Expr, min int) {
	if precOf(e) < min {
		p.s("(")
		p.expr(e)
		p.s(")")
		return
	}
	p.expr(e)
}

func (p *printer) exprs(list []Expr) {
	for i, e := range list {
		if i > 0 {
			p.s(", ")
		}
		p.expr(e)
	}
}

func (p *printer) expr(e Expr) {
	switch e := e.(type) {
	case *Literal:
		p.s(e.Raw)
	case *Variable:
		p.s(e.Raw)
	case *ColumnRef:
		if !e.Schema.IsZero() {
			p.ident(e.Schema)
			p.s(".")
		}
		if !e.Table.IsZero() {
			p.ident(e.Table)
			p.s(".")
		}
		p.ident(e.Column)
	case *Unary:
		switch e.Op {
		case OpNot:
			p.s("NOT ")
			p.operand(e.X, pNot)
			return
		case OpNeg:
			p.s("-")
		case OpPlus:
			p.s("+")
		case OpBitNot:
			p.s("~")
		}
		p.operand(e.X, pPrimary)
	case *Binary:
		prec := binaryPrec[e.Op]
		p.operand(e.X, prec)
		p.s(" ")
		p.s(e.Op.String())
		p.s(" ")
		p.operand(e.Y, prec+1)
	case *Like:
		p.operand(e.X, pEq)
		if e.Not {
			p.s(" NOT")
		}
		p.s(" ")
		p.s(e.Op.String())
		p.s(" ")
		p.operand(e.Pattern, pEq+1)
		if e.Escape != nil {
			p.s(" ESCAPE ")
			p.operand(e.Escape, pEq+1)
		}
	case *Between:
		p.operand(e.X, pEq)
		if e.Not {
			p.s(" NOT")
		}
		p.s(" BETWEEN ")
		p.operand(e.Low, pEq)
		p.s(" AND ")
		p.operand(e.High, pEq+1)
	case *In:
		p.operand(e.X, pEq)
		if e.Not {
			p.s(" NOT")
		}
		p.s(" IN ")
		switch {
		case e.Select != nil:
			p.s("(")
			p.selectStmt(e.Select)
			p.s(")")
		case e.Table != nil:
			p.qname(*e.Table)
			if e.HasArgs {
				p.s("(")
				p.exprs(e.Args)
				p.s(")")
			}
		default:
			p.s("(")
			p.exprs(e.List)
			p.s(")")
		}
	case *IsNull:
		p.operand(e.X, pEq)
		if e.Not {
			p.s(" NOTNULL")
		} else {
			p.s(" ISNULL")
		}
	case *Collate:
		p.operand(e.X, pCollate)
		p.s(" COLLATE ")
		p.ident(e.Collation)
	case *Cast:
		p.s("CAST(")
		p.expr(e.X)
		p.s(" AS ")
		p.s(e.Type)
		p.s(")")
	case *Case:
		p.s("CASE")
		if e.Operand != nil {
			p.s(" ")
			p.expr(e.Operand)
		}
		for _, w := range e.Whens {
			p.s(" WHEN ")
			p.expr(w.Cond)
			p.s(" THEN ")
			p.expr(w.Result)
		}
		if e.Else != nil {
			p.s(" ELSE ")
			p.expr(e.Else)
		}
		p.s(" END")
	case *Exists:
		p.s("EXISTS (")
		p.selectStmt(e.Select)
		p.s(")")
	case *Subquery:
		p.s("(")
		p.selectStmt(e.Select)
		p.s(")")
	case *Row:
		p.s("(")
		p.exprs(e.Exprs)
		p.s(")")
	case *FuncCall:
		p.funcCall(e)
	case *Raise:
		p.s("RAISE(")
		switch e.Action {
		case RaiseIgnore:
			p.s("IGNORE")
		case RaiseRollback:
			p.s("ROLLBACK, ")
		case RaiseAbort:
			p.s("ABORT, ")
		case RaiseFail:
			p.s("FAIL, ")
		}
		if e.Message != nil {
			p.expr(e.Message)
		}
		p.s(")")
	}
}

func (p *printer) funcCall(f *FuncCall) {
	p.ident(f.Name)
	p.s("(")
	if f.Star {
		p.s("*")
	} else {
		if f.Distinct {
			p.s("DISTINCT ")
		}
		p.exprs(f.Args)
		if f.OrderBy != nil {
			if len(f.Args) > 0 {
				p.s(" ")
			}
			p.s("ORDER BY ")
			p.orderingTerms(f.OrderBy)
		}
	}
	p.s(")")
	if f.Filter != nil {
		p.s(" FILTER (WHERE ")
		p.expr(f.Filter)
		p.s(")")
	}
	if f.OverName != nil {
		p.s(" OVER ")
		p.ident(*f.OverName)
	} else if f.Over != nil {
		p.s(" OVER (")
		p.window(f.Over)
		p.s(")")
	}
}

func (p *printer) orderingTerms(list []OrderingTerm) {
	for i, t := range list {
		if i > 0 {
			p.s(", ")
		}
		p.expr(t.Expr)
		switch t.Order {
		case SortAsc:
			p.s(" ASC")
		case SortDesc:
			p.s(" DESC")
		}
		switch t.Nulls {
		case NullsFirst:
			p.s(" NULLS FIRST")
		case NullsLast:
			p.s(" NULLS LAST")
		}
	}
}

func (p *printer) window(w *WindowDef) {
	sep := ""
	if !w.Base.IsZero() {
		p.ident(w.Base)
		sep = " "
	}
	if w.PartitionBy != nil {
		p.s(sep)
		p.s("PARTITION BY ")
		p.exprs(w.PartitionBy)
		sep = " "
	}
	if w.OrderBy != nil {
		p.s(sep)
		p.s("ORDER BY ")
		p.orderingTerms(w.OrderBy)
		sep = " "
	}
	if f := w.Frame; f != nil {
		p.s(sep)
		p.s([...]string{"ROWS ", "RANGE ", "GROUPS "}[f.Unit%3])
		if f.Between {
			p.s("BETWEEN ")
			p.frameBound(f.Start)
			p.s(" AND ")
			p.frameBound(f.End)
		} else {
			p.frameBound(f.Start)
		}
		switch f.Exclude {
		case ExcludeNoOthers:
			p.s(" EXCLUDE NO OTHERS")
		case ExcludeCurrentRow:
			p.s(" EXCLUDE CURRENT ROW")
		case ExcludeGroup:
			p.s(" EXCLUDE GROUP")
		case ExcludeTies:
			p.s(" EXCLUDE TIES")
		}
	}
}

func (p *printer) frameBound(b FrameBound) {
	switch b.Kind {
	case UnboundedPreceding:
		p.s("UNBOUNDED PRECEDING")
	case UnboundedFollowing:
		p.s("UNBOUNDED FOLLOWING")
	case CurrentRow:
		p.s("CURRENT ROW")
	case Preceding:
		p.expr(b.Expr)
		p.s(" PRECEDING")
	case Following:
		p.expr(b.Expr)
		p.s(" FOLLOWING")
	}
}
