package wal

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// Ensure that connections in goroutines share the wal-index safely:
// writers increment a version held on every page (read, then write; a
// stale snapshot is retried), checkpoints run in between, no increment is
// lost, and every snapshot a reader takes shows a single version on all pages,
// stable for the whole read transaction, never older than a version it
// saw before. Run with -race, this also checks that every access to the
// shared memory is synchronized.
func TestConcurrentReadersWritersCheckpointers(t *testing.T) {
	const (
		pages   = 6
		writers = 3
		commits = 40
		readers = 3
	)
	vfs := osvfs.NewMem()
	setup := openConn(t, vfs, "db", Options{})
	all := map[uint32]byte{}
	for p := uint32(1); p <= pages; p++ {
		all[p] = 0
	}
	setup.mustCommit(all, pages)

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	stop := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := tryOpenConn(vfs, "db", Options{})
			if err != nil {
				fail(err)
				return
			}
			defer c.close()
			for i := 0; i < commits; {
				err := c.increment(pages)
				switch {
				case err == nil:
					i++
				case errors.Is(err, resultcode.ErrBusy):
					// Another writer, or our snapshot went stale: retry.
				default:
					fail(fmt.Errorf("writer %d: %w", w, err))
					return
				}
				if i%10 == 9 {
					if _, err := c.log.Checkpoint(CheckpointPassive, nil); err != nil {
						fail(err)
						return
					}
				}
			}
		}()
	}
	var rg sync.WaitGroup
	for r := range readers {
		rg.Add(1)
		go func() {
			defer rg.Done()
			c, err := tryOpenConn(vfs, "db", Options{})
			if err != nil {
				fail(err)
				return
			}
			defer c.close()
			var last byte
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := c.log.BeginRead(); err != nil {
					if errors.Is(err, resultcode.ErrBusy) {
						continue
					}
					fail(err)
					return
				}
				var seen byte
				for round := range 2 {
					got, _, err := c.fills()
					if err != nil {
						fail(fmt.Errorf("reader %d: %w", r, err))
						c.log.EndRead()
						return
					}
					v := got[1]
					for p, f := range got {
						if f != v {
							fail(fmt.Errorf("reader %d: torn snapshot: page %d has version %d, page 1 has %d", r, p, f, v))
						}
					}
					if round == 0 {
						seen = v
					} else if v != seen {
						fail(fmt.Errorf("reader %d: snapshot moved from %d to %d", r, seen, v))
					}
				}
				c.log.EndRead()
				// Versions are committed in increasing order.
				if seen < last {
					fail(fmt.Errorf("reader %d: saw version %d after %d", r, seen, last))
				}
				last = seen
			}
		}()
	}
	wg.Wait()
	close(stop)
	rg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	// Every increment read the version in its snapshot and wrote the
	// next one: none may be lost.
	got := mustSnapshot(setup)
	for p, f := range got {
		if f != writers*commits {
			t.Errorf("final page %d at version %d, want %d", p, f, writers*commits)
		}
	}
	setup.mustClose()
}

// increment is a read-modify-write transaction: it reads the version on
// page 1 and writes the next one on every page.
func (c *conn) increment(pages uint32) error {
	if _, err := c.log.BeginRead(); err != nil {
		return err
	}
	defer c.log.EndRead()
	p1, err := c.readPage(1)
	if err != nil {
		return err
	}
	if err := c.log.BeginWrite(); err != nil {
		return err
	}
	var batch []Page
	for p := uint32(1); p <= pages; p++ {
		batch = append(batch, Page{Pgno: p, Data: page(p, p1[testPageSize-1]+1)})
	}
	if err := c.log.Append(batch, pages); err != nil {
		c.log.Rollback()
		return err
	}
	return c.log.EndWrite()
}

// Ensure that a WAL longer than one hash block (4062 frames) is indexed,
// looked up and recovered correctly across blocks, and that a rollback
// that crosses a block boundary forgets the right frames.
func TestManyFramesAcrossBlocks(t *testing.T) {
	vfs := osvfs.NewMem()
	c := openConn(t, vfs, "db", Options{})
	const perCommit = 97
	want := map[uint32]byte{}
	for i := range 100 { // 9700 frames: blocks 0, 1 and 2
		fills := map[uint32]byte{}
		for j := range perCommit {
			p := uint32(1 + (i*perCommit+j)%500)
			fills[p] = byte(i)
		}
		c.mustCommit(fills, 500)
		for p, f := range fills {
			want[p] = f
		}
	}
	check := func(c *conn, what string) {
		t.Helper()
		got := mustSnapshot(c)
		if len(got) != 500 {
			t.Fatalf("%s: %d pages", what, len(got))
		}
		for p, f := range want {
			if got[p] != f {
				t.Fatalf("%s: page %d has %d, want %d", what, p, got[p], f)
			}
		}
	}
	check(c, "written")

	// Uncommitted frames from block 2 into block 3, rolled back.
	c.log.BeginRead()
	c.log.BeginWrite()
	var spill []Page
	for i := range 3000 {
		spill = append(spill, Page{Pgno: uint32(1 + i%500), Data: page(uint32(1+i%500), 0xee)})
	}
	if err := c.log.Append(spill, 0); err != nil {
		t.Fatal(err)
	}
	c.log.Rollback()
	c.log.EndRead()
	check(c, "after rollback")

	c.kill()
	r := openConn(t, vfs, "db", Options{})
	defer r.mustClose()
	check(r, "recovered")
	if n := r.log.Frames(); n != 9700 {
		t.Errorf("recovered %d frames, want 9700", n)
	}
}
