package compile

import (
	"fmt"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/vdbe"
)

// cteDef is one common table expression in scope.
type cteDef struct {
	name     string
	cols     []string
	sel      *ast.Select
	building bool
	// recursive CTEs: the parts that read the CTE itself run once per
	// row of a queue, reading that row from curRegs.
	recursive bool
	curRegs   int
	shape     []colInfo
	// materialize: AS MATERIALIZED, or used more than once; such a CTE
	// is never flattened nor a co-routine. mat is its materialization,
	// shared by every use (coroutine.go).
	materialize bool
	mat         *sharedMat
}

func (c *compiler) pushWith(w *ast.With) (func(), error) {
	if w == nil {
		return func() {}, nil
	}
	m := map[string]*cteDef{}
	for _, cte := range w.CTEs {
		d := &cteDef{name: cte.Name.Name, sel: cte.Select}
		if c.tableRefs == nil {
			c.tableRefs = countTableRefs(c.root)
		}
		uses := c.tableRefs[lower(d.name)]
		if w.Recursive {
			// A recursive CTE's references to itself are not uses.
			uses -= countTableRefs(cte.Select)[lower(d.name)]
		}
		d.materialize = cte.Materialized == ast.Materialized ||
			cte.Materialized != ast.NotMaterialized && uses > 1
		for _, col := range cte.Columns {
			d.cols = append(d.cols, col.Name)
		}
		if w.Recursive {
			for _, cp := range cte.Select.Compounds {
				if coreRefersTo(cp.Core, d.name) {
					d.recursive = true
				}
			}
		}
		m[lower(cte.Name.Name)] = d
	}
	c.ctes = append(c.ctes, m)
	n := len(c.ctes)
	return func() { c.ctes = c.ctes[:n-1] }, nil
}

func (c *compiler) lookupCTE(name string) *cteDef {
	for i := len(c.ctes) - 1; i >= 0; i-- {
		if d := c.ctes[i][lower(name)]; d != nil {
			return d
		}
	}
	return nil
}

// buildSources makes the sources of a FROM clause and allocates their
// cursors. Subqueries and views get their column names and affinities
// here; their rows are materialized later by materialize.
func (c *compiler) buildSources(sc *scope, from *ast.From, with *ast.With) ([]*source, error) {
	pop, err := c.pushWith(with)
	if err != nil {
		return nil, err
	}
	defer pop()
	var out []*source
	if err := c.addJoinItems(sc, from.Items, &out); err != nil {
		return nil, err
	}
	if len(out) > 64 {
		return nil, errorf("at most 64 tables in a join")
	}
	return out, nil
}

func (c *compiler) addJoinItems(sc *scope, items []ast.JoinItem, out *[]*source) error {
	for i, item := range items {
		first := len(*out)
		var src *source
		switch s := item.Source.(type) {
		case *ast.TableName:
			var err error
			if src, err = c.namedSource(sc, s); err != nil {
				return err
			}
		case *ast.SubquerySource:
			cols, err := c.selectShape(sc.parent, s.Select)
			if err != nil {
				return err
			}
			name := s.Alias.Name
			if name == "" {
				name = fmt.Sprintf("(subquery-%d)", c.selIDs[s.Select])
			}
			src = &source{name: name, sub: s.Select, cols: cols}
		case *ast.ParenJoin:
			if item.Join.Right && len(s.From.Items) > 1 {
				var err error
				if src, err = c.nestedJoinSource(sc, s); err != nil {
					return err
				}
				break
			}
			if err := c.addJoinItems(sc, s.From.Items, out); err != nil {
				return err
			}
			if s.Alias.Name != "" && len(*out) > first {
				(*out)[first].name = s.Alias.Name
			}
		}
		if src != nil {
			src.cursor = c.cursor()
			*out = append(*out, src)
		}
		if len(*out) == first {
			continue
		}
		right := (*out)[first]
		if i == 0 {
			if item.On != nil || item.Using != nil {
				if item.On != nil {
					right.on = item.On
				}
			}
			continue
		}
		j := item.Join
		right.left = j.Left
		right.cross = j.Cross
		if j.Right {
			if err := markRightJoin(*out, first, j.Left); err != nil {
				return err
			}
		}
		if j.Natural && (item.On != nil || item.Using != nil) {
			return errorf("a NATURAL join may not have an ON or USING clause")
		}
		if item.On != nil && item.Using != nil {
			return errorf("cannot have both ON and USING clauses in the same join")
		}
		right.on = item.On
		var using []string
		if j.Natural {
			for _, col := range right.cols {
				for _, l := range (*out)[:first] {
					if l.columnIndex(col.name) >= 0 {
						using = append(using, col.name)
						break
					}
				}
			}
		}
		for _, u := range item.Using {
			using = append(using, u.Name)
		}
		for _, name := range using {
			ri := right.columnIndex(name)
			var ls *source
			li := -1
			for _, l := range (*out)[:first] {
				if li = l.columnIndex(name); li >= 0 && !l.cols[li].merged {
					ls = l
					break
				}
			}
			if ri < 0 || ls == nil {
				return errorf("cannot join using column %s - column not present in both tables", name)
			}
			right.cols[ri].merged = true
			eq := &ast.Binary{Op: ast.OpEq,
				X: usingLeftExpr(ls, li, name),
				Y: &ast.ColumnRef{Table: ast.Ident{Name: right.name}, Column: ast.Ident{Name: name}},
			}
			if j.Right {
				mergeUsingRight(ls, li, right, name)
			}
			if right.on == nil {
				right.on = eq
			} else {
				right.on = &ast.Binary{Op: ast.OpAnd, X: right.on, Y: eq}
			}
		}
	}
	return nil
}

func (c *compiler) namedSource(sc *scope, s *ast.TableName) (*source, error) {
	name := s.Name.Name.Name
	alias := s.Alias.Name
	if s.Name.Schema.Name != "" && !strings.EqualFold(s.Name.Schema.Name, "main") {
		return nil, errorf("unknown database %s", s.Name.Schema.Name)
	}
	if s.Name.Schema.Name == "" {
		if d := c.lookupCTE(name); d != nil {
			if d.building && d.recursive && d.curRegs > 0 {
				if alias == "" {
					alias = d.name
				}
				cols := append([]colInfo(nil), d.shape...)
				return &source{name: alias, cols: cols, regBase: d.curRegs}, nil
			}
			if d.building {
				return nil, errorf("circular reference: %s", name)
			}
			d.building = true
			cols, err := c.selectShape(nil, d.sel)
			d.building = false
			if err != nil {
				return nil, err
			}
			if d.cols != nil {
				if len(d.cols) != len(cols) {
					return nil, errorf("table %s has %d values for %d columns", name, len(cols), len(d.cols))
				}
				for i := range cols {
					cols[i].name = d.cols[i]
				}
			}
			if alias == "" {
				alias = d.name
			}
			d.shape = cols
			return &source{name: alias, sub: d.sel, cols: cols, subCTE: d}, nil
		}
	}
	if t := c.sch.Table(name); t != nil {
		if err := t.CheckSupported(); err != nil {
			return nil, err
		}
		if s.IndexedBy.Name != "" {
			found := false
			for _, ix := range t.Indexes {
				if strings.EqualFold(ix.Name, s.IndexedBy.Name) {
					found = true
				}
			}
			if !found {
				return nil, errorf("no such index: %s", s.IndexedBy.Name)
			}
		}
		src := tableSource(t, alias)
		src.notIndexed = s.NotIndexed
		src.indexedBy = s.IndexedBy.Name
		return src, nil
	}
	if v := c.sch.View(name); v != nil {
		if c.viewDepth > 50 {
			return nil, errorf("view %s is circularly defined", name)
		}
		c.viewDepth++
		cols, err := c.selectShape(nil, v.Select)
		c.viewDepth--
		if err != nil {
			return nil, err
		}
		if v.Columns != nil {
			if len(v.Columns) != len(cols) {
				return nil, errorf("expected %d columns for '%s' but got %d", len(v.Columns), v.Name, len(cols))
			}
			for i := range cols {
				cols[i].name = v.Columns[i]
			}
		}
		if alias == "" {
			alias = v.Name
		}
		return &source{name: alias, sub: v.Select, cols: cols}, nil
	}
	return nil, errorf("no such table: %s", name)
}

// selectShape returns the columns a subquery or view offers: names (made
// unique as SQLite does, "a", "a:1"), affinities and collations.
func (c *compiler) selectShape(parent *scope, sel *ast.Select) ([]colInfo, error) {
	pop, err := c.pushWith(sel.With)
	if err != nil {
		return nil, err
	}
	defer pop()
	core := sel.Core
	var cols []colInfo
	if core.Values != nil {
		for i := range core.Values[0] {
			cols = append(cols, colInfo{name: fmt.Sprintf("column%d", i+1), aff: vdbe.AffinityNone})
		}
	} else {
		sc := &scope{parent: parent}
		if core.From != nil {
			srcs, err := c.buildSources(sc, core.From, nil)
			if err != nil {
				return nil, err
			}
			sc.srcs = srcs
		}
		rcs, err := c.expandColumns(sc, core)
		if err != nil {
			return nil, err
		}
		for _, rc := range rcs {
			ci := colInfo{name: rc.name, aff: c.exprAffinity(sc, rc.expr)}
			ci.coll, _ = c.exprCollation(sc, rc.expr)
			ci.hasColl = c.hasCollation(sc, rc.expr)
			ci.declType = c.declType(sc, rc.expr)
			cols = append(cols, ci)
		}
	}
	seen := map[string]bool{}
	for i := range cols {
		base := cols[i].name
		name := base
		for k := 1; seen[lower(name)]; k++ {
			name = fmt.Sprintf("%s:%d", base, k)
		}
		seen[lower(name)] = true
		cols[i].name = name
	}
	return cols, nil
}

// expandColumns expands * and t.* and names every result column.
func (c *compiler) expandColumns(sc *scope, core *ast.SelectCore) ([]resultCol, error) {
	var out []resultCol
	for _, rc := range core.Columns {
		if rc.Star {
			matched := false
			for _, src := range sc.named() {
				if src.nested != nil {
					if c.expandNested(src, rc.Table.Name, &out) {
						matched = true
					}
					continue
				}
				if src.hidden || rc.Table.Name != "" && !strings.EqualFold(rc.Table.Name, src.name) {
					continue
				}
				matched = true
				for ci, col := range src.cols {
					if col.merged && rc.Table.Name == "" {
						continue
					}
					var e ast.Expr = &ast.ColumnRef{
						Table: ast.Ident{Name: src.name}, Column: ast.Ident{Name: col.name}}
					// Even t.* shows a USING column that a RIGHT or FULL
					// join merged as the coalesce of its copies.
					if co := src.coalesce[ci]; co != nil {
						e = co
					}
					out = append(out, resultCol{name: col.name, expr: e})
				}
			}
			if rc.Table.Name != "" && !matched {
				return nil, errorf("no such table: %s", rc.Table.Name)
			}
			if rc.Table.Name == "" && len(sc.srcs) == 0 {
				return nil, errorf("no tables specified")
			}
			continue
		}
		name := rc.Alias.Name
		if name == "" {
			name = c.columnName(sc, rc.Expr, rc.Text)
		}
		out = append(out, resultCol{name: name, expr: rc.Expr, alias: rc.Alias.Name != ""})
	}
	return out, nil
}

// columnName is the name of an unaliased result column: the column's own
// name for a plain column reference, else the expression as written.
func (c *compiler) columnName(sc *scope, e ast.Expr, text string) string {
	if ref, ok := e.(*ast.ColumnRef); ok {
		res, err := c.resolve(sc, ref, false)
		if err == nil && res.flat != nil {
			return res.flat.cols[res.col].name
		}
		if err == nil && res.src != nil {
			if res.col < 0 {
				if res.src.table != nil && res.src.table.RowidAlias >= 0 {
					return res.src.cols[res.src.table.RowidAlias].name
				}
				return ref.Column.Name
			}
			return res.src.cols[res.col].name
		}
		return ref.Column.Name
	}
	return text
}

// declType is the declared type of a result column that is a table column.
func (c *compiler) declType(sc *scope, e ast.Expr) string {
	ref, ok := e.(*ast.ColumnRef)
	if !ok {
		return ""
	}
	res, err := c.resolve(sc, ref, false)
	if err == nil && res.flat != nil {
		return res.flat.cols[res.col].declType
	}
	if err != nil || res.src == nil {
		return ""
	}
	if res.col < 0 {
		if res.src.table != nil && res.src.table.RowidAlias >= 0 {
			return res.src.cols[res.src.table.RowidAlias].declType
		}
		return "INTEGER"
	}
	return res.src.cols[res.col].declType
}

func (c *compiler) notNull(sc *scope, e ast.Expr) bool {
	ref, ok := e.(*ast.ColumnRef)
	if !ok {
		return false
	}
	res, err := c.resolve(sc, ref, false)
	if err == nil && res.flat != nil {
		return res.flat.cols[res.col].notNull
	}
	if err != nil || res.src == nil {
		return false
	}
	if res.col < 0 {
		return true
	}
	return res.src.cols[res.col].notNull
}

// coreRefersTo reports whether a SELECT core reads the table name in its
// FROM clause (a recursive CTE's recursive part).
func coreRefersTo(core *ast.SelectCore, name string) bool {
	if core == nil || core.From == nil {
		return false
	}
	var walk func(items []ast.JoinItem) bool
	walk = func(items []ast.JoinItem) bool {
		for _, it := range items {
			switch s := it.Source.(type) {
			case *ast.TableName:
				if s.Name.Schema.Name == "" && strings.EqualFold(s.Name.Name.Name, name) {
					return true
				}
			case *ast.ParenJoin:
				if walk(s.From.Items) {
					return true
				}
			}
		}
		return false
	}
	return walk(core.From.Items)
}

// recursiveCTE produces the rows of a recursive CTE as SQLite does
// (lang_with.html): the rows of the initial parts go to a queue; each row
// taken from the queue is added to the table (unless OFFSET still skips
// it) and runs the recursive parts, whose rows are queued in turn, until
// the queue is empty or LIMIT rows were added. The queue is first in,
// first out, or, with an ORDER BY, a priority queue that yields its
// smallest row first. With UNION, a row already queued once is not queued
// again.
//
// emit sends each row added (in registers r..) to the table or, for a
// co-routine, to the loop reading it.
func (c *compiler) recursiveCTE(src *source, emit func(r int)) error {
	d := src.subCTE
	sel := d.sel
	cores := []*ast.SelectCore{sel.Core}
	var unionDistinct bool
	for _, cp := range sel.Compounds {
		cores = append(cores, cp.Core)
		if coreRefersTo(cp.Core, d.name) && cp.Op == ast.Union {
			unionDistinct = true
		}
	}
	n := len(src.cols)
	var order []orderTerm
	if len(sel.OrderBy) > 0 {
		var err error
		if order, err = c.compoundOrderBy(nil, sel, cores, n); err != nil {
			return err
		}
	}
	// The queue: a table read in rowid order, or an index on the ORDER BY
	// keys, then a sequence number (ties keep their arrival order), then
	// the row.
	queue := c.cursor()
	nKey := 0
	if order != nil {
		nKey = len(order) + 1
		var colls []string
		var desc []bool
		for _, o := range order {
			coll := o.coll
			if coll == "" {
				coll = src.cols[o.result].coll
			}
			colls = append(colls, coll)
			desc = append(desc, o.desc)
		}
		ki, err := c.keyInfo(append(colls, ""), append(desc, false))
		if err != nil {
			return err
		}
		c.emitP4(vdbe.CodeOpenEphemeral, queue, nKey+n, 0, vdbe.P4{KeyInfo: ki})
	} else {
		c.emit(vdbe.CodeOpenEphemeral, queue, n, 0)
	}
	distinct := -1
	if unionDistinct {
		distinct = c.cursor()
		var colls []string
		for _, col := range src.cols {
			colls = append(colls, col.coll)
		}
		ki, err := c.keyInfo(colls, nil)
		if err != nil {
			return err
		}
		c.emitP4(vdbe.CodeOpenEphemeral, distinct, n, 0, vdbe.P4{KeyInfo: ki})
	}
	done := c.newLabel()
	lc, err := c.setupLimit(&scope{}, sel.Limit, sel.Offset, done)
	if err != nil {
		return err
	}
	enqueue := func(base, _ int) error {
		skip := c.newLabel()
		rec := c.reg()
		if distinct >= 0 {
			c.emitP4(vdbe.CodeFound, distinct, skip, base, vdbe.P4{Int: int64(n)})
			c.emit(vdbe.CodeMakeRecord, base, n, rec)
			c.emit(vdbe.CodeIdxInsert, distinct, rec, 0)
		}
		if order != nil {
			key := c.regs(nKey + n)
			for i, o := range order {
				c.emit(vdbe.CodeCopy, base+o.result, key+i, 1)
			}
			c.emit(vdbe.CodeSequence, queue, key+len(order), 0)
			c.emit(vdbe.CodeCopy, base, key+nKey, n)
			c.emit(vdbe.CodeMakeRecord, key, nKey+n, rec)
			c.emit(vdbe.CodeIdxInsert, queue, rec, 0)
		} else {
			c.emit(vdbe.CodeMakeRecord, base, n, rec)
			id := c.reg()
			c.emit(vdbe.CodeNewRowid, queue, id, 0)
			c.emit(vdbe.CodeInsert, queue, rec, id)
		}
		c.place(skip)
		return nil
	}
	d.building = true
	defer func() { d.building = false; d.curRegs = 0 }()
	// compileParts compiles the initial (recursive: the recursive) parts,
	// under SQLite's plan nodes.
	compileParts := func(recursive bool, label string) error {
		var parts []*ast.SelectCore
		var ops []ast.CompoundOp
		for i, core := range cores {
			if coreRefersTo(core, d.name) == recursive {
				parts = append(parts, core)
				if len(parts) > 1 {
					ops = append(ops, sel.Compounds[i-1].Op)
				}
			}
		}
		restore := c.planNode(label)
		defer restore()
		if len(parts) > 1 {
			restoreC := c.planNode("COMPOUND QUERY")
			defer restoreC()
		}
		for i, core := range parts {
			restoreP := func() {}
			if len(parts) > 1 {
				restoreP = c.planNode(compoundPartLabel(i, ops))
			}
			info, err := c.compileCore(nil, core, nil, nil, nil, &dest{kind: destCallback, fn: enqueue})
			restoreP()
			if err != nil {
				return err
			}
			if len(info.names) != n {
				return errorf("SELECTs to the left and right of UNION do not have the same number of result columns")
			}
		}
		return nil
	}
	if err := compileParts(false, "SETUP"); err != nil {
		return err
	}
	d.curRegs = c.regs(n)
	top := c.addr()
	c.emit(vdbe.CodeRewind, queue, done, 0)
	for i := 0; i < n; i++ {
		c.emit(vdbe.CodeColumn, queue, nKey+i, d.curRegs+i)
	}
	c.emit(vdbe.CodeDelete, queue, 0, 0)
	// The row taken joins the table, after OFFSET rows, up to LIMIT rows.
	recurse := c.newLabel()
	if lc.offset != 0 {
		c.emit(vdbe.CodeIfPos, lc.offset, recurse, 1)
	}
	emit(d.curRegs)
	if lc.limit != 0 {
		c.emit(vdbe.CodeDecrJumpZero, lc.limit, done, 0)
	}
	c.place(recurse)
	if err := compileParts(true, "RECURSIVE STEP"); err != nil {
		return err
	}
	c.emit(vdbe.CodeGoto, 0, top, 0)
	c.place(done)
	return nil
}
