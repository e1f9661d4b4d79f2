package vdbe

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wrendb/wren/record"
)

// Program is a compiled statement: the instructions of the register machine
// and what the caller needs to know about its results.
type Program struct {
	Ops        []Op
	NumRegs    int
	NumCursors int
	NumAggs    int
	NumOnce    int

	// ColumnNames, DeclTypes and NotNull describe the result columns.
	ColumnNames []string
	DeclTypes   []string
	// ReadOnly is true when the program writes nothing to the database.
	ReadOnly bool
	// CountChanges makes the program's change counter the statement's
	// sqlite3_changes value (INSERT, UPDATE, DELETE).
	CountChanges bool
	// MayAbort is true when the program can fail after it has written
	// something, so that it needs a statement savepoint to undo itself
	// inside a transaction (SQLite's usesStmtJournal).
	MayAbort bool
	// NotNull says, per result column, whether it is a table column
	// declared NOT NULL (for the driver's ColumnTypeNullable); nil when
	// unknown.
	NotNull []bool
	// Plan is the query plan, for EXPLAIN QUERY PLAN.
	Plan []PlanStep
	// ReadsNoSource is true when the program reads no table, view or
	// subquery (a SELECT without FROM, VALUES): its plan holds only
	// "SCAN CONSTANT ROW" steps, and a read-only such program needs no
	// transaction.
	ReadsNoSource bool
}

// Op is one instruction. The meaning of the operands depends on Code; the
// names follow SQLite's opcodes where the concept is the same, so an
// EXPLAIN listing reads like SQLite's.
type Op struct {
	Code    Opcode
	P5      uint16
	P1      int32
	P2      int32
	P3      int32
	P4      P4
	Comment string
}

// P4 is an instruction's extra operand. Only the field the opcode uses is
// set.
type P4 struct {
	Int     int64
	Str     string
	Mem     *Mem
	Func    *FuncDef
	Coll    record.Collation
	KeyInfo *record.KeyInfo
}

// String renders P4 as SQLite's EXPLAIN shows it (approximately).
func (op *Op) P4String() string {
	switch {
	case op.P4.Func != nil:
		return fmt.Sprintf("%s(%d)", op.P4.Func.Name, op.P3)
	case op.P4.KeyInfo != nil:
		return fmt.Sprintf("k(%d)", len(op.P4.KeyInfo.Collations))
	case op.P4.Mem != nil:
		if op.P4.Mem.Kind() == record.Text {
			return string(op.P4.Mem.Bytes())
		}
		return op.P4.Mem.String()
	case op.P4.Str != "":
		return op.P4.Str
	case op.Code == CodeInt64:
		return strconv.FormatInt(op.P4.Int, 10)
	}
	return ""
}

// Explain lists the program as SQLite's EXPLAIN does: addr, opcode, p1,
// p2, p3, p4, p5, comment.
func (p *Program) Explain() [][]record.Value {
	rows := make([][]record.Value, 0, len(p.Ops))
	for i := range p.Ops {
		op := &p.Ops[i]
		rows = append(rows, []record.Value{
			record.IntValue(int64(i)),
			record.TextValue(op.Code.String()),
			record.IntValue(int64(op.P1)),
			record.IntValue(int64(op.P2)),
			record.IntValue(int64(op.P3)),
			record.TextValue(op.P4String()),
			record.IntValue(int64(op.P5)),
			record.TextValue(op.Comment),
		})
	}
	return rows
}

// String renders the program one instruction per line, for tests.
func (p *Program) String() string {
	var b strings.Builder
	for i := range p.Ops {
		op := &p.Ops[i]
		fmt.Fprintf(&b, "%3d %-14s %4d %4d %4d %s %d %s\n", i, op.Code, op.P1, op.P2, op.P3, op.P4String(), op.P5, op.Comment)
	}
	return b.String()
}

// PlanStep is one row of EXPLAIN QUERY PLAN.
type PlanStep struct {
	ID, Parent int
	Detail     string
}
