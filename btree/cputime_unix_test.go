//go:build unix

package btree

import "syscall"

// processCPU is the CPU time (user+system) this process has used, in ns:
// benchmarks report it per op because wall time on a shared machine says
// more about the neighbours than about the code.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
