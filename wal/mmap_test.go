package wal

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrendb/wren/osvfs"
)

// newUnixVFS is set on unix systems (unix_test.go).
var newUnixVFS func() osvfs.VFS

// Ensure that frames are read through the memory mapping: no ReadAt on the
// WAL, unless the file cannot be mapped; on the in-memory and the unix VFS.
func TestFramesReadThroughMapping(t *testing.T) {
	tests := []struct {
		name   string
		vfs    func() osvfs.VFS
		mapped bool
	}{
		{"mem mapped", func() osvfs.VFS { return osvfs.NewMem() }, true},
		{"mem unmappable", func() osvfs.VFS { return unmappableVFS{osvfs.NewMem()} }, false},
		{"unix mapped", newUnixVFS, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.vfs == nil {
				t.Skip("no unix VFS on this system")
			}
			reads := 0
			vfs := countingVFS{tt.vfs(), &reads}
			name := "db"
			if strings.HasPrefix(tt.name, "unix") {
				name = filepath.Join(t.TempDir(), "db")
			}
			w := openConn(t, vfs, name, Options{})
			defer w.mustClose()
			for i := range 30 {
				w.mustCommit(map[uint32]byte{uint32(1 + i%7): byte(i)}, 7)
			}
			r := openConn(t, vfs, name, Options{})
			defer r.mustClose()
			if _, err := r.log.BeginRead(); err != nil {
				t.Fatal(err)
			}
			reads = 0
			frames := 0
			for pgno := uint32(1); pgno <= 7; pgno++ {
				f, err := r.log.FindFrame(pgno)
				if err != nil || f == 0 {
					t.Fatalf("page %d: frame %d, %v", pgno, f, err)
				}
				data, err := r.log.FrameData(f)
				if err != nil {
					t.Fatal(err)
				}
				buf := make([]byte, testPageSize)
				if err := r.log.ReadFrame(f, buf); err != nil {
					t.Fatal(err)
				}
				if want := page(pgno, data[testPageSize-1]); !bytes.Equal(data, want) || !bytes.Equal(buf, want) {
					t.Fatalf("page %d: frame %d holds something else", pgno, f)
				}
				frames += 2
			}
			r.log.EndRead()
			if tt.mapped && reads != 0 {
				t.Errorf("%d ReadAt calls on the WAL for %d frame reads through the mapping", reads, frames)
			}
			if !tt.mapped && reads != frames {
				t.Errorf("without a mapping: %d ReadAt calls for %d frame reads", reads, frames)
			}
		})
	}
}

// unmappableVFS hides osvfs.Mapper.
type unmappableVFS struct{ osvfs.VFS }

func (v unmappableVFS) Open(name string, flags osvfs.OpenFlag) (osvfs.File, error) {
	f, err := v.VFS.Open(name, flags)
	if err != nil || flags&osvfs.OpenWAL == 0 {
		return f, err
	}
	return struct{ osvfs.File }{f}, nil
}

// Ensure that the connections of a process share one mapping of a WAL on
// the unix VFS, that it outlives the connection that made it, that a
// connection moves to a larger one once the WAL outgrows its mapping by
// more than the slack, and that the last close unmaps it.
func TestConnectionsShareWALMapping(t *testing.T) {
	if newUnixVFS == nil {
		t.Skip("no unix VFS on this system")
	}
	vfs := newUnixVFS()
	name := filepath.Join(t.TempDir(), "db")
	a := openConn(t, vfs, name, Options{})
	for i := range 30 {
		a.mustCommit(map[uint32]byte{uint32(1 + i%7): byte(i)}, 7)
	}
	b := openConn(t, vfs, name, Options{})
	c := openConn(t, vfs, name, Options{})
	for _, x := range []*conn{b, c} {
		if _, err := x.log.BeginRead(); err != nil {
			t.Fatal(err)
		}
	}
	if b.log.shared == nil || b.log.shared != c.log.shared {
		t.Fatalf("connections map the WAL separately: %p and %p", b.log.shared, c.log.shared)
	}
	if got := b.log.shared.users; got != 2 {
		t.Errorf("shared mapping has %d users, want 2", got)
	}
	b.log.EndRead()
	b.mustClose()
	// c's mapping was made by b, which is gone: it must still read.
	want := map[uint32]byte{}
	for i := range 30 {
		want[uint32(1+i%7)] = byte(i)
	}
	got, _, err := c.fills()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the mapping's maker closed (-want +got):\n%s", diff)
	}
	c.log.EndRead()

	// Grow the WAL far past the mapping and its slack.
	old := c.log.shared
	for i := range 400 {
		fill := byte(100 + i%100)
		a.mustCommit(map[uint32]byte{uint32(1 + i%7): fill}, 7)
		want[uint32(1+i%7)] = fill
	}
	if _, err := c.log.BeginRead(); err != nil {
		t.Fatal(err)
	}
	if c.log.shared == old || c.log.shared == nil {
		t.Errorf("the WAL outgrew the mapping by %d bytes and no new mapping replaced it",
			frameOffset(c.log.hdr.mxFrame+1, testPageSize)-int64(len(old.data)))
	}
	got, _, err = c.fills()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the WAL grew (-want +got):\n%s", diff)
	}
	c.log.EndRead()
	key := c.log.shareKey
	c.mustClose()
	a.mustClose()
	sharedMappings.Lock()
	left := sharedMappings.newest[key]
	sharedMappings.Unlock()
	if left != nil {
		t.Errorf("a mapping with %d users stays after every connection closed", left.users)
	}
}
