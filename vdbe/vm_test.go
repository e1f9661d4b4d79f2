package vdbe

import (
	"sync/atomic"
	"testing"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/resultcode"
)

// A hand-written program: count down from 3, emitting n and n*1.5.
func TestVMLoop(t *testing.T) {
	half := new(Mem)
	half.SetFloat(1.5)
	p := &Program{NumRegs: 4, Ops: []Op{
		{Code: CodeInit, P2: 1},
		{Code: CodeInteger, P1: 3, P2: 1},           // r1 = 3
		{Code: CodeConst, P2: 2, P4: P4{Mem: half}}, // r2 = 1.5
		{Code: CodeMultiply, P1: 1, P2: 2, P3: 3},   // r3 = r1 * r2
		{Code: CodeResultRow, P1: 1, P2: 3},         // row r1..r3
		{Code: CodeDecrJumpZero, P1: 1, P2: 7},      // r1--, done at 0
		{Code: CodeGoto, P2: 3},
		{Code: CodeHalt},
	}}
	vm := NewVM(p)
	var got []string
	for {
		ok, err := vm.Step()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		row := vm.Row()
		got = append(got, row[0].String()+"/"+row[2].String())
	}
	want := []string{"3/4.5", "2/3.0", "1/1.5"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %s want %s", i, got[i], want[i])
		}
	}
}

func TestVMHaltAndInterrupt(t *testing.T) {
	p := &Program{NumRegs: 1, Ops: []Op{
		{Code: CodeHalt, P1: int32(resultcode.ConstraintUnique), P2: 3, P4: P4{Str: "UNIQUE constraint failed: t.a"}},
	}}
	vm := NewVM(p)
	_, err := vm.Step()
	if resultcode.Of(err) != resultcode.ConstraintUnique || err.Error() != "UNIQUE constraint failed: t.a" || vm.ErrAction != 3 {
		t.Fatalf("got %v action %d", err, vm.ErrAction)
	}
	var stop atomic.Bool
	stop.Store(true)
	loop := &Program{Ops: []Op{{Code: CodeGoto, P2: 0}}}
	vm = NewVM(loop)
	vm.Interrupt = &stop
	if _, err := vm.Step(); resultcode.Of(err) != resultcode.Interrupt {
		t.Fatalf("an endless loop must stop on Interrupt: %v", err)
	}
}

func TestSorterMerge(t *testing.T) {
	ki := &record.KeyInfo{Collations: []record.Collation{nil}, Desc: []bool{true}}
	s := newSorter(ki, nil, 0)
	for _, v := range []int64{3, 1, 2, 3} {
		s.insert([]record.Value{record.IntValue(v), record.IntValue(v * 10)})
	}
	if err := s.sort(); err != nil {
		t.Fatal(err)
	}
	var got []int64
	for ok := s.valid; ok; ok, _ = s.next() {
		v, _ := s.column(1)
		got = append(got, v.Int)
	}
	want := []int64{30, 30, 20, 10}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v want %v", got, want)
		}
	}
}
