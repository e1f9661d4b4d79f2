package difftest

import "strings"

// maxShrinkRuns bounds the reruns one shrink may spend.
const maxShrinkRuns = 3000

// Shrink reduces a mismatch to a small one of the same kind: it drops setup
// statements (in halves, then one by one, as delta debugging does) and
// simplifies the query (dropping clauses, columns and joins, replacing
// subexpressions by their operands or by literals) for as long as the
// engines still disagree the same way. Every accepted step makes the case
// strictly smaller, so shrinking ends.
func (d *Differ) Shrink(m Mismatch) Mismatch {
	if m.Kind == MismatchBroken {
		return m // nothing about the case explains it
	}
	s := shrinker{d: d, kind: m.Kind}
	setup := append([]string(nil), m.Setup...)
	var probe *Probe
	if m.Probe != nil {
		p := m.Probe.clone()
		probe = &p
	}
	if m.Kind == MismatchSetup {
		// The disagreeing statement is the last; only what precedes it
		// can go.
		last := setup[len(setup)-1]
		rest := s.reduceList(setup[:len(setup)-1], func(prefix []string) bool {
			return s.fails(append(append([]string(nil), prefix...), last), nil)
		})
		setup = append(rest, last)
	} else {
		for progress := true; progress && s.runs < maxShrinkRuns; {
			progress = false
			reduced := s.reduceList(setup, func(candidate []string) bool { return s.fails(candidate, probe) })
			if len(reduced) < len(setup) {
				setup, progress = reduced, true
			}
			if simpler := s.simplifyRows(setup, probe); simpler != nil {
				setup, progress = simpler, true
			}
			if smaller := s.simplifyProbe(setup, probe); smaller != nil {
				probe, progress = smaller, true
			}
		}
	}
	kind, detail := d.check(setup, probe)
	if kind != m.Kind {
		// Cannot happen unless the engines are nondeterministic; keep the
		// original, which is at least a real mismatch.
		return m
	}
	out := m
	out.Setup, out.Probe, out.Detail = setup, probe, detail
	return out
}

type shrinker struct {
	d    *Differ
	kind string
	runs int
}

// fails reports whether the candidate still shows a mismatch of the kind
// being shrunk.
func (s *shrinker) fails(setup []string, p *Probe) bool {
	if s.runs >= maxShrinkRuns {
		return false
	}
	s.runs++
	kind, _ := s.d.check(setup, p)
	return kind == s.kind
}

// reduceList removes chunks of list, halving the chunk size down to one
// element, while keep still holds.
func (s *shrinker) reduceList(list []string, keep func([]string) bool) []string {
	for chunk := len(list) / 2; chunk >= 1; chunk /= 2 {
		for start := 0; start < len(list); {
			end := min(start+chunk, len(list))
			candidate := append(append([]string(nil), list[:start]...), list[end:]...)
			if keep(candidate) {
				list = candidate
				continue
			}
			start = end
		}
	}
	return list
}

// probeSize is what shrinking minimises.
func probeSize(p *Probe) int {
	n := len(p.Query.SQL())
	if p.Partition != nil {
		n += len(p.Partition.SQL())
	}
	return n
}

// simplifyProbe tries every edit of the probe once and returns the first
// smaller probe that still fails, or nil.
func (s *shrinker) simplifyProbe(setup []string, p *Probe) *Probe {
	if p == nil {
		return nil
	}
	size := probeSize(p)
	for i := 0; ; i++ {
		candidate := p.clone()
		applied, more := applyEdit(&candidate, i)
		if !more {
			return nil
		}
		if !applied || probeSize(&candidate) >= size {
			continue
		}
		if s.fails(setup, &candidate) {
			return &candidate
		}
		if s.runs >= maxShrinkRuns {
			return nil
		}
	}
}

// applyEdit applies the i-th possible edit of p. applied is false when that
// edit does not apply; more is false once i is past the last edit.
func applyEdit(p *Probe, i int) (applied, more bool) {
	structural := structuralEdits(p)
	if i < len(structural) {
		return structural[i](), true
	}
	i -= len(structural)
	slots := exprSlots(p)
	perSlot := maxChildren + len(shrinkLiterals)
	if i >= len(slots)*perSlot {
		return false, false
	}
	slot, choice := slots[i/perSlot], i%perSlot
	e := *slot
	switch {
	case choice < maxChildren:
		if choice >= len(e.Args) {
			return false, true
		}
		*slot = e.Args[choice]
	default:
		// Any literal the generator uses; only shorter text is kept, so
		// this turns expressions into constants and long constants into
		// short ones.
		lit := shrinkLiterals[choice-maxChildren]
		if e.Kind == KindLiteral && e.Text == lit {
			return false, true
		}
		*slot = Lit(lit)
	}
	return true, true
}

// maxChildren is how many of a node's operands the shrinker tries in its
// place.
const maxChildren = 3

// shrinkLiterals are the constants an expression may shrink to.
var shrinkLiterals = append([]string{"NULL", "0", "1"}, literals...)

// structuralEdits lists edits of a probe's clauses (not of expressions).
func structuralEdits(p *Probe) []func() bool {
	q := p.Query
	edits := []func() bool{
		func() bool { ok := p.Partition != nil; p.Partition = nil; return ok },
		func() bool { ok := q.Where != nil; q.Where = nil; return ok },
		func() bool { ok := q.Having != nil; q.Having = nil; return ok },
		func() bool { ok := q.GroupBy != nil; q.GroupBy = nil; return ok },
		func() bool { ok := q.Distinct; q.Distinct = false; return ok },
		func() bool { ok := q.Ordered; q.Ordered, q.Limit, q.Offset = false, "", ""; return ok },
		func() bool { ok := q.Limit != ""; q.Limit, q.Offset = "", ""; return ok },
		func() bool { ok := q.Offset != ""; q.Offset = ""; return ok },
		func() bool { ok := q.Compound != nil; q.Compound = nil; return ok },
	}
	for i := range q.Columns {
		edits = append(edits, func() bool {
			if len(q.Columns) < 2 {
				return false
			}
			q.Columns = append(q.Columns[:i:i], q.Columns[i+1:]...)
			return true
		})
	}
	for i := 1; i < len(q.From); i++ {
		edits = append(edits,
			func() bool { q.From = append(q.From[:i:i], q.From[i+1:]...); return true },
			func() bool {
				ok := q.From[i].Join != "CROSS JOIN"
				q.From[i].Join, q.From[i].On = "CROSS JOIN", nil
				return ok
			},
			func() bool { ok := q.From[i].Join == "LEFT JOIN"; q.From[i].Join = "JOIN"; return ok },
		)
	}
	return edits
}

// exprSlots lists every place an expression hangs in the probe, subqueries
// included, in a fixed order (so that a clone lists the same places).
func exprSlots(p *Probe) []**Expr {
	var slots []**Expr
	var walkExpr func(**Expr)
	var walkQuery func(*Query)
	walkExpr = func(slot **Expr) {
		if *slot == nil {
			return
		}
		slots = append(slots, slot)
		for i := range (*slot).Args {
			walkExpr(&(*slot).Args[i])
		}
		if (*slot).Sub != nil {
			walkQuery((*slot).Sub)
		}
	}
	walkQuery = func(q *Query) {
		for i := range q.Columns {
			walkExpr(&q.Columns[i])
		}
		for i := range q.From {
			if q.From[i].Sub != nil {
				walkQuery(q.From[i].Sub)
			}
			walkExpr(&q.From[i].On)
		}
		walkExpr(&q.Where)
		for i := range q.GroupBy {
			walkExpr(&q.GroupBy[i])
		}
		walkExpr(&q.Having)
		for _, arm := range q.Compound {
			walkQuery(arm.Query)
		}
	}
	walkQuery(p.Query)
	walkExpr(&p.Partition)
	return slots
}

// simplifyRows tries replacing each value of each INSERT by a shorter
// literal, and returns the first simpler setup that still fails, or nil.
func (s *shrinker) simplifyRows(setup []string, p *Probe) []string {
	for i, stmt := range setup {
		prefix, values, ok := splitInsert(stmt)
		if !ok {
			continue
		}
		for j := range values {
			for _, lit := range shrinkLiterals {
				if len(lit) >= len(values[j]) || lit == maxInt64 {
					continue
				}
				changed := append([]string(nil), values...)
				changed[j] = lit
				candidate := append([]string(nil), setup...)
				candidate[i] = prefix + strings.Join(changed, ", ") + ")"
				if s.fails(candidate, p) {
					return candidate
				}
				if s.runs >= maxShrinkRuns {
					return nil
				}
			}
		}
	}
	return nil
}

// splitInsert takes apart the generator's "INSERT INTO t VALUES(v, v)";
// no generated literal holds ", " or a parenthesis.
func splitInsert(stmt string) (prefix string, values []string, ok bool) {
	open := strings.Index(stmt, "VALUES(")
	if !strings.HasPrefix(stmt, "INSERT INTO ") || open < 0 || !strings.HasSuffix(stmt, ")") {
		return "", nil, false
	}
	prefix = stmt[:open+len("VALUES(")]
	return prefix, strings.Split(stmt[len(prefix):len(stmt)-1], ", "), true
}
