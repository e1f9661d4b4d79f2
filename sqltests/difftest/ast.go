package difftest

import (
	"strconv"
	"strings"
)

// Expr is a generated SQL expression. It is a small tree rather than text so
// that the shrinker can replace any node by one of its children or by a
// literal and print the result again.
type Expr struct {
	Kind ExprKind
	// Text is the literal's SQL, the column reference, the operator, the
	// function name, the CAST type or the COLLATE name, by Kind.
	Text string
	Args []*Expr
	// Sub is the subquery of KindSubquery, KindExists and KindInSelect.
	Sub *Query
}

// ExprKind says how an Expr prints.
type ExprKind int

const (
	KindLiteral  ExprKind = iota // Text
	KindColumn                   // Text, "a0.c1"
	KindUnary                    // Text Args[0]
	KindBinary                   // Args[0] Text Args[1]
	KindPostfix                  // Args[0] Text ("IS NULL", "NOTNULL")
	KindFunc                     // Text(Args...); Text "count(*)" has no args
	KindCast                     // CAST(Args[0] AS Text)
	KindCollate                  // Args[0] COLLATE Text
	KindBetween                  // Args[0] BETWEEN Args[1] AND Args[2]
	KindInList                   // Args[0] IN (Args[1:]...)
	KindInSelect                 // Args[0] IN (Sub)
	KindCase                     // CASE WHEN Args[0] THEN Args[1] ... [ELSE last] END
	KindSubquery                 // (Sub)
	KindExists                   // EXISTS (Sub)
)

// Lit makes a literal.
func Lit(sql string) *Expr { return &Expr{Kind: KindLiteral, Text: sql} }

// SQL prints the expression, fully parenthesised so that precedence never
// depends on the printer.
func (e *Expr) SQL() string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

func (e *Expr) write(b *strings.Builder) {
	switch e.Kind {
	case KindLiteral, KindColumn:
		b.WriteString(e.Text)
	case KindUnary:
		b.WriteString("(")
		b.WriteString(e.Text)
		b.WriteString(" ")
		e.Args[0].write(b)
		b.WriteString(")")
	case KindBinary:
		b.WriteString("(")
		e.Args[0].write(b)
		b.WriteString(" " + e.Text + " ")
		e.Args[1].write(b)
		b.WriteString(")")
	case KindPostfix:
		b.WriteString("(")
		e.Args[0].write(b)
		b.WriteString(" " + e.Text + ")")
	case KindFunc:
		b.WriteString(e.Text)
		if e.Text == "count(*)" {
			return
		}
		b.WriteString("(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.write(b)
		}
		b.WriteString(")")
	case KindCast:
		b.WriteString("CAST(")
		e.Args[0].write(b)
		b.WriteString(" AS " + e.Text + ")")
	case KindCollate:
		b.WriteString("(")
		e.Args[0].write(b)
		b.WriteString(" COLLATE " + e.Text + ")")
	case KindBetween:
		b.WriteString("(")
		e.Args[0].write(b)
		b.WriteString(" BETWEEN ")
		e.Args[1].write(b)
		b.WriteString(" AND ")
		e.Args[2].write(b)
		b.WriteString(")")
	case KindInList:
		b.WriteString("(")
		e.Args[0].write(b)
		b.WriteString(" IN (")
		for i, a := range e.Args[1:] {
			if i > 0 {
				b.WriteString(", ")
			}
			a.write(b)
		}
		b.WriteString("))")
	case KindInSelect:
		b.WriteString("(")
		e.Args[0].write(b)
		b.WriteString(" IN (" + e.Sub.SQL() + "))")
	case KindCase:
		b.WriteString("CASE")
		n := len(e.Args)
		for i := 0; i+1 < n; i += 2 {
			b.WriteString(" WHEN ")
			e.Args[i].write(b)
			b.WriteString(" THEN ")
			e.Args[i+1].write(b)
		}
		if n%2 == 1 {
			b.WriteString(" ELSE ")
			e.Args[n-1].write(b)
		}
		b.WriteString(" END")
	case KindSubquery:
		b.WriteString("(" + e.Sub.SQL() + ")")
	case KindExists:
		b.WriteString("EXISTS (" + e.Sub.SQL() + ")")
	}
}

// clone copies the tree, subqueries included.
func (e *Expr) clone() *Expr {
	if e == nil {
		return nil
	}
	c := *e
	c.Args = make([]*Expr, len(e.Args))
	for i, a := range e.Args {
		c.Args[i] = a.clone()
	}
	c.Sub = e.Sub.clone()
	return &c
}

// FromItem is one table of a FROM clause. The first item's Join is empty;
// later ones join with "JOIN" (inner, with On), "LEFT JOIN" (with On) or
// "CROSS JOIN".
type FromItem struct {
	Table string
	// Sub, when set, makes the item a derived table, (Sub) AS Alias; its
	// result columns are named c0, c1, ... (Query.NameColumns).
	Sub   *Query
	Alias string
	Join  string
	On    *Expr
	// Columns are the names a reference through Alias may use.
	Columns []string
}

// Query is a generated SELECT.
type Query struct {
	Distinct bool
	Columns  []*Expr
	From     []FromItem
	Where    *Expr
	GroupBy  []*Expr
	Having   *Expr
	// Ordered adds an ORDER BY over every result column that leaves no
	// ties between different rows (by type, then value in binary
	// collation), so the order itself can be compared.
	Ordered bool
	// Limit and Offset, when not empty, follow an ORDER BY (generated only
	// on ordered queries, whose order is total).
	Limit, Offset string
	// NameColumns writes "AS c<i>" after each result column, for derived
	// tables.
	NameColumns bool
	// Compound arms follow the query: UNION, UNION ALL, INTERSECT or
	// EXCEPT, each with a query of as many columns and no ORDER BY.
	Compound []CompoundArm
}

// CompoundArm is one "op SELECT ..." of a compound query.
type CompoundArm struct {
	Op    string
	Query *Query
}

// SQL prints the query.
func (q *Query) SQL() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if q.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, c := range q.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		c.write(&b)
		if q.NameColumns {
			b.WriteString(" AS c" + strconv.Itoa(i))
		}
	}
	for i, f := range q.From {
		if i == 0 {
			b.WriteString(" FROM ")
		} else {
			b.WriteString(" " + f.Join + " ")
		}
		if f.Sub != nil {
			b.WriteString("(" + f.Sub.SQL() + ")")
		} else {
			b.WriteString(f.Table)
		}
		b.WriteString(" AS " + f.Alias)
		if f.On != nil {
			b.WriteString(" ON ")
			f.On.write(&b)
		}
	}
	if q.Where != nil {
		b.WriteString(" WHERE ")
		q.Where.write(&b)
	}
	for i, g := range q.GroupBy {
		if i == 0 {
			b.WriteString(" GROUP BY ")
		} else {
			b.WriteString(", ")
		}
		g.write(&b)
	}
	if q.Having != nil {
		b.WriteString(" HAVING ")
		q.Having.write(&b)
	}
	for _, arm := range q.Compound {
		b.WriteString(" " + arm.Op + " " + arm.Query.SQL())
	}
	if q.Ordered {
		// By type first, then by value in binary collation: rows that
		// tie are then identical, so any correct engine gives one order.
		// The value term is the column's number ("2 COLLATE BINARY" is
		// result column 2): repeating the expression would not do, since
		// SQLite reads a term that folds to an integer constant, such as
		// (+ 0), as a column number.
		for i, c := range q.Columns {
			if i == 0 {
				b.WriteString(" ORDER BY ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString("typeof(")
			c.write(&b)
			b.WriteString("), " + strconv.Itoa(i+1) + " COLLATE BINARY")
		}
		if q.Limit != "" {
			b.WriteString(" LIMIT " + q.Limit)
			if q.Offset != "" {
				b.WriteString(" OFFSET " + q.Offset)
			}
		}
	}
	return b.String()
}

// PartitionedSQL is the ternary-logic partitioning of q by predicate p
// (SQLancer's TLP): the rows where p is true, false and NULL, which
// together must be exactly q's rows. q must have no WHERE of its own,
// no aggregate and no DISTINCT.
func (q *Query) PartitionedSQL(p *Expr) string {
	parts := make([]string, 0, 3)
	for _, where := range []*Expr{p, {Kind: KindUnary, Text: "NOT", Args: []*Expr{p}}, {Kind: KindPostfix, Text: "IS NULL", Args: []*Expr{p}}} {
		part := *q
		part.Where = where
		part.Ordered, part.Limit, part.Offset = false, "", ""
		parts = append(parts, part.SQL())
	}
	return strings.Join(parts, " UNION ALL ")
}

func (q *Query) clone() *Query {
	if q == nil {
		return nil
	}
	c := *q
	c.Columns = cloneAll(q.Columns)
	c.GroupBy = cloneAll(q.GroupBy)
	c.Where = q.Where.clone()
	c.Having = q.Having.clone()
	c.From = make([]FromItem, len(q.From))
	for i, f := range q.From {
		f.On = f.On.clone()
		f.Sub = f.Sub.clone()
		c.From[i] = f
	}
	c.Compound = make([]CompoundArm, len(q.Compound))
	for i, arm := range q.Compound {
		c.Compound[i] = CompoundArm{Op: arm.Op, Query: arm.Query.clone()}
	}
	return &c
}

func cloneAll(es []*Expr) []*Expr {
	if es == nil {
		return nil
	}
	out := make([]*Expr, len(es))
	for i, e := range es {
		out[i] = e.clone()
	}
	return out
}
