package lockqueue

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wrendb/wren/osvfs"
)

// conn is what a pager does with its file and its holder: the queue first,
// the OS lock through TryOS, and on the way down the OS lock first.
type conn struct {
	f osvfs.File
	h *Holder
}

func (c conn) lock(ctx context.Context, level osvfs.LockLevel, wait Wait) error {
	wait.TryOS = func() error {
		if c.f.LockLevel() < osvfs.LockShared && level > osvfs.LockShared {
			if err := c.f.Lock(osvfs.LockShared); err != nil {
				return err
			}
		}
		return c.f.Lock(level)
	}
	before := c.f.LockLevel()
	err := c.h.Lock(ctx, level, wait)
	if err != nil && before == osvfs.LockNone {
		c.f.Unlock(osvfs.LockNone)
	}
	return err
}

func (c conn) unlock(t *testing.T) {
	if err := c.f.Unlock(osvfs.LockNone); err != nil {
		t.Error(err)
	}
	c.h.Unlock(osvfs.LockNone)
}

// Ensure that the queue and osvfs's own accounting of the process's locks
// agree: with the queue in front, connections of one process never see a
// busy answer from the OS layer, so nobody backs off.
func TestQueueInFrontOfOSVFS(t *testing.T) {
	vfses := []struct {
		name string
		vfs  osvfs.VFS
		path string
	}{
		{"mem", osvfs.NewMem(), "queue.db"},
		{"unix", osvfs.NewUnix(), filepath.Join(t.TempDir(), "queue.db")},
	}
	for _, v := range vfses {
		t.Run(v.name, func(t *testing.T) {
			q := New()
			ctx := stressContext(t)
			wait := Wait{Timeout: time.Minute}
			newConn := func() conn {
				f, err := v.vfs.Open(v.path, osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenMainDB)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return conn{f, q.NewHolder()}
			}
			var wg sync.WaitGroup
			for range 8 {
				c := newConn()
				wg.Add(1)
				go func() { // writer
					defer wg.Done()
					for range 100 {
						if err := c.lock(ctx, osvfs.LockReserved, wait); err != nil {
							t.Errorf("RESERVED: %v", err)
							return
						}
						if err := c.lock(ctx, osvfs.LockExclusive, wait); err != nil {
							t.Errorf("EXCLUSIVE: %v", err)
							return
						}
						c.unlock(t)
					}
				}()
			}
			for range 3 {
				c := newConn()
				wg.Add(1)
				go func() { // reader
					defer wg.Done()
					for range 200 {
						if err := c.lock(ctx, osvfs.LockShared, wait); err != nil {
							t.Errorf("SHARED: %v", err)
							return
						}
						c.unlock(t)
					}
				}()
			}
			wg.Wait()
			if st := q.Stats(); st.OSRetries != 0 || st.Busy+st.Timeouts+st.Deadlocks != 0 {
				t.Errorf("stats: %v", st)
			}
		})
	}
}
