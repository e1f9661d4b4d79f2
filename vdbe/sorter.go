package vdbe

import (
	"bufio"
	"cmp"
	"container/heap"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/record"
)

// DefaultSorterMemory is how many bytes of rows a sorter keeps in memory
// before it writes them, sorted, to a temporary file.
const DefaultSorterMemory = 64 << 20

// maxMergeFanIn is how many runs one merge reads at once. More runs are
// first merged in groups into longer runs, which bounds the open files
// and read buffers of a huge sort.
const maxMergeFanIn = 16

// sorter collects rows for ORDER BY and GROUP BY and returns them in key
// order. Each row is kept as two records: its key fields, compared under
// the KeyInfo, and the rest. Equal keys keep their insertion order.
//
// Rows are encoded once, straight into one growing buffer (the arena),
// and the slice being sorted holds only offsets into it, so a million
// rows cost no allocation each and nothing for the garbage collector to
// scan. When the first key field is an integer its value is kept beside
// the offsets, and most comparisons (GROUP BY an integer column) end
// there without decoding either record.
//
// Past memLimit bytes the rows in memory are sorted and written to a
// temporary file as a run; sort then merges the runs with a heap, at most
// maxMergeFanIn at a time, so a sort may be far larger than memory.
type sorter struct {
	keyInfo   *record.KeyInfo
	nKey      int
	firstDesc bool // the first key field sorts descending
	// someNotInt is set when a row in memory has a first key field that
	// is not an integer (and radixSort cannot sort them).
	someNotInt bool
	arena      []byte
	rows       []sorterRow
	err        error
	// lent is set once the rows are sorted in memory: registers may then
	// borrow bytes from the arena (vm.go, Column), so it must not be
	// overwritten until the program ends.
	lent bool

	vfs      osvfs.VFS
	memLimit int
	runs     []*sorterRun
	spills   int // runs written, for tests

	// Reading: the current row's records, and their parsed headers.
	merging         bool
	pos             int
	merge           runHeap
	curKey, curData []byte
	valid           bool

	// parsed is false after every move; keyParsed and dataParsed then
	// say which of the row's headers column has parsed.
	keyHdr, dataHdr       record.Header
	parsed                bool
	keyParsed, dataParsed bool
}

// sorterRow is a row in memory: its key record at arena[off:], followed
// by its data record. Rows are appended to the arena in insertion order,
// so off also breaks ties between equal keys.
type sorterRow struct {
	off        int
	keyLen     int32
	dataLen    int32
	firstInt   int64 // the first key field, when firstIsInt
	firstIsInt bool
}

// sorterRowSize is what a row costs in memory besides its records.
const sorterRowSize = int(unsafe.Sizeof(sorterRow{}))

func newSorter(ki *record.KeyInfo, vfs osvfs.VFS, memLimit int) *sorter {
	if memLimit <= 0 {
		memLimit = DefaultSorterMemory
	}
	s := &sorter{keyInfo: ki, vfs: vfs, memLimit: memLimit}
	if ki != nil {
		s.nKey = len(ki.Collations)
		s.firstDesc = len(ki.Desc) > 0 && ki.Desc[0]
	}
	return s
}

// maxSpareArena bounds the arena a closed sorter keeps for the next sort
// of its program: enough for the sorts a statement repeats per request,
// without pinning a big sort's memory to a cached statement.
const maxSpareArena = 1 << 20

// recycle ends the sorter's use but keeps its buffers (up to
// maxSpareArena) for reinit.
func (s *sorter) recycle() {
	arena, rows := s.arena[:0], s.rows[:0]
	if cap(arena) > maxSpareArena {
		arena = nil
	}
	if cap(rows)*sorterRowSize > maxSpareArena {
		rows = nil
	}
	s.close()
	*s = sorter{arena: arena, rows: rows}
}

// reinit readies a recycled sorter for a new sort, as newSorter would.
func (s *sorter) reinit(ki *record.KeyInfo, vfs osvfs.VFS, memLimit int) {
	arena, rows := s.arena[:0], s.rows[:0]
	*s = *newSorter(ki, vfs, memLimit)
	s.arena, s.rows = arena, rows
}

func (s *sorter) insert(vals []record.Value) error {
	n := min(s.nKey, len(vals))
	off := len(s.arena)
	s.arena = record.AppendRecord(s.arena, vals[:n])
	keyLen := len(s.arena) - off
	s.arena = record.AppendRecord(s.arena, vals[n:])
	row := sorterRow{off: off, keyLen: int32(keyLen), dataLen: int32(len(s.arena) - off - keyLen)}
	if n > 0 && vals[0].Kind == record.Integer {
		row.firstInt, row.firstIsInt = vals[0].Int, true
	} else {
		s.someNotInt = true
	}
	s.rows = append(s.rows, row)
	if len(s.arena)+len(s.rows)*sorterRowSize > s.memLimit && s.vfs != nil {
		return s.spill()
	}
	return nil
}

func (s *sorter) rowKey(r *sorterRow) []byte {
	return s.arena[r.off : r.off+int(r.keyLen)]
}

func (s *sorter) rowData(r *sorterRow) []byte {
	start := r.off + int(r.keyLen)
	return s.arena[start : start+int(r.dataLen)]
}

// compareRows orders two rows in memory: by key, then by insertion.
func (s *sorter) compareRows(a, b *sorterRow) int {
	if a.firstIsInt && b.firstIsInt {
		// Two integers compare as record.Compare would compare them.
		if c := cmp.Compare(a.firstInt, b.firstInt); c != 0 {
			if s.firstDesc {
				return -c
			}
			return c
		}
		if s.nKey == 1 {
			return cmp.Compare(a.off, b.off)
		}
	}
	c, err := record.Compare(s.rowKey(a), s.rowKey(b), s.keyInfo)
	if err != nil && s.err == nil {
		s.err = err
	}
	if c != 0 {
		return c
	}
	return cmp.Compare(a.off, b.off)
}

// sortMemory sorts the rows in memory. Ties are broken by insertion
// order, which keeps the sort stable at O(n log n) (sort.SliceStable's
// rotations are far slower on a million rows with few distinct keys).
func (s *sorter) sortMemory() {
	if s.nKey == 1 && !s.someNotInt && len(s.rows) >= radixSortMin {
		s.radixSort()
		return
	}
	slices.SortFunc(s.rows, func(a, b sorterRow) int { return s.compareRows(&a, &b) })
}

// radixSortMin is the fewest rows radixSort is worth its counting for.
const radixSortMin = 512

// radixSort sorts rows whose only key field is an integer in every row,
// by a stable least-significant-byte-first radix sort of the integers:
// linear, and it skips the bytes that are the same in every key, so that
// GROUP BY a column of a few hundred values costs one or two passes.
func (s *sorter) radixSort() {
	n := len(s.rows)
	// Keys as unsigned integers in the order wanted: the sign bit flipped
	// so that negatives come first, every bit flipped for DESC (a stable
	// ascending sort of those keeps equal keys in insertion order).
	sortKey := func(v int64) uint64 {
		u := uint64(v) ^ (1 << 63)
		if s.firstDesc {
			u = ^u
		}
		return u
	}
	var counts [8][256]int
	for i := range s.rows {
		u := sortKey(s.rows[i].firstInt)
		for b := range 8 {
			counts[b][byte(u>>(8*b))]++
		}
	}
	src, dst := s.rows, make([]sorterRow, n)
	first := sortKey(src[0].firstInt)
	for b := range 8 {
		shift := 8 * b
		if counts[b][byte(first>>shift)] == n {
			continue // every key has this byte
		}
		var next [256]int
		sum := 0
		for k := range 256 {
			next[k] = sum
			sum += counts[b][k]
		}
		for i := range src {
			k := byte(sortKey(src[i].firstInt) >> shift)
			dst[next[k]] = src[i]
			next[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &s.rows[0] {
		copy(s.rows, src)
	}
}

var spillSeq atomic.Int64

// newRunFile creates an empty temporary file for a run.
func (s *sorter) newRunFile() (osvfs.File, error) {
	name := filepath.Join(os.TempDir(), fmt.Sprintf("wren-sort-%d-%d", os.Getpid(), spillSeq.Add(1)))
	return s.vfs.Open(name, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenTempFile|osvfs.OpenDeleteOnClose)
}

// spill writes the rows in memory, sorted, to a new run, and keeps the
// arena's memory for the rows to come.
func (s *sorter) spill() error {
	s.sortMemory()
	if s.err != nil {
		return s.err
	}
	f, err := s.newRunFile()
	if err != nil {
		return err
	}
	w := newRunWriter(f)
	for i := range s.rows {
		r := &s.rows[i]
		w.add(s.rowKey(r), s.rowData(r))
	}
	size, err := w.finish()
	if err != nil {
		f.Close()
		return err
	}
	s.runs = append(s.runs, &sorterRun{f: f, size: size})
	s.spills++
	s.rows = s.rows[:0]
	if s.lent {
		// Registers may borrow from the arena: start a new one.
		s.arena, s.lent = nil, false
	}
	s.arena = s.arena[:0]
	s.someNotInt = false
	return nil
}

// sort finishes the inserts and positions the sorter on the first row.
func (s *sorter) sort() error {
	s.pos = 0
	s.parsed = false
	if len(s.runs) == 0 {
		s.sortMemory()
		s.merging = false
		s.lent = true // Column lends the arena's bytes from now on
		s.setMemoryRow()
		return s.err
	}
	if len(s.rows) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	s.arena, s.rows = nil, nil
	for len(s.runs) > maxMergeFanIn {
		if err := s.mergeRuns(); err != nil {
			return err
		}
	}
	s.merging = true
	if err := s.merge.start(s, s.runs); err != nil {
		return err
	}
	return s.advanceMerge()
}

// mergeRuns merges the runs in groups of maxMergeFanIn into longer runs.
func (s *sorter) mergeRuns() error {
	var merged []*sorterRun
	for len(s.runs) > 0 {
		group := s.runs[:min(maxMergeFanIn, len(s.runs))]
		s.runs = s.runs[len(group):]
		f, err := s.newRunFile()
		if err != nil {
			return err
		}
		var h runHeap
		if err := h.start(s, group); err != nil {
			f.Close()
			return err
		}
		w := newRunWriter(f)
		for len(h.runs) > 0 {
			top := h.runs[0]
			w.add(top.key, top.data)
			if err := h.advance(); err != nil {
				f.Close()
				return err
			}
		}
		size, err := w.finish()
		for _, r := range group {
			r.f.Close()
		}
		if err != nil {
			f.Close()
			return err
		}
		merged = append(merged, &sorterRun{f: f, size: size})
	}
	s.runs = merged
	return s.err
}

func (s *sorter) setMemoryRow() {
	s.valid = s.pos < len(s.rows)
	if s.valid {
		r := &s.rows[s.pos]
		s.curKey, s.curData = s.rowKey(r), s.rowData(r)
	}
}

func (s *sorter) advanceMerge() error {
	if len(s.merge.runs) == 0 {
		s.valid = false
		return s.err
	}
	top := s.merge.runs[0]
	s.curKey = append(s.curKey[:0], top.key...)
	s.curData = append(s.curData[:0], top.data...)
	s.valid = true
	if err := s.merge.advance(); err != nil {
		return err
	}
	return s.err
}

func (s *sorter) next() (bool, error) {
	s.parsed = false
	if s.merging {
		if err := s.advanceMerge(); err != nil {
			return false, err
		}
		return s.valid, nil
	}
	s.pos++
	s.setMemoryRow()
	return s.valid, nil
}

func (s *sorter) close() {
	for _, r := range s.runs {
		r.f.Close()
	}
	s.runs = nil
	s.rows = nil
	s.arena = nil
}

// column reads field i of the current row.
func (s *sorter) column(i int) (record.Value, error) {
	if !s.valid {
		return record.Value{}, nil
	}
	if !s.parsed {
		s.parsed = true
		s.keyParsed, s.dataParsed = false, false
	}
	if i < s.nKey {
		if !s.keyParsed {
			if err := s.keyHdr.Parse(s.curKey); err != nil {
				return record.Value{}, err
			}
			s.keyParsed = true
		}
		return s.keyHdr.Column(i)
	}
	if !s.dataParsed {
		if err := s.dataHdr.Parse(s.curData); err != nil {
			return record.Value{}, err
		}
		s.dataParsed = true
	}
	return s.dataHdr.Column(i - s.nKey)
}

// runWriter writes a run's rows, each as the varint lengths of its key
// and data records followed by the records, through a buffer.
type runWriter struct {
	w    *bufio.Writer
	out  offsetWriter
	lens []byte
}

func newRunWriter(f osvfs.File) *runWriter {
	rw := &runWriter{out: offsetWriter{f: f}}
	rw.w = bufio.NewWriterSize(&rw.out, 256<<10)
	return rw
}

// add writes one row; errors are reported by finish.
func (w *runWriter) add(key, data []byte) {
	w.lens = record.AppendVarint(w.lens[:0], uint64(len(key)))
	w.lens = record.AppendVarint(w.lens, uint64(len(data)))
	w.w.Write(w.lens)
	w.w.Write(key)
	w.w.Write(data)
}

// finish flushes the run and returns its size.
func (w *runWriter) finish() (int64, error) {
	if err := w.w.Flush(); err != nil {
		return 0, err
	}
	return w.out.off, nil
}

// offsetWriter writes a File sequentially.
type offsetWriter struct {
	f   osvfs.File
	off int64
}

func (o *offsetWriter) Write(p []byte) (int, error) {
	n, err := o.f.WriteAt(p, o.off)
	o.off += int64(n)
	return n, err
}

// sorterRun is one sorted run in a temporary file, and while merging its
// current row.
type sorterRun struct {
	f         osvfs.File
	size      int64
	rd        *bufio.Reader
	key, data []byte
	index     int
}

func (r *sorterRun) next() (bool, error) {
	kl, err := readUvarint(r.rd)
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	dl, err := readUvarint(r.rd)
	if err != nil {
		return false, err
	}
	if kl > uint64(r.size) || dl > uint64(r.size) {
		return false, fmt.Errorf("sorter: corrupt run")
	}
	r.key = slices.Grow(r.key[:0], int(kl))[:kl]
	r.data = slices.Grow(r.data[:0], int(dl))[:dl]
	if _, err := io.ReadFull(r.rd, r.key); err != nil {
		return false, err
	}
	if _, err := io.ReadFull(r.rd, r.data); err != nil {
		return false, err
	}
	return true, nil
}

// readUvarint reads one of record's (SQLite's big-endian) varints.
func readUvarint(rd *bufio.Reader) (uint64, error) {
	var buf [9]byte
	for i := 0; i < 9; i++ {
		b, err := rd.ReadByte()
		if err != nil {
			if i > 0 && err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		buf[i] = b
		if b < 0x80 || i == 8 {
			v, _ := record.Varint(buf[:i+1])
			return v, nil
		}
	}
	return 0, io.ErrUnexpectedEOF
}

// runHeap merges runs: it orders them by their current key; ties go to
// the earlier run, which keeps the sort stable.
type runHeap struct {
	s    *sorter
	runs []*sorterRun
}

// start reads the first row of each run and orders them.
func (h *runHeap) start(s *sorter, runs []*sorterRun) error {
	*h = runHeap{s: s}
	for i, r := range runs {
		r.index = i
		r.rd = bufio.NewReaderSize(io.NewSectionReader(r.f, 0, r.size), 64<<10)
		ok, err := r.next()
		if err != nil {
			return err
		}
		if ok {
			h.runs = append(h.runs, r)
		}
	}
	heap.Init(h)
	return s.err
}

// advance moves the run with the smallest row on to its next row.
func (h *runHeap) advance() error {
	ok, err := h.runs[0].next()
	if err != nil {
		return err
	}
	if ok {
		heap.Fix(h, 0)
	} else {
		heap.Pop(h)
	}
	return nil
}

func (h *runHeap) Len() int { return len(h.runs) }
func (h *runHeap) Less(i, j int) bool {
	a, b := h.runs[i], h.runs[j]
	c, err := record.Compare(a.key, b.key, h.s.keyInfo)
	if err != nil && h.s.err == nil {
		h.s.err = err
	}
	if c != 0 {
		return c < 0
	}
	return a.index < b.index
}
func (h *runHeap) Swap(i, j int) { h.runs[i], h.runs[j] = h.runs[j], h.runs[i] }
func (h *runHeap) Push(x any)    { h.runs = append(h.runs, x.(*sorterRun)) }
func (h *runHeap) Pop() any {
	r := h.runs[len(h.runs)-1]
	h.runs = h.runs[:len(h.runs)-1]
	return r
}
