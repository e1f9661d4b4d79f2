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

var stringType = typeWord("")

// rowStrings makes the text values of one row in a single allocation:
// the string headers that the interfaces point to (converting a string to
// an interface otherwise boxes its header, an allocation per value)
// followed by the bytes of the strings, copied once. A row of any number
// of text columns thus costs one allocation instead of two per column.
//
// The allocation is a []uint64, which the garbage collector does not
// scan: that is sound because the only pointers it holds, the headers'
// data pointers, point into the allocation itself, which is alive as long
// as any interface, header or string points into it. The row's strings
// stay alive together, which is no worse than the row itself.
type rowStrings struct {
	hdrs []uint64 // two words per string header still to be handed out
	data []byte   // the bytes of the strings still to be handed out
}

// reset allocates room for n strings of total bytes (n >= 1, total >= n).
func (s *rowStrings) reset(n, total int) {
	buf := make([]uint64, 2*n+(total+7)/8)
	s.hdrs = buf[:2*n]
	s.data = unsafe.Slice((*byte)(unsafe.Pointer(&buf[2*n])), total)
}

// text copies b (not empty) into the row's buffer and returns it as a
// string in an interface; reset must have counted it.
func (s *rowStrings) text(b []byte) driver.Value {
	n := copy(s.data, b)
	// The header is written as the two words of a string (data pointer,
	// length) without a pointer store, which spares the write barrier:
	// the words are in memory the collector never scans.
	s.hdrs[0] = uint64(uintptr(unsafe.Pointer(&s.data[0])))
	s.hdrs[1] = uint64(n)
	p := unsafe.Pointer(&s.hdrs[0])
	s.data, s.hdrs = s.data[n:], s.hdrs[2:]
	var v any
	e := (*eface)(unsafe.Pointer(&v))
	e.typ = stringType
	e.data = p
	return v
}
