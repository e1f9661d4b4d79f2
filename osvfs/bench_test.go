package osvfs

import "testing"

// The cost of a read transaction's lock and unlock, the hottest path
// through this package.
func BenchmarkLockSharedUnlock(b *testing.B) {
	vfses := map[string]VFS{"mem": NewMem()}
	if unixForTest != nil {
		vfses["unix"] = unixForTest()
	}
	for name, v := range vfses {
		b.Run(name, func(b *testing.B) {
			f := openBenchFile(b, name, v)
			for b.Loop() {
				if err := f.Lock(LockShared); err != nil {
					b.Fatal(err)
				}
				if err := f.Unlock(LockNone); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWritePage(b *testing.B) {
	vfses := map[string]VFS{"mem": NewMem(), "fault": NewFault(NewMem())}
	if unixForTest != nil {
		vfses["unix"] = unixForTest()
	}
	page := make([]byte, 4096)
	for name, v := range vfses {
		b.Run(name, func(b *testing.B) {
			f := openBenchFile(b, name, v)
			b.SetBytes(int64(len(page)))
			i := int64(0)
			for b.Loop() {
				if _, err := f.WriteAt(page, (i%256)*4096); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// openBenchFile opens a scratch file in v, closed when b ends: in a
// temporary directory for the unix VFS, at the root of the others.
func openBenchFile(b *testing.B, name string, v VFS) File {
	b.Helper()
	path := "/bench.db"
	if name == "unix" {
		path = b.TempDir() + "/bench.db"
	}
	f, err := v.Open(path, rwc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}
