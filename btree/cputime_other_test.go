//go:build !unix

package btree

func processCPU() int64 { return 0 }
