package vdbe

import (
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// The aggregate functions of https://www.sqlite.org/lang_aggfunc.html.
// Each type below holds one group's running state. count, sum, total and
// avg also implement WindowAggregate; min, max and group_concat will need
// SQLite's other window strategies.

// count(*) counts rows; count(X) counts rows where X is not NULL.
type countAgg struct{ n int64 }

func newCountAgg() Aggregate { return &countAgg{} }

func (a *countAgg) Step(_ *FuncContext, args []Mem) error {
	if len(args) == 0 || !args[0].IsNull() {
		a.n++
	}
	return nil
}

func (a *countAgg) Final(_ *FuncContext, out *Mem) error {
	out.SetInt(a.n)
	return nil
}

func (a *countAgg) Inverse(_ *FuncContext, args []Mem) error {
	if len(args) == 0 || !args[0].IsNull() {
		a.n--
	}
	return nil
}

func (a *countAgg) Value(fc *FuncContext, out *Mem) error { return a.Final(fc, out) }

// sumState is shared by sum(), total() and avg(). Integers are added
// exactly until a REAL (or a value that is not a number) appears or the
// sum overflows; a REAL sum is kept alongside all the time.
type sumState struct {
	realSum  float64
	intSum   int64
	count    int64
	approx   bool // a non-integer was added: the result is REAL
	overflow bool // the integer sum overflowed
}

func (s *sumState) add(m *Mem) {
	kind := m.Kind()
	if kind == record.Null {
		return
	}
	var v Mem
	if kind == record.Text {
		// sqlite3_value_numeric_type: text that is wholly a number counts
		// as that number.
		v.SetTextRef(m.Bytes())
		applyNumeric(&v, false)
		m, kind = &v, v.Kind()
	}
	s.count++
	if kind == record.Integer {
		i := m.Int()
		s.realSum += float64(i)
		if !s.approx && !s.overflow {
			if r, ok := addInt64(s.intSum, i); ok {
				s.intSum = r
			} else {
				s.approx, s.overflow = true, true
			}
		}
		return
	}
	s.realSum += RealValue(m)
	s.approx = true
}

// remove undoes add for a row leaving a window frame (SQLite's sumInverse).
func (s *sumState) remove(m *Mem) {
	kind := m.Kind()
	if kind == record.Null {
		return
	}
	var v Mem
	if kind == record.Text {
		v.SetTextRef(m.Bytes())
		applyNumeric(&v, false)
		m, kind = &v, v.Kind()
	}
	s.count--
	if kind == record.Integer && !s.approx {
		s.realSum -= float64(m.Int())
		s.intSum -= m.Int()
		return
	}
	s.realSum -= RealValue(m)
}

// sum(X): INTEGER while every input is an integer and the total fits
// ("integer overflow" error otherwise), REAL once any input is not an
// integer, NULL when there were no non-NULL inputs.
type sumAgg struct{ sumState }

func newSumAgg() Aggregate { return &sumAgg{} }

func (a *sumAgg) Step(_ *FuncContext, args []Mem) error { a.add(&args[0]); return nil }

func (a *sumAgg) Inverse(_ *FuncContext, args []Mem) error { a.remove(&args[0]); return nil }

func (a *sumAgg) Value(fc *FuncContext, out *Mem) error { return a.Final(fc, out) }

func (a *sumAgg) Final(_ *FuncContext, out *Mem) error {
	switch {
	case a.count == 0:
		out.SetNull()
	case a.overflow:
		return resultcode.New(resultcode.Error, "integer overflow")
	case a.approx:
		out.SetFloat(a.realSum)
	default:
		out.SetInt(a.intSum)
	}
	return nil
}

// total(X): the sum as a REAL, 0.0 for no rows, never an overflow error.
type totalAgg struct{ sumState }

func newTotalAgg() Aggregate { return &totalAgg{} }

func (a *totalAgg) Step(_ *FuncContext, args []Mem) error { a.add(&args[0]); return nil }

func (a *totalAgg) Inverse(_ *FuncContext, args []Mem) error { a.remove(&args[0]); return nil }

func (a *totalAgg) Value(fc *FuncContext, out *Mem) error { return a.Final(fc, out) }

func (a *totalAgg) Final(_ *FuncContext, out *Mem) error {
	out.SetFloat(a.realSum)
	return nil
}

// avg(X): the REAL mean of the non-NULL inputs, NULL for none.
type avgAgg struct{ sumState }

func newAvgAgg() Aggregate { return &avgAgg{} }

func (a *avgAgg) Step(_ *FuncContext, args []Mem) error { a.add(&args[0]); return nil }

func (a *avgAgg) Inverse(_ *FuncContext, args []Mem) error { a.remove(&args[0]); return nil }

func (a *avgAgg) Value(fc *FuncContext, out *Mem) error { return a.Final(fc, out) }

func (a *avgAgg) Final(_ *FuncContext, out *Mem) error {
	if a.count == 0 {
		out.SetNull()
		return nil
	}
	out.SetFloat(a.realSum / float64(a.count))
	return nil
}

// min(X), max(X): the least or greatest non-NULL input under the call's
// collation (the first one seen among equals), NULL for none. A row that
// does not replace the current best sets fc.SkipLoad.
type minMaxAgg struct {
	best Mem
	max  bool
}

func newMinAgg() Aggregate { return &minMaxAgg{} }
func newMaxAgg() Aggregate { return &minMaxAgg{max: true} }

func (a *minMaxAgg) Step(fc *FuncContext, args []Mem) error {
	v := &args[0]
	switch {
	case v.IsNull():
		if !a.best.IsNull() {
			fc.SkipLoad = true
		}
	case a.best.IsNull():
		a.best.Copy(v)
	default:
		c := Compare(&a.best, v, fc.Coll)
		if (a.max && c < 0) || (!a.max && c > 0) {
			a.best.Copy(v)
		} else {
			fc.SkipLoad = true
		}
	}
	return nil
}

func (a *minMaxAgg) Final(_ *FuncContext, out *Mem) error {
	out.Copy(&a.best)
	return nil
}

// group_concat(X[, SEP]), string_agg(X, SEP): the non-NULL inputs' text
// joined by SEP (default ","), as TEXT; NULL when there were none. The
// separator is the one given with each value after the first, so it may
// vary from row to row; a NULL separator adds nothing.
type groupConcatAgg struct {
	buf  []byte
	seen bool
}

func newGroupConcatAgg() Aggregate { return &groupConcatAgg{} }

func (a *groupConcatAgg) Step(fc *FuncContext, args []Mem) error {
	v := &args[0]
	if v.IsNull() {
		return nil
	}
	if a.seen {
		if len(args) == 1 {
			a.buf = append(a.buf, ',')
		} else {
			a.buf = AppendText(a.buf, &args[1])
		}
	}
	a.seen = true
	a.buf = AppendText(a.buf, v)
	if len(a.buf) > fc.maxLength() {
		return errTooBig()
	}
	return nil
}

func (a *groupConcatAgg) Final(_ *FuncContext, out *Mem) error {
	if !a.seen {
		out.SetNull()
		return nil
	}
	out.SetText(a.buf)
	return nil
}

// The aggregates that already support moving window frames.
var (
	_ WindowAggregate = (*countAgg)(nil)
	_ WindowAggregate = (*sumAgg)(nil)
	_ WindowAggregate = (*totalAgg)(nil)
	_ WindowAggregate = (*avgAgg)(nil)
)
