package vdbe

import (
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// SQLite's JSON functions (json1.html) as of 3.40, plus json_error_position
// (3.42). The table-valued json_each and json_tree are not here: they
// need virtual-table support in the VM.
//
// Values made by these functions carry the subtype jsonSubtype. A
// function receiving TEXT with that subtype embeds it as JSON rather than
// quoting it as a string, so json_array(json('[1]')) is [[1]] while
// json_array('[1]') is ["[1]"]. The VM must therefore keep a Mem's subtype
// when it passes a function's result to another function (Mem.Copy and
// Mem.Move do); SQLite drops it when the value is stored in a table.
//
// The operators -> and ->> are registered as the two-argument functions
// named "->" and "->>"; the compiler calls them for "x -> p" and
// "x ->> p".

// jsonSubtype is SQLite's JSON_SUBTYPE, the letter 'J'.
const jsonSubtype = 'J'

func init() {
	for _, d := range []*FuncDef{
		scalar("json", 1, fnJSON),
		variadic("json_array", 0, fnJSONArray),
		scalar("json_array_length", 1, fnJSONArrayLength),
		scalar("json_array_length", 2, fnJSONArrayLength),
		scalar("json_error_position", 1, fnJSONErrorPosition),
		variadic("json_extract", 0, fnJSONExtract),
		scalar("->", 2, fnJSONArrow),
		scalar("->>", 2, fnJSONArrow2),
		variadic("json_insert", 0, fnJSONInsert),
		variadic("json_object", 0, fnJSONObject),
		scalar("json_patch", 2, fnJSONPatch),
		scalar("json_quote", 1, fnJSONQuote),
		variadic("json_remove", 0, fnJSONRemove),
		variadic("json_replace", 0, fnJSONReplace),
		variadic("json_set", 0, fnJSONSet),
		scalar("json_type", 1, fnJSONType),
		scalar("json_type", 2, fnJSONType),
		scalar("json_valid", 1, fnJSONValid),
		aggregate("json_group_array", 1, newJSONGroupArray),
		aggregate("json_group_object", 2, newJSONGroupObject),
	} {
		builtins.Register(d)
	}
}

func errMalformedJSON() error { return resultcode.New(resultcode.Error, "malformed JSON") }

func errJSONBlob() error { return resultcode.New(resultcode.Error, "JSON cannot hold BLOB values") }

// arg parses a function's JSON argument. A NULL argument gives a nil
// node and no error (the function returns NULL); text that is not JSON is
// the error "malformed JSON". Numbers and blobs are read as their text.
func (p *jsonParser) arg(m *Mem) (*jsonNode, error) {
	if m.IsNull() {
		return nil, nil
	}
	var text []byte
	if k := m.Kind(); k == record.Text || k == record.Blob {
		text = m.Bytes()
	} else {
		text = AppendText(nil, m)
	}
	n, _, ok := p.parse(text)
	if !ok {
		return nil, errMalformedJSON()
	}
	return n, nil
}

// pathArg returns a path argument's text; ok is false for NULL.
func pathArg(m *Mem) (string, bool) { return dateArg(m) }

// setJSONText stores JSON text b as the result, with the JSON subtype.
func setJSONText(fc *FuncContext, out *Mem, b []byte) error {
	if len(b) > fc.maxLength() {
		return errTooBig()
	}
	out.setBuilt(record.Text, b)
	out.SetSubtype(jsonSubtype)
	return nil
}

// setJSONResult renders n as the result.
func setJSONResult(fc *FuncContext, out *Mem, n *jsonNode) error {
	b, err := n.render(out.scratch())
	if err != nil {
		return err
	}
	return setJSONText(fc, out, b)
}

func fnJSON(fc *FuncContext, out *Mem, args []Mem) error {
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		out.SetNull()
		return err
	}
	return setJSONResult(fc, out, root)
}

func fnJSONQuote(fc *FuncContext, out *Mem, args []Mem) error {
	b, err := appendJSONValue(out.scratch(), &args[0])
	if err != nil {
		return err
	}
	return setJSONText(fc, out, b)
}

func fnJSONArray(fc *FuncContext, out *Mem, args []Mem) error {
	b := append(out.scratch(), '[')
	for i := range args {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSONValue(b, &args[i]); err != nil {
			return err
		}
	}
	return setJSONText(fc, out, append(b, ']'))
}

func fnJSONObject(fc *FuncContext, out *Mem, args []Mem) error {
	if len(args)%2 != 0 {
		return resultcode.New(resultcode.Error, "json_object() requires an even number of arguments")
	}
	b := append(out.scratch(), '{')
	for i := 0; i < len(args); i += 2 {
		if args[i].Kind() != record.Text {
			return resultcode.New(resultcode.Error, "json_object() labels must be TEXT")
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, args[i].Bytes())
		b = append(b, ':')
		var err error
		if b, err = appendJSONValue(b, &args[i+1]); err != nil {
			return err
		}
	}
	return setJSONText(fc, out, append(b, '}'))
}

// lookupArg finds the value at the path in args[1], or the root without
// one. A nil node without an error means NULL.
func lookupArg(root *jsonNode, args []Mem) (*jsonNode, error) {
	if len(args) < 2 {
		return root, nil
	}
	path, ok := pathArg(&args[1])
	if !ok {
		return nil, nil
	}
	n, _, err := jsonLookup(root, path, false)
	return n, err
}

func fnJSONArrayLength(_ *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		return err
	}
	n, err := lookupArg(root, args)
	if n == nil {
		return err
	}
	count := 0
	if n.kind == jsonArray {
		count = len(n.kids)
	}
	out.SetInt(int64(count))
	return nil
}

func fnJSONType(_ *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		return err
	}
	n, err := lookupArg(root, args)
	if n == nil {
		return err
	}
	out.SetTextString(jsonTypeNames[n.kind])
	return nil
}

// fnJSONValid is 1 for well-formed JSON and 0 otherwise, NULL included.
func fnJSONValid(_ *FuncContext, out *Mem, args []Mem) error {
	p := getJSONParser()
	defer p.release()
	root, _ := p.arg(&args[0])
	out.SetBool(root != nil)
	return nil
}

// fnJSONErrorPosition (SQLite 3.42) is 0 for well-formed JSON, NULL for
// NULL, and otherwise the 1-based character position of the first
// syntax error. The input syntax is SQLite 3.40's, which has no JSON5.
func fnJSONErrorPosition(_ *FuncContext, out *Mem, args []Mem) error {
	m := &args[0]
	if m.IsNull() {
		out.SetNull()
		return nil
	}
	var text []byte
	if k := m.Kind(); k == record.Text || k == record.Blob {
		text = m.Bytes()
	} else {
		text = AppendText(nil, m)
	}
	p := getJSONParser()
	defer p.release()
	_, at, ok := p.parse(text)
	if ok {
		out.SetInt(0)
		return nil
	}
	out.SetInt(int64(charCount(text[:at]) + 1))
	return nil
}

func fnJSONExtract(fc *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	if len(args) < 2 {
		return nil
	}
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		return err
	}
	if len(args) == 2 {
		path, ok := pathArg(&args[1])
		if !ok {
			return nil
		}
		n, _, err := jsonLookup(root, path, false)
		if n == nil {
			return err
		}
		return n.setSQL(fc, out)
	}
	// Several paths: a JSON array of the values found, null for a miss.
	b := append(out.scratch(), '[')
	for i := 1; i < len(args); i++ {
		if i > 1 {
			b = append(b, ',')
		}
		var n *jsonNode
		if path, ok := pathArg(&args[i]); ok {
			if n, _, err = jsonLookup(root, path, false); err != nil {
				out.SetNull()
				return err
			}
		}
		if n == nil {
			b = append(b, "null"...)
			continue
		}
		if b, err = n.render(b); err != nil {
			return err
		}
	}
	return setJSONText(fc, out, append(b, ']'))
}

// arrowPath expands the right operand of -> and ->>: a path starting with
// '$' is used as it is, an integer N means $[N], "[...]" means $[...] and
// anything else is a key, $.key.
func arrowPath(p string) string {
	switch {
	case p != "" && p[0] == '$':
		return p
	case p != "" && isDigit(p[0]):
		return "$[" + p + "]"
	case p != "" && p[0] == '[':
		return "$" + p
	}
	return "$." + p
}

func arrowLookup(args []Mem) (*jsonNode, error) {
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		return nil, err
	}
	path, ok := pathArg(&args[1])
	if !ok {
		return nil, nil
	}
	n, _, err := jsonLookup(root, arrowPath(path), false)
	return n, err
}

// fnJSONArrow is "x -> p": the value at p as JSON text (a string keeps
// its quotes), with the JSON subtype.
func fnJSONArrow(fc *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	n, err := arrowLookup(args)
	if n == nil {
		return err
	}
	return setJSONResult(fc, out, n)
}

// fnJSONArrow2 is "x ->> p": the value at p as an SQL value, without the
// JSON subtype even for an array or object.
func fnJSONArrow2(fc *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	n, err := arrowLookup(args)
	if n == nil {
		return err
	}
	if err := n.setSQL(fc, out); err != nil {
		return err
	}
	out.SetSubtype(0)
	return nil
}

// fnJSONRemove is json_remove(J, P...) and json(J). Removing the root makes
// the result NULL; a NULL path makes it NULL too.
func fnJSONRemove(fc *FuncContext, out *Mem, args []Mem) error {
	out.SetNull()
	if len(args) < 1 {
		return nil
	}
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		return err
	}
	for i := 1; i < len(args); i++ {
		path, ok := pathArg(&args[i])
		if !ok {
			return nil
		}
		n, _, err := jsonLookup(root, path, false)
		if err != nil {
			return err
		}
		if n != nil {
			n.removed = true
		}
	}
	if root.removed {
		return nil
	}
	return setJSONResult(fc, out, root)
}

// jsonEdit runs json_set (replace and create), json_insert (create only)
// and json_replace (replace only).
func jsonEdit(fc *FuncContext, out *Mem, args []Mem, name string, replace, create bool) error {
	out.SetNull()
	if len(args) < 1 {
		return nil
	}
	if len(args)%2 == 0 {
		return resultcode.Errorf(resultcode.Error, "json_%s() needs an odd number of arguments", name)
	}
	p := getJSONParser()
	defer p.release()
	root, err := p.arg(&args[0])
	if root == nil {
		return err
	}
	for i := 1; i < len(args); i += 2 {
		path, ok := pathArg(&args[i])
		if !ok {
			continue
		}
		n, created, err := jsonLookup(root, path, create)
		if err != nil {
			return err
		}
		if n != nil && (created || replace) {
			n.replaced = &args[i+1]
		}
	}
	if root.replaced != nil {
		// The whole document was replaced: the result is that argument,
		// unchanged.
		out.Copy(root.replaced)
		return nil
	}
	return setJSONResult(fc, out, root)
}

func fnJSONSet(fc *FuncContext, out *Mem, args []Mem) error {
	return jsonEdit(fc, out, args, "set", true, true)
}

func fnJSONInsert(fc *FuncContext, out *Mem, args []Mem) error {
	return jsonEdit(fc, out, args, "insert", false, true)
}

func fnJSONReplace(fc *FuncContext, out *Mem, args []Mem) error {
	return jsonEdit(fc, out, args, "replace", true, false)
}
