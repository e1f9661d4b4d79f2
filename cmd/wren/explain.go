package main

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/wrendb/wren/parser/ast"
)

// printExplain prints EXPLAIN and EXPLAIN QUERY PLAN output the way
// sqlite3's ".explain auto" does: the plan as a tree, the program in
// fixed-width columns.
func (s *shell) printExplain(rows *sql.Rows, cols []string, ex *ast.Explain) error {
	if ex.QueryPlan {
		var plan [][]value
		err := s.eachRow(rows, len(cols), func(v []value) { plan = append(plan, append([]value(nil), v...)) })
		if len(cols) >= 4 {
			s.printPlanTree(plan)
		}
		return err
	}
	var prog [][]value
	err := s.eachRow(rows, len(cols), func(v []value) { prog = append(prog, append([]value(nil), v...)) })
	s.printProgram(cols, prog)
	return err
}

// explainWidths are the column widths of sqlite3's EXPLAIN listing.
var explainWidths = []int{4, 13, 4, 4, 4, 13, 2, 13}

// printProgram prints an EXPLAIN listing as sqlite3 does: fixed widths,
// the last column unpadded, a value wider than its column followed by one
// space instead of two, and the opcodes inside a loop indented.
func (s *shell) printProgram(cols []string, prog [][]value) {
	if len(prog) == 0 {
		return
	}
	n := min(len(cols), len(explainWidths))
	var b strings.Builder
	for i := range n {
		b.WriteString(padCell(cols[i], explainWidths[i]) + sepOrEnd(i, n, "  ", "\n"))
	}
	for i := range n {
		b.WriteString(strings.Repeat("-", explainWidths[i]) + sepOrEnd(i, n, "  ", "\n"))
	}
	indent := loopIndents(prog)
	for r, row := range prog {
		for i := range n {
			w, sep := explainWidths[i], "  "
			if i == n-1 {
				w = 0
			}
			val := row[i].textOr(s.set.nullValue)
			if charCount(val) > w {
				w, sep = charCount(val), " "
			}
			if i == 1 {
				b.WriteString(strings.Repeat(" ", indent[r]))
			}
			b.WriteString(padCell(val, w) + sepOrEnd(i, n, sep, "\n"))
		}
	}
	fmt.Fprint(s.out, b.String())
}

// loopIndents finds the loops of an EXPLAIN listing (addr, opcode, p1,
// p2, ...) the way sqlite3 does: the body of a Next-style jump back and of
// a Goto back to a Yield or Rewind is indented two spaces per level.
func loopIndents(prog [][]value) []int {
	isOne := func(op string, set ...string) bool {
		for _, x := range set {
			if op == x {
				return true
			}
		}
		return false
	}
	indent := make([]int, len(prog))
	yield := make([]bool, len(prog))
	for i, row := range prog {
		if len(row) < 4 {
			break
		}
		op := row[1].textOr("")
		addr, p1, p2 := row[0].i, row[2].i, row[3].i
		target := int(p2 + int64(i) - addr)
		yield[i] = isOne(op, "Yield", "SeekLT", "SeekGT", "RowSetRead", "Rewind")
		if isOne(op, "Next", "Prev", "VPrev", "VNext", "SorterNext") && target > 0 {
			for j := target; j < i; j++ {
				indent[j] += 2
			}
		}
		if op == "Goto" && target >= 0 && target < i && (yield[target] || p1 != 0) {
			for j := target; j < i; j++ {
				indent[j] += 2
			}
		}
	}
	return indent
}

// printPlanTree draws EXPLAIN QUERY PLAN rows (id, parent, notused,
// detail) as sqlite3 does.
func (s *shell) printPlanTree(plan [][]value) {
	if len(plan) == 0 {
		return
	}
	fmt.Fprintln(s.out, "QUERY PLAN")
	var draw func(parent int64, prefix string)
	draw = func(parent int64, prefix string) {
		var kids [][]value
		for _, r := range plan {
			if r[1].i == parent {
				kids = append(kids, r)
			}
		}
		for i, k := range kids {
			last := i == len(kids)-1
			branch, more := "|--", "|  "
			if last {
				branch, more = "`--", "   "
			}
			fmt.Fprintf(s.out, "%s%s%s\n", prefix, branch, k[3].textOr(""))
			draw(k[0].i, prefix+more)
		}
	}
	draw(0, "")
}

// printQueryPlan is .eqp on: the plan of each statement before its rows.
func (s *shell) printQueryPlan(text string) {
	plan, err := s.queryValues("EXPLAIN QUERY PLAN " + strings.TrimSpace(text))
	if err != nil || len(plan) == 0 || len(plan[0]) < 4 {
		return
	}
	s.printPlanTree(plan)
}
