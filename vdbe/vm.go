package vdbe

import (
	"math"
	"sync/atomic"

	"github.com/wrendb/wren/btree"
	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// RowidSetter is implemented by a connection whose last_insert_rowid the
// VM updates as rows are inserted.
type RowidSetter interface {
	SetLastInsertRowid(int64)
}

// VM runs one Program. It is created once per prepared statement and Reset
// between executions, so that registers and cursors are reused.
type VM struct {
	prog *Program

	// DB is the database the program reads and writes.
	DB *btree.BTree
	// Conn is the connection, for changes() and last_insert_rowid().
	Conn Conn
	// Interrupt, when set to true from another goroutine, makes the
	// running program fail with SQLITE_INTERRUPT at its next loop step.
	Interrupt *atomic.Bool
	// Params are the bound parameters; Params[0] is ?1.
	Params []Mem
	// TempVFS holds the files sorters spill to; nil keeps every sort in
	// memory. SorterMemory is the bytes a sorter keeps before spilling
	// (0: DefaultSorterMemory).
	TempVFS      osvfs.VFS
	SorterMemory int

	// DeferredFK is the connection's count of outstanding deferred foreign
	// key violations (FkCounter and FkIfZero), checked at COMMIT; nil
	// when the caller does not track them.
	DeferredFK *int64

	// Changes counts the rows inserted, updated or deleted.
	Changes int64
	// ErrAction is the conflict action (ast.ConflictAction's number) of
	// the constraint that failed, so that the caller can undo the right
	// amount: the statement (ABORT), nothing (FAIL) or the transaction
	// (ROLLBACK).
	ErrAction int

	regs   []Mem
	curs   []*cursor
	aggs   []Aggregate
	once   []bool
	pc     int
	done   bool
	gen    uint64
	cmp    int
	fc     FuncContext
	skip   bool
	rowAt  int
	rowN   int
	sa, sb Mem
	vals   []record.Value
	recBuf []byte
	fnOut  Mem

	// spareCurs are b-tree cursors Reset closed, for the next run's
	// OpenRead and OpenWrite to reuse (a statement run a million times).
	spareCurs []*cursor
	// spareSorter is a closed sorter whose arena and row slice the next
	// SorterOpen reuses.
	spareSorter *sorter
}

// NewVM prepares a VM for p.
func NewVM(p *Program) *VM {
	vm := &VM{prog: p}
	vm.regs = make([]Mem, p.NumRegs+1)
	vm.curs = make([]*cursor, p.NumCursors)
	vm.aggs = make([]Aggregate, p.NumAggs)
	vm.once = make([]bool, len(p.Ops))
	return vm
}

// Program returns the program the VM runs.
func (vm *VM) Program() *Program { return vm.prog }

// Reset closes every cursor and rewinds the program. Parameters stay bound.
func (vm *VM) Reset() {
	vm.closeCursors()
	clear(vm.aggs)
	clear(vm.once)
	for i := range vm.regs {
		vm.regs[i].SetNull()
	}
	vm.pc = 0
	vm.done = false
	vm.Changes = 0
	vm.ErrAction = 0
}

func (vm *VM) opName() string {
	if vm.pc >= 0 && vm.pc < len(vm.prog.Ops) {
		return vm.prog.Ops[vm.pc].Code.String()
	}
	return "?"
}

// Row returns the registers of the current result row.
func (vm *VM) Row() []Mem { return vm.regs[vm.rowAt : vm.rowAt+vm.rowN] }

// Done reports whether the program has halted.
func (vm *VM) Done() bool { return vm.done }

func errorf(code resultcode.Code, format string, args ...any) error {
	return resultcode.Errorf(code, format, args...)
}

var errInterrupted = resultcode.New(resultcode.Interrupt, "interrupted")

// Step runs the program until it produces a row (true) or halts (false).
// After an error the VM must be Reset before it runs again.
func (vm *VM) Step() (row bool, err error) {
	if vm.done {
		return false, nil
	}
	defer func() {
		// A bug must not take the process down: it fails the statement.
		if r := recover(); r != nil {
			row, err = false, errorf(resultcode.Internal, "internal error at %s (pc %d): %v", vm.opName(), vm.pc, r)
			vm.done = true
			vm.closeCursors()
		}
	}()
	row, err = vm.run()
	if err != nil || !row {
		vm.done = true
		vm.closeCursors()
	}
	return row, err
}

// closeCursors closes every open cursor, keeping b-tree cursors and
// sorters for the next run to reuse.
func (vm *VM) closeCursors() {
	for i, c := range vm.curs {
		if c != nil {
			vm.closeCursor(i)
		}
	}
}

// closeCursor closes cursor i, if open, at the end of a run. A b-tree
// cursor's struct and a sorter's buffers are kept for reuse: a prepared
// statement run once per request then opens its cursors and sorts
// without allocating. (Registers may borrow bytes from a sorter's arena
// until the run ends, so only then may the arena be reused.)
func (vm *VM) closeCursor(i int) {
	c := vm.curs[i]
	if c == nil {
		return
	}
	vm.curs[i] = nil
	if c.kind == cursorSorter && c.sorter != nil && vm.spareSorter == nil {
		vm.spareSorter = c.sorter
		c.sorter = nil
		vm.spareSorter.recycle()
	}
	c.close()
	if c.kind == cursorBTree && len(vm.spareCurs) < len(vm.curs) {
		vm.spareCurs = append(vm.spareCurs, c)
	}
}

// newSorter returns a sorter for ki, reusing the buffers of the last one
// the program closed.
func (vm *VM) newSorter(ki *record.KeyInfo) *sorter {
	if s := vm.spareSorter; s != nil {
		vm.spareSorter = nil
		s.reinit(ki, vm.TempVFS, vm.SorterMemory)
		return s
	}
	return newSorter(ki, vm.TempVFS, vm.SorterMemory)
}

func (vm *VM) cursorAt(i int32) (*cursor, error) {
	if int(i) >= len(vm.curs) || vm.curs[i] == nil {
		return nil, errorf(resultcode.Internal, "cursor %d not open", i)
	}
	return vm.curs[i], nil
}

func (vm *VM) keyValues(start int32, n int) []record.Value {
	if cap(vm.vals) < n {
		vm.vals = make([]record.Value, n)
	}
	vals := vm.vals[:n]
	regs := vm.regs[start : int(start)+n]
	for i := range regs {
		vals[i] = regs[i].Value()
	}
	return vals
}

// interrupted is checked at every backward jump of a loop.
func (vm *VM) interrupted() bool {
	return vm.Interrupt != nil && vm.Interrupt.Load()
}

func cmpOpOf(code Opcode) CompareOp {
	return CompareOp(code - CodeEq)
}

func (vm *VM) run() (bool, error) {
	ops := vm.prog.Ops
	regs := vm.regs
	vm.fc.Conn = vm.Conn
	for {
		if vm.pc < 0 || vm.pc >= len(ops) {
			return false, nil
		}
		op := &ops[vm.pc]
		switch op.Code {
		case CodeNoop, CodeCursorHint, CodeElseEq, CodeRowSetAdd:
		case CodeInit:
			vm.pc = int(op.P2)
			continue
		case CodeGoto:
			if int(op.P2) <= vm.pc && vm.interrupted() {
				return false, errInterrupted
			}
			vm.pc = int(op.P2)
			continue
		case CodeHalt:
			if op.P1 != 0 {
				vm.ErrAction = int(op.P2)
				return false, resultcode.New(resultcode.Code(op.P1), op.P4.Str)
			}
			return false, nil
		case CodeGosub:
			regs[op.P1].SetInt(int64(vm.pc + 1))
			vm.pc = int(op.P2)
			continue
		case CodeReturn:
			vm.pc = int(regs[op.P1].Int())
			continue
		case CodeInitCoroutine:
			regs[op.P1].SetInt(int64(op.P3))
			if op.P2 != 0 {
				vm.pc = int(op.P2)
				continue
			}
		case CodeYield:
			vm.pc = yieldTo(&regs[op.P1], vm.pc)
			continue
		case CodeEndCoroutine:
			vm.pc = endCoroutine(&regs[op.P1], vm.pc, ops)
			continue
		case CodeOnce:
			if vm.once[vm.pc] {
				vm.pc = int(op.P2)
				continue
			}
			vm.once[vm.pc] = true
		case CodeIf, CodeIfNot:
			t, null := Truth(&regs[op.P1])
			jump := false
			if null {
				jump = op.P3 != 0
			} else if op.Code == CodeIf {
				jump = t
			} else {
				jump = !t
			}
			if jump {
				vm.pc = int(op.P2)
				continue
			}
		case CodeIsNull:
			if regs[op.P1].IsNull() {
				vm.pc = int(op.P2)
				continue
			}
		case CodeNotNull:
			if !regs[op.P1].IsNull() {
				vm.pc = int(op.P2)
				continue
			}
		case CodeIfPos:
			r := &regs[op.P1]
			if r.Int() > 0 {
				r.SetInt(r.Int() - int64(op.P3))
				vm.pc = int(op.P2)
				continue
			}
		case CodeDecrJumpZero:
			r := &regs[op.P1]
			r.SetInt(r.Int() - 1)
			if r.Int() == 0 {
				vm.pc = int(op.P2)
				continue
			}
		case CodeIfNotZero:
			r := &regs[op.P1]
			if r.Int() != 0 {
				if r.Int() > 0 {
					r.SetInt(r.Int() - 1)
				}
				vm.pc = int(op.P2)
				continue
			}
		case CodeCompare:
			ki := op.P4.KeyInfo
			vm.cmp = 0
			for i := range ki.Collations {
				c := Compare(&regs[int(op.P1)+i], &regs[int(op.P2)+i], ki.Collations[i])
				if c != 0 {
					if i < len(ki.Desc) && ki.Desc[i] {
						c = -c
					}
					vm.cmp = c
					break
				}
			}
		case CodeJump:
			switch {
			case vm.cmp < 0:
				vm.pc = int(op.P1)
			case vm.cmp == 0:
				vm.pc = int(op.P2)
			default:
				vm.pc = int(op.P3)
			}
			continue

		case CodeInteger:
			regs[op.P2].SetInt(int64(op.P1))
		case CodeInt64:
			regs[op.P2].SetInt(op.P4.Int)
		case CodeConst:
			regs[op.P2].Copy(op.P4.Mem)
		case CodeNull:
			last := op.P3
			if last < op.P2 {
				last = op.P2
			}
			for i := op.P2; i <= last; i++ {
				regs[i].SetNull()
			}
		case CodeCopy:
			n := op.P3
			if n < 1 {
				n = 1
			}
			for i := int32(0); i < n; i++ {
				regs[op.P2+i].Copy(&regs[op.P1+i])
			}
		case CodeMove:
			n := op.P3
			if n < 1 {
				n = 1
			}
			for i := int32(0); i < n; i++ {
				regs[op.P2+i].Move(&regs[op.P1+i])
			}
		case CodeVariable:
			if int(op.P1) <= len(vm.Params) {
				regs[op.P2].Copy(&vm.Params[op.P1-1])
			} else {
				regs[op.P2].SetNull()
			}
		case CodeAddImm:
			r := &regs[op.P1]
			r.SetInt(IntValue(r) + int64(op.P2))
		case CodeMustBeInt:
			r := &regs[op.P1]
			if r.Kind() != record.Integer {
				ApplyAffinity(r, AffinityInteger)
				if r.Kind() != record.Integer {
					if op.P2 == 0 {
						return false, errorf(resultcode.Mismatch, "datatype mismatch")
					}
					vm.pc = int(op.P2)
					continue
				}
			}
		case CodeCast:
			Cast(&regs[op.P1], Affinity(op.P2))

		case CodeAdd:
			Arith(OpAdd, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeSubtract:
			Arith(OpSubtract, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeMultiply:
			Arith(OpMultiply, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeDivide:
			Arith(OpDivide, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeRemainder:
			Arith(OpRemainder, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeConcat:
			Concat(&regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeBitAnd:
			Bitwise(OpBitAnd, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeBitOr:
			Bitwise(OpBitOr, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeShiftLeft:
			Bitwise(OpShiftLeft, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeShiftRight:
			Bitwise(OpShiftRight, &regs[op.P3], &regs[op.P1], &regs[op.P2])
		case CodeBitNot:
			BitNot(&regs[op.P2], &regs[op.P1])
		case CodeNegate:
			Negate(&regs[op.P2], &regs[op.P1])
		case CodeNot:
			t, null := Truth(&regs[op.P1])
			if null {
				regs[op.P2].SetNull()
			} else {
				regs[op.P2].SetBool(!t)
			}
		case CodeAnd, CodeOr:
			t1, n1 := Truth(&regs[op.P1])
			t2, n2 := Truth(&regs[op.P2])
			out := &regs[op.P3]
			if op.Code == CodeAnd {
				switch {
				case (!n1 && !t1) || (!n2 && !t2):
					out.SetBool(false)
				case n1 || n2:
					out.SetNull()
				default:
					out.SetBool(true)
				}
			} else {
				switch {
				case (!n1 && t1) || (!n2 && t2):
					out.SetBool(true)
				case n1 || n2:
					out.SetNull()
				default:
					out.SetBool(false)
				}
			}
		case CodeIsTrue:
			t, null := Truth(&regs[op.P1])
			if op.P3 != 0 {
				regs[op.P2].SetBool(!null && !t)
			} else {
				regs[op.P2].SetBool(!null && t)
			}

		case CodeEq, CodeNe, CodeLt, CodeLe, CodeGt, CodeGe, CodeIs, CodeIsNot:
			a, b := &regs[op.P1], &regs[op.P3]
			if a.v.Kind == record.Integer && b.v.Kind == record.Integer {
				// The common case, without affinity or collation work.
				x, y := a.v.Int, b.v.Int
				var res bool
				switch op.Code {
				case CodeEq, CodeIs:
					res = x == y
				case CodeNe, CodeIsNot:
					res = x != y
				case CodeLt:
					res = x < y
				case CodeLe:
					res = x <= y
				case CodeGt:
					res = x > y
				default:
					res = x >= y
				}
				if op.P5&CmpStore != 0 {
					regs[op.P2].SetBool(res)
				} else if res {
					vm.pc = int(op.P2)
					continue
				}
				break
			}
			affA, affB := Affinity(op.P4.Int&0xff), Affinity(op.P4.Int>>8&0xff)
			if (affA > AffinityBlob || affB > AffinityBlob) &&
				(a.Kind() == record.Text || b.Kind() == record.Text || affA == AffinityText || affB == AffinityText) {
				vm.sa.Copy(a)
				vm.sb.Copy(b)
				a, b = &vm.sa, &vm.sb
				ApplyComparisonAffinity(a, b, affA, affB)
			}
			res, null := cmpOpOf(op.Code).Eval(a, b, op.P4.Coll)
			if op.P5&CmpStore != 0 {
				if null {
					regs[op.P2].SetNull()
				} else {
					regs[op.P2].SetBool(res)
				}
			} else if res || (null && op.P5&CmpJumpNull != 0) {
				vm.pc = int(op.P2)
				continue
			}

		case CodeFunction:
			vm.fc.Coll = op.P4.Coll
			args := regs[op.P1 : op.P1+op.P2]
			if err := op.P4.Func.Scalar(&vm.fc, &vm.fnOut, args); err != nil {
				return false, err
			}
			regs[op.P3].Move(&vm.fnOut)
		case CodeAggStep:
			agg := vm.aggs[op.P3]
			if agg == nil {
				agg = op.P4.Func.NewAggregate()
				vm.aggs[op.P3] = agg
			}
			vm.fc.Coll = op.P4.Coll
			vm.fc.SkipLoad = false
			if err := agg.Step(&vm.fc, regs[op.P1:op.P1+op.P2]); err != nil {
				return false, err
			}
			vm.skip = vm.fc.SkipLoad
		case CodeAggFinal:
			agg := vm.aggs[op.P1]
			if agg == nil {
				agg = op.P4.Func.NewAggregate()
			}
			vm.fc.Coll = op.P4.Coll
			if err := agg.Final(&vm.fc, &vm.fnOut); err != nil {
				return false, err
			}
			regs[op.P2].Move(&vm.fnOut)
			vm.aggs[op.P1] = nil
		case CodeAggReset:
			vm.aggs[op.P1] = nil
		case CodeSkipLoad:
			if vm.skip {
				vm.pc = int(op.P2)
				continue
			}

		case CodeOpenRead, CodeOpenWrite:
			if c := vm.curs[op.P1]; c != nil {
				c.close()
			}
			var bc *btree.Cursor
			var err error
			if vm.DB.Pager().PageCount() == 0 {
				// An empty file has no b-trees yet: the cursor reads nothing.
				vm.curs[op.P1] = &cursor{kind: cursorEmpty, keyInfo: op.P4.KeyInfo, isIndex: op.P4.KeyInfo != nil}
				break
			}
			if op.P4.KeyInfo != nil {
				bc, err = vm.DB.OpenIndex(uint32(op.P2), op.P4.KeyInfo)
			} else {
				bc, err = vm.DB.OpenTable(uint32(op.P2))
			}
			if err != nil {
				return false, err
			}
			var c *cursor
			if n := len(vm.spareCurs); n > 0 {
				c = vm.spareCurs[n-1]
				vm.spareCurs = vm.spareCurs[:n-1]
				c.reuse()
			} else {
				c = &cursor{}
			}
			c.kind, c.bc, c.keyInfo, c.isIndex = cursorBTree, bc, op.P4.KeyInfo, op.P4.KeyInfo != nil
			vm.curs[op.P1] = c
		case CodeOpenEphemeral:
			if c := vm.curs[op.P1]; c != nil {
				c.close()
			}
			isIndex := op.P4.KeyInfo != nil
			eph, err := newEphemeral(isIndex)
			if err != nil {
				return false, err
			}
			var bc *btree.Cursor
			if isIndex {
				bc, err = eph.bt.OpenIndex(eph.root, op.P4.KeyInfo)
			} else {
				bc, err = eph.bt.OpenTable(eph.root)
			}
			if err != nil {
				eph.close()
				return false, err
			}
			vm.curs[op.P1] = &cursor{kind: cursorEphemeral, bc: bc, eph: eph, keyInfo: op.P4.KeyInfo, isIndex: isIndex}
		case CodeSorterOpen:
			if c := vm.curs[op.P1]; c != nil {
				c.close()
			}
			vm.curs[op.P1] = &cursor{kind: cursorSorter, sorter: vm.newSorter(op.P4.KeyInfo), keyInfo: op.P4.KeyInfo}
		case CodeClose:
			// Not closeCursor: a sorter closed mid-run keeps its arena
			// to itself, since registers may still borrow from it.
			if c := vm.curs[op.P1]; c != nil {
				c.close()
				vm.curs[op.P1] = nil
			}
		case CodeClearEphemeral:
			c, err := vm.cursorAt(op.P1)
			if err != nil {
				return false, err
			}
			if c.eph != nil {
				if _, err := c.eph.bt.ClearTable(c.eph.root); err != nil {
					return false, err
				}
				vm.gen++
			}
			c.moved()
		case CodeRewind, CodeLast:
			c, err := vm.cursorAt(op.P1)
			if err != nil {
				return false, err
			}
			c.moved()
			if c.kind == cursorEmpty {
				vm.pc = int(op.P2)
				continue
			}
			var ok bool
			if op.Code == CodeRewind {
				ok, err = c.bc.First()
			} else {
				ok, err = c.bc.Last()
			}
			if err != nil {
				return false, err
			}
			if !ok {
				vm.pc = int(op.P2)
				continue
			}
		case CodeNext, CodePrev:
			if vm.interrupted() {
				return false, errInterrupted
			}
			c := vm.curs[op.P1]
			c.moved()
			if c.bc == nil {
				break
			}
			var ok bool
			var err error
			if op.Code == CodeNext {
				ok, err = c.bc.Next()
			} else {
				ok, err = c.bc.Prev()
			}
			if err != nil {
				return false, err
			}
			if ok {
				vm.pc = int(op.P2)
				continue
			}
		case CodeSorterSort:
			c, err := vm.cursorAt(op.P1)
			if err != nil {
				return false, err
			}
			if err := c.sorter.sort(); err != nil {
				return false, err
			}
			if !c.sorter.valid {
				vm.pc = int(op.P2)
				continue
			}
		case CodeSorterNext:
			if vm.interrupted() {
				return false, errInterrupted
			}
			ok, err := vm.curs[op.P1].sorter.next()
			if err != nil {
				return false, err
			}
			if ok {
				vm.pc = int(op.P2)
				continue
			}
		case CodeSorterInsert:
			c, err := vm.cursorAt(op.P1)
			if err != nil {
				return false, err
			}
			if err := c.sorter.insert(vm.keyValues(op.P2, int(op.P3))); err != nil {
				return false, err
			}
		case CodeNullRow:
			c := vm.curs[op.P1]
			if c == nil {
				c = &cursor{kind: cursorEmpty}
				vm.curs[op.P1] = c
			}
			c.nullRow = true
			c.cached = false
		case CodeIfNullRow:
			if c := vm.curs[op.P1]; c != nil && c.nullRow {
				regs[op.P3].SetNull()
				vm.pc = int(op.P2)
				continue
			}
		case CodeColumn:
			c := vm.curs[op.P1]
			out := &regs[op.P3]
			if c == nil || c.nullRow || (c.kind != cursorSorter && c.bc == nil) {
				out.SetNull()
				break
			}
			var v record.Value
			var err error
			if c.kind == cursorSorter {
				v, err = c.sorter.column(int(op.P2))
				if err == nil && !c.sorter.merging {
					// Rows sorted in memory stay in the sorter's arena,
					// unchanged until the program ends (closeCursors):
					// the register can borrow the bytes.
					out.SetValueRef(v)
					break
				}
			} else {
				if !c.bc.Valid() {
					out.SetNull()
					break
				}
				var h *record.Header
				h, err = c.record(vm.gen)
				if err == nil {
					v, err = h.Column(int(op.P2))
				}
			}
			if err != nil {
				return false, err
			}
			out.SetValue(v)
		case CodeRowid, CodeIdxRowid:
			c := vm.curs[op.P1]
			out := &regs[op.P2]
			if c == nil || c.nullRow || c.bc == nil || !c.bc.Valid() {
				out.SetNull()
				break
			}
			if c.isIndex {
				h, err := c.record(vm.gen)
				if err != nil {
					return false, err
				}
				n, err := h.Len()
				if err != nil {
					return false, err
				}
				v, err := h.Column(n - 1)
				if err != nil {
					return false, err
				}
				out.SetValue(v)
				break
			}
			if c.rowidKnown && c.rowidGen == vm.gen {
				out.SetInt(c.rowid)
				break
			}
			id, err := c.bc.Rowid()
			if err != nil {
				return false, err
			}
			c.knowRowid(id, vm.gen)
			out.SetInt(id)
		case CodeSeekRowid:
			c := vm.curs[op.P1]
			r := &regs[op.P3]
			if r.Kind() == record.Integer && c.rowidKnown && c.rowidGen == vm.gen && c.bc != nil {
				ok, err := seekRowidNearby(c, r.Int(), vm.gen)
				if err != nil {
					return false, err
				}
				if ok {
					break
				}
			}
			c.moved()
			if c.bc == nil {
				vm.pc = int(op.P2)
				continue
			}
			var id int64
			switch r.Kind() {
			case record.Integer:
				id = r.Int()
			case record.Null:
				vm.pc = int(op.P2)
				continue
			default:
				vm.sa.Copy(r)
				ApplyAffinity(&vm.sa, AffinityInteger)
				if vm.sa.Kind() != record.Integer {
					vm.pc = int(op.P2)
					continue
				}
				id = vm.sa.Int()
			}
			found, err := c.bc.SeekRowid(id)
			if err != nil {
				return false, err
			}
			if !found {
				vm.pc = int(op.P2)
				continue
			}
			c.knowRowid(id, vm.gen)
		case CodeSeekGE, CodeSeekGT, CodeSeekLE, CodeSeekLT:
			c := vm.curs[op.P1]
			c.moved()
			if c.bc == nil {
				vm.pc = int(op.P2)
				continue
			}
			if !c.isIndex && c.bc.IsTable() {
				// A table cursor seeks by rowid: P3 holds an integer.
				ok, err := seekRowidRange(c.bc, regs[op.P3].Int(), op.Code)
				if err != nil {
					return false, err
				}
				if !ok {
					vm.pc = int(op.P2)
					continue
				}
				break
			}
			seek := [...]btree.SeekOp{btree.SeekGE, btree.SeekGT, btree.SeekLE, btree.SeekLT}[op.Code-CodeSeekGE]
			ok, err := c.bc.Seek(vm.keyValues(op.P3, int(op.P4.Int)), seek)
			if err != nil {
				return false, err
			}
			if !ok {
				vm.pc = int(op.P2)
				continue
			}
		case CodeIdxGE, CodeIdxGT, CodeIdxLE, CodeIdxLT:
			c := vm.curs[op.P1]
			h, err := c.record(vm.gen)
			if err != nil {
				return false, err
			}
			cmp, err := record.CompareUnpacked(h.Record(), vm.keyValues(op.P3, int(op.P4.Int)), c.keyInfo)
			if err != nil {
				return false, err
			}
			var jump bool
			switch op.Code {
			case CodeIdxGE:
				jump = cmp >= 0
			case CodeIdxGT:
				jump = cmp > 0
			case CodeIdxLE:
				jump = cmp <= 0
			default:
				jump = cmp < 0
			}
			if jump {
				vm.pc = int(op.P2)
				continue
			}
		case CodeFound, CodeNotFound, CodeNoConflict:
			c := vm.curs[op.P1]
			c.moved()
			if c.bc == nil {
				if op.Code != CodeFound {
					vm.pc = int(op.P2)
					continue
				}
				break
			}
			key := vm.keyValues(op.P3, int(op.P4.Int))
			if op.Code == CodeNoConflict {
				hasNull := false
				for _, v := range key {
					if v.Kind == record.Null {
						hasNull = true
					}
				}
				if hasNull {
					vm.pc = int(op.P2)
					continue
				}
			}
			found, err := c.bc.Seek(key, btree.SeekEQ)
			if err != nil {
				return false, err
			}
			if found == (op.Code == CodeFound) {
				vm.pc = int(op.P2)
				continue
			}
		case CodeCount:
			c := vm.curs[op.P1]
			c.moved() // Count leaves the b-tree cursor unpositioned
			if c.bc == nil {
				regs[op.P2].SetInt(0)
				break
			}
			n, err := c.bc.Count()
			if err != nil {
				return false, err
			}
			regs[op.P2].SetInt(n)
		case CodeSequence:
			c := vm.curs[op.P1]
			regs[op.P2].SetInt(c.seq)
			c.seq++

		case CodeMakeRecord:
			aff := op.P4.Str
			src := regs[op.P1 : op.P1+op.P2]
			for i := 0; i < len(aff) && i < len(src); i++ {
				ApplyAffinity(&src[i], Affinity(aff[i]))
			}
			vals := vm.keyValues(op.P1, int(op.P2))
			if out := &regs[op.P3]; op.P3 < op.P1 || op.P3 >= op.P1+op.P2 {
				// Encoded straight into the output register's buffer:
				// no second copy of the record.
				out.setRecord(vals)
			} else {
				vm.recBuf = record.AppendRecord(vm.recBuf[:0], vals)
				out.SetBlob(vm.recBuf)
			}
		case CodeAffinity:
			aff := op.P4.Str
			for i := 0; i < int(op.P2) && i < len(aff); i++ {
				ApplyAffinity(&regs[int(op.P1)+i], Affinity(aff[i]))
			}
		case CodeNewRowid:
			c := vm.curs[op.P1]
			c.moved()
			ok, err := c.bc.Last()
			if err != nil {
				return false, err
			}
			var id int64 = 1
			if ok {
				last, err := c.bc.Rowid()
				if err != nil {
					return false, err
				}
				if last == math.MaxInt64 {
					return false, errorf(resultcode.Full, "database or disk is full")
				}
				id = last + 1
			}
			if op.P3 > 0 {
				if m := regs[op.P3].Int(); m >= id {
					if m == math.MaxInt64 {
						return false, errorf(resultcode.Full, "database or disk is full")
					}
					id = m + 1
				}
				regs[op.P3].SetInt(id)
			}
			regs[op.P2].SetInt(id)
		case CodeInsert:
			c := vm.curs[op.P1]
			c.moved()
			id := regs[op.P3].Int()
			if err := c.bc.Insert(id, regs[op.P2].Bytes()); err != nil {
				return false, err
			}
			vm.gen++
			if op.P5&1 != 0 {
				vm.Changes++
			}
			if op.P5&2 != 0 {
				if rs, ok := vm.Conn.(RowidSetter); ok {
					rs.SetLastInsertRowid(id)
				}
			}
		case CodeIdxInsert:
			c := vm.curs[op.P1]
			c.moved()
			if err := c.bc.InsertIndex(regs[op.P2].Bytes()); err != nil {
				return false, err
			}
			vm.gen++
		case CodeDelete:
			c := vm.curs[op.P1]
			c.moved()
			if err := c.bc.Delete(); err != nil {
				return false, err
			}
			vm.gen++
			if op.P5&1 != 0 {
				vm.Changes++
			}
		case CodeIdxDelete:
			c := vm.curs[op.P1]
			c.moved()
			found, err := c.bc.Seek(vm.keyValues(op.P2, int(op.P3)), btree.SeekEQ)
			if err != nil {
				return false, err
			}
			if found {
				if err := c.bc.Delete(); err != nil {
					return false, err
				}
				vm.gen++
			}
		case CodeResultRow:
			vm.rowAt, vm.rowN = int(op.P1), int(op.P2)
			vm.pc++
			return true, nil
		case CodeHaltIfNull:
			if regs[op.P3].IsNull() {
				vm.ErrAction = int(op.P2)
				return false, resultcode.New(resultcode.Code(op.P1), op.P4.Str)
			}
		case CodeFkCounter:
			if vm.DeferredFK != nil {
				*vm.DeferredFK += int64(op.P2)
			}
		case CodeFkIfZero:
			if vm.DeferredFK == nil || *vm.DeferredFK == 0 {
				vm.pc = int(op.P2)
				continue
			}
		case CodeTypeCheck:
			if err := typeCheck(&regs[op.P1], record.Kind(op.P2), op.P4.Str); err != nil {
				vm.ErrAction = 2 // ast.ConflictAbort: a type error ignores OR IGNORE/REPLACE, as in SQLite
				return false, err
			}
		case CodeMaxRowid:
			c := vm.curs[op.P1]
			c.moved()
			ok, err := c.bc.Last()
			if err != nil {
				return false, err
			}
			if ok {
				id, err := c.bc.Rowid()
				if err != nil {
					return false, err
				}
				if regs[op.P2].IsNull() || id > regs[op.P2].Int() {
					regs[op.P2].SetInt(id)
				}
			}
		default:
			return false, errorf(resultcode.Internal, "unknown opcode %s", op.Code)
		}
		vm.pc++
	}
}
