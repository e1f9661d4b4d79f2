package lockqueue_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wrendb/wren/lockqueue"
	"github.com/wrendb/wren/osvfs"
)

func ExampleHolder_Acquire() {
	q := lockqueue.Open("example.db")
	defer q.Close()
	writer, reader := q.NewHolder(), q.NewHolder()
	ctx := context.Background()
	busy := lockqueue.Wait{Timeout: 5 * time.Second}
	write := lockqueue.WALSlots(lockqueue.WALWrite, 1)

	// In WAL mode the writer holds WRITE and readers hold a READ slot:
	// they never wait for each other.
	if err := writer.Acquire(ctx, lockqueue.Request{Slots: write, Exclusive: true, Wait: busy}); err != nil {
		fmt.Println(err)
	}
	if err := reader.Acquire(ctx, lockqueue.Request{Slots: lockqueue.WALSlots(lockqueue.WALRead0+1, 1), Wait: busy}); err != nil {
		fmt.Println(err)
	}
	// A second writer that may not wait is told at once.
	err := q.NewHolder().Acquire(ctx, lockqueue.Request{Slots: write, Exclusive: true})
	fmt.Println(err)
	writer.Release(write)
	reader.Close()
	// Output:
	// database is locked: lockqueue: exclusive {wal-write} is held
}

func ExampleHolder_Lock() {
	q := lockqueue.New()
	ctx := context.Background()
	busy := lockqueue.Wait{Timeout: 5 * time.Second}
	reader, writer := q.NewHolder(), q.NewHolder()

	reader.Lock(ctx, osvfs.LockShared, busy)
	writer.Lock(ctx, osvfs.LockReserved, busy) // from NONE: RESERVED, then SHARED
	fmt.Println(reader.Level(), writer.Level())

	// The writer commits: EXCLUSIVE waits until the reader has gone.
	committed := make(chan error)
	go func() { committed <- writer.Lock(ctx, osvfs.LockExclusive, busy) }()
	for q.Len() == 0 {
		time.Sleep(time.Millisecond)
	}
	// The reader now wanting to write would deadlock: refused at once.
	fmt.Println(reader.Lock(ctx, osvfs.LockReserved, busy))
	reader.Unlock(osvfs.LockNone)
	fmt.Println(<-committed, writer.Level())
	writer.Unlock(osvfs.LockNone)
	fmt.Println(q.Stats().Deadlocks, "deadlock")
	// Output:
	// SHARED RESERVED
	// database is locked: lockqueue: waiting for exclusive {file-reserved} would deadlock
	// <nil> EXCLUSIVE
	// 1 deadlock
}
