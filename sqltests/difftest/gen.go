package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Case is what one seed generates: statements that build a schema and its
// data, then probes (queries) over them.
type Case struct {
	Seed   uint64
	Setup  []string
	Probes []Probe
}

// Probe is one query to compare between the engines. With a Partition
// predicate the query is also checked against its ternary-logic
// partitioning (Query.PartitionedSQL) on each engine.
type Probe struct {
	Query     *Query
	Partition *Expr
}

func (p Probe) clone() Probe {
	return Probe{Query: p.Query.clone(), Partition: p.Partition.clone()}
}

// generator holds the state of one seed's generation.
type generator struct {
	rng    *rand.Rand
	tables []genTable
	nextID int // for unique aliases
	// noSubqueries keeps subqueries out of expressions, for UPDATE and
	// DELETE: a subquery reading the table being changed could see rows
	// in an order-dependent state.
	noSubqueries bool
}

type genTable struct {
	name    string
	columns []string
}

// Column declarations, chosen to cover every affinity (INTEGER, REAL,
// NUMERIC, TEXT, BLOB/none) and a collation. DATE, DATETIME, TIMESTAMP and
// BOOLEAN are left out on purpose: the reference driver converts values of
// such columns to Go types SQLite does not store.
var columnDecls = []string{
	"INTEGER", "INT", "REAL", "DOUBLE", "NUMERIC", "DECIMAL(10,2)", "TEXT", "VARCHAR(10)",
	"TEXT COLLATE NOCASE", "BLOB", "",
}

// literals mixes storage classes and values at the edges: NULL, zero,
// negative, the int64 limits, whole and fractional reals, texts that look
// like numbers (with and without spaces), case variants, empty text and
// blobs. Reals are dyadic, so sums are exact in any order.
const maxInt64 = "9223372036854775807"

var literals = []string{
	"NULL", "NULL", "0", "1", "-1", "2", "3", "-7", "10", "100",
	"9223372036854775807", "-9223372036854775808",
	"0.5", "-1.25", "2.0", "1e20", "-0.0",
	"'a'", "'B'", "'b'", "'abc'", "''", "'1'", "'10'", "' 2'", "'2.5'", "'x1'",
	"x''", "x'41'", "x'00ff'",
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// Generate builds the case of one seed: 1-3 tables, 0-8 rows each, a few
// indexes, and probes queries.
func Generate(seed uint64, probes int) *Case {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0x5eed))}
	c := &Case{Seed: seed}
	for t := range 1 + g.rng.IntN(3) {
		c.Setup = append(c.Setup, g.table(t)...)
	}
	for range g.rng.IntN(4) {
		c.Setup = append(c.Setup, g.change())
	}
	for range probes {
		c.Probes = append(c.Probes, g.probe())
	}
	return c
}

// table emits a table's CREATE TABLE, its rows (one INSERT each, so the
// shrinker can drop rows one by one) and indexes before or after them.
func (g *generator) table(n int) []string {
	t := genTable{name: fmt.Sprintf("t%d", n)}
	var defs []string
	rowidAlias := false
	for i := range 1 + g.rng.IntN(4) {
		col := fmt.Sprintf("c%d", i)
		t.columns = append(t.columns, col)
		decl := g.pick(columnDecls)
		switch {
		case i == 0 && g.chance(0.2):
			decl = "INTEGER PRIMARY KEY"
			rowidAlias = true
		case g.chance(0.1):
			decl += " UNIQUE"
		case g.chance(0.1):
			decl += " NOT NULL"
		}
		defs = append(defs, strings.TrimSpace(col+" "+decl))
	}
	g.tables = append(g.tables, t)
	var before, rows, after []string
	for range g.rng.IntN(3) {
		if g.chance(0.5) {
			before = append(before, g.index(t))
		} else {
			after = append(after, g.index(t))
		}
	}
	for range g.rng.IntN(9) {
		values := make([]string, len(t.columns))
		for i := range values {
			values[i] = g.pick(literals)
			// Once the largest rowid is taken, SQLite picks the rowid of
			// a row inserted with NULL at random: keep it free.
			for i == 0 && rowidAlias && values[i] == maxInt64 {
				values[i] = g.pick(literals)
			}
		}
		rows = append(rows, fmt.Sprintf("INSERT INTO %s VALUES(%s)", t.name, strings.Join(values, ", ")))
	}
	out := []string{fmt.Sprintf("CREATE TABLE %s(%s)", t.name, strings.Join(defs, ", "))}
	out = append(out, before...)
	out = append(out, rows...)
	return append(out, after...)
}

func (g *generator) index(t genTable) string {
	g.nextID++
	var terms []string
	for range 1 + g.rng.IntN(2) {
		term := g.pick(t.columns)
		if g.chance(0.2) {
			term += " COLLATE NOCASE"
		}
		if g.chance(0.3) {
			term += " DESC"
		}
		terms = append(terms, term)
	}
	unique := ""
	if g.chance(0.2) {
		unique = "UNIQUE "
	}
	where := ""
	if g.chance(0.15) {
		where = fmt.Sprintf(" WHERE %s IS NOT NULL", g.pick(t.columns))
	}
	return fmt.Sprintf("CREATE %sINDEX i%d ON %s(%s)%s", unique, g.nextID, t.name, strings.Join(terms, ", "), where)
}

// change makes an UPDATE or DELETE of one table, after its rows exist, so
// that indexes must follow changes. A conflict aborts the whole statement
// on every engine alike (no OR REPLACE, whose outcome depends on row order).
func (g *generator) change() string {
	t := g.tables[g.rng.IntN(len(g.tables))]
	sc := scope{{Table: t.name, Alias: t.name, Columns: t.columns}}
	g.noSubqueries = true
	defer func() { g.noSubqueries = false }()
	where := ""
	if g.chance(0.8) {
		where = " WHERE " + g.predicate(2, sc).SQL()
	}
	if g.chance(0.3) {
		return "DELETE FROM " + t.name + where
	}
	col := g.pick(t.columns)
	return fmt.Sprintf("UPDATE %s SET %s = %s%s", t.name, col, g.expr(2, sc).SQL(), where)
}

// scope lists the aliases a column reference may use.
type scope []FromItem

func (g *generator) alias() string {
	g.nextID++
	return fmt.Sprintf("a%d", g.nextID)
}

// from makes a FROM clause of 1 or 2 tables.
func (g *generator) from(maxTables int) []FromItem {
	n := 1 + g.rng.IntN(maxTables)
	items := make([]FromItem, 0, n)
	for i := range n {
		var item FromItem
		if g.chance(0.12) && !g.noSubqueries {
			item = g.derivedTable()
		} else {
			t := g.tables[g.rng.IntN(len(g.tables))]
			item = FromItem{Table: t.name, Alias: g.alias(), Columns: t.columns}
		}
		if i > 0 {
			item.Join = []string{"JOIN", "LEFT JOIN", "CROSS JOIN"}[g.rng.IntN(3)]
		}
		items = append(items, item)
		if item.Join == "JOIN" || item.Join == "LEFT JOIN" {
			items[i].On = g.predicate(2, scope(items))
		}
	}
	return items
}

// derivedTable makes a subquery in FROM, with named result columns: a
// plain or aggregate SELECT over its own tables (it cannot see the outer
// query's).
func (g *generator) derivedTable() FromItem {
	from := g.from(1)
	sc := scope(from)
	q := &Query{From: from, NameColumns: true, Distinct: g.chance(0.2)}
	aggregate := g.chance(0.3)
	for range 1 + g.rng.IntN(3) {
		if aggregate {
			q.Columns = append(q.Columns, g.aggregate(sc))
		} else {
			q.Columns = append(q.Columns, g.expr(2, sc))
		}
	}
	if g.chance(0.5) {
		q.Where = g.predicate(2, sc)
	}
	names := make([]string, len(q.Columns))
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	return FromItem{Sub: q, Alias: g.alias(), Columns: names}
}

func (g *generator) column(sc scope) *Expr {
	item := sc[g.rng.IntN(len(sc))]
	return &Expr{Kind: KindColumn, Text: item.Alias + "." + g.pick(item.Columns)}
}

// expr makes a value expression of at most depth levels.
func (g *generator) expr(depth int, sc scope) *Expr {
	if depth <= 0 || g.chance(0.35) {
		if len(sc) > 0 && g.chance(0.7) {
			return g.column(sc)
		}
		return Lit(g.pick(literals))
	}
	switch g.rng.IntN(12) {
	case 0, 1, 2:
		op := g.pick([]string{"+", "-", "*", "/", "%", "||", "&", "|", "<<", ">>"})
		return &Expr{Kind: KindBinary, Text: op, Args: []*Expr{g.expr(depth-1, sc), g.expr(depth-1, sc)}}
	case 3:
		return &Expr{Kind: KindUnary, Text: g.pick([]string{"-", "+", "~"}), Args: []*Expr{g.expr(depth-1, sc)}}
	case 4, 5:
		return g.function(depth, sc)
	case 6:
		return &Expr{Kind: KindCast, Text: g.pick([]string{"INTEGER", "REAL", "TEXT", "NUMERIC", "BLOB"}),
			Args: []*Expr{g.expr(depth-1, sc)}}
	case 7:
		args := []*Expr{g.predicate(depth-1, sc), g.expr(depth-1, sc)}
		if g.chance(0.5) {
			args = append(args, g.predicate(depth-1, sc), g.expr(depth-1, sc))
		}
		if g.chance(0.6) {
			args = append(args, g.expr(depth-1, sc))
		}
		return &Expr{Kind: KindCase, Args: args}
	case 8:
		return &Expr{Kind: KindCollate, Text: g.pick([]string{"NOCASE", "BINARY", "RTRIM"}), Args: []*Expr{g.expr(depth-1, sc)}}
	case 9:
		if depth >= 2 && !g.noSubqueries {
			return &Expr{Kind: KindSubquery, Sub: g.scalarSubquery(sc)}
		}
		return g.expr(depth-1, sc)
	default:
		return g.predicate(depth-1, sc)
	}
}

func (g *generator) function(depth int, sc scope) *Expr {
	arg := func() *Expr { return g.expr(depth-1, sc) }
	switch g.rng.IntN(12) {
	case 0:
		return &Expr{Kind: KindFunc, Text: "abs", Args: []*Expr{arg()}}
	case 1:
		return &Expr{Kind: KindFunc, Text: "coalesce", Args: []*Expr{arg(), arg(), arg()}}
	case 2:
		return &Expr{Kind: KindFunc, Text: "ifnull", Args: []*Expr{arg(), arg()}}
	case 3:
		return &Expr{Kind: KindFunc, Text: "nullif", Args: []*Expr{arg(), arg()}}
	case 4:
		return &Expr{Kind: KindFunc, Text: g.pick([]string{"length", "lower", "upper", "typeof", "hex", "trim"}), Args: []*Expr{arg()}}
	case 5:
		return &Expr{Kind: KindFunc, Text: "substr", Args: []*Expr{arg(), arg(), arg()}}
	case 6:
		return &Expr{Kind: KindFunc, Text: "instr", Args: []*Expr{arg(), arg()}}
	case 7:
		return &Expr{Kind: KindFunc, Text: g.pick([]string{"min", "max"}), Args: []*Expr{arg(), arg()}}
	case 8:
		return &Expr{Kind: KindFunc, Text: "round", Args: []*Expr{arg()}}
	case 9:
		return &Expr{Kind: KindFunc, Text: "iif", Args: []*Expr{g.predicate(depth-1, sc), arg(), arg()}}
	case 10:
		return &Expr{Kind: KindFunc, Text: "sign", Args: []*Expr{arg()}}
	}
	return &Expr{Kind: KindFunc, Text: "unicode", Args: []*Expr{arg()}}
}

// predicate makes a boolean-ish expression (it may still be NULL).
func (g *generator) predicate(depth int, sc scope) *Expr {
	if depth <= 0 {
		return &Expr{Kind: KindBinary, Text: g.pick([]string{"=", "<", ">=", "<>", "IS"}),
			Args: []*Expr{g.expr(0, sc), g.expr(0, sc)}}
	}
	switch g.rng.IntN(10) {
	case 0, 1, 2:
		op := g.pick([]string{"=", "==", "<>", "!=", "<", "<=", ">", ">=", "IS", "IS NOT"})
		return &Expr{Kind: KindBinary, Text: op, Args: []*Expr{g.expr(depth-1, sc), g.expr(depth-1, sc)}}
	case 3:
		return &Expr{Kind: KindBinary, Text: g.pick([]string{"AND", "OR"}),
			Args: []*Expr{g.predicate(depth-1, sc), g.predicate(depth-1, sc)}}
	case 4:
		return &Expr{Kind: KindUnary, Text: "NOT", Args: []*Expr{g.predicate(depth-1, sc)}}
	case 5:
		return &Expr{Kind: KindPostfix, Text: g.pick([]string{"IS NULL", "NOTNULL", "IS NOT NULL"}), Args: []*Expr{g.expr(depth-1, sc)}}
	case 6:
		return &Expr{Kind: KindBetween, Args: []*Expr{g.expr(depth-1, sc), g.expr(depth-1, sc), g.expr(depth-1, sc)}}
	case 7:
		args := []*Expr{g.expr(depth-1, sc)}
		for range 1 + g.rng.IntN(3) {
			args = append(args, g.expr(0, sc))
		}
		return &Expr{Kind: KindInList, Args: args}
	case 8:
		if g.noSubqueries {
			return &Expr{Kind: KindPostfix, Text: "IS NULL", Args: []*Expr{g.expr(depth-1, sc)}}
		}
		if g.chance(0.5) {
			return &Expr{Kind: KindInSelect, Args: []*Expr{g.expr(depth-1, sc)}, Sub: g.columnSubquery(sc)}
		}
		return &Expr{Kind: KindExists, Sub: g.columnSubquery(sc)}
	}
	return &Expr{Kind: KindBinary, Text: g.pick([]string{"LIKE", "GLOB"}),
		Args: []*Expr{g.expr(depth-1, sc), Lit(g.pick([]string{"'a%'", "'%b%'", "'_'", "'1%'", "'A*'", "'[a-c]*'"}))}}
}

// columnSubquery is a one-column subquery for IN and EXISTS, possibly
// correlated with the enclosing scope.
func (g *generator) columnSubquery(outer scope) *Query {
	from := g.from(1)
	inner := append(append(scope{}, outer...), from...)
	q := &Query{Columns: []*Expr{g.expr(1, scope(from))}, From: from}
	if g.chance(0.6) {
		q.Where = g.predicate(1, inner)
	}
	return q
}

// scalarSubquery returns one row: an aggregate over a possibly correlated
// subquery (a LIMIT without ORDER BY would let engines pick different rows).
func (g *generator) scalarSubquery(outer scope) *Query {
	q := g.columnSubquery(outer)
	q.Columns = []*Expr{g.aggregate(scope(q.From))}
	return q
}

// aggregate makes an aggregate call. Its argument stays simple, so that
// sums of the dyadic literals are exact whatever order rows come in.
func (g *generator) aggregate(sc scope) *Expr {
	arg := g.column(sc)
	if g.chance(0.3) {
		arg = &Expr{Kind: KindBinary, Text: g.pick([]string{"+", "-"}), Args: []*Expr{arg, Lit(g.pick([]string{"1", "0.5", "-2"}))}}
	}
	switch g.rng.IntN(7) {
	case 0:
		return &Expr{Kind: KindFunc, Text: "count(*)"}
	case 1:
		return &Expr{Kind: KindFunc, Text: "count", Args: []*Expr{arg}}
	case 2:
		return &Expr{Kind: KindFunc, Text: "sum", Args: []*Expr{arg}}
	case 3:
		return &Expr{Kind: KindFunc, Text: "total", Args: []*Expr{arg}}
	case 4:
		return &Expr{Kind: KindFunc, Text: "min", Args: []*Expr{arg}}
	case 5:
		return &Expr{Kind: KindFunc, Text: "max", Args: []*Expr{arg}}
	}
	return &Expr{Kind: KindFunc, Text: "avg", Args: []*Expr{arg}}
}

// probe makes one query: a plain SELECT, a TLP pair, or an aggregate.
func (g *generator) probe() Probe {
	switch g.rng.IntN(3) {
	case 0:
		from := g.from(2)
		sc := scope(from)
		q := &Query{From: from, Distinct: g.chance(0.15), Ordered: g.chance(0.25)}
		for range 1 + g.rng.IntN(3) {
			q.Columns = append(q.Columns, g.expr(3, sc))
		}
		if g.chance(0.7) {
			q.Where = g.predicate(3, sc)
		}
		switch {
		case q.Ordered && g.chance(0.4):
			// The order is total, so LIMIT picks the same rows everywhere.
			q.Limit = g.pick([]string{"0", "1", "2", "5", "-1"})
			if g.chance(0.4) {
				q.Offset = g.pick([]string{"0", "1", "3"})
			}
		case !q.Ordered && g.chance(0.2):
			q.Compound = append(q.Compound, CompoundArm{
				Op:    g.pick([]string{"UNION", "UNION ALL", "INTERSECT", "EXCEPT"}),
				Query: g.armLike(len(q.Columns)),
			})
		}
		return Probe{Query: q}
	case 1:
		from := g.from(2)
		sc := scope(from)
		q := &Query{From: from}
		for range 1 + g.rng.IntN(3) {
			q.Columns = append(q.Columns, g.expr(2, sc))
		}
		return Probe{Query: q, Partition: g.predicate(3, sc)}
	}
	from := g.from(1 + g.rng.IntN(2))
	sc := scope(from)
	q := &Query{From: from, Ordered: g.chance(0.2)}
	for range g.rng.IntN(3) {
		col := g.column(sc)
		q.GroupBy = append(q.GroupBy, col)
		q.Columns = append(q.Columns, col.clone())
	}
	for range 1 + g.rng.IntN(3) {
		q.Columns = append(q.Columns, g.aggregate(sc))
	}
	if g.chance(0.5) {
		q.Where = g.predicate(2, sc)
	}
	if len(q.GroupBy) > 0 && g.chance(0.3) {
		q.Having = &Expr{Kind: KindBinary, Text: g.pick([]string{">", "<=", "<>"}),
			Args: []*Expr{g.aggregate(sc), Lit(g.pick([]string{"0", "1", "2", "'a'", "NULL"}))}}
	}
	return Probe{Query: q}
}

// armLike makes a compound arm with the given number of columns.
func (g *generator) armLike(columns int) *Query {
	from := g.from(2)
	sc := scope(from)
	q := &Query{From: from}
	for range columns {
		q.Columns = append(q.Columns, g.expr(2, sc))
	}
	if g.chance(0.6) {
		q.Where = g.predicate(2, sc)
	}
	return q
}
