package compile

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/vdbe"
)

// exprReg evaluates e into a new register.
func (c *compiler) exprReg(sc *scope, e ast.Expr) (int, error) {
	r := c.reg()
	return r, c.expr(sc, e, r)
}

// literalValue returns the value of a literal.
func literalValue(l *ast.Literal) (record.Value, error) {
	switch l.Kind {
	case ast.LitNull:
		return record.NullValue(), nil
	case ast.LitString:
		return record.TextValue(l.Value), nil
	case ast.LitBlob:
		b, err := hex.DecodeString(l.Value)
		if err != nil {
			return record.Value{}, errorf("unrecognized token: \"%s\"", l.Raw)
		}
		return record.BlobValue(b), nil
	case ast.LitInteger:
		s := strings.ReplaceAll(l.Value, "_", "")
		if len(s) > 2 && (s[1] == 'x' || s[1] == 'X') {
			if len(s)-2 > 16 {
				return record.Value{}, errorf("hex literal too big: %s", l.Raw)
			}
			u, err := strconv.ParseUint(s[2:], 16, 64)
			if err != nil {
				return record.Value{}, errorf("unrecognized token: \"%s\"", l.Raw)
			}
			return record.IntValue(int64(u)), nil
		}
		if v, ok := vdbe.ParseInteger([]byte(s)); ok {
			return record.IntValue(v), nil
		}
		f, _ := vdbe.ParseReal([]byte(s))
		return record.RealValue(f), nil
	case ast.LitFloat:
		f, _ := vdbe.ParseReal([]byte(strings.ReplaceAll(l.Value, "_", "")))
		return record.RealValue(f), nil
	}
	return record.NullValue(), nil
}

var timeFuncs = map[ast.LiteralKind]*vdbe.FuncDef{}

func init() {
	mk := func(kind ast.LiteralKind, name, layout string) {
		timeFuncs[kind] = &vdbe.FuncDef{Name: name, NArg: 0, Scalar: func(fc *vdbe.FuncContext, out *vdbe.Mem, args []vdbe.Mem) error {
			out.SetTextString(time.Now().UTC().Format(layout))
			return nil
		}}
	}
	mk(ast.LitCurrentTime, "current_time", "15:04:05")
	mk(ast.LitCurrentDate, "current_date", "2006-01-02")
	mk(ast.LitCurrentTimestamp, "current_timestamp", "2006-01-02 15:04:05")
}

// loadColumn emits the read of column col (-1: rowid) of src into target.
func (c *compiler) loadColumn(src *source, col int, target int) {
	if src.regBase > 0 {
		if col < 0 || (src.table != nil && col == src.table.RowidAlias) {
			c.emit(vdbe.CodeCopy, src.rowidReg, target, 1)
		} else {
			c.emit(vdbe.CodeCopy, src.regBase+col, target, 1)
		}
		return
	}
	if src.cover != nil {
		c.loadCovered(src, col, target)
		return
	}
	if col < 0 {
		c.emit(vdbe.CodeRowid, src.cursor, target, 0)
		return
	}
	c.emit(vdbe.CodeColumn, src.cursor, col, target)
	if src.table != nil && src.cols[col].aff == vdbe.AffinityReal {
		c.emitP4(vdbe.CodeAffinity, target, 1, 0, vdbe.P4{Str: "E"})
	}
}

func cmpCode(op ast.BinaryOp) (vdbe.Opcode, bool) {
	switch op {
	case ast.OpEq:
		return vdbe.CodeEq, true
	case ast.OpNe:
		return vdbe.CodeNe, true
	case ast.OpLt:
		return vdbe.CodeLt, true
	case ast.OpLe:
		return vdbe.CodeLe, true
	case ast.OpGt:
		return vdbe.CodeGt, true
	case ast.OpGe:
		return vdbe.CodeGe, true
	case ast.OpIs:
		return vdbe.CodeIs, true
	case ast.OpIsNot:
		return vdbe.CodeIsNot, true
	}
	return 0, false
}

func negateCmp(code vdbe.Opcode) vdbe.Opcode {
	switch code {
	case vdbe.CodeEq:
		return vdbe.CodeNe
	case vdbe.CodeNe:
		return vdbe.CodeEq
	case vdbe.CodeLt:
		return vdbe.CodeGe
	case vdbe.CodeLe:
		return vdbe.CodeGt
	case vdbe.CodeGt:
		return vdbe.CodeLe
	case vdbe.CodeGe:
		return vdbe.CodeLt
	case vdbe.CodeIs:
		return vdbe.CodeIsNot
	}
	return vdbe.CodeIs
}

// compare emits a comparison of x and y: a jump to dest, or with store the
// result into register dest.
func (c *compiler) compare(sc *scope, code vdbe.Opcode, x, y ast.Expr, dest int, store, jumpNull bool) error {
	rx, err := c.exprReg(sc, x)
	if err != nil {
		return err
	}
	ry, err := c.exprReg(sc, y)
	if err != nil {
		return err
	}
	return c.compareRegs(sc, code, x, y, rx, ry, dest, store, jumpNull)
}

func (c *compiler) compareRegs(sc *scope, code vdbe.Opcode, x, y ast.Expr, rx, ry int, dest int, store, jumpNull bool) error {
	coll, err := c.binaryCollation(sc, x, y)
	if err != nil {
		return err
	}
	aff := int64(c.exprAffinity(sc, x)) | int64(c.exprAffinity(sc, y))<<8
	i := c.emitP4(code, rx, dest, ry, vdbe.P4{Int: aff, Coll: coll})
	if store {
		c.ops[i].P5 |= vdbe.CmpStore
	} else if jumpNull {
		c.ops[i].P5 |= vdbe.CmpJumpNull
	}
	return nil
}

// expr evaluates e into register target.
func (c *compiler) expr(sc *scope, e ast.Expr, target int) error {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 1000 {
		return errorf("Expression tree is too large (maximum depth 1000)")
	}
	switch e := e.(type) {
	case *ast.Literal:
		if f := timeFuncs[e.Kind]; f != nil {
			c.emitP4(vdbe.CodeFunction, 0, 0, target, vdbe.P4{Func: f})
			return nil
		}
		v, err := literalValue(e)
		if err != nil {
			return err
		}
		c.loadConst(target, v)
	case *ast.Variable:
		c.emit(vdbe.CodeVariable, c.env.Params[e], target, 0)
	case *ast.ColumnRef:
		res, err := c.resolve(sc, e, true)
		if err != nil {
			return err
		}
		switch {
		case res.literal != nil:
			return c.expr(sc, res.literal, target)
		case res.flat != nil && res.flat.flatNull != nil:
			return c.flatNullExpr(sc, res, target)
		case res.alias != nil:
			return c.aliasExpr(sc, res.alias, target)
		}
		c.loadColumn(res.src, res.col, target)
	case *ast.Unary:
		switch e.Op {
		case ast.OpNeg:
			if l, ok := e.X.(*ast.Literal); ok && l.Kind == ast.LitInteger && strings.ReplaceAll(l.Value, "_", "") == "9223372036854775808" {
				c.loadInt(target, -1<<63)
				return nil
			}
			if l, ok := e.X.(*ast.Literal); ok && l.Kind == ast.LitFloat {
				// SQLite negates a REAL literal in place instead of computing
				// 0 - x, so -0.0 keeps its sign (visible through the API).
				v, err := literalValue(l)
				if err != nil {
					return err
				}
				v.Float = -v.Float
				c.loadConst(target, v)
				return nil
			}
			r, err := c.exprReg(sc, e.X)
			if err != nil {
				return err
			}
			c.emit(vdbe.CodeNegate, r, target, 0)
		case ast.OpPlus:
			return c.expr(sc, e.X, target)
		case ast.OpBitNot:
			r, err := c.exprReg(sc, e.X)
			if err != nil {
				return err
			}
			c.emit(vdbe.CodeBitNot, r, target, 0)
		case ast.OpNot:
			r, err := c.exprReg(sc, e.X)
			if err != nil {
				return err
			}
			c.emit(vdbe.CodeNot, r, target, 0)
		}
	case *ast.Binary:
		return c.binary(sc, e, target)
	case *ast.Like:
		return c.like(sc, e, target)
	case *ast.Between:
		rx, err := c.exprReg(sc, e.X)
		if err != nil {
			return err
		}
		rl, err := c.exprReg(sc, e.Low)
		if err != nil {
			return err
		}
		rh, err := c.exprReg(sc, e.High)
		if err != nil {
			return err
		}
		t1, t2 := c.reg(), c.reg()
		if err := c.compareRegs(sc, vdbe.CodeGe, e.X, e.Low, rx, rl, t1, true, false); err != nil {
			return err
		}
		if err := c.compareRegs(sc, vdbe.CodeLe, e.X, e.High, rx, rh, t2, true, false); err != nil {
			return err
		}
		c.emit(vdbe.CodeAnd, t1, t2, target)
		if e.Not {
			c.emit(vdbe.CodeNot, target, target, 0)
		}
	case *ast.In:
		return c.inExpr(sc, e, target)
	case *ast.IsNull:
		r, err := c.exprReg(sc, e.X)
		if err != nil {
			return err
		}
		c.loadInt(target, 1)
		l := c.newLabel()
		if e.Not {
			c.emit(vdbe.CodeNotNull, r, l, 0)
		} else {
			c.emit(vdbe.CodeIsNull, r, l, 0)
		}
		c.loadInt(target, 0)
		c.place(l)
	case *ast.Collate:
		if _, err := collation(e.Collation.Name); err != nil {
			return err
		}
		return c.expr(sc, e.X, target)
	case *ast.Cast:
		if err := c.expr(sc, e.X, target); err != nil {
			return err
		}
		c.emit(vdbe.CodeCast, target, int(vdbe.AffinityOf(e.Type)), 0)
	case *ast.Case:
		return c.caseExpr(sc, e, target)
	case *ast.Exists:
		return c.existsExpr(sc, e, target)
	case *ast.Subquery:
		return c.scalarSubquery(sc, e, target)
	case *ast.FuncCall:
		return c.funcCall(sc, e, target)
	case *ast.Row:
		return errorf("row value misused")
	case *ast.Raise:
		return c.raiseExpr(e, target)
	default:
		return errorf("unsupported expression")
	}
	return nil
}

// aliasExpr evaluates a result column referenced by its alias.
func (c *compiler) aliasExpr(sc *scope, e ast.Expr, target int) error {
	sc.noAlias++
	defer func() { sc.noAlias-- }()
	for i, a := range sc.aliases {
		if a.expr == e {
			if sc.inAlias == nil {
				sc.inAlias = map[int]bool{}
			}
			sc.inAlias[i] = true
			defer delete(sc.inAlias, i)
		}
	}
	return c.expr(sc, e, target)
}

func (c *compiler) binary(sc *scope, e *ast.Binary, target int) error {
	if code, ok := cmpCode(e.Op); ok {
		if err := c.checkRowValue(e.X, e.Y); err != nil {
			return err
		}
		return c.compare(sc, code, e.X, e.Y, target, true, false)
	}
	var code vdbe.Opcode
	switch e.Op {
	case ast.OpAnd:
		code = vdbe.CodeAnd
	case ast.OpOr:
		code = vdbe.CodeOr
	case ast.OpAdd:
		code = vdbe.CodeAdd
	case ast.OpSub:
		code = vdbe.CodeSubtract
	case ast.OpMul:
		code = vdbe.CodeMultiply
	case ast.OpDiv:
		code = vdbe.CodeDivide
	case ast.OpRem:
		code = vdbe.CodeRemainder
	case ast.OpConcat:
		code = vdbe.CodeConcat
	case ast.OpBitAnd:
		code = vdbe.CodeBitAnd
	case ast.OpBitOr:
		code = vdbe.CodeBitOr
	case ast.OpLShift:
		code = vdbe.CodeShiftLeft
	case ast.OpRShift:
		code = vdbe.CodeShiftRight
	default:
		return errorf("no such function: %s", map[ast.BinaryOp]string{ast.OpJSON: "->", ast.OpJSONText: "->>"}[e.Op])
	}
	rx, err := c.exprReg(sc, e.X)
	if err != nil {
		return err
	}
	ry, err := c.exprReg(sc, e.Y)
	if err != nil {
		return err
	}
	c.emit(code, rx, ry, target)
	return nil
}

func (c *compiler) checkRowValue(xs ...ast.Expr) error {
	for _, x := range xs {
		if _, ok := x.(*ast.Row); ok {
			return errorf("row value misused")
		}
	}
	return nil
}

func (c *compiler) like(sc *scope, e *ast.Like, target int) error {
	name := "like"
	switch e.Op {
	case ast.OpGlob:
		name = "glob"
	case ast.OpRegexp:
		name = "regexp"
	case ast.OpMatch:
		name = "match"
	}
	args := []ast.Expr{e.Pattern, e.X}
	if e.Escape != nil {
		args = append(args, e.Escape)
	}
	def, exists := c.funcs.Lookup(name, len(args))
	if def == nil {
		if exists {
			return errorf("wrong number of arguments to function %s()", name)
		}
		return errorf("no such function: %s", strings.ToUpper(name))
	}
	base := c.regs(len(args))
	for i, a := range args {
		if err := c.expr(sc, a, base+i); err != nil {
			return err
		}
	}
	c.emitP4(vdbe.CodeFunction, base, len(args), target, vdbe.P4{Func: def})
	if e.Not {
		c.emit(vdbe.CodeNot, target, target, 0)
	}
	return nil
}

func (c *compiler) caseExpr(sc *scope, e *ast.Case, target int) error {
	end := c.newLabel()
	var ro int
	if e.Operand != nil {
		var err error
		if ro, err = c.exprReg(sc, e.Operand); err != nil {
			return err
		}
	}
	for _, w := range e.Whens {
		next := c.newLabel()
		if e.Operand != nil {
			rc, err := c.exprReg(sc, w.Cond)
			if err != nil {
				return err
			}
			if err := c.compareRegs(sc, vdbe.CodeNe, e.Operand, w.Cond, ro, rc, next, false, true); err != nil {
				return err
			}
		} else if err := c.jumpIfFalse(sc, w.Cond, next); err != nil {
			return err
		}
		if err := c.expr(sc, w.Result, target); err != nil {
			return err
		}
		c.emit(vdbe.CodeGoto, 0, end, 0)
		c.place(next)
	}
	if e.Else != nil {
		if err := c.expr(sc, e.Else, target); err != nil {
			return err
		}
	} else {
		c.emit(vdbe.CodeNull, 0, target, 0)
	}
	c.place(end)
	return nil
}

func (c *compiler) funcCall(sc *scope, e *ast.FuncCall, target int) error {
	name := strings.ToLower(e.Name.Name)
	if e.Over != nil || e.OverName != nil {
		return errorf("window functions are not supported yet")
	}
	if sc != nil && sc.agg != nil && sc.agg.active {
		if af := sc.agg.lookup(e); af != nil {
			c.emit(vdbe.CodeCopy, af.result, target, 1)
			return nil
		}
	}
	nArgs := len(e.Args)
	def, exists := c.funcs.Lookup(name, nArgs)
	if def == nil {
		if exists {
			return errorf("wrong number of arguments to function %s()", e.Name.Name)
		}
		return errorf("no such function: %s", e.Name.Name)
	}
	if def.IsAggregate() {
		return errorf("misuse of aggregate: %s()", e.Name.Name)
	}
	if e.Star {
		return errorf("wrong number of arguments to function %s()", e.Name.Name)
	}
	if e.Distinct {
		return errorf("DISTINCT aggregates must have exactly one argument")
	}
	if e.Filter != nil {
		return errorf("FILTER may not be used with non-aggregate %s()", e.Name.Name)
	}
	switch name {
	case "coalesce", "ifnull":
		end := c.newLabel()
		for i, a := range e.Args {
			if err := c.expr(sc, a, target); err != nil {
				return err
			}
			if i < len(e.Args)-1 {
				c.emit(vdbe.CodeNotNull, target, end, 0)
			}
		}
		c.place(end)
		return nil
	case "iif":
		end, els := c.newLabel(), c.newLabel()
		if err := c.jumpIfFalse(sc, e.Args[0], els); err != nil {
			return err
		}
		if err := c.expr(sc, e.Args[1], target); err != nil {
			return err
		}
		c.emit(vdbe.CodeGoto, 0, end, 0)
		c.place(els)
		if err := c.expr(sc, e.Args[2], target); err != nil {
			return err
		}
		c.place(end)
		return nil
	case "likely", "unlikely", "likelihood":
		if name == "likelihood" {
			if !isConstReal(e.Args[1]) {
				return errorf("second argument to likelihood() must be a constant between 0.0 and 1.0")
			}
		}
		return c.expr(sc, e.Args[0], target)
	}
	base := c.regs(nArgs)
	for i, a := range e.Args {
		if err := c.expr(sc, a, base+i); err != nil {
			return err
		}
	}
	p4 := vdbe.P4{Func: def}
	if def.Flags&vdbe.FuncNeedsColl != 0 && nArgs > 0 {
		coll, err := c.argsCollation(sc, e.Args)
		if err != nil {
			return err
		}
		p4.Coll = coll
	}
	c.emitP4(vdbe.CodeFunction, base, nArgs, target, p4)
	return nil
}

func isConstReal(e ast.Expr) bool {
	l, ok := e.(*ast.Literal)
	if !ok || (l.Kind != ast.LitFloat && l.Kind != ast.LitInteger) {
		return false
	}
	v, err := literalValue(l)
	if err != nil {
		return false
	}
	f := v.Float
	if v.Kind == record.Integer {
		f = float64(v.Int)
	}
	return f >= 0 && f <= 1
}

// jumpIfFalse jumps to label when e is false or NULL (WHERE semantics).
func (c *compiler) jumpIfFalse(sc *scope, e ast.Expr, label int) error {
	switch x := e.(type) {
	case *ast.Binary:
		switch x.Op {
		case ast.OpAnd:
			if err := c.jumpIfFalse(sc, x.X, label); err != nil {
				return err
			}
			return c.jumpIfFalse(sc, x.Y, label)
		case ast.OpOr:
			ok := c.newLabel()
			if err := c.jumpIfTrue(sc, x.X, ok, false); err != nil {
				return err
			}
			if err := c.jumpIfFalse(sc, x.Y, label); err != nil {
				return err
			}
			c.place(ok)
			return nil
		}
		if code, ok := cmpCode(x.Op); ok {
			if err := c.checkRowValue(x.X, x.Y); err != nil {
				return err
			}
			return c.compare(sc, negateCmp(code), x.X, x.Y, label, false, true)
		}
	case *ast.Unary:
		if x.Op == ast.OpNot {
			return c.jumpIfTrue(sc, x.X, label, true)
		}
	case *ast.IsNull:
		r, err := c.exprReg(sc, x.X)
		if err != nil {
			return err
		}
		if x.Not {
			c.emit(vdbe.CodeIsNull, r, label, 0)
		} else {
			c.emit(vdbe.CodeNotNull, r, label, 0)
		}
		return nil
	case *ast.Between:
		if c.checkRowValue(x.X, x.Low, x.High) == nil {
			return c.jumpBetween(sc, x, label, x.Not, true)
		}
	}
	r, err := c.exprReg(sc, e)
	if err != nil {
		return err
	}
	c.emit(vdbe.CodeIfNot, r, label, 1)
	return nil
}

// jumpBetween jumps to label when e (ignoring its NOT) is true, if onTrue,
// else when it is false, and also when it is NULL if jumpNull. As in
// SQLite, x BETWEEN a AND b is x>=a AND x<=b with x evaluated once, and
// the second comparison is not evaluated when the first decides: in
// "0 BETWEEN 1 AND abs(c)", abs() never runs.
func (c *compiler) jumpBetween(sc *scope, e *ast.Between, label int, onTrue, jumpNull bool) error {
	rx, err := c.exprReg(sc, e.X)
	if err != nil {
		return err
	}
	low := func(code vdbe.Opcode, to int, jumpNull bool) error {
		rl, err := c.exprReg(sc, e.Low)
		if err != nil {
			return err
		}
		return c.compareRegs(sc, code, e.X, e.Low, rx, rl, to, false, jumpNull)
	}
	high := func(code vdbe.Opcode, to int, jumpNull bool) error {
		rh, err := c.exprReg(sc, e.High)
		if err != nil {
			return err
		}
		return c.compareRegs(sc, code, e.X, e.High, rx, rh, to, false, jumpNull)
	}
	if !onTrue {
		// False when either comparison is.
		if err := low(vdbe.CodeLt, label, jumpNull); err != nil {
			return err
		}
		return high(vdbe.CodeGt, label, jumpNull)
	}
	// True when both are: a false (or, when NULL does not jump, a NULL)
	// first comparison skips the second.
	skip := c.newLabel()
	if err := low(vdbe.CodeLt, skip, !jumpNull); err != nil {
		return err
	}
	if err := high(vdbe.CodeLe, label, jumpNull); err != nil {
		return err
	}
	c.place(skip)
	return nil
}

// jumpIfTrue jumps to label when e is true, and also when it is NULL if
// jumpNull is set.
func (c *compiler) jumpIfTrue(sc *scope, e ast.Expr, label int, jumpNull bool) error {
	switch x := e.(type) {
	case *ast.Binary:
		switch x.Op {
		case ast.OpOr:
			if err := c.jumpIfTrue(sc, x.X, label, jumpNull); err != nil {
				return err
			}
			return c.jumpIfTrue(sc, x.Y, label, jumpNull)
		}
		if code, ok := cmpCode(x.Op); ok {
			if err := c.checkRowValue(x.X, x.Y); err != nil {
				return err
			}
			return c.compare(sc, code, x.X, x.Y, label, false, jumpNull)
		}
	case *ast.Unary:
		if x.Op == ast.OpNot && !jumpNull {
			return c.jumpIfFalseStrict(sc, x.X, label)
		}
	case *ast.IsNull:
		r, err := c.exprReg(sc, x.X)
		if err != nil {
			return err
		}
		if x.Not {
			c.emit(vdbe.CodeNotNull, r, label, 0)
		} else {
			c.emit(vdbe.CodeIsNull, r, label, 0)
		}
		return nil
	case *ast.Between:
		if c.checkRowValue(x.X, x.Low, x.High) == nil {
			return c.jumpBetween(sc, x, label, !x.Not, jumpNull)
		}
	}
	r, err := c.exprReg(sc, e)
	if err != nil {
		return err
	}
	p3 := 0
	if jumpNull {
		p3 = 1
	}
	c.emit(vdbe.CodeIf, r, label, p3)
	return nil
}

// jumpIfFalseStrict jumps when e is false, not when it is NULL.
func (c *compiler) jumpIfFalseStrict(sc *scope, e ast.Expr, label int) error {
	r, err := c.exprReg(sc, e)
	if err != nil {
		return err
	}
	c.emit(vdbe.CodeIfNot, r, label, 0)
	return nil
}
