package pager

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// The background checkpointer. The automatic checkpoint (PRAGMA
// wal_autocheckpoint) is SQLite's to run in the connection that committed,
// after the commit, so that one transaction in every few hundred takes
// milliseconds longer: it copies pages and syncs two files. With
// Options.BackgroundCheckpoint, a connection only signals instead, and the
// checkpoint runs in a goroutine of its own, one per database file in the
// process, on a connection (Pager) of its own: no transaction waits for it
// but those queued behind its short last pass (see autoCheckpointWAL).
//
// The goroutine and its connection live while some connection that asked
// for it is in WAL mode: the last one to leave (Close, or leaving WAL mode)
// stops it and closes its connection first, so that the last connection is
// still the one that checkpoints and starts the WAL over at Close. Errors
// of the background checkpoint are dropped, as those of the automatic
// checkpoint are: the next signal tries again.

// checkpointer is the background checkpointer of one database file.
type checkpointer struct {
	key   string
	users int // attached pagers; guarded by checkpointers.Mutex

	vfsOpen func() (*Pager, error) // opens the checkpointer's connection
	kick    chan struct{}          // buffered(1): a checkpoint is wanted
	ctx     context.Context        // cancelled to stop, ending lock waits
	stop    context.CancelFunc
	done    chan struct{} // closed when the goroutine has ended
	runs    atomic.Int64  // checkpoints run, for tests

	mu sync.Mutex // guards the settings of the last signal
	// The settings of the connection that signalled last: the checkpoint
	// syncs as its synchronous level says and waits as long as it would.
	sync        Synchronous
	busyTimeout time.Duration
	threshold   int // wal_autocheckpoint
}

// checkpointers are the running background checkpointers, by file key.
var checkpointers = struct {
	sync.Mutex
	m map[string]*checkpointer
}{m: make(map[string]*checkpointer)}

// attachCheckpointer makes p a user of its file's background
// checkpointer, starting it if p is the first.
func (p *Pager) attachCheckpointer() {
	if p.ckpt != nil || p.readOnly {
		return
	}
	key := p.FileKey()
	checkpointers.Lock()
	defer checkpointers.Unlock()
	c := checkpointers.m[key]
	if c == nil {
		vfs, name := p.vfs, p.dbName
		ctx, cancel := context.WithCancel(context.Background())
		c = &checkpointer{
			key:     key,
			vfsOpen: func() (*Pager, error) { return Open(vfs, name, Options{CacheSize: 16}) },
			kick:    make(chan struct{}, 1),
			ctx:     ctx,
			stop:    cancel,
			done:    make(chan struct{}),
		}
		checkpointers.m[key] = c
		go c.run()
	}
	c.users++
	p.ckpt = c
}

// detachCheckpointer ends p's use of the background checkpointer; the last
// user stops it and waits until its connection is closed.
func (p *Pager) detachCheckpointer() {
	c := p.ckpt
	if c == nil {
		return
	}
	p.ckpt = nil
	checkpointers.Lock()
	c.users--
	last := c.users == 0
	if last && checkpointers.m[c.key] == c {
		delete(checkpointers.m, c.key)
	}
	checkpointers.Unlock()
	if last {
		c.stop()
		<-c.done
	}
}

// signal asks for a checkpoint with p's settings. It never blocks: a
// checkpoint already asked for and not yet begun covers this one too.
func (c *checkpointer) signal(p *Pager) {
	c.mu.Lock()
	c.sync, c.busyTimeout, c.threshold = p.sync, p.busyTimeout, p.autoCheckpoint
	c.mu.Unlock()
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// run is the checkpointer's goroutine. Its connection is opened at the
// first signal (and again after a failure to open or to checkpoint).
func (c *checkpointer) run() {
	defer close(c.done)
	var pg *Pager
	defer func() {
		if pg != nil {
			pg.Close()
		}
	}()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.kick:
		}
		if pg == nil {
			pg = c.open()
			if pg == nil {
				continue
			}
		}
		c.mu.Lock()
		pg.SetSynchronous(c.sync)
		pg.busyTimeout = c.busyTimeout
		threshold := c.threshold
		c.mu.Unlock()
		if int64(pg.log.Committed()) < int64(threshold) {
			// Signalled by commits made while the last checkpoint
			// ran, which has started the WAL over since.
			continue
		}
		pg.ctx = c.ctx
		pg.autoCheckpointWAL(backgroundPasses, threshold)
		pg.ctx = nil
		c.runs.Add(1)
	}
}

// open opens the checkpointer's connection and brings it into WAL mode.
func (c *checkpointer) open() *Pager {
	pg, err := c.vfsOpen()
	if err != nil {
		return nil
	}
	err = pg.BeginReadContext(c.ctx)
	if err == nil {
		err = pg.EndRead()
	}
	if err != nil || pg.log == nil {
		pg.Close()
		return nil
	}
	return pg
}
