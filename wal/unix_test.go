//go:build unix

package wal

import "github.com/wrendb/wren/osvfs"

func init() { newUnixVFS = func() osvfs.VFS { return osvfs.NewUnix() } }
