package parser

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/parser/ast"
)

// spanFields are the fields that record where something was in the source
// text; a printed and re-parsed tree differs in them by design.
var spanFields = map[string]bool{
	"Position": true, "Text": true, "DefaultText": true, "AddText": true,
}

var ignoreSpans = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && spanFields[sf.Name()]
}, cmp.Ignore())

// checkRoundTrip prints stmt, parses the text again and reports any
// difference between the two trees.
func checkRoundTrip(t *testing.T, sql string, stmt ast.Stmt) bool {
	t.Helper()
	printed := ast.String(stmt)
	again, tail, err := Parse(printed)
	if err != nil {
		t.Errorf("re-parse failed: %v\nsql:     %s\nprinted: %s", err, sql, printed)
		return false
	}
	if tail != "" {
		t.Errorf("re-parse left a tail %q\nprinted: %s", tail, printed)
		return false
	}
	if !equalIgnoringSpans(reflect.ValueOf(stmt), reflect.ValueOf(again)) {
		t.Errorf("round trip changed the tree\nsql:     %s\nprinted: %s\ndiff (-parsed +reparsed):\n%s",
			sql, printed, cmp.Diff(stmt, again, ignoreSpans))
		return false
	}
	return true
}

// equalIgnoringSpans is a fast deep equality that skips spanFields; the
// corpus test compares hundreds of thousands of trees, and go-cmp is kept
// for printing the difference.
func equalIgnoringSpans(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return equalIgnoringSpans(a.Elem(), b.Elem())
	case reflect.Struct:
		t := a.Type()
		for i := 0; i < a.NumField(); i++ {
			if spanFields[t.Field(i).Name] {
				continue
			}
			if !equalIgnoringSpans(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalIgnoringSpans(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if !equalIgnoringSpans(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	}
	return a.Interface() == b.Interface()
}
