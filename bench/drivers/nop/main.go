// Command nop is the benchmark's child binary for one driver: it runs one
// workload and prints the result as JSON (see internal/workload.Main). Each
// driver has its own binary because two of them register the same
// database/sql name, and so each run starts in a fresh process.
package main

import (
	_ "github.com/wrendb/wren/bench/internal/nopdriver"

	"github.com/wrendb/wren/bench/internal/spec"
	"github.com/wrendb/wren/bench/internal/workload"
)

func main() {
	d, _ := spec.LookupDriver("nop")
	workload.Main(d)
}
