package vdbe

import (
	"errors"
	"testing"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// Ensure that Lookup tells a missing function from a wrong argument count,
// ignores case and prefers an exact count over a variable one.
func TestRegistryLookup(t *testing.T) {
	r := Builtins()
	tests := []struct {
		name      string
		nArg      int
		found     bool
		exists    bool
		aggregate bool
	}{
		{"abs", 1, true, true, false},
		{"ABS", 1, true, true, false},
		{"abs", 2, false, true, false},
		{"nosuch", 1, false, false, false},
		{"min", 1, true, true, true},
		{"min", 2, true, true, false},
		{"max", 5, true, true, false},
		{"min", 0, false, true, false},
		{"count", 0, true, true, true},
		{"count", 2, false, true, false},
		{"coalesce", 1, false, true, false},
		{"coalesce", 4, true, true, false},
		{"char", 0, true, true, false},
		{"printf", 0, true, true, false},
		{"group_concat", 2, true, true, true},
		{"substr", 1, false, true, false},
	}
	for _, tt := range tests {
		def, exists := r.Lookup(tt.name, tt.nArg)
		if (def != nil) != tt.found || exists != tt.exists {
			t.Errorf("Lookup(%q, %d) = (%v, %v), want found %v exists %v", tt.name, tt.nArg, def, exists, tt.found, tt.exists)
			continue
		}
		if def != nil && def.IsAggregate() != tt.aggregate {
			t.Errorf("Lookup(%q, %d).IsAggregate() = %v", tt.name, tt.nArg, def.IsAggregate())
		}
	}
}

// Ensure that functions registered on a clone do not leak into the
// built-in registry, and that registering replaces by name and count.
func TestRegistryCloneRegister(t *testing.T) {
	c := Builtins().Clone()
	c.Register(&FuncDef{Name: "Twice", NArg: 1, Scalar: func(_ *FuncContext, out *Mem, args []Mem) error {
		out.SetInt(2 * IntValue(&args[0]))
		return nil
	}})
	c.Register(&FuncDef{Name: "abs", NArg: 1, Scalar: func(_ *FuncContext, out *Mem, _ []Mem) error {
		out.SetInt(-1)
		return nil
	}})
	if def, _ := Builtins().Lookup("twice", 1); def != nil {
		t.Fatal("clone registration leaked into Builtins")
	}
	def, _ := c.Lookup("TWICE", 1)
	if def == nil {
		t.Fatal("registered function not found")
	}
	var out Mem
	args := []Mem{{}}
	args[0].SetInt(21)
	if err := def.Scalar(&FuncContext{}, &out, args); err != nil || out.Int() != 42 {
		t.Fatalf("twice(21) = %d, %v", out.Int(), err)
	}
	abs, _ := c.Lookup("abs", 1)
	if err := abs.Scalar(&FuncContext{}, &out, args); err != nil || out.Int() != -1 {
		t.Fatalf("replaced abs gave %d", out.Int())
	}
}

type countingConn struct{ changes, total, rowid int64 }

func (c countingConn) Changes() int64         { return c.changes }
func (c countingConn) TotalChanges() int64    { return c.total }
func (c countingConn) LastInsertRowid() int64 { return c.rowid }

// Ensure that changes(), total_changes() and last_insert_rowid() read the
// connection.
func TestConnFunctions(t *testing.T) {
	fc := &FuncContext{Conn: countingConn{3, 10, 77}}
	for name, want := range map[string]int64{"changes": 3, "total_changes": 10, "last_insert_rowid": 77} {
		def, _ := Builtins().Lookup(name, 0)
		var out Mem
		if err := def.Scalar(fc, &out, nil); err != nil || out.Int() != want {
			t.Errorf("%s() = %d, %v; want %d", name, out.Int(), err, want)
		}
	}
}

// Ensure that errors carry SQLite's result code and message.
func TestFunctionErrors(t *testing.T) {
	def, _ := Builtins().Lookup("abs", 1)
	args := []Mem{{}}
	args[0].SetInt(-1 << 63)
	var out Mem
	err := def.Scalar(&FuncContext{}, &out, args)
	if err == nil || err.Error() != "integer overflow" || !errors.Is(err, resultcode.ErrError) {
		t.Errorf("abs(min int) error = %v", err)
	}
	zb, _ := Builtins().Lookup("zeroblob", 1)
	args[0].SetInt(maxLength + 1)
	if err := zb.Scalar(&FuncContext{}, &out, args); !errors.Is(err, resultcode.ErrTooBig) {
		t.Errorf("zeroblob(too big) error = %v", err)
	}
}

// Ensure that min() and max() aggregates report, through SkipLoad, which
// rows did not become the new extreme (so bare columns come from the row
// holding the max).
func TestMinMaxSkipLoad(t *testing.T) {
	def, _ := Builtins().Lookup("max", 1)
	agg := def.NewAggregate()
	var skipped []bool
	for _, v := range []int64{3, 1, 5, 5, 2} {
		args := []Mem{{}}
		args[0].SetInt(v)
		fc := &FuncContext{}
		if err := agg.Step(fc, args); err != nil {
			t.Fatal(err)
		}
		skipped = append(skipped, fc.SkipLoad)
	}
	want := []bool{false, true, false, true, true}
	for i := range want {
		if skipped[i] != want[i] {
			t.Fatalf("SkipLoad per row = %v, want %v", skipped, want)
		}
	}
	var out Mem
	if err := agg.Final(&FuncContext{}, &out); err != nil || out.Int() != 5 {
		t.Fatalf("max = %d, %v", out.Int(), err)
	}
}

// Ensure that an aggregate keeps its own copy of the values it holds, since
// the VM reuses argument registers row after row.
func TestAggregateCopiesArguments(t *testing.T) {
	for _, name := range []string{"min", "max", "group_concat"} {
		def, _ := Builtins().Lookup(name, 1)
		agg := def.NewAggregate()
		buf := []byte("kept")
		args := []Mem{{}}
		args[0].SetTextRef(buf)
		if err := agg.Step(&FuncContext{}, args); err != nil {
			t.Fatal(err)
		}
		copy(buf, "XXXX")
		var out Mem
		if err := agg.Final(&FuncContext{}, &out); err != nil {
			t.Fatal(err)
		}
		if out.Kind() != record.Text || string(out.Bytes()) != "kept" {
			t.Errorf("%s kept %q, want \"kept\"", name, out.Bytes())
		}
	}
}

// Ensure that random() and randomblob() vary and have the right shapes.
func TestRandom(t *testing.T) {
	rnd, _ := Builtins().Lookup("random", 0)
	seen := map[int64]bool{}
	for i := 0; i < 10; i++ {
		var out Mem
		if err := rnd.Scalar(&FuncContext{}, &out, nil); err != nil || out.Kind() != record.Integer {
			t.Fatalf("random() = %v, %v", out.Kind(), err)
		}
		seen[out.Int()] = true
	}
	if len(seen) < 9 {
		t.Errorf("random() repeated itself: %v", seen)
	}
	rb, _ := Builtins().Lookup("randomblob", 1)
	args := []Mem{{}}
	args[0].SetInt(13)
	var out Mem
	if err := rb.Scalar(&FuncContext{}, &out, args); err != nil || out.Kind() != record.Blob || out.Len() != 13 {
		t.Fatalf("randomblob(13) = %v len %d, %v", out.Kind(), out.Len(), err)
	}
}

// Ensure that unhex() (SQLite 3.41, so not in the golden file) decodes hex
// and refuses anything else.
func TestUnhex(t *testing.T) {
	tests := []struct {
		in, ignore string
		want       string
		null       bool
	}{
		{in: "414243", want: "ABC"},
		{in: "4a4B", want: "JK"},
		{in: "", want: ""},
		{in: "414", null: true},
		{in: "41 42", null: true},
		{in: "41 42", ignore: " ", want: "AB"},
		{in: "4 1", ignore: " ", null: true},
		{in: "zz", null: true},
	}
	for _, tt := range tests {
		args := make([]Mem, 1, 2)
		args[0].SetTextString(tt.in)
		if tt.ignore != "" {
			args = args[:2]
			args[1].SetTextString(tt.ignore)
		}
		def, _ := Builtins().Lookup("unhex", len(args))
		var out Mem
		if err := def.Scalar(&FuncContext{}, &out, args); err != nil {
			t.Fatal(err)
		}
		if tt.null {
			if !out.IsNull() {
				t.Errorf("unhex(%q, %q) = %q, want NULL", tt.in, tt.ignore, out.Bytes())
			}
			continue
		}
		if out.Kind() != record.Blob || string(out.Bytes()) != tt.want {
			t.Errorf("unhex(%q, %q) = %v %q, want %q", tt.in, tt.ignore, out.Kind(), out.Bytes(), tt.want)
		}
	}
}

// Ensure that Inverse undoes Step for the window-capable aggregates: a
// frame that slides over 1, 2, 3, 4 keeping two rows ends with 3 and 4.
func TestWindowInverse(t *testing.T) {
	for name, want := range map[string]string{"sum": "integer|7", "total": "real|7.0", "avg": "real|3.5", "count": "integer|2"} {
		def, _ := Builtins().Lookup(name, 1)
		agg := def.NewAggregate().(WindowAggregate)
		row := func(v int64) []Mem { return []Mem{intMem(v)} }
		fc := &FuncContext{}
		for _, v := range []int64{1, 2, 3, 4} {
			if err := agg.Step(fc, row(v)); err != nil {
				t.Fatal(err)
			}
			if v >= 3 {
				if err := agg.Inverse(fc, row(v-2)); err != nil {
					t.Fatal(err)
				}
			}
		}
		var out Mem
		if err := agg.Value(fc, &out); err != nil {
			t.Fatal(err)
		}
		if got := render(&out); got != want {
			t.Errorf("%s over the last frame = %s, want %s", name, got, want)
		}
	}
}
