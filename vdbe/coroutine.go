package vdbe

// Co-routines.
//
// A co-routine is a piece of the program that produces rows one at a
// time for a loop elsewhere in the program (a FROM-clause subquery that
// is read once, in order). InitCoroutine stores the co-routine's entry
// address in a register; from then on that register holds where the
// other side resumes. Yield swaps the two sides: it jumps to the address
// in the register and leaves there the address after itself, so each side
// continues after the Yield it last executed. When the co-routine has no
// more rows it runs EndCoroutine, which jumps to P2 of the caller's Yield
// (the caller's end of loop) and leaves the register pointing at the
// EndCoroutine itself, so that a further Yield ends again at once.

// yieldTo performs Yield at address pc with register r: it returns the
// address to continue at.
func yieldTo(r *Mem, pc int) int {
	next := int(r.Int())
	r.SetInt(int64(pc + 1))
	return next
}

// endCoroutine performs EndCoroutine at address pc with register r: it
// returns the address to continue at, P2 of the Yield that resumed the
// co-routine.
func endCoroutine(r *Mem, pc int, ops []Op) int {
	caller := int(r.Int()) - 1
	r.SetInt(int64(pc))
	if caller < 0 || caller >= len(ops) {
		return len(ops) - 1
	}
	return int(ops[caller].P2)
}
