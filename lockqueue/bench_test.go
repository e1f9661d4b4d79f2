package lockqueue

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// BenchmarkUncontended measures an acquire and release that never wait.
func BenchmarkUncontended(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name      string
		exclusive bool
	}{{"shared", false}, {"exclusive", true}} {
		b.Run(bc.name, func(b *testing.B) {
			h := New().NewHolder()
			req := Request{Slots: Slot(0), Exclusive: bc.exclusive, Wait: forever}
			b.ReportAllocs()
			for b.Loop() {
				if err := h.Acquire(ctx, req); err != nil {
					b.Fatal(err)
				}
				h.Release(Slot(0))
			}
		})
	}
}

// BenchmarkUncontendedWriteTxn measures the lock calls of one uncontended
// rollback-mode write transaction: RESERVED, EXCLUSIVE, unlock.
func BenchmarkUncontendedWriteTxn(b *testing.B) {
	ctx := context.Background()
	h := New().NewHolder()
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Lock(ctx, osvfs.LockReserved, forever); err != nil {
			b.Fatal(err)
		}
		if err := h.Lock(ctx, osvfs.LockExclusive, forever); err != nil {
			b.Fatal(err)
		}
		h.Unlock(osvfs.LockNone)
	}
}

// BenchmarkHandoff measures an exclusive lock passed among goroutines that
// all want it. They start queued behind the benchmark's own hold, and each
// queues again as soon as it lets go, so every acquisition (but the last
// few) parks and is woken by the release before it: ns/op is the cost of
// one handoff from a releasing goroutine to a parked one.
func BenchmarkHandoff(b *testing.B) {
	for _, goroutines := range []int{2, 8, 64} {
		b.Run(fmt.Sprintf("goroutines=%d", goroutines), func(b *testing.B) {
			q := New()
			ctx := context.Background()
			req := Request{Slots: Slot(0), Exclusive: true, Wait: forever}
			gate := q.NewHolder()
			if err := gate.Acquire(ctx, req); err != nil {
				b.Fatal(err)
			}
			var wg sync.WaitGroup
			per := b.N/goroutines + 1
			for range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					h := q.NewHolder()
					for range per {
						if err := h.Acquire(ctx, req); err != nil {
							b.Error(err)
							return
						}
						h.Release(Slot(0))
					}
				}()
			}
			for q.Len() < goroutines {
				runtime.Gosched()
			}
			b.ReportAllocs()
			b.ResetTimer()
			gate.Release(Slot(0))
			wg.Wait()
			st := q.Stats()
			b.ReportMetric(float64(st.Waits)/float64(st.Acquisitions), "waits/acq")
		})
	}
}
