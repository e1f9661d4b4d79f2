package vdbe

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A co-routine yields 10, 20, 30; the caller's loop doubles each, runs the
// co-routine twice (InitCoroutine restarts it), and a Yield after the end
// ends again at once.
func TestCoroutine(t *testing.T) {
	p := &Program{NumRegs: 5, Ops: []Op{
		{Code: CodeInit, P2: 1},
		{Code: CodeInitCoroutine, P1: 1, P2: 10, P3: 2}, // 1: r1 = entry 2; skip the body
		{Code: CodeInteger, P1: 10, P2: 2},              // 2: body: r2 = 10
		{Code: CodeYield, P1: 1},                        // 3
		{Code: CodeInteger, P1: 20, P2: 2},              // 4
		{Code: CodeYield, P1: 1},                        // 5
		{Code: CodeInteger, P1: 30, P2: 2},              // 6
		{Code: CodeYield, P1: 1},                        // 7
		{Code: CodeEndCoroutine, P1: 1},                 // 8
		{Code: CodeHalt},                                // 9: never reached
		{Code: CodeInteger, P1: 2, P2: 4},               // 10: r4 = 2 passes
		{Code: CodeInitCoroutine, P1: 1, P3: 2},         // 11: restart
		{Code: CodeYield, P1: 1, P2: 16},                // 12: next row, or 16 at the end
		{Code: CodeAdd, P1: 2, P2: 2, P3: 3},            // 13: r3 = r2 + r2
		{Code: CodeResultRow, P1: 3, P2: 1},             // 14
		{Code: CodeGoto, P2: 12},                        // 15
		{Code: CodeYield, P1: 1, P2: 17},                // 16: after the end, ends at once
		{Code: CodeDecrJumpZero, P1: 4, P2: 19},         // 17
		{Code: CodeGoto, P2: 11},                        // 18
		{Code: CodeHalt},                                // 19
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
		got = append(got, vm.Row()[0].String())
	}
	want := []string{"20", "40", "60", "20", "40", "60"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
