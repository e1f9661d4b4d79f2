package compile

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/schema"
	"github.com/wrendb/wren/vdbe"
)

// compiler holds the state of one compilation: the program being built,
// register and cursor allocation, and jump labels.
type compiler struct {
	env   *Env
	sch   *schema.Schema
	funcs *vdbe.Registry
	prog  *vdbe.Program
	ops   []vdbe.Op

	nReg, nCur, nAgg int
	labels           []int // label -> address, -1 while unresolved
	writes           bool
	plan             []vdbe.PlanStep
	planID           int
	planParent       int                     // the plan node new steps hang under (eqp.go)
	nextSub          *subPlan                // the subquery plan node subqueryOnce opens
	selIDs           map[*ast.Select]int     // SQLite's numbers of the statement's SELECTs
	valuesIDs        map[*ast.SelectCore]int // numbers of VALUES read as subqueries (numberSelects)
	subNodes         map[*ast.Select]bool    // subqueries that have a plan node
	joinIDs          map[*ast.ParenJoin]int  // the numbers of parenthesized joins made subqueries
	// bound answers the column references of flattened subqueries
	// (flatten.go).
	bound map[*ast.ColumnRef]resolved
	// compoundPart is set while a part of a compound SELECT is compiled.
	compoundPart bool
	partLabel    string // the plan node of the compound part compiled next
	// root is the statement; tableRefs counts its table references.
	root      ast.Node
	tableRefs map[string]int

	// initOps are emitted once at the start of the program (constants
	// hoisted out of loops, LIMIT values).
	depth     int
	ctes      []map[string]*cteDef
	viewDepth int
	err       error
	trig      *trigCtx
	noAbort   bool                     // the statement cannot fail after its first write
	fkReg     int                      // the statement's immediate foreign key violations (fkey.go), 0 until used
	fkDepth   int                      // nesting of foreign key actions being compiled
	fkBase    int                      // program size when the outermost action began
	fkCut     bool                     // an action was cut by fkActionOpBudget
	fkRefs    map[string][]*ForeignKey // ReferencesTo, by parent table
}

func newCompiler(env *Env) *compiler {
	c := &compiler{env: env, sch: env.Schema, funcs: env.Funcs, prog: &vdbe.Program{}}
	if c.funcs == nil {
		c.funcs = vdbe.Builtins()
	}
	c.emit(vdbe.CodeInit, 0, 1, 0)
	return c
}

func errorf(format string, args ...any) error {
	return resultcode.Errorf(resultcode.Error, format, args...)
}

// finish resolves labels and returns the program.
func (c *compiler) finish() *vdbe.Program {
	c.emit(vdbe.CodeHalt, 0, 0, 0)
	for i := range c.ops {
		op := &c.ops[i]
		if op.P2 < 0 && jumps(op.Code) {
			op.P2 = int32(c.labels[-op.P2-1])
		}
		if op.Code == vdbe.CodeJump {
			for _, p := range []*int32{&op.P1, &op.P2, &op.P3} {
				if *p < 0 {
					*p = int32(c.labels[-*p-1])
				}
			}
		}
	}
	c.prog.Ops = c.ops
	c.prog.NumRegs = c.nReg + 1
	c.prog.NumCursors = c.nCur
	c.prog.NumAggs = c.nAgg
	c.prog.ReadOnly = !c.writes
	c.prog.Plan = c.plan
	// A statement that reads no table, view or subquery: the engine runs
	// it without a transaction when it also writes nothing.
	c.prog.ReadsNoSource = !readsSource(c.plan)
	c.prog.MayAbort = c.writes && !c.noAbort
	return c.prog
}

func jumps(code vdbe.Opcode) bool {
	switch code {
	case vdbe.CodeInit, vdbe.CodeGoto, vdbe.CodeGosub, vdbe.CodeOnce, vdbe.CodeIf, vdbe.CodeIfNot,
		vdbe.CodeIsNull, vdbe.CodeNotNull, vdbe.CodeIfPos, vdbe.CodeDecrJumpZero, vdbe.CodeIfNotZero,
		vdbe.CodeMustBeInt, vdbe.CodeEq, vdbe.CodeNe, vdbe.CodeLt, vdbe.CodeLe, vdbe.CodeGt, vdbe.CodeGe,
		vdbe.CodeIs, vdbe.CodeIsNot, vdbe.CodeSkipLoad, vdbe.CodeRewind, vdbe.CodeLast, vdbe.CodeNext,
		vdbe.CodePrev, vdbe.CodeSorterSort, vdbe.CodeSorterNext, vdbe.CodeSeekRowid, vdbe.CodeSeekGE,
		vdbe.CodeSeekGT, vdbe.CodeSeekLE, vdbe.CodeSeekLT, vdbe.CodeIdxGE, vdbe.CodeIdxGT, vdbe.CodeIdxLE,
		vdbe.CodeIdxLT, vdbe.CodeFound, vdbe.CodeNotFound, vdbe.CodeNoConflict, vdbe.CodeIfNullRow,
		vdbe.CodeInitCoroutine, vdbe.CodeYield, vdbe.CodeFkIfZero:
		return true
	}
	return false
}

func (c *compiler) emit(code vdbe.Opcode, p1, p2, p3 int) int {
	c.ops = append(c.ops, vdbe.Op{Code: code, P1: int32(p1), P2: int32(p2), P3: int32(p3)})
	return len(c.ops) - 1
}

func (c *compiler) emitP4(code vdbe.Opcode, p1, p2, p3 int, p4 vdbe.P4) int {
	c.ops = append(c.ops, vdbe.Op{Code: code, P1: int32(p1), P2: int32(p2), P3: int32(p3), P4: p4})
	return len(c.ops) - 1
}

func (c *compiler) addr() int { return len(c.ops) }

// newLabel returns a label for a forward jump; use it as P2 and resolve it
// with place.
func (c *compiler) newLabel() int {
	c.labels = append(c.labels, -1)
	return -len(c.labels)
}

// place resolves label l to the next instruction's address.
func (c *compiler) place(l int) { c.labels[-l-1] = len(c.ops) }

func (c *compiler) reg() int {
	c.nReg++
	return c.nReg
}

func (c *compiler) regs(n int) int {
	r := c.nReg + 1
	c.nReg += n
	return r
}

func (c *compiler) cursor() int {
	c.nCur++
	return c.nCur - 1
}

func (c *compiler) aggSlot() int {
	c.nAgg++
	return c.nAgg - 1
}

// loadInt emits r = v.
func (c *compiler) loadInt(r int, v int64) {
	if v >= -1<<31 && v < 1<<31 {
		c.emit(vdbe.CodeInteger, int(v), r, 0)
		return
	}
	c.emitP4(vdbe.CodeInt64, 0, r, 0, vdbe.P4{Int: v})
}

func (c *compiler) loadConst(r int, v record.Value) {
	switch v.Kind {
	case record.Null:
		c.emit(vdbe.CodeNull, 0, r, 0)
	case record.Integer:
		c.loadInt(r, v.Int)
	default:
		m := new(vdbe.Mem)
		m.SetValue(v)
		c.emitP4(vdbe.CodeConst, 0, r, 0, vdbe.P4{Mem: m})
	}
}

func (c *compiler) addPlan(parent int, detail string) int {
	if parent == 0 {
		parent = c.planParent
	}
	c.planID++
	id := c.planID + 1
	c.plan = append(c.plan, vdbe.PlanStep{ID: id, Parent: parent, Detail: detail})
	return id
}

// keyInfo builds the KeyInfo of n fields from collation names and
// descending flags.
func (c *compiler) keyInfo(colls []string, desc []bool) (*record.KeyInfo, error) {
	ki := &record.KeyInfo{}
	for i, name := range colls {
		coll, err := collation(name)
		if err != nil {
			return nil, err
		}
		ki.Collations = append(ki.Collations, coll)
		d := false
		if i < len(desc) {
			d = desc[i]
		}
		ki.Desc = append(ki.Desc, d)
	}
	return ki, nil
}

func collation(name string) (record.Collation, error) {
	if name == "" {
		return nil, nil
	}
	coll, ok := record.LookupCollation(name)
	if !ok {
		return nil, errorf("no such collation sequence: %s", name)
	}
	return coll, nil
}

func identName(id ast.Ident) string { return id.Name }

// readsSource reports whether a plan loops over a table, view or
// subquery: a SCAN or SEARCH step other than the constant rows of a
// SELECT without FROM or of VALUES.
func readsSource(plan []vdbe.PlanStep) bool {
	for _, p := range plan {
		d := p.Detail
		if !strings.HasPrefix(d, "SCAN ") && !strings.HasPrefix(d, "SEARCH ") {
			continue
		}
		if strings.HasSuffix(d, " CONSTANT ROW") || strings.HasSuffix(d, " CONSTANT ROWS") {
			continue
		}
		return true
	}
	return false
}
