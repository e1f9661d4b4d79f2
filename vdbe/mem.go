package vdbe

import (
	"github.com/wrendb/wren/record"
)

// Mem is one register of the virtual machine: an SQL value plus the little
// extra state the VM needs to manage it without allocating.
//
// The value is a record.Value (storage class, integer, real or bytes). On
// top of it Mem keeps:
//
//   - a zero-fill count for blobs built by zeroblob(N), so that a large
//     zeroblob costs nothing until someone needs its bytes (SQLite's MEM_Zero);
//   - a subtype byte that travels with the value between functions (SQLite's
//     sqlite3_result_subtype, used by the JSON functions);
//   - ownership of the bytes: a Mem either owns its TEXT/BLOB bytes (they live
//     in its private buffer, reused by the next Set call) or borrows them
//     (they alias a page buffer or a record, valid only until that buffer is
//     released). Deepen turns a borrowed value into an owned one.
//
// The zero Mem is NULL. Mem must not be copied with plain assignment when the
// copy outlives the original's next Set: use Copy, which shares nothing.
type Mem struct {
	v       record.Value
	zero    int    // extra zero bytes after v.Bytes (blob only)
	subtype byte   // application subtype, 0 when none
	borrow  bool   // v.Bytes aliases memory this Mem does not own
	buf     []byte // owned storage; v.Bytes points into it when !borrow
}

// Kind is the value's storage class.
func (m *Mem) Kind() record.Kind { return m.v.Kind }

// IsNull reports whether the value is NULL.
func (m *Mem) IsNull() bool { return m.v.Kind == record.Null }

// Int returns the integer payload; meaningful only when Kind is Integer.
// Use IntValue for SQLite's conversion from any class.
func (m *Mem) Int() int64 { return m.v.Int }

// Float returns the real payload; meaningful only when Kind is Real.
// Use RealValue for SQLite's conversion from any class.
func (m *Mem) Float() float64 { return m.v.Float }

// Bytes returns TEXT or BLOB content (nil for other classes). A zeroblob is
// expanded first, which allocates once.
func (m *Mem) Bytes() []byte {
	if m.zero > 0 {
		m.ExpandZero()
	}
	return m.v.Bytes
}

// Len is the length in bytes of TEXT or BLOB content, counting a zeroblob's
// zeros without expanding them.
func (m *Mem) Len() int { return len(m.v.Bytes) + m.zero }

// Subtype returns the value's subtype (0 when none).
func (m *Mem) Subtype() byte { return m.subtype }

// SetSubtype attaches a subtype to the current value. Every Set call clears it.
func (m *Mem) SetSubtype(t byte) { m.subtype = t }

// IsZeroBlob reports whether the value is a blob with unexpanded zeros.
func (m *Mem) IsZeroBlob() bool { return m.zero > 0 }

// Borrowed reports whether the TEXT/BLOB bytes alias memory the Mem does not
// own (see SetTextRef, SetBlobRef, SetValueRef).
func (m *Mem) Borrowed() bool { return m.borrow }

// Value returns the value as a record.Value, for encoding into a record or
// comparing. Its Bytes alias the Mem: valid until the Mem is next set. A
// zeroblob is expanded first.
func (m *Mem) Value() record.Value {
	if m.zero > 0 {
		m.ExpandZero()
	}
	return m.v
}

func (m *Mem) reset(k record.Kind) {
	m.v.Kind = k
	// Writing a pointer costs a write barrier while the garbage collector
	// marks; most registers hold numbers and have no bytes to drop.
	if m.v.Bytes != nil {
		m.v.Bytes = nil
	}
	m.zero = 0
	m.subtype = 0
	m.borrow = false
}

// SetNull makes the value NULL. The owned buffer is kept for reuse.
func (m *Mem) SetNull() { m.reset(record.Null) }

// SetInt makes the value the INTEGER i.
func (m *Mem) SetInt(i int64) {
	m.reset(record.Integer)
	m.v.Int = i
}

// SetFloat makes the value the REAL f. NaN becomes NULL, as everywhere in
// SQLite: a NaN is never stored in a register.
func (m *Mem) SetFloat(f float64) {
	if f != f {
		m.SetNull()
		return
	}
	m.reset(record.Real)
	m.v.Float = f
}

// SetBool stores 1 or 0, SQLite's booleans.
func (m *Mem) SetBool(b bool) {
	if b {
		m.SetInt(1)
	} else {
		m.SetInt(0)
	}
}

func (m *Mem) setOwned(k record.Kind, b []byte) {
	m.reset(k)
	if len(b) <= cap(m.buf) {
		// Reslicing the buffer in place writes only its length.
		m.buf = m.buf[:len(b)]
		copy(m.buf, b)
	} else {
		m.buf = append(m.buf[:0], b...)
	}
	m.v.Bytes = m.buf
}

// SetText copies b into the Mem's own buffer as TEXT (no allocation when the
// buffer is large enough).
func (m *Mem) SetText(b []byte) { m.setOwned(record.Text, b) }

// SetTextString is SetText for a Go string.
func (m *Mem) SetTextString(s string) {
	m.reset(record.Text)
	m.buf = append(m.buf[:0], s...)
	m.v.Bytes = m.buf
}

// setRecord makes the value the BLOB record of vals, encoded into the
// Mem's own buffer; vals must not alias that buffer.
func (m *Mem) setRecord(vals []record.Value) {
	m.reset(record.Blob)
	m.buf = record.AppendRecord(m.buf[:0], vals)
	m.v.Bytes = m.buf
}

// SetBlob copies b into the Mem's own buffer as a BLOB.
func (m *Mem) SetBlob(b []byte) { m.setOwned(record.Blob, b) }

// SetTextRef makes the value TEXT that aliases b without copying. The caller
// guarantees b outlives the value or calls Deepen before releasing it.
func (m *Mem) SetTextRef(b []byte) {
	m.reset(record.Text)
	m.v.Bytes = b
	m.borrow = true
}

// SetBlobRef is SetTextRef for a BLOB.
func (m *Mem) SetBlobRef(b []byte) {
	m.reset(record.Blob)
	m.v.Bytes = b
	m.borrow = true
}

// SetZeroBlob makes the value a BLOB of n zero bytes without allocating them.
func (m *Mem) SetZeroBlob(n int) {
	m.reset(record.Blob)
	m.v.Bytes = m.buf[:0]
	if n > 0 {
		m.zero = n
	}
}

// SetValue copies v (including its bytes) into the Mem.
func (m *Mem) SetValue(v record.Value) {
	switch v.Kind {
	case record.Text, record.Blob:
		m.setOwned(v.Kind, v.Bytes)
	default:
		m.reset(v.Kind)
		m.v.Int, m.v.Float = v.Int, v.Float
		if v.Kind == record.Real && v.Float != v.Float {
			m.SetNull()
		}
	}
}

// SetValueRef stores v, aliasing its bytes (a decoded column straight from
// a page buffer). Call Deepen before that buffer goes away.
func (m *Mem) SetValueRef(v record.Value) {
	m.reset(v.Kind)
	m.v = v
	m.borrow = v.Kind == record.Text || v.Kind == record.Blob
	if !m.borrow {
		m.v.Bytes = nil
	}
}

// Copy makes m an independent copy of src: bytes are copied into m's own
// buffer, so src may change or its page be released afterwards.
func (m *Mem) Copy(src *Mem) {
	if m == src {
		m.Deepen()
		return
	}
	switch src.v.Kind {
	case record.Text, record.Blob:
		m.setOwned(src.v.Kind, src.v.Bytes)
		m.zero = src.zero
	default:
		m.reset(src.v.Kind)
		m.v.Int, m.v.Float = src.v.Int, src.v.Float
	}
	m.subtype = src.subtype
}

// Move transfers src's value to m and leaves src NULL; the buffers are
// swapped, so nothing is copied or allocated.
func (m *Mem) Move(src *Mem) {
	if m == src {
		return
	}
	*m, *src = *src, *m
	src.SetNull()
}

// Deepen makes borrowed bytes owned by copying them into the Mem's buffer.
func (m *Mem) Deepen() {
	if !m.borrow {
		return
	}
	// append copies with memmove semantics, so this is safe even if the
	// borrowed bytes happen to live in m.buf.
	m.buf = append(m.buf[:0], m.v.Bytes...)
	m.v.Bytes = m.buf
	m.borrow = false
}

// ExpandZero materializes a zeroblob's zeros into owned bytes.
func (m *Mem) ExpandZero() {
	if m.zero == 0 {
		return
	}
	n := len(m.v.Bytes) + m.zero
	if m.borrow || cap(m.buf) < n {
		nb := make([]byte, n)
		copy(nb, m.v.Bytes)
		m.buf = nb
	} else {
		m.buf = m.buf[:n]
		copy(m.buf, m.v.Bytes)
		clear(m.buf[len(m.v.Bytes):])
	}
	m.v.Bytes = m.buf
	m.borrow = false
	m.zero = 0
}

// scratch returns the Mem's owned buffer emptied, for building a new TEXT or
// BLOB value in place; finish with setBuilt. The current value must not be
// read after calling scratch if it was owned.
func (m *Mem) scratch() []byte { return m.buf[:0] }

// setBuilt installs b (usually grown from scratch) as the owned value.
func (m *Mem) setBuilt(k record.Kind, b []byte) {
	m.reset(k)
	m.buf = b
	m.v.Bytes = b
}

// String renders the value for debugging and EXPLAIN output.
func (m *Mem) String() string {
	switch m.v.Kind {
	case record.Null:
		return "NULL"
	case record.Text:
		return string(m.v.Bytes)
	case record.Blob:
		return "x'" + hexUpper(m.Bytes()) + "'"
	}
	return string(AppendText(nil, m))
}
