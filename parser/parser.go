package parser

import (
	"strings"

	"github.com/wrendb/wren/parser/ast"
)

// Error is a parse error with SQLite's message and the byte offset in the
// parsed text where it was found.
type Error struct {
	Msg    string
	Offset int
}

// Error returns SQLite's message, e.g. `near "FROM": syntax error`.
func (e *Error) Error() string { return e.Msg }

// Limits SQLite enforces while parsing (the values of the sqlite3 3.40.1
// build that is our oracle).
const (
	// maxStack is the depth of SQLite's LALR parser stack; nesting deeper
	// than this gives "parser stack overflow".
	maxStack = 100
	// maxExprDepth is SQLITE_MAX_EXPR_DEPTH.
	maxExprDepth = 1000
	// maxCompoundSelect is SQLITE_MAX_COMPOUND_SELECT.
	maxCompoundSelect = 500
	// maxFunctionArgs is SQLITE_MAX_FUNCTION_ARG.
	maxFunctionArgs = 127
	// maxVariableNumber is SQLITE_MAX_VARIABLE_NUMBER.
	maxVariableNumber = 250000
)

// bailout carries an error up the recursive descent by panic; Parse
// recovers it. Only the parser itself panics with it.
type bailout struct{ err *Error }

type parser struct {
	src     string
	lex     lexer
	tok     token // the current token
	ahead   token // the token after tok, when peeked
	peeked  bool
	lastEnd int // end offset of the token before tok
	depth   int // simulated LALR stack depth
	trigger bool
}

func (p *parser) init(sql string) {
	p.src = sql
	p.lex.src = sql
}

// Parse parses the first statement of sql and returns it with the text
// that follows it (after its semicolon), as sqlite3_prepare does. Leading
// empty statements and comments are skipped; when nothing but those
// remains, Parse returns a nil statement, an empty tail and no error.
func Parse(sql string) (stmt ast.Stmt, tail string, err error) {
	var p parser
	p.init(sql)
	defer p.recoverError(&err)
	p.advance()
	for p.tok.kind == tkSemi {
		p.advance()
	}
	if p.tok.kind == tkEOF {
		return nil, "", nil
	}
	stmt = p.parseCmd()
	switch p.tok.kind {
	case tkSemi:
		tail = sql[p.tok.end:]
	case tkEOF:
		tail = ""
	default:
		p.syntaxError()
	}
	return stmt, tail, nil
}

// ParseAll parses every statement of sql.
func ParseAll(sql string) ([]ast.Stmt, error) {
	var stmts []ast.Stmt
	base := 0
	for {
		stmt, tail, err := Parse(sql)
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Offset += base
			}
			return stmts, err
		}
		if stmt == nil {
			return stmts, nil
		}
		stmts = append(stmts, stmt)
		base += len(sql) - len(tail)
		sql = tail
	}
}

// ParseExpr parses a single expression, such as a DEFAULT value or a
// CHECK constraint.
func ParseExpr(sql string) (e ast.Expr, err error) {
	var p parser
	p.init(sql)
	defer p.recoverError(&err)
	p.depth = 6
	p.advance()
	e = p.parseExpr()
	if p.tok.kind != tkEOF {
		p.syntaxError()
	}
	return e, nil
}

func (p *parser) recoverError(err *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*err = b.err
	}
}

// fail stops parsing with msg at offset.
func (p *parser) fail(msg string, offset int) {
	panic(bailout{&Error{Msg: msg, Offset: offset}})
}

// failAtReduce reports msg the way SQLite reports an error found when a
// grammar rule is reduced: that happens when the next token arrives, and a
// syntax error on that token replaces the message. So the current token
// must be one of ok, else it is the one reported.
func (p *parser) failAtReduce(msg string, offset int, ok ...tokKind) {
	for _, k := range ok {
		if p.tok.kind == k {
			p.fail(msg, offset)
		}
	}
	p.syntaxError()
}

// syntaxError reports the current token as SQLite does: "incomplete
// input" at the end of the text, else near "token".
func (p *parser) syntaxError() {
	p.syntaxErrorAt(p.tok)
}

func (p *parser) syntaxErrorAt(t token) {
	if t.kind == tkEOF {
		p.fail("incomplete input", t.start)
	}
	p.fail(`near "`+p.src[t.start:t.end]+`": syntax error`, t.start)
}

// advance moves to the next token. An illegal token fails at once: SQLite
// reports it when the tokenizer reaches it, after every token before it
// was accepted.
func (p *parser) advance() {
	p.lastEnd = p.tok.end
	if p.peeked {
		p.tok = p.ahead
		p.peeked = false
		return
	}
	p.tok = p.lex.next()
	if p.tok.kind == tkIllegal {
		p.illegal(p.tok)
	}
}

func (p *parser) illegal(t token) {
	p.fail(`unrecognized token: "`+p.src[t.start:t.end]+`"`, t.start)
}

// peek returns the kind of the token after the current one.
func (p *parser) peek() tokKind {
	if !p.peeked {
		p.ahead = p.lex.next()
		p.peeked = true
		if p.ahead.kind == tkIllegal {
			p.illegal(p.ahead)
		}
	}
	return p.ahead.kind
}

// peek2 returns the kind of the token after the peeked one.
func (p *parser) peek2() tokKind {
	p.peek()
	k, _ := p.lex.rawKind(p.ahead.end)
	return k
}

// is reports whether the current token has kind k.
func (p *parser) is(k tokKind) bool { return p.tok.kind == k }

// accept consumes the current token if it has kind k.
func (p *parser) accept(k tokKind) bool {
	if p.tok.kind == k {
		p.advance()
		return true
	}
	return false
}

// expect consumes a token of kind k or fails with a syntax error.
func (p *parser) expect(k tokKind) token {
	t := p.tok
	if t.kind != k {
		p.syntaxError()
	}
	p.advance()
	return t
}

// text returns the source text of t.
func (p *parser) text(t token) string { return p.src[t.start:t.end] }

// push and pop track the depth SQLite's parser stack would have; going
// past its size fails as SQLite does, long before Go's stack is at risk.
func (p *parser) push(n int) {
	p.depth += n
	if p.depth > maxStack {
		p.fail("parser stack overflow", p.tok.start)
	}
}

func (p *parser) pop(n int) { p.depth -= n }

// ident converts a name token to an Ident, removing quotes.
func (p *parser) ident(t token) ast.Ident {
	s := p.text(t)
	id := ast.Ident{Name: s, Position: t.start}
	if len(s) > 0 {
		switch q := s[0]; q {
		case '"', '`', '\'':
			id.Quote = q
			id.Name = dequote(s, q)
		case '[':
			id.Quote = q
			id.Name = s[1 : len(s)-1]
		}
	}
	return id
}

// dequote removes the quotes around s and undoes doubled quote characters.
func dequote(s string, q byte) string {
	inner := s[1 : len(s)-1]
	if strings.IndexByte(inner, q) < 0 {
		return inner
	}
	var b strings.Builder
	b.Grow(len(inner))
	for i := 0; i < len(inner); i++ {
		b.WriteByte(inner[i])
		if inner[i] == q {
			i++
		}
	}
	return b.String()
}

// nm parses a name: an identifier, a keyword that may be a name, a join
// keyword or a string.
func (p *parser) nm() ast.Ident {
	if !isNm(p.tok.kind) {
		p.syntaxError()
	}
	id := p.ident(p.tok)
	p.advance()
	return id
}

// ids parses an identifier or string (collation names, aliases).
func (p *parser) ids() ast.Ident {
	if !isIds(p.tok.kind) {
		p.syntaxError()
	}
	id := p.ident(p.tok)
	p.advance()
	return id
}

// fullname parses nm [. nm].
func (p *parser) fullname() ast.QualifiedName {
	first := p.nm()
	if p.accept(tkDot) {
		return ast.QualifiedName{Schema: first, Name: p.nm()}
	}
	return ast.QualifiedName{Name: first}
}

// idlist parses nm, nm, ...
func (p *parser) idlist() []ast.Ident {
	list := []ast.Ident{p.nm()}
	for p.accept(tkComma) {
		list = append(list, p.nm())
	}
	return list
}

// eidlist parses a parenthesized column-name list where SQLite's grammar
// accepts COLLATE and ASC/DESC only to reject them.
func (p *parser) eidlist() []ast.Ident {
	p.expect(tkLP)
	var list []ast.Ident
	for {
		t := p.tok
		id := p.nm()
		bad := false
		if p.accept(kwCollate) {
			p.ids()
			bad = true
		}
		if p.is(kwAsc) || p.is(kwDesc) {
			p.advance()
			bad = true
		}
		if bad {
			p.failAtReduce(`syntax error after column name "`+p.text(t)+`"`, t.start, tkComma, tkRP)
		}
		list = append(list, id)
		if !p.accept(tkComma) {
			break
		}
	}
	p.expect(tkRP)
	return list
}

// conflictAction parses ROLLBACK|ABORT|FAIL|IGNORE|REPLACE.
func (p *parser) resolveType() ast.ConflictAction {
	var a ast.ConflictAction
	switch p.tok.kind {
	case kwRollback:
		a = ast.ConflictRollback
	case kwAbort:
		a = ast.ConflictAbort
	case kwFail:
		a = ast.ConflictFail
	case kwIgnore:
		a = ast.ConflictIgnore
	case kwReplace:
		a = ast.ConflictReplace
	default:
		p.syntaxError()
	}
	p.advance()
	return a
}
