package vdbe_test

import (
	"fmt"

	"github.com/wrendb/wren/vdbe"
)

// REAL values render as SQLite renders them.
func ExampleAppendReal() {
	for _, f := range []float64{1, 0.1, 1e20, 123456789012345, 1.0 / 3} {
		fmt.Println(string(vdbe.AppendReal(nil, f)))
	}
	// Output:
	// 1.0
	// 0.1
	// 1.0e+20
	// 123456789012345.0
	// 0.333333333333333
}

// The three ways of turning text into a number differ.
func ExampleCast() {
	for _, aff := range []vdbe.Affinity{vdbe.AffinityInteger, vdbe.AffinityReal, vdbe.AffinityNumeric} {
		var m vdbe.Mem
		m.SetTextString("1e3")
		vdbe.Cast(&m, aff)
		fmt.Printf("CAST('1e3' AS %s) = %s (%s)\n", aff, m.String(), vdbe.TypeName(m.Kind()))
	}
	// Output:
	// CAST('1e3' AS INTEGER) = 1 (integer)
	// CAST('1e3' AS REAL) = 1000.0 (real)
	// CAST('1e3' AS NUMERIC) = 1000 (integer)
}

// Printf is SQLite's printf, quirks included.
func ExamplePrintf() {
	var a, b, c vdbe.Mem
	a.SetInt(1234567)
	b.SetFloat(0.1)
	c.SetTextString("it's")
	out, _ := vdbe.Printf(nil, []byte("%,d|%.20f|%Q"), []vdbe.Mem{a, b, c}, 0)
	fmt.Println(string(out))
	// Output:
	// 1,234,567|0.10000000000000000000|'it''s'
}

// The compiler looks functions up by name and argument count.
func ExampleRegistry_Lookup() {
	for _, call := range []struct {
		name string
		n    int
	}{{"upper", 1}, {"upper", 2}, {"nosuch", 1}} {
		def, exists := vdbe.Builtins().Lookup(call.name, call.n)
		switch {
		case def != nil:
			fmt.Printf("%s/%d: found\n", call.name, call.n)
		case exists:
			fmt.Printf("wrong number of arguments to function %s()\n", call.name)
		default:
			fmt.Printf("no such function: %s\n", call.name)
		}
	}
	// Output:
	// upper/1: found
	// wrong number of arguments to function upper()
	// no such function: nosuch
}
