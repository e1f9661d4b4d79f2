package parser_test

import (
	"fmt"

	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/parser/ast"
)

func ExampleParse() {
	sql := "select a+1 as x from t where b in (1,2); -- first\nDELETE FROM t"
	for {
		stmt, tail, err := parser.Parse(sql)
		if err != nil {
			fmt.Println(err)
			return
		}
		if stmt == nil {
			return
		}
		fmt.Println(ast.String(stmt))
		sql = tail
	}
	// Output:
	// SELECT a + 1 AS x FROM t WHERE b IN (1, 2)
	// DELETE FROM t
}

func ExampleError() {
	_, _, err := parser.Parse("SELECT * FROM t WHERE")
	fmt.Println(err)
	_, _, err = parser.Parse("SELECT a FROM t ORDER x")
	e := err.(*parser.Error)
	fmt.Println(e.Msg, "at", e.Offset)
	// Output:
	// incomplete input
	// near "x": syntax error at 22
}

func ExampleParseExpr() {
	e, err := parser.ParseExpr("-a * b COLLATE nocase")
	if err != nil {
		panic(err)
	}
	bin := e.(*ast.Binary)
	fmt.Println(bin.Op, ast.String(bin.X), "|", ast.String(bin.Y))
	// Output:
	// * -a | b COLLATE nocase
}
