package engine

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the test process has used so
// far. Benchmarks on a shared, loaded machine report it beside wall time,
// which there measures mostly the other processes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
