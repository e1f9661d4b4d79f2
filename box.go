package wren

import (
	"database/sql/driver"
	"math"
	"unsafe"
)

// A boxer puts int64 and float64 values into driver.Value interfaces
// without an allocation per value.
//
// Converting an int64 to an interface allocates 8 bytes for it (except for
// 0..255, which the runtime keeps preallocated), which would make reading
// a million integers a million allocations. A boxer instead carves the
// 8-byte cells from a slab it allocates in growing chunks, and builds the
// interface around a cell: an interface value is a type word and a
// pointer to the data, and for int64 and float64 the runtime never writes
// through that pointer. Each cell is used once, so a value the caller
// keeps (by scanning into an *any, say) never changes afterwards; the
// garbage collector frees a slab when no interface points into it.
type boxer struct {
	slab []uint64
	next int // cells in the next slab
}

type eface struct {
	typ, data unsafe.Pointer
}

var (
	int64Type   = typeWord(int64(0))
	float64Type = typeWord(float64(0))
)

func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

const maxSlab = 512 // cells: 4 KiB

func (b *boxer) cell() *uint64 {
	if len(b.slab) == 0 {
		b.next = min(max(2*b.next, 8), maxSlab)
		b.slab = make([]uint64, b.next)
	}
	p := &b.slab[0]
	b.slab = b.slab[1:]
	return p
}

func (b *boxer) box(typ unsafe.Pointer, bits uint64) driver.Value {
	p := b.cell()
	*p = bits
	var v any
	e := (*eface)(unsafe.Pointer(&v))
	e.typ = typ
	e.data = unsafe.Pointer(p)
	return v
}

func (b *boxer) int64(i int64) driver.Value {
	if uint64(i) < 256 {
		return i // the runtime's preallocated small integers
	}
	return b.box(int64Type, uint64(i))
}

func (b *boxer) float64(f float64) driver.Value {
	return b.box(float64Type, math.Float64bits(f))
}
