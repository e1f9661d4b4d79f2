package vdbe

import "github.com/wrendb/wren/record"

// The aggregates json_group_array(X) and json_group_object(NAME, VALUE).
// Both build their JSON text as rows arrive and also work as window
// functions: ends records where each element's text stops, so Inverse can
// drop the oldest element.

type jsonGroup struct {
	object bool
	buf    []byte // elements separated by commas, without brackets
	ends   []int  // offset just past each element in buf
}

func newJSONGroupArray() Aggregate  { return &jsonGroup{} }
func newJSONGroupObject() Aggregate { return &jsonGroup{object: true} }

func (g *jsonGroup) Step(_ *FuncContext, args []Mem) error {
	b := g.buf
	if len(g.ends) > 0 {
		b = append(b, ',')
	}
	var err error
	if g.object {
		// A NULL name adds nothing before the colon, as in SQLite.
		if !args[0].IsNull() {
			name := args[0].Bytes()
			if k := args[0].Kind(); k != record.Text && k != record.Blob {
				name = AppendText(nil, &args[0])
			}
			b = appendJSONString(b, name)
		}
		b = append(b, ':')
		b, err = appendJSONValue(b, &args[1])
	} else {
		b, err = appendJSONValue(b, &args[0])
	}
	if err != nil {
		return err
	}
	g.buf = b
	g.ends = append(g.ends, len(b))
	return nil
}

// Inverse removes the oldest element (window frames slide forward).
func (g *jsonGroup) Inverse(_ *FuncContext, _ []Mem) error {
	if len(g.ends) == 0 {
		return nil
	}
	cut := g.ends[0]
	if len(g.ends) > 1 {
		cut++ // the comma after it
	}
	g.buf = append(g.buf[:0], g.buf[cut:]...)
	g.ends = g.ends[1:]
	for i := range g.ends {
		g.ends[i] -= cut
	}
	return nil
}

func (g *jsonGroup) Value(fc *FuncContext, out *Mem) error {
	open, closing := byte('['), byte(']')
	if g.object {
		open, closing = '{', '}'
	}
	b := append(out.scratch(), open)
	b = append(b, g.buf...)
	return setJSONText(fc, out, append(b, closing))
}

func (g *jsonGroup) Final(fc *FuncContext, out *Mem) error { return g.Value(fc, out) }
