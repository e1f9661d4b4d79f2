//go:build darwin

package osvfs

import "golang.org/x/sys/unix"

// fileSync flushes fd. On macOS fsync only reaches the drive's cache;
// SyncFull asks for F_FULLFSYNC, which reaches the platter, and falls back
// to fsync on file systems that refuse it.
func fileSync(fd int, flags SyncFlag) error {
	if flags&SyncFull != 0 {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_FULLFSYNC, 0); err == nil {
			return nil
		}
	}
	return unix.Fsync(fd)
}
