package workload

import (
	"slices"
	"time"
)

// latencies collects the duration of single operations of one goroutine;
// merge them before computing percentiles.
type latencies []time.Duration

// fill sets the percentile fields of m from all recorded durations.
func (l latencies) fill(m *Metric) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(q float64) int64 {
		i := int(q * float64(len(s)-1))
		return s[i].Nanoseconds()
	}
	m.P50 = at(0.50)
	m.P99 = at(0.99)
	m.Max = s[len(s)-1].Nanoseconds()
}
