package lockqueue

import "sync"

// The process-wide registry: one Queue per database file, found by the key
// its users agree on (the canonical path, or device and inode), alive while
// some connection has it open.
var registry struct {
	mu     sync.Mutex
	queues map[string]*Queue
	// retired accumulates the statistics of closed queues, so that
	// ProcessStats covers the life of the process.
	retired Stats
}

// Open returns the queue for key, creating it on first use. Every Open is
// matched by a Close; the queue lives until the last one. Connections to
// the same database file must use the same key, or they will not see each
// other's locks (the OS-level locks taken through TryOS still keep them
// safe, at the cost of backoff instead of queueing).
func Open(key string) *Queue {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.queues == nil {
		registry.queues = make(map[string]*Queue)
	}
	q := registry.queues[key]
	if q == nil {
		q = &Queue{key: key}
		registry.queues[key] = q
	}
	q.refs++
	return q
}

// Close gives up one Open of q. After the last Close the key names a fresh
// queue; holders of the old one must be closed before that. Close on a
// queue made by New, or one closed too often, does nothing.
func (q *Queue) Close() {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if q.refs <= 0 {
		return
	}
	q.refs--
	if q.refs == 0 && registry.queues[q.key] == q {
		delete(registry.queues, q.key)
		st := q.Stats()
		st.Queued = 0
		registry.retired.add(st)
	}
}

// ProcessStats adds up the statistics of every queue this process has
// opened with Open, including closed ones; Queued counts the requests
// waiting now in all of them.
func ProcessStats() Stats {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	total := registry.retired
	for _, q := range registry.queues {
		total.add(q.Stats())
	}
	return total
}
