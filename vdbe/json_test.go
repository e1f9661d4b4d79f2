package vdbe

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/record"
)

// Every JSON case in testdata/json/golden.txt gives what sqlite3 3.40.1
// gave, byte for byte, with the same storage class.
func TestJSONGolden(t *testing.T) { runGoldenFile(t, "testdata/json/golden.txt", 600) }

// callJSON calls a registered function with argument registers.
func callJSON(t *testing.T, name string, args ...Mem) (Mem, error) {
	t.Helper()
	def, _ := Builtins().Lookup(name, len(args))
	if def == nil {
		t.Fatalf("%s/%d not registered", name, len(args))
	}
	var out Mem
	err := def.Scalar(&FuncContext{}, &out, args)
	return out, err
}

// Ensure that values made by JSON functions carry the JSON subtype, and
// that a value with it is embedded as JSON by the next function.
func TestJSONSubtype(t *testing.T) {
	for _, c := range []struct {
		expr    string
		subtype byte
	}{
		{"json('[1]')", 'J'},
		{"json_array(1)", 'J'},
		{"json_object('a', 1)", 'J'},
		{"json_quote('x')", 'J'},
		{"json_set('[1]', '$[0]', 2)", 'J'},
		{"json_remove('[1]', '$[0]')", 'J'},
		{"json_patch('{}', '{}')", 'J'},
		{"json_extract('{\"a\":[1]}', '$.a')", 'J'},
		{"json_extract('{\"a\":\"x\"}', '$.a')", 0},
		{"json_extract('[1,2]', '$[0]', '$[1]')", 'J'},
		{"json_type('[1]')", 0},
		{"json_valid('[1]')", 0},
		{"json_set('[1]', '$', 'x')", 0},
	} {
		v, err := evalSQL(c.expr, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := v.m.Subtype(); got != c.subtype {
			t.Errorf("%s: subtype %d, want %d", c.expr, got, c.subtype)
		}
	}
	arrow, _ := callJSON(t, "->", textMem(`{"a":[1]}`), textMem("a"))
	arrow2, _ := callJSON(t, "->>", textMem(`{"a":[1]}`), textMem("a"))
	if arrow.Subtype() != 'J' || arrow2.Subtype() != 0 {
		t.Errorf("-> subtype %d, ->> subtype %d", arrow.Subtype(), arrow2.Subtype())
	}
	// The same text with and without the subtype.
	plain := textMem("[1]")
	tagged := textMem("[1]")
	tagged.SetSubtype('J')
	got, err := callJSON(t, "json_array", plain, tagged)
	if err != nil || string(got.Bytes()) != `["[1]",[1]]` {
		t.Errorf("json_array = %q, %v", got.Bytes(), err)
	}
}

// Ensure that the operators are registered under the names the compiler
// uses, with two arguments.
func TestJSONArrowNames(t *testing.T) {
	for _, name := range []string{"->", "->>"} {
		if def, _ := Builtins().Lookup(name, 2); def == nil || def.Flags&FuncDeterministic == 0 {
			t.Errorf("%s: %+v", name, def)
		}
		if def, exists := Builtins().Lookup(name, 3); def != nil || !exists {
			t.Errorf("%s with 3 arguments: %+v %v", name, def, exists)
		}
	}
}

// Ensure that nesting is limited to 2000 levels, as in SQLite.
func TestJSONDepthLimit(t *testing.T) {
	for _, c := range []struct {
		depth int
		valid bool
	}{{1999, true}, {2000, true}, {2001, false}, {100000, false}} {
		doc := strings.Repeat("[", c.depth) + strings.Repeat("]", c.depth)
		out, err := callJSON(t, "json", textMem(doc))
		if c.valid && (err != nil || string(out.Bytes()) != doc) {
			t.Errorf("depth %d: %v", c.depth, err)
		}
		if !c.valid && (err == nil || err.Error() != "malformed JSON") {
			t.Errorf("depth %d: error %v", c.depth, err)
		}
		obj := strings.Repeat(`{"a":`, c.depth) + "1" + strings.Repeat("}", c.depth)
		valid, _ := callJSON(t, "json_valid", textMem(obj))
		if got := valid.Int() == 1; got != c.valid {
			t.Errorf("object depth %d: valid %v", c.depth, got)
		}
	}
}

// Ensure that json_error_position (SQLite 3.42) is 0 for valid JSON, NULL
// for NULL, and the 1-based character position of the first error.
func TestJSONErrorPosition(t *testing.T) {
	cases := []struct {
		in   string
		want int64
	}{
		{`[1,2]`, 0},
		{` {"a":1} `, 0},
		{`[1,2`, 5},
		{`[1,,2]`, 4},
		{`x`, 1},
		{``, 1},
		{`"abc`, 5},
		{`["é",x]`, 6},
		{`[1] 2`, 5},
		{`01`, 2},
	}
	var want, got []string
	for _, c := range cases {
		want = append(want, c.in+" → "+string(AppendText(nil, ptr(intMem(c.want)))))
		out, err := callJSON(t, "json_error_position", textMem(c.in))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.in+" → "+string(AppendText(nil, &out)))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if out, _ := callJSON(t, "json_error_position", Mem{}); !out.IsNull() {
		t.Errorf("json_error_position(NULL) = %v", out.String())
	}
}

func ptr(m Mem) *Mem { return &m }

// Ensure that the aggregates give [] and {} for an empty group and work
// as window functions when rows leave the frame.
func TestJSONGroupEmptyAndWindow(t *testing.T) {
	for name, want := range map[string]string{"json_group_array": "[]", "json_group_object": "{}"} {
		def, _ := Builtins().Lookup(name, map[string]int{"json_group_array": 1, "json_group_object": 2}[name])
		var out Mem
		if err := def.NewAggregate().Final(&FuncContext{}, &out); err != nil || string(out.Bytes()) != want || out.Subtype() != 'J' {
			t.Errorf("%s of no rows = %q (subtype %d), %v", name, out.Bytes(), out.Subtype(), err)
		}
	}
	// Frame "1 PRECEDING AND CURRENT ROW" over 1, 2, 3.
	def, _ := Builtins().Lookup("json_group_array", 1)
	agg := def.NewAggregate().(WindowAggregate)
	fc := &FuncContext{}
	var got []string
	for i, v := range []int64{1, 2, 3} {
		if i >= 2 {
			if err := agg.Inverse(fc, []Mem{intMem(v - 2)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := agg.Step(fc, []Mem{intMem(v)}); err != nil {
			t.Fatal(err)
		}
		var out Mem
		if err := agg.Value(fc, &out); err != nil {
			t.Fatal(err)
		}
		got = append(got, string(out.Bytes()))
	}
	if diff := cmp.Diff([]string{"[1]", "[1,2]", "[2,3]"}, got); diff != "" {
		t.Errorf("window (-want +got):\n%s", diff)
	}
	obj, _ := Builtins().Lookup("json_group_object", 2)
	oagg := obj.NewAggregate().(WindowAggregate)
	for _, k := range []string{"a", "b"} {
		_ = oagg.Step(fc, []Mem{textMem(k), textMem(k)})
	}
	_ = oagg.Inverse(fc, nil)
	_ = oagg.Inverse(fc, nil)
	_ = oagg.Step(fc, []Mem{textMem("c"), intMem(3)})
	var out Mem
	_ = oagg.Value(fc, &out)
	if string(out.Bytes()) != `{"c":3}` {
		t.Errorf("object window = %s", out.Bytes())
	}
}

// Ensure that results longer than the connection's length limit are the
// error "string or blob too big".
func TestJSONLengthLimit(t *testing.T) {
	def, _ := Builtins().Lookup("json_array", 1)
	var out Mem
	err := def.Scalar(&FuncContext{MaxLength: 10}, &out, []Mem{textMem(strings.Repeat("x", 20))})
	if err == nil || !strings.Contains(err.Error(), "too big") {
		t.Errorf("err = %v", err)
	}
}

// Ensure that a text argument is read only up to a NUL byte and that a
// BLOB argument is read as text, as SQLite 3.40 does.
func TestJSONInputForms(t *testing.T) {
	var blob Mem
	blob.SetBlob([]byte(`{"a":[1, 2]}`))
	out, err := callJSON(t, "json", blob)
	if err != nil || string(out.Bytes()) != `{"a":[1,2]}` || out.Kind() != record.Text {
		t.Errorf("json(blob) = %q, %v", out.Bytes(), err)
	}
	out, err = callJSON(t, "json", textMem("[1]\x00junk"))
	if err != nil || string(out.Bytes()) != `[1]` {
		t.Errorf("json with NUL = %q, %v", out.Bytes(), err)
	}
}

// FuzzJSON checks that the parser never panics or hangs, that whatever
// json() accepts it prints in a form it accepts again unchanged, and that
// json_valid agrees with json.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`[1,2.5,"x",null,true,false]`, `{"a":{"b":[1,{"c":"\u00e9\n"}]}}`,
		` [ 1 , -0.0e+5 ] `, `"\uD83D\uDE00"`, `{"a":1,"a":2}`, `[1,]`, `{"a"`, `01`, `"\x"`, `[[[[`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := callJSON(t, "json", textMem(s))
		valid, _ := callJSON(t, "json_valid", textMem(s))
		if (err == nil) != (valid.Int() == 1) {
			t.Fatalf("%q: json error %v but json_valid %d", s, err, valid.Int())
		}
		if err != nil {
			return
		}
		again, err := callJSON(t, "json", textMem(string(out.Bytes())))
		if err != nil || string(again.Bytes()) != string(out.Bytes()) {
			t.Fatalf("%q: json() gave %q, which gives %q, %v", s, out.Bytes(), again.Bytes(), err)
		}
		// Edits of a valid document give valid JSON (or a path error).
		for _, path := range []string{"$[0]", "$[#]", "$.a", "$.a[0].b", "$[0][0]", "$[#-1]"} {
			for _, fn := range []string{"json_set", "json_insert", "json_replace"} {
				edited, err := callJSON(t, fn, textMem(s), textMem(path), textMem(s))
				if err != nil || edited.Subtype() != 'J' {
					continue // the root was replaced: the result is the argument
				}
				if v, _ := callJSON(t, "json_valid", edited); v.Int() != 1 {
					t.Fatalf("%s(%q, %q) = %q, not valid JSON", fn, s, path, edited.Bytes())
				}
			}
			if removed, err := callJSON(t, "json_remove", textMem(s), textMem(path)); err == nil && !removed.IsNull() {
				if v, _ := callJSON(t, "json_valid", removed); v.Int() != 1 {
					t.Fatalf("json_remove(%q, %q) = %q, not valid JSON", s, path, removed.Bytes())
				}
			}
		}
		patched, err := callJSON(t, "json_patch", textMem(s), textMem(s))
		if err != nil {
			t.Fatalf("json_patch(%q, itself): %v", s, err)
		}
		if v, _ := callJSON(t, "json_valid", patched); v.Int() != 1 {
			t.Fatalf("json_patch(%q, itself) = %q, not valid JSON", s, patched.Bytes())
		}
		// Extracting the root and every top-level element must not fail.
		if _, err := callJSON(t, "json_extract", textMem(s), textMem("$")); err != nil {
			t.Fatalf("%q: json_extract $: %v", s, err)
		}
		if _, err := callJSON(t, "json_extract", textMem(s), textMem("$[#-1]")); err != nil {
			t.Fatalf("%q: json_extract $[#-1]: %v", s, err)
		}
	})
}

func BenchmarkJSONExtract(b *testing.B) {
	doc := textMem(`{"id":12345,"name":"widget","tags":["a","b","c"],"dims":{"w":1.5,"h":2.25},"ok":true}`)
	path := textMem("$.dims.h")
	def, _ := Builtins().Lookup("json_extract", 2)
	fc := &FuncContext{}
	var out Mem
	b.ReportAllocs()
	for b.Loop() {
		if err := def.Scalar(fc, &out, []Mem{doc, path}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONObject(b *testing.B) {
	args := []Mem{textMem("a"), intMem(1), textMem("b"), textMem("two"), textMem("c"), {}}
	def, _ := Builtins().Lookup("json_object", len(args))
	fc := &FuncContext{}
	var out Mem
	b.ReportAllocs()
	for b.Loop() {
		if err := def.Scalar(fc, &out, args); err != nil {
			b.Fatal(err)
		}
	}
}
