// Command difftest runs the differential tester (package difftest) for as
// many seeds or as long as asked, comparing an engine with the reference,
// and writes a shrunk repro script for each mismatch:
//
//	cd sqltests && go run ./cmd/difftest [-driver wren] [-first 1] [-seeds 1000 | -duration 1h] [-out DIR]
//
// The Go tests run a fixed CI budget of the same tester; this command is
// for longer hunts. With -ratchet FILE, mismatches the ratchet expects are
// not reported. The exit status is 1 when a mismatch was reported.
package main
