package workload

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLatencyPercentiles(t *testing.T) {
	var l latencies
	for i := 100; i >= 1; i-- { // unsorted on purpose
		l = append(l, time.Duration(i)*time.Microsecond)
	}
	var m Metric
	l.fill(&m)
	got := []int64{m.P50, m.P99, m.Max}
	want := []int64{50_000, 99_000, 100_000}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("p50, p99, max (-want +got):\n%s", diff)
	}
	if l[0] != 100*time.Microsecond {
		t.Errorf("fill sorted its receiver in place")
	}
}

func TestNsPerOp(t *testing.T) {
	if got := (Metric{Ops: 4, Nanos: 10}).NsPerOp(); got != 2.5 {
		t.Errorf("NsPerOp = %v, want 2.5", got)
	}
	if got := (Metric{}).NsPerOp(); got != 0 {
		t.Errorf("NsPerOp with no ops = %v, want 0", got)
	}
}

func TestEveryWorkloadIsNamedOnce(t *testing.T) {
	seen := map[string]bool{}
	floors := 0
	for _, w := range All {
		if seen[w.Name] {
			t.Errorf("workload %s listed twice", w.Name)
		}
		seen[w.Name] = true
		if w.Doc == "" || w.Run == nil {
			t.Errorf("workload %s has no doc or no Run", w.Name)
		}
		if w.Floor {
			floors++
		}
		if got, ok := Lookup(w.Name); !ok || got.Name != w.Name {
			t.Errorf("Lookup(%q) = %q, %v", w.Name, got.Name, ok)
		}
	}
	if floors != 2 {
		t.Errorf("%d workloads run on the floor driver, want 2 (point and scan)", floors)
	}
}
