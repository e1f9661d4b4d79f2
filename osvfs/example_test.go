package osvfs_test

import (
	"errors"
	"fmt"

	"github.com/wrendb/wren/osvfs"
	"github.com/wrendb/wren/resultcode"
)

// A crash test: write, sync, write again, lose the power, and see what the
// disk kept.
func ExampleNewFault() {
	vfs := osvfs.NewFault(osvfs.NewMem())
	f, _ := vfs.Open("/app.db", osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenMainDB)
	f.WriteAt([]byte("committed"), 0)
	f.Sync(osvfs.SyncNormal)

	vfs.CutAfterWrites(1)
	f.WriteAt([]byte("COMMITTED"), 0) // reaches the file, never synced
	_, err := f.WriteAt([]byte("!"), 9)
	fmt.Println("power cut:", errors.Is(err, osvfs.ErrInjected))

	vfs.Crash()
	vfs.Reset()
	g, _ := vfs.Open("/app.db", osvfs.OpenReadWrite|osvfs.OpenMainDB)
	buf := make([]byte, 9)
	g.ReadAt(buf, 0)
	fmt.Println("after reboot:", string(buf))
	// Output:
	// power cut: true
	// after reboot: committed
}

// Two handles on one in-memory file share its bytes and its locks.
func ExampleNewMem() {
	vfs := osvfs.NewMem()
	a, _ := vfs.Open("shared.db", osvfs.OpenReadWrite|osvfs.OpenCreate|osvfs.OpenMainDB)
	b, _ := vfs.Open("shared.db", osvfs.OpenReadWrite|osvfs.OpenMainDB)
	a.WriteAt([]byte("hello"), 0)
	buf := make([]byte, 5)
	b.ReadAt(buf, 0)
	fmt.Println(string(buf))

	a.Lock(osvfs.LockShared)
	a.Lock(osvfs.LockReserved)
	b.Lock(osvfs.LockShared)
	err := b.Lock(osvfs.LockReserved)
	fmt.Println(errors.Is(err, resultcode.ErrBusy))
	// Output:
	// hello
	// true
}
