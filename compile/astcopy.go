package compile

import (
	"reflect"

	"github.com/wrendb/wren/parser/ast"
)

// Copies and counts over whole syntax trees, by reflection. The flattener
// (flatten.go) and the push-down (pushdown.go) bind the column references
// of a copy without disturbing the tree that other uses of a view or CTE
// share; a CTE's uses are counted to decide whether it is materialized.

// cloneSelect deep-copies sel, so that the references of one use of a
// view or subquery can be bound without disturbing another use. The
// copies keep the SELECT numbers EXPLAIN QUERY PLAN shows, and share the
// statement's parameters (Env.Params is keyed by them).
func (c *compiler) cloneSelect(sel *ast.Select) *ast.Select {
	copies := map[*ast.Select]*ast.Select{}
	out := deepCopy(reflect.ValueOf(sel), copies).Interface().(*ast.Select)
	for old, nw := range copies {
		if id, ok := c.selIDs[old]; ok {
			c.selIDs[nw] = id
		}
	}
	return out
}

var variableType = reflect.TypeOf((*ast.Variable)(nil))

func deepCopy(v reflect.Value, copies map[*ast.Select]*ast.Select) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Type() == variableType {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem(), copies))
		if s, ok := v.Interface().(*ast.Select); ok {
			copies[s] = n.Interface().(*ast.Select)
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if f := n.Field(i); f.CanSet() {
				f.Set(deepCopy(v.Field(i), copies))
			}
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(deepCopy(v.Index(i), copies))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem(), copies))
		return n
	}
	return v
}

// countTableRefs counts the references to each table name (lower case,
// without a schema) in a statement: a CTE used more than once is
// materialized, as in SQLite.
func countTableRefs(root any) map[string]int {
	counts := map[string]int{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Pointer {
				if t, ok := v.Interface().(*ast.TableName); ok && t.Name.Schema.Name == "" {
					counts[lower(t.Name.Name.Name)]++
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(root))
	return counts
}

// reflectValue holds e as the interface it is, for deepCopy.
func reflectValue(e ast.Expr) reflect.Value { return reflect.ValueOf(&e).Elem() }

// columnRefs returns every column reference in e, subqueries included.
func columnRefs(e ast.Expr) []*ast.ColumnRef {
	var refs []*ast.ColumnRef
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Pointer {
				if r, ok := v.Interface().(*ast.ColumnRef); ok {
					refs = append(refs, r)
					return
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflectValue(e))
	return refs
}
