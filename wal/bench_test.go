package wal

import (
	"path/filepath"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

func benchConn(b *testing.B, frames int) *conn {
	b.Helper()
	c := openConn(b, osvfs.NewMem(), "db", Options{Sync: SyncOff})
	b.Cleanup(func() { c.close() })
	for i := 0; i < frames; i += 10 {
		fills := map[uint32]byte{}
		for j := range 10 {
			fills[uint32(1+(i+j)%500)] = byte(i)
		}
		c.mustCommit(fills, 500)
	}
	return c
}

// BenchmarkFindFrame looks pages up in a WAL of 2000 frames over 500
// pages: the hash-table probe behind every page read in WAL mode.
func BenchmarkFindFrame(b *testing.B) {
	c := benchConn(b, 2000)
	if _, err := c.log.BeginRead(); err != nil {
		b.Fatal(err)
	}
	defer c.log.EndRead()
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.log.FindFrame(uint32(1 + i%600)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrameData reads frames through the mapping.
func BenchmarkFrameData(b *testing.B) {
	c := benchConn(b, 2000)
	if _, err := c.log.BeginRead(); err != nil {
		b.Fatal(err)
	}
	defer c.log.EndRead()
	b.SetBytes(testPageSize)
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.log.FrameData(uint32(1 + i%2000)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadTransaction is BeginRead plus EndRead: the per-transaction
// cost of fixing a snapshot.
func BenchmarkReadTransaction(b *testing.B) {
	c := benchConn(b, 100)
	b.ResetTimer()
	for range b.N {
		if _, err := c.log.BeginRead(); err != nil {
			b.Fatal(err)
		}
		c.log.EndRead()
	}
}

// BenchmarkCommitOnePage commits one page per transaction, checkpointing
// every 1000 frames as the pager's default wal_autocheckpoint does.
func BenchmarkCommitOnePage(b *testing.B) {
	c := benchConn(b, 0)
	data := page(1, 'x')
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.log.BeginRead(); err != nil {
			b.Fatal(err)
		}
		if err := c.log.BeginWrite(); err != nil {
			b.Fatal(err)
		}
		if err := c.log.Append([]Page{{Pgno: uint32(1 + i%100), Data: data}}, 100); err != nil {
			b.Fatal(err)
		}
		c.log.EndWrite()
		c.log.EndRead()
		if c.log.Frames() >= 1000 {
			if _, err := c.log.Checkpoint(CheckpointPassive, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCommitsWithManyReaders measures a growing WAL on the unix VFS
// with 16 connections: each operation commits one page through one
// connection, then every connection reads the newest frame.
func BenchmarkCommitsWithManyReaders(b *testing.B) {
	if newUnixVFS == nil {
		b.Skip("no unix VFS on this system")
	}
	vfs := newUnixVFS()
	name := filepath.Join(b.TempDir(), "db")
	conns := make([]*conn, 16)
	for i := range conns {
		conns[i] = openConn(b, vfs, name, Options{Sync: SyncOff})
		defer conns[i].mustClose()
	}
	b.ResetTimer()
	for i := range b.N {
		conns[i%len(conns)].mustCommit(map[uint32]byte{uint32(1 + i%50): byte(i)}, 50)
		for _, c := range conns {
			if _, err := c.log.BeginRead(); err != nil {
				b.Fatal(err)
			}
			if _, err := c.readPage(uint32(1 + i%50)); err != nil {
				b.Fatal(err)
			}
			c.log.EndRead()
		}
	}
}
