package vdbe

import (
	"sort"

	"github.com/wrendb/wren/record"
)

// sorter collects rows for ORDER BY and GROUP BY and returns them in key
// order. Each row is kept as two records: its key fields, compared under
// the KeyInfo, and the rest. Equal keys keep their insertion order.
//
// The rows are held in memory; spilling sorted runs to temporary files for
// sorts larger than memory is still to come.
type sorter struct {
	keyInfo *record.KeyInfo
	nKey    int
	rows    []sorterRow
	pos     int
	err     error

	keyHdr, dataHdr record.Header
	hdrPos          int // pos the headers were parsed for, -1 when none
}

type sorterRow struct {
	key, data []byte
}

func newSorter(ki *record.KeyInfo) *sorter {
	return &sorter{keyInfo: ki, nKey: len(ki.Collations), hdrPos: -1}
}

func (s *sorter) insert(vals []record.Value) {
	n := s.nKey
	if n > len(vals) {
		n = len(vals)
	}
	key := record.AppendRecord(nil, vals[:n])
	data := record.AppendRecord(nil, vals[n:])
	s.rows = append(s.rows, sorterRow{key, data})
}

func (s *sorter) sort() error {
	sort.SliceStable(s.rows, func(i, j int) bool {
		c, err := record.Compare(s.rows[i].key, s.rows[j].key, s.keyInfo)
		if err != nil && s.err == nil {
			s.err = err
		}
		return c < 0
	})
	s.pos = 0
	s.hdrPos = -1
	return s.err
}

func (s *sorter) valid() bool { return s.pos < len(s.rows) }

func (s *sorter) next() bool {
	s.pos++
	return s.pos < len(s.rows)
}

func (s *sorter) current() []byte { return nil }

// column reads field i of the current row.
func (s *sorter) column(i int) (record.Value, error) {
	if s.pos >= len(s.rows) {
		return record.Value{}, nil
	}
	if s.hdrPos != s.pos {
		if err := s.keyHdr.Parse(s.rows[s.pos].key); err != nil {
			return record.Value{}, err
		}
		if err := s.dataHdr.Parse(s.rows[s.pos].data); err != nil {
			return record.Value{}, err
		}
		s.hdrPos = s.pos
	}
	if i < s.nKey {
		return s.keyHdr.Column(i)
	}
	return s.dataHdr.Column(i - s.nKey)
}
