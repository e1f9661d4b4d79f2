//go:build !unix

package main

import "time"

// cpuTimes is the process's CPU time, for .timer; without getrusage it
// is reported as zero.
type cpuTimes struct{ user, sys time.Duration }

func processTimes() cpuTimes { return cpuTimes{} }
