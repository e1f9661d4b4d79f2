package compile

import (
	"reflect"
	"sort"
	"strconv"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/resultcode"
)

// Params numbers the parameters of a statement as sqlite3_prepare does:
// in the order they appear in the text, "?" takes the next number, "?NNN"
// the number NNN, and a named parameter (":x", "@x", "$x") the number of
// its first occurrence or the next one. It returns the highest number, the
// name of each number (index 0 is parameter 1; "" for an unnamed one) and
// the number of every Variable node.
func Params(st ast.Stmt) (count int, names []string, index map[*ast.Variable]int, err error) {
	var vars []*ast.Variable
	collectVars(reflect.ValueOf(st), &vars)
	sort.SliceStable(vars, func(i, j int) bool { return vars[i].Position < vars[j].Position })
	index = map[*ast.Variable]int{}
	byName := map[string]int{}
	next := 0
	for _, v := range vars {
		raw := v.Raw
		var n int
		switch {
		case raw == "?":
			next++
			n = next
		case raw[0] == '?':
			k, e := strconv.Atoi(raw[1:])
			if e != nil || k < 1 || k > 250000 {
				return 0, nil, nil, resultcode.Errorf(resultcode.Error, "variable number must be between ?1 and ?250000")
			}
			n = k
			if n > next {
				next = n
			}
			if _, ok := byName[raw]; !ok {
				byName[raw] = n
			}
		default:
			if k, ok := byName[raw]; ok {
				n = k
			} else {
				next++
				n = next
				byName[raw] = n
			}
		}
		index[v] = n
		for len(names) < n {
			names = append(names, "")
		}
		if raw != "?" && names[n-1] == "" {
			names[n-1] = raw
		}
	}
	return next, names, index, nil
}

var (
	varType  = reflect.TypeOf((*ast.Variable)(nil))
	nodeType = reflect.TypeOf((*ast.Node)(nil)).Elem()
)

// collectVars finds every *ast.Variable under v. The AST is plain data, so
// a reflective walk stays correct as node types are added.
func collectVars(v reflect.Value, out *[]*ast.Variable) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			collectVars(v.Elem(), out)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type() == varType {
			*out = append(*out, v.Interface().(*ast.Variable))
			return
		}
		collectVars(v.Elem(), out)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				collectVars(v.Field(i), out)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			collectVars(v.Index(i), out)
		}
	}
}
