package vdbe

import (
	"bufio"
	"container/heap"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/record"
)

// DefaultSorterMemory is how many bytes of rows a sorter keeps in memory
// before it writes them, sorted, to a temporary file.
const DefaultSorterMemory = 64 << 20

// sorter collects rows for ORDER BY and GROUP BY and returns them in key
// order. Each row is kept as two records: its key fields, compared under
// the KeyInfo, and the rest. Equal keys keep their insertion order.
//
// Rows accumulate in memory; past memLimit bytes they are sorted and
// written to a temporary file as a run, and sort merges the runs (and the
// rows still in memory) with a heap, so a sort may be far larger than
// memory.
type sorter struct {
	keyInfo *record.KeyInfo
	nKey    int
	rows    []sorterRow
	memUsed int
	err     error

	vfs      osvfs.VFS
	memLimit int
	runs     []*sorterRun

	// Reading.
	merging bool
	pos     int
	heap    runHeap
	cur     sorterRow
	valid   bool

	keyHdr, dataHdr record.Header
	parsed          bool
}

type sorterRow struct {
	key, data []byte
	seq       int // insertion order: equal keys keep it
}

func newSorter(ki *record.KeyInfo, vfs osvfs.VFS, memLimit int) *sorter {
	if memLimit <= 0 {
		memLimit = DefaultSorterMemory
	}
	return &sorter{keyInfo: ki, nKey: len(ki.Collations), vfs: vfs, memLimit: memLimit}
}

func (s *sorter) insert(vals []record.Value) error {
	n := s.nKey
	if n > len(vals) {
		n = len(vals)
	}
	key := record.AppendRecord(nil, vals[:n])
	data := record.AppendRecord(nil, vals[n:])
	s.rows = append(s.rows, sorterRow{key: key, data: data, seq: len(s.rows)})
	s.memUsed += len(key) + len(data) + 48
	if s.memUsed > s.memLimit && s.vfs != nil {
		return s.spill()
	}
	return nil
}

// sortMemory sorts the rows in memory. Ties are broken by insertion
// order, which keeps the sort stable at O(n log n) (sort.SliceStable's
// rotations are far slower on a million rows with few distinct keys).
func (s *sorter) sortMemory() {
	slices.SortFunc(s.rows, func(a, b sorterRow) int {
		c, err := record.Compare(a.key, b.key, s.keyInfo)
		if err != nil && s.err == nil {
			s.err = err
		}
		if c != 0 {
			return c
		}
		return a.seq - b.seq
	})
}

var spillSeq atomic.Int64

// spill writes the rows in memory, sorted, to a new run.
func (s *sorter) spill() error {
	s.sortMemory()
	name := filepath.Join(os.TempDir(), fmt.Sprintf("wren-sort-%d-%d", os.Getpid(), spillSeq.Add(1)))
	f, err := s.vfs.Open(name, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenTempFile|osvfs.OpenDeleteOnClose)
	if err != nil {
		return err
	}
	run := &sorterRun{f: f}
	var buf []byte
	var off int64
	for _, r := range s.rows {
		buf = record.AppendVarint(buf[:0], uint64(len(r.key)))
		buf = record.AppendVarint(buf, uint64(len(r.data)))
		buf = append(buf, r.key...)
		buf = append(buf, r.data...)
		if _, err := f.WriteAt(buf, off); err != nil {
			f.Close()
			return err
		}
		off += int64(len(buf))
	}
	run.size = off
	s.runs = append(s.runs, run)
	s.rows = s.rows[:0:0]
	s.memUsed = 0
	return s.err
}

// sort finishes the inserts and positions the sorter on the first row.
func (s *sorter) sort() error {
	s.pos = 0
	s.parsed = false
	if len(s.runs) == 0 {
		s.sortMemory()
		s.merging = false
		s.valid = len(s.rows) > 0
		if s.valid {
			s.cur = s.rows[0]
		}
		return s.err
	}
	if len(s.rows) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	s.merging = true
	s.heap = runHeap{s: s}
	for i, r := range s.runs {
		r.index = i
		r.rd = bufio.NewReaderSize(io.NewSectionReader(r.f, 0, r.size), 64<<10)
		ok, err := r.next()
		if err != nil {
			return err
		}
		if ok {
			s.heap.runs = append(s.heap.runs, r)
		}
	}
	heap.Init(&s.heap)
	return s.advanceMerge()
}

func (s *sorter) advanceMerge() error {
	if len(s.heap.runs) == 0 {
		s.valid = false
		return s.err
	}
	top := s.heap.runs[0]
	s.cur = sorterRow{key: append(s.cur.key[:0], top.cur.key...), data: append(s.cur.data[:0], top.cur.data...)}
	s.valid = true
	ok, err := top.next()
	if err != nil {
		return err
	}
	if ok {
		heap.Fix(&s.heap, 0)
	} else {
		heap.Pop(&s.heap)
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
	s.valid = s.pos < len(s.rows)
	if s.valid {
		s.cur = s.rows[s.pos]
	}
	return s.valid, nil
}

func (s *sorter) close() {
	for _, r := range s.runs {
		r.f.Close()
	}
	s.runs = nil
	s.rows = nil
}

// column reads field i of the current row.
func (s *sorter) column(i int) (record.Value, error) {
	if !s.valid {
		return record.Value{}, nil
	}
	if !s.parsed {
		if err := s.keyHdr.Parse(s.cur.key); err != nil {
			return record.Value{}, err
		}
		if err := s.dataHdr.Parse(s.cur.data); err != nil {
			return record.Value{}, err
		}
		s.parsed = true
	}
	if i < s.nKey {
		return s.keyHdr.Column(i)
	}
	return s.dataHdr.Column(i - s.nKey)
}

// sorterRun is one sorted run in a temporary file.
type sorterRun struct {
	f     osvfs.File
	size  int64
	rd    *bufio.Reader
	cur   sorterRow
	index int
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
	if cap(r.cur.key) < int(kl) {
		r.cur.key = make([]byte, kl)
	}
	r.cur.key = r.cur.key[:kl]
	if cap(r.cur.data) < int(dl) {
		r.cur.data = make([]byte, dl)
	}
	r.cur.data = r.cur.data[:dl]
	if _, err := io.ReadFull(r.rd, r.cur.key); err != nil {
		return false, err
	}
	if _, err := io.ReadFull(r.rd, r.cur.data); err != nil {
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

// runHeap orders runs by their current key; ties go to the earlier run,
// which keeps the sort stable.
type runHeap struct {
	s    *sorter
	runs []*sorterRun
}

func (h *runHeap) Len() int { return len(h.runs) }
func (h *runHeap) Less(i, j int) bool {
	a, b := h.runs[i], h.runs[j]
	c, err := record.Compare(a.cur.key, b.cur.key, h.s.keyInfo)
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
