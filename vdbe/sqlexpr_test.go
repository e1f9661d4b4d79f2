package vdbe

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// A tiny evaluator for the SQL expressions in testdata/golden.txt: literals,
// unary and binary operators, CAST, COLLATE, LIKE/GLOB and function calls,
// evaluated with this package's functions. It stands in for the compiler
// and VM, which live elsewhere, so that the golden cases can be plain SQL
// that sqlite3 runs unchanged.

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tStr
	tBlob
	tIdent
	tOp
)

type token struct {
	kind tokKind
	text string
}

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated string")
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, token{tStr, b.String()})
		case (c == 'x' || c == 'X') && i+1 < len(s) && s[i+1] == '\'':
			j := strings.IndexByte(s[i+2:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated blob")
			}
			toks = append(toks, token{tBlob, s[i+2 : i+2+j]})
			i += j + 3
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			j := i
			if c == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') {
				j += 2
				for j < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
					j++
				}
			} else {
				for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
					j++
				}
				if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
					j++
					if j < len(s) && (s[j] == '+' || s[j] == '-') {
						j++
					}
					for j < len(s) && isDigit(s[j]) {
						j++
					}
				}
			}
			toks = append(toks, token{tNum, s[i:j]})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || isDigit(s[j]) || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			toks = append(toks, token{tIdent, s[i:j]})
			i = j
		default:
			op := string(c)
			if i+1 < len(s) {
				switch two := s[i : i+2]; two {
				case "||", "<=", ">=", "<>", "!=", "==", "<<", ">>":
					op = two
				}
			}
			toks = append(toks, token{tOp, op})
			i += len(op)
		}
	}
	return append(toks, token{kind: tEOF}), nil
}

// val is an evaluated expression with what the compiler would know about it.
type val struct {
	m    Mem
	aff  Affinity
	coll record.Collation
}

type evaluator struct {
	toks []token
	pos  int
	row  []Mem // column1, column2, ... for aggregate cases
	conn Conn
}

func (e *evaluator) peek() token { return e.toks[e.pos] }
func (e *evaluator) next() token { t := e.toks[e.pos]; e.pos++; return t }

func (e *evaluator) isKeyword(kw string) bool {
	t := e.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, kw)
}

func (e *evaluator) isOp(op string) bool {
	t := e.peek()
	return t.kind == tOp && t.text == op
}

func (e *evaluator) expect(op string) error {
	if !e.isOp(op) {
		return fmt.Errorf("expected %q at token %d", op, e.pos)
	}
	e.pos++
	return nil
}

// evalSQL evaluates one expression string.
func evalSQL(src string, row []Mem, conn Conn) (*val, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	e := &evaluator{toks: toks, row: row, conn: conn}
	v, err := e.compare()
	if err != nil {
		return nil, err
	}
	if e.peek().kind != tEOF {
		return nil, fmt.Errorf("trailing tokens at %d in %q", e.pos, src)
	}
	return v, nil
}

func collOf(a, b *val) record.Collation {
	if a.coll != nil {
		return a.coll
	}
	return b.coll
}

func (e *evaluator) compare() (*val, error) {
	l, err := e.bitwise()
	if err != nil {
		return nil, err
	}
	for {
		var op CompareOp
		switch {
		case e.isOp("="), e.isOp("=="):
			op = OpEq
		case e.isOp("<>"), e.isOp("!="):
			op = OpNe
		case e.isOp("<"):
			op = OpLt
		case e.isOp("<="):
			op = OpLe
		case e.isOp(">"):
			op = OpGt
		case e.isOp(">="):
			op = OpGe
		case e.isKeyword("IS"):
			op = OpIs
		case e.isKeyword("LIKE"), e.isKeyword("GLOB"):
			name := strings.ToLower(e.next().text)
			r, err := e.bitwise()
			if err != nil {
				return nil, err
			}
			args := []*val{r, l}
			if name == "like" && e.isKeyword("ESCAPE") {
				e.next()
				esc, err := e.bitwise()
				if err != nil {
					return nil, err
				}
				args = append(args, esc)
			}
			l, err = e.call(name, args)
			if err != nil {
				return nil, err
			}
			continue
		default:
			return l, nil
		}
		e.next()
		if op == OpIs && e.isKeyword("NOT") {
			e.next()
			op = OpIsNot
		}
		r, err := e.bitwise()
		if err != nil {
			return nil, err
		}
		a, b := new(Mem), new(Mem)
		a.Copy(&l.m)
		b.Copy(&r.m)
		ApplyComparisonAffinity(a, b, l.aff, r.aff)
		res, isNull := op.Eval(a, b, collOf(l, r))
		out := &val{aff: AffinityNone}
		if isNull {
			out.m.SetNull()
		} else {
			out.m.SetBool(res)
		}
		l = out
	}
}

func (e *evaluator) bitwise() (*val, error) {
	l, err := e.additive()
	if err != nil {
		return nil, err
	}
	for {
		var op BitOp
		switch {
		case e.isOp("&"):
			op = OpBitAnd
		case e.isOp("|"):
			op = OpBitOr
		case e.isOp("<<"):
			op = OpShiftLeft
		case e.isOp(">>"):
			op = OpShiftRight
		default:
			return l, nil
		}
		e.next()
		r, err := e.additive()
		if err != nil {
			return nil, err
		}
		out := &val{aff: AffinityNone}
		Bitwise(op, &out.m, &l.m, &r.m)
		l = out
	}
}

func (e *evaluator) additive() (*val, error) {
	l, err := e.multiplicative()
	if err != nil {
		return nil, err
	}
	for e.isOp("+") || e.isOp("-") {
		op := OpAdd
		if e.next().text == "-" {
			op = OpSubtract
		}
		r, err := e.multiplicative()
		if err != nil {
			return nil, err
		}
		out := &val{aff: AffinityNone}
		Arith(op, &out.m, &l.m, &r.m)
		l = out
	}
	return l, nil
}

func (e *evaluator) multiplicative() (*val, error) {
	l, err := e.concat()
	if err != nil {
		return nil, err
	}
	for e.isOp("*") || e.isOp("/") || e.isOp("%") {
		op := map[string]ArithOp{"*": OpMultiply, "/": OpDivide, "%": OpRemainder}[e.next().text]
		r, err := e.concat()
		if err != nil {
			return nil, err
		}
		out := &val{aff: AffinityNone}
		Arith(op, &out.m, &l.m, &r.m)
		l = out
	}
	return l, nil
}

func (e *evaluator) concat() (*val, error) {
	l, err := e.unary()
	if err != nil {
		return nil, err
	}
	for e.isOp("||") {
		e.next()
		r, err := e.unary()
		if err != nil {
			return nil, err
		}
		out := &val{aff: AffinityNone}
		Concat(&out.m, &l.m, &r.m)
		l = out
	}
	return l, nil
}

func (e *evaluator) unary() (*val, error) {
	switch {
	case e.isOp("-"):
		e.next()
		if t := e.peek(); t.kind == tNum {
			// A negated literal is one literal: -9223372036854775808 is
			// an INTEGER.
			e.next()
			v, err := literalNumber("-" + t.text)
			if err != nil {
				return nil, err
			}
			return e.postfix(v)
		}
		x, err := e.unary()
		if err != nil {
			return nil, err
		}
		out := &val{aff: AffinityNone}
		Negate(&out.m, &x.m)
		return out, nil
	case e.isOp("+"):
		e.next()
		return e.unary()
	case e.isOp("~"):
		e.next()
		x, err := e.unary()
		if err != nil {
			return nil, err
		}
		out := &val{aff: AffinityNone}
		BitNot(&out.m, &x.m)
		return out, nil
	}
	p, err := e.primary()
	if err != nil {
		return nil, err
	}
	return e.postfix(p)
}

func (e *evaluator) postfix(v *val) (*val, error) {
	for e.isKeyword("COLLATE") {
		e.next()
		name := e.next().text
		c, ok := record.LookupCollation(name)
		if !ok {
			return nil, fmt.Errorf("no such collation sequence: %s", name)
		}
		v.coll = c
	}
	return v, nil
}

func literalNumber(text string) (*val, error) {
	v := &val{aff: AffinityNone}
	neg := strings.HasPrefix(text, "-")
	body := strings.TrimPrefix(text, "-")
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		u, err := strconv.ParseUint(body[2:], 16, 64)
		if err != nil {
			return nil, fmt.Errorf("hex literal too big: %s", text)
		}
		i := int64(u)
		if neg {
			i = -i
		}
		v.m.SetInt(i)
		return v, nil
	}
	if !strings.ContainsAny(body, ".eE") {
		if i, rc := parseInt([]byte(text)); rc == intOK {
			v.m.SetInt(i)
			return v, nil
		}
	}
	f, _ := parseFloat([]byte(text))
	v.m.SetFloat(f)
	return v, nil
}

func (e *evaluator) primary() (*val, error) {
	t := e.next()
	switch t.kind {
	case tNum:
		return literalNumber(t.text)
	case tStr:
		v := &val{aff: AffinityNone}
		v.m.SetTextString(t.text)
		return v, nil
	case tBlob:
		v := &val{aff: AffinityNone}
		b := make([]byte, len(t.text)/2)
		for i := range b {
			x, err := strconv.ParseUint(t.text[2*i:2*i+2], 16, 8)
			if err != nil {
				return nil, err
			}
			b[i] = byte(x)
		}
		v.m.SetBlob(b)
		return v, nil
	case tOp:
		if t.text == "(" {
			if e.isKeyword("SELECT") {
				// Only "(SELECT 1 WHERE 0)", a NULL, is supported.
				for !e.isOp(")") {
					e.next()
				}
				e.next()
				return &val{aff: AffinityNone}, nil
			}
			v, err := e.compare()
			if err != nil {
				return nil, err
			}
			return v, e.expect(")")
		}
	case tIdent:
		name := strings.ToLower(t.text)
		switch {
		case name == "null":
			return &val{aff: AffinityNone}, nil
		case name == "cast":
			if err := e.expect("("); err != nil {
				return nil, err
			}
			x, err := e.compare()
			if err != nil {
				return nil, err
			}
			if !e.isKeyword("AS") {
				return nil, fmt.Errorf("expected AS")
			}
			e.next()
			typ := e.next().text
			if err := e.expect(")"); err != nil {
				return nil, err
			}
			aff := AffinityOf(typ)
			out := &val{aff: aff, coll: x.coll}
			out.m.Copy(&x.m)
			Cast(&out.m, aff)
			return out, nil
		case strings.HasPrefix(name, "column"):
			i, err := strconv.Atoi(name[len("column"):])
			if err != nil || i < 1 || i > len(e.row) {
				return nil, fmt.Errorf("no such column: %s", name)
			}
			v := &val{aff: AffinityNone}
			v.m.Copy(&e.row[i-1])
			return v, nil
		}
		if err := e.expect("("); err != nil {
			return nil, err
		}
		var args []*val
		if e.isOp("*") {
			e.next()
		} else {
			for !e.isOp(")") {
				a, err := e.compare()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if e.isOp(",") {
					e.next()
				}
			}
		}
		if err := e.expect(")"); err != nil {
			return nil, err
		}
		return e.call(name, args)
	}
	return nil, fmt.Errorf("unexpected token %q", t.text)
}

// lookup applies the compiler's rules for finding a function.
func lookup(name string, n int) (*FuncDef, error) {
	def, exists := Builtins().Lookup(name, n)
	if def == nil {
		if exists {
			return nil, resultcode.Errorf(resultcode.Error, "wrong number of arguments to function %s()", name)
		}
		return nil, resultcode.Errorf(resultcode.Error, "no such function: %s", name)
	}
	return def, nil
}

func callColl(args []*val) record.Collation {
	for _, a := range args {
		if a.coll != nil {
			return a.coll
		}
	}
	return nil
}

func (e *evaluator) call(name string, args []*val) (*val, error) {
	def, err := lookup(name, len(args))
	if err != nil {
		return nil, err
	}
	if def.IsAggregate() {
		return nil, fmt.Errorf("misuse of aggregate function %s()", name)
	}
	ms := make([]Mem, len(args))
	for i, a := range args {
		ms[i].Copy(&a.m)
	}
	fc := &FuncContext{Conn: e.conn, Coll: callColl(args)}
	out := &val{aff: AffinityNone}
	if err := def.Scalar(fc, &out.m, ms); err != nil {
		return nil, err
	}
	return out, nil
}

// evalAggregate runs an "AGG f(args) FROM (VALUES ...)" case.
func evalAggregate(src string) (*val, error) {
	expr, from, ok := strings.Cut(src, " FROM ")
	if !ok {
		return nil, fmt.Errorf("no FROM")
	}
	rows, err := parseValues(from)
	if err != nil {
		return nil, err
	}
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(toks[0].text)
	// Argument expressions, evaluated per row.
	inner := strings.TrimSpace(expr[strings.IndexByte(expr, '(')+1 : strings.LastIndexByte(expr, ')')])
	var argSrc []string
	if inner != "*" && inner != "" {
		argSrc = splitTopLevel(inner)
	}
	def, err := lookup(name, len(argSrc))
	if err != nil {
		return nil, err
	}
	agg := def.NewAggregate()
	var coll record.Collation
	for _, row := range rows {
		args := make([]Mem, len(argSrc))
		for i, s := range argSrc {
			v, err := evalSQL(s, row, nil)
			if err != nil {
				return nil, err
			}
			args[i].Copy(&v.m)
			if v.coll != nil && coll == nil {
				coll = v.coll
			}
		}
		fc := &FuncContext{Coll: coll}
		if err := agg.Step(fc, args); err != nil {
			return nil, err
		}
	}
	out := &val{aff: AffinityNone}
	if err := agg.Final(&FuncContext{Coll: coll}, &out.m); err != nil {
		return nil, err
	}
	return out, nil
}

func splitTopLevel(s string) []string {
	var parts []string
	depth, start, inStr := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			inStr = !inStr
		case inStr:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(parts, strings.TrimSpace(s[start:]))
}

// parseValues reads "(VALUES (a, b), (c, d))".
func parseValues(s string) ([][]Mem, error) {
	s = strings.TrimSpace(s)
	s, ok := strings.CutPrefix(s, "(VALUES ")
	if !ok || !strings.HasSuffix(s, ")") {
		return nil, fmt.Errorf("bad VALUES: %s", s)
	}
	s = s[:len(s)-1]
	var rows [][]Mem
	for _, r := range splitTopLevel(s) {
		r = strings.TrimSuffix(strings.TrimPrefix(r, "("), ")")
		var row []Mem
		for _, c := range splitTopLevel(r) {
			v, err := evalSQL(c, nil, nil)
			if err != nil {
				return nil, err
			}
			var m Mem
			m.Copy(&v.m)
			row = append(row, m)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// render formats a result as the golden file does.
func render(m *Mem) string {
	typ := TypeName(m.Kind())
	if m.Kind() == record.Text {
		return typ + "|" + hexUpper(m.Bytes())
	}
	return typ + "|" + string(AppendQuote(nil, m))
}
