package osvfs

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/resultcode"
)

// unixForTest makes the unix VFS on systems that have it; nil elsewhere.
var unixForTest func() VFS

// testVFS is one implementation under test, with a directory to put files in.
type testVFS struct {
	name string
	vfs  VFS
	dir  string
}

func (tv testVFS) path(name string) string { return filepath.Join(tv.dir, name) }

// eachVFS runs fn against every implementation: real files, memory, and the
// fault injector (with no fault configured) over memory.
func eachVFS(t *testing.T, fn func(t *testing.T, tv testVFS)) {
	t.Helper()
	type maker struct {
		name string
		make func(t *testing.T) testVFS
	}
	makers := []maker{
		{"mem", func(t *testing.T) testVFS { return testVFS{"mem", NewMem(), "/db"} }},
		{"fault", func(t *testing.T) testVFS { return testVFS{"fault", NewFault(NewMem()), "/db"} }},
	}
	if unixForTest != nil {
		makers = append([]maker{
			{"unix", func(t *testing.T) testVFS { return testVFS{"unix", unixForTest(), t.TempDir()} }},
		}, makers...)
	}
	for _, m := range makers {
		t.Run(m.name, func(t *testing.T) { fn(t, m.make(t)) })
	}
}

func mustOpen(t *testing.T, v VFS, name string, flags OpenFlag) File {
	t.Helper()
	f, err := v.Open(name, flags)
	if err != nil {
		t.Fatalf("Open(%q): %v", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

const rwc = OpenReadWrite | OpenCreate | OpenMainDB

// fileOp is one step of a read/write scenario and what it should give.
type fileOp struct {
	op      string // "write", "read", "truncate", "size"
	off     int64  // offset, or size for truncate
	data    string // written, or expected from read
	n       int    // bytes to read
	wantEOF bool
	want    int64 // size, or the count a read returns
}

func TestReadWriteTruncateSize(t *testing.T) {
	tests := []struct {
		name string
		ops  []fileOp
	}{
		{"empty file", []fileOp{
			{op: "size", want: 0},
			{op: "read", off: 0, n: 4, data: "\x00\x00\x00\x00", wantEOF: true, want: 0},
		}},
		{"write then read back", []fileOp{
			{op: "write", off: 0, data: "hello"},
			{op: "read", off: 0, n: 5, data: "hello", want: 5},
			{op: "size", want: 5},
		}},
		{"write past the end leaves a zero gap", []fileOp{
			{op: "write", off: 4, data: "ab"},
			{op: "size", want: 6},
			{op: "read", off: 0, n: 6, data: "\x00\x00\x00\x00ab", want: 6},
		}},
		{"short read past EOF zero-fills and reports EOF", []fileOp{
			{op: "write", off: 0, data: "abc"},
			{op: "read", off: 1, n: 4, data: "bc\x00\x00", wantEOF: true, want: 2},
			{op: "read", off: 10, n: 2, data: "\x00\x00", wantEOF: true, want: 0},
		}},
		{"overwrite in the middle", []fileOp{
			{op: "write", off: 0, data: "abcdef"},
			{op: "write", off: 2, data: "XY"},
			{op: "read", off: 0, n: 6, data: "abXYef", want: 6},
		}},
		{"truncate shrinks, regrowth is zeros", []fileOp{
			{op: "write", off: 0, data: "abcdef"},
			{op: "truncate", off: 2},
			{op: "size", want: 2},
			{op: "write", off: 4, data: "Z"},
			{op: "read", off: 0, n: 5, data: "ab\x00\x00Z", want: 5},
		}},
		{"truncate grows with zeros", []fileOp{
			{op: "write", off: 0, data: "ab"},
			{op: "truncate", off: 5},
			{op: "size", want: 5},
			{op: "read", off: 0, n: 5, data: "ab\x00\x00\x00", want: 5},
		}},
		{"big write", []fileOp{
			{op: "write", off: 65536 - 3, data: "wren"},
			{op: "size", want: 65537},
			{op: "read", off: 65536 - 3, n: 4, data: "wren", want: 4},
		}},
	}
	eachVFS(t, func(t *testing.T, tv testVFS) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := mustOpen(t, tv.vfs, tv.path(tt.name), rwc)
				for i, op := range tt.ops {
					checkFileOp(t, i, f, op)
				}
			})
		}
	})
}

func checkFileOp(t *testing.T, i int, f File, op fileOp) {
	t.Helper()
	switch op.op {
	case "write":
		n, err := f.WriteAt([]byte(op.data), op.off)
		if err != nil || n != len(op.data) {
			t.Fatalf("step %d: WriteAt = %d, %v", i, n, err)
		}
	case "read":
		buf := make([]byte, op.n)
		for j := range buf {
			buf[j] = 0xee // must be overwritten, with zeros past EOF
		}
		n, err := f.ReadAt(buf, op.off)
		if gotEOF := errors.Is(err, io.EOF); gotEOF != op.wantEOF || (err != nil && !gotEOF) {
			t.Fatalf("step %d: ReadAt error %v, want EOF %v", i, err, op.wantEOF)
		}
		if diff := cmp.Diff(op.data, string(buf)); diff != "" {
			t.Fatalf("step %d: ReadAt bytes (-want +got):\n%s", i, diff)
		}
		if n != int(op.want) {
			t.Fatalf("step %d: ReadAt n = %d, want %d", i, n, op.want)
		}
	case "truncate":
		if err := f.Truncate(op.off); err != nil {
			t.Fatalf("step %d: Truncate: %v", i, err)
		}
	case "size":
		size, err := f.Size()
		if err != nil || size != op.want {
			t.Fatalf("step %d: Size = %d, %v; want %d", i, size, err, op.want)
		}
	default:
		t.Fatalf("bad op %q", op.op)
	}
}

func TestOpenDeleteExists(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		v := tv.vfs
		name := tv.path("x.db")
		if _, err := v.Open(name, OpenReadWrite|OpenMainDB); !errors.Is(err, resultcode.ErrCantOpen) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("open missing file without create: %v, want CantOpen and ErrNotExist", err)
		}
		if ok, err := v.Exists(name); ok || err != nil {
			t.Errorf("Exists before create = %v, %v", ok, err)
		}
		f := mustOpen(t, v, name, rwc)
		if ok, err := v.Exists(name); !ok || err != nil {
			t.Errorf("Exists after create = %v, %v", ok, err)
		}
		if _, err := v.Open(name, rwc|OpenExclusive); !errors.Is(err, resultcode.ErrCantOpen) {
			t.Errorf("exclusive create of an existing file: %v, want CantOpen", err)
		}
		if _, err := f.WriteAt([]byte("data"), 0); err != nil {
			t.Fatal(err)
		}
		ro := mustOpen(t, v, name, OpenReadOnly|OpenMainDB)
		if _, err := ro.WriteAt([]byte("x"), 0); !errors.Is(err, resultcode.ErrIO) {
			t.Errorf("write through a read-only handle: %v, want an I/O error", err)
		}
		if err := v.Delete(name, true); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if ok, _ := v.Exists(name); ok {
			t.Errorf("Exists after Delete = true")
		}
		// A handle open on a deleted file keeps its content, as on unix.
		buf := make([]byte, 4)
		if _, err := f.ReadAt(buf, 0); err != nil || string(buf) != "data" {
			t.Errorf("read after delete = %q, %v", buf, err)
		}
		if err := v.Delete(name, false); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, resultcode.ErrIO) {
			t.Errorf("Delete missing file: %v, want IOErr and ErrNotExist", err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ReadAt(buf, 0); !errors.Is(err, fs.ErrClosed) {
			t.Errorf("read after Close: %v, want ErrClosed", err)
		}
		if err := f.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

func TestFullPathname(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		a, err := tv.vfs.FullPathname(tv.path("sub/../a.db"))
		if err != nil {
			t.Fatal(err)
		}
		if want := tv.path("a.db"); a != want {
			t.Errorf("FullPathname = %q, want %q", a, want)
		}
		if _, err := tv.vfs.FullPathname(""); !errors.Is(err, resultcode.ErrCantOpen) {
			t.Errorf("FullPathname(\"\") = %v, want CantOpen", err)
		}
	})
}

func TestDeleteOnClose(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		name := tv.path("temp")
		f, err := tv.vfs.Open(name, rwc|OpenTempFile|OpenDeleteOnClose)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("scratch"), 0); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if ok, _ := tv.vfs.Exists(name); ok {
			t.Errorf("a delete-on-close file exists after Close")
		}
	})
}

func TestMapSeesWrites(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		f := mustOpen(t, tv.vfs, tv.path("map.db"), rwc)
		m, ok := f.(Mapper)
		if !ok {
			t.Fatalf("%T does not implement Mapper", f)
		}
		if _, err := f.WriteAt(make([]byte, 8192), 0); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Map(8193); err == nil {
			t.Errorf("Map beyond the end of the file succeeded")
		}
		b, err := m.Map(8192)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("seen"), 100); err != nil {
			t.Fatal(err)
		}
		// Growing the file (a new backing array in memory) must not
		// disconnect the mapping from later writes.
		if _, err := f.WriteAt([]byte("tail"), 1<<20); err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("also"), 200); err != nil {
			t.Fatal(err)
		}
		if got := string(b[100:104]) + string(b[200:204]); got != "seenalso" {
			t.Errorf("mapping shows %q, want %q", got, "seenalso")
		}
		if err := m.Unmap(); err != nil {
			t.Fatal(err)
		}
	})
}

// Bad arguments give errors with a result code, never a panic.
func TestBadArguments(t *testing.T) {
	eachVFS(t, func(t *testing.T, tv testVFS) {
		f := mustOpen(t, tv.vfs, tv.path("bad.db"), rwc)
		buf := make([]byte, 4)
		tests := []struct {
			name string
			call func() error
			want resultcode.Code // primary code
		}{
			{"read at a negative offset", func() error { _, err := f.ReadAt(buf, -1); return err }, resultcode.IOErr},
			{"write at a negative offset", func() error { _, err := f.WriteAt(buf, -1); return err }, resultcode.IOErr},
			{"truncate to a negative size", func() error { return f.Truncate(-1) }, resultcode.IOErr},
			{"lock level out of range", func() error { return f.Lock(LockLevel(9)) }, resultcode.Misuse},
			{"unlock to RESERVED", func() error { return f.Unlock(LockReserved) }, resultcode.Misuse},
			{"map a negative size", func() error { _, err := f.(Mapper).Map(-1); return err }, resultcode.IOErr},
			{"shm region out of range", func() error { _, err := f.(SharedMemory).ShmMap(1<<30, ShmRegionSize, true); return err }, resultcode.IOErr},
			{"shm region size zero", func() error { _, err := f.(SharedMemory).ShmMap(0, 0, true); return err }, resultcode.IOErr},
		}
		if tv.name != "unix" {
			tests = append(tests, struct {
				name string
				call func() error
				want resultcode.Code
			}{"write at an absurd offset", func() error { _, err := f.WriteAt(buf, 1<<50); return err }, resultcode.Full})
		}
		for _, tt := range tests {
			err := tt.call()
			if got := resultcode.Of(err).Primary(); got != tt.want {
				t.Errorf("%s: %v (code %v), want code %v", tt.name, err, got, tt.want)
			}
		}
	})
}
