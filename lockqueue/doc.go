// Package lockqueue is how connections of one process wait for each other's
// database locks: a queue per database file, in which a waiter sleeps until
// the connection ahead of it lets go and is then woken, and only then.
//
// # Why a queue
//
// SQLite's OS layer answers a lock conflict with SQLITE_BUSY at once, and
// the busy handler sleeps and tries again until busy_timeout. The sleep is
// always wrong: too short and the waiters burn CPU retrying; too long and
// the lock sits free while they sleep. Nobody is told when a lock is freed,
// and nothing decides who goes next, so under contention a writer can lose
// every race for seconds and then fail with "database is locked". Within
// one process all of that is avoidable, as WeChat found for SQLite on
// phones: every connection to a file goes through one Queue, which knows
// who holds what and who waits for what, in arrival order. A request that
// cannot be granted parks on its own channel; the connection that releases
// the lock grants it to the waiters that can now proceed, under the queue's
// mutex, and wakes exactly them. No sleeping, no polling, no thundering
// herd, and first come is first served.
//
// # Queues, holders and slots
//
// Open(key) returns the process's Queue for a database file (the key is the
// file's canonical path, or its device and inode; Close when done), and
// Queue.NewHolder a Holder per connection. A queue manages up to 32 lock
// slots, each held shared by any number of holders or exclusive by one.
// Holder.Acquire asks for a set of slots at once, shared or exclusive, and
// Release, Downgrade and Close give them back. A holder of a slot shared
// may ask for it exclusive (an upgrade); it is granted when the other
// sharers have gone.
//
// In rollback-journal mode the file's lock levels live on two slots, and
// Holder.Lock and Unlock speak SQLite's levels: SHARED holds FileShared
// shared; RESERVED adds FileReserved exclusive (one writer, readers still
// welcome); EXCLUSIVE holds both exclusive. PENDING needs no slot of its
// own: a writer queued for EXCLUSIVE already keeps new readers out, because
// of the FIFO rule below, while the readers that hold SHARED finish. A
// write transaction that starts from nothing (an autocommit write, BEGIN
// IMMEDIATE) should ask for RESERVED directly: Lock then takes RESERVED
// before SHARED, so the writer never holds SHARED while it waits for
// RESERVED, and concurrent writers queue for each other instead of running
// into the deadlock below.
//
// In WAL mode the eight WAL locks (WRITE, CKPT, RECOVER, READ0..4) are the
// slots from WALSlotBase (WALSlots maps osvfs.SharedMemory.ShmLock's
// arguments), and readers, which hold READ slots, never wait for the
// writer, which holds WRITE. The WAL's try-locks (SQLite tries a READ slot
// exclusive to move its mark, and falls back to another) are requests with
// Timeout zero: granted at once or refused at once, never queued.
//
// # Order
//
// Requests are served first come, first served: a request is granted when
// it is compatible with the current holders and with every request queued
// ahead of it. So a queued writer blocks the readers that arrive after it
// (no writer starves behind a stream of readers), a release wakes a run of
// readers together or the one writer at the head, and requests for other
// slots pass requests they do not conflict with. One exception keeps
// upgrades from deadlocking: a holder may pass the waiters that wait for
// what it holds, since they cannot be served before it lets go anyway.
//
// A request made with WithPriority(ctx) (or Wait.Priority) is queued ahead
// of all normal requests, behind the earlier priority ones, for the few
// requests on a latency-critical path.
//
// # Giving up
//
// A wait ends at the earlier of the busy timeout (Wait.Timeout; zero means
// do not wait, as SQLite's default) and the context's deadline or
// cancellation. A request that gives up leaves the queue, and if it was
// granted just as it gave up it keeps the lock and succeeds, so no wake-up
// is ever lost. The errors wrap package resultcode's sentinels: the busy
// timeout and a request that may not wait give resultcode.ErrBusy
// ("database is locked"); a context deadline gives resultcode.ErrBusy and
// wraps context.DeadlineExceeded; a cancelled context gives
// resultcode.ErrInterrupt and wraps context.Canceled.
//
// Some waits could never end, and then the request is refused at once with
// resultcode.ErrBusy, as SQLite does. The classic one: a reader holding
// SHARED asks for RESERVED while the RESERVED holder waits for EXCLUSIVE,
// which needs that reader gone. The queue finds every such cycle of waiting
// holders (through held slots, upgrades, and priority requests queued
// ahead of others), whatever the order of arrival, and refuses a request
// on it: a reader rather than a holder of exclusive slots, so that the
// writer's work survives and the reader retries (see deadlock.go).
//
// # Other processes
//
// Another process is not in the queue. Wait.TryOS is the hook for the
// locks that keep it out: once the queue grants a request, Acquire calls
// TryOS (the osvfs File.Lock or ShmLock call that takes SQLite's own
// byte-range lock), so the process takes the OS lock on behalf of its
// holders and a sqlite3 process sharing the file stays safe. If the OS
// reports busy, another process holds the lock: the request keeps its
// grant in this process, so other connections that need the same lock wait
// in the queue behind it, and retries TryOS after 1 ms, then 2, 4, up to
// 50 ms between tries, until it succeeds or the wait ends. Connections that
// need nothing it holds carry on meanwhile. Release the OS lock before
// Release in the queue, so that the next holder's TryOS finds it free; in
// the other order, the next holder only backs off briefly.
//
// A known limit: a deadlock with another process (our reader asks for
// RESERVED while a sqlite3 writer holding it waits for our SHARED to go)
// cannot be seen through the OS's answer, so it ends when one side's busy
// timeout runs out, as it would between two sqlite3 processes.
//
// # Use
//
// The pager's lock calls become (the WAL's are alike, with Acquire on WAL
// slots and ShmLock as TryOS):
//
//	w := lockqueue.Wait{Timeout: busyTimeout, TryOS: func() error { return file.Lock(level) }}
//	if err := holder.Lock(ctx, level, w); err != nil {
//		return err // "database is locked", or the context's error
//	}
//	...
//	file.Unlock(osvfs.LockNone) // the OS lock first,
//	holder.Unlock(osvfs.LockNone) // then the queue, which wakes the next
//
// where TryOS, for a level taken from NONE, takes SHARED first
// (file.Lock(LockShared), then file.Lock(level)), as osvfs requires.
//
// # Statistics
//
// Each queue counts acquisitions, waits, total, mean and longest wait,
// timeouts, cancellations, deadlocks, immediate refusals and retries
// against other processes (Queue.Stats); ProcessStats adds up every queue
// the process has opened. Stats.String prints them on one line for the
// shell.
package lockqueue
