//go:build unix && !linux && !darwin

package osvfs

import "golang.org/x/sys/unix"

// fileSync flushes fd with fsync.
func fileSync(fd int, flags SyncFlag) error { return unix.Fsync(fd) }
