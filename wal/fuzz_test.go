package wal

import (
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// FuzzRecoverWAL opens a WAL file of arbitrary content: recovery, reads of
// every page the snapshot has, a checkpoint and a close must end in data
// or an error, never a panic or a hang.
func FuzzRecoverWAL(f *testing.F) {
	// Seeds: a real WAL of a few commits, and pieces of it.
	vfs := osvfs.NewMem()
	c := openConn(f, vfs, "db", Options{})
	c.mustCommit(map[uint32]byte{1: 'a', 2: 'b'}, 2)
	c.mustCommit(map[uint32]byte{2: 'c', 3: 'd'}, 3)
	c.kill()
	wf, _ := vfs.Open("db-wal", osvfs.OpenReadOnly)
	size, _ := wf.Size()
	walBytes := make([]byte, size)
	wf.ReadAt(walBytes, 0)
	wf.Close()
	f.Add(walBytes)
	f.Add(walBytes[:walHeaderSize])
	f.Add(walBytes[:frameOffset(2, testPageSize)+100])
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, wal []byte) {
		vfs := osvfs.NewMem()
		vfs.SetMaxSize(64 << 20)
		w, _ := vfs.Open("db-wal", osvfs.OpenReadWrite|osvfs.OpenCreate)
		w.WriteAt(wal, 0)
		w.Close()
		c, err := tryOpenConn(vfs, "db", Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.close()
		if _, err := c.log.BeginRead(); err != nil {
			return
		}
		pageSize := c.log.PageSize()
		for pgno := uint32(1); pgno <= min(c.log.DBSize(), 64); pgno++ {
			f, err := c.log.FindFrame(pgno)
			if err != nil {
				break
			}
			if f != 0 {
				data, err := c.log.FrameData(f)
				if err == nil && len(data) != pageSize {
					t.Fatalf("frame %d: %d bytes, page size %d", f, len(data), pageSize)
				}
			}
		}
		c.log.EndRead()
		c.log.Checkpoint(CheckpointTruncate, nil)
	})
}
