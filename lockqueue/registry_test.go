package lockqueue

import (
	"testing"
	"time"
)

// Ensure that connections opening the same key share one queue for as long
// as one of them has it open, and that the process statistics outlive it.
func TestRegistry(t *testing.T) {
	before := ProcessStats()
	a := Open("/tmp/registry-test.db")
	b := Open("/tmp/registry-test.db")
	other := Open("/tmp/other.db")
	if a != b {
		t.Fatal("same key, different queues")
	}
	if a == other {
		t.Fatal("different keys, same queue")
	}
	if a.Key() != "/tmp/registry-test.db" {
		t.Errorf("Key = %q", a.Key())
	}
	mustAcquire(t, a.NewHolder(), Slot(0), false)
	mustAcquire(t, other.NewHolder(), Slot(0), false)
	a.Close()
	if c := Open("/tmp/registry-test.db"); c != b {
		t.Fatal("queue dropped while still open")
	} else {
		c.Close()
	}
	b.Close()
	b.Close() // one Close too many: ignored
	if c := Open("/tmp/registry-test.db"); c == b {
		t.Fatal("queue kept after its last Close")
	} else {
		c.Close()
	}
	after := ProcessStats()
	if got := after.Acquisitions - before.Acquisitions; got != 2 {
		t.Errorf("process acquisitions grew by %d, want 2", got)
	}
	other.Close()
	if got := ProcessStats().Acquisitions - before.Acquisitions; got != 2 {
		t.Errorf("after closing every queue: grew by %d, want 2", got)
	}
	New().Close() // not registered: nothing happens
}

func TestStatsString(t *testing.T) {
	s := Stats{
		Acquisitions: 10, Waits: 4, PriorityWaits: 1,
		TotalWait: 8 * time.Millisecond, LongestWait: 5 * time.Millisecond,
		Timeouts: 1, Cancels: 2, Deadlocks: 3, Busy: 4, OSRetries: 5, Queued: 6,
	}
	want := "acquisitions=10 waits=4 (priority 1) total-wait=8ms mean-wait=2ms longest-wait=5ms " +
		"timeouts=1 cancels=2 deadlocks=3 busy=4 os-retries=5 queued=6"
	if got := s.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	if (Stats{}).MeanWait() != 0 {
		t.Error("MeanWait of no waits is not 0")
	}
}

func TestPriorityContext(t *testing.T) {
	if IsPriority(t.Context()) {
		t.Error("plain context has priority")
	}
	if !IsPriority(WithPriority(t.Context())) {
		t.Error("WithPriority context has no priority")
	}
	if IsPriority(nil) { //nolint:staticcheck // nil is handled on purpose
		t.Error("nil context has priority")
	}
}
