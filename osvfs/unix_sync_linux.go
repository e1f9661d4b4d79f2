//go:build linux

package osvfs

import "golang.org/x/sys/unix"

// fileSync flushes fd: fdatasync when only the data changed, fsync otherwise.
func fileSync(fd int, flags SyncFlag) error {
	if flags&SyncDataOnly != 0 {
		return unix.Fdatasync(fd)
	}
	return unix.Fsync(fd)
}
