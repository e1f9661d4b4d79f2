package main

import (
	"reflect"
	"strings"

	"github.com/wrendb/wren/parser/ast"
)

// nameErrorOffset finds where in a statement the name an engine error is
// about was written, so that the shell can point at it as sqlite3 does
// ("no such column: x" with "^--- error here" under the x). database/sql
// errors carry no offset, but the statement's syntax tree records the
// position of every name. It returns -1 when the message names nothing
// it can find.
func nameErrorOffset(stmt ast.Stmt, msg string) int {
	var name string
	var wantFunc bool
	switch {
	case strings.HasPrefix(msg, "no such column: "):
		name = strings.TrimPrefix(msg, "no such column: ")
	case strings.HasPrefix(msg, "ambiguous column name: "):
		name = strings.TrimPrefix(msg, "ambiguous column name: ")
	case strings.HasPrefix(msg, "no such function: "):
		name, wantFunc = strings.TrimPrefix(msg, "no such function: "), true
	default:
		return -1
	}
	best := -1
	consider := func(pos int) {
		if best < 0 || pos < best {
			best = pos
		}
	}
	walkNodes(reflect.ValueOf(stmt), func(v any) {
		switch n := v.(type) {
		case *ast.ColumnRef:
			if !wantFunc && strings.EqualFold(columnRefText(n), name) {
				consider(firstPos(n.Schema, n.Table, n.Column))
			}
		case *ast.FuncCall:
			if wantFunc && strings.EqualFold(n.Name.Name, name) {
				consider(n.Name.Position)
			}
		}
	}, 0)
	return best
}

func columnRefText(c *ast.ColumnRef) string {
	var parts []string
	for _, id := range []ast.Ident{c.Schema, c.Table, c.Column} {
		if !id.IsZero() {
			parts = append(parts, id.Name)
		}
	}
	return strings.Join(parts, ".")
}

func firstPos(ids ...ast.Ident) int {
	for _, id := range ids {
		if !id.IsZero() {
			return id.Position
		}
	}
	return -1
}

// walkNodes calls fn for every pointer reachable from v through structs,
// slices and interfaces: a generic walk over the syntax tree, which has
// no walker of its own.
func walkNodes(v reflect.Value, fn func(any), depth int) {
	if depth > 200 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkNodes(v.Elem(), fn, depth+1)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.CanInterface() {
			fn(v.Interface())
		}
		walkNodes(v.Elem(), fn, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkNodes(v.Field(i), fn, depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkNodes(v.Index(i), fn, depth+1)
		}
	}
}
