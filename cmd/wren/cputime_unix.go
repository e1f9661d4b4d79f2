//go:build unix

package main

import (
	"syscall"
	"time"
)

// cpuTimes is the process's CPU time, for .timer.
type cpuTimes struct{ user, sys time.Duration }

func processTimes() cpuTimes {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuTimes{}
	}
	return cpuTimes{
		user: time.Duration(ru.Utime.Nano()),
		sys:  time.Duration(ru.Stime.Nano()),
	}
}
