//go:build unix

package wren

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system CPU time so far. On a loaded
// machine it measures a benchmark's own work more steadily than the wall
// clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
