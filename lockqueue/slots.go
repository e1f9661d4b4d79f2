package lockqueue

import (
	"fmt"
	"math/bits"
	"strings"
)

// MaxSlots is the number of lock slots a Queue manages.
const MaxSlots = 32

// Slots is a set of lock slots, bit i standing for slot i. A request names
// several slots when it needs all of them at once (EXCLUSIVE in
// rollback mode takes both file slots; the WAL takes ranges of its slots).
type Slots uint32

// The slots of a database file in rollback-journal mode. SHARED holds
// FileShared shared; RESERVED adds FileReserved exclusive; EXCLUSIVE holds
// both exclusive. Holder.Lock maps SQLite's levels onto them.
const (
	FileShared   = 0
	FileReserved = 1
)

// WALSlotBase is the first of the eight slots that stand for SQLite's WAL
// locks (the -shm lock bytes: WRITE, CKPT, RECOVER, READ0..READ4), so that
// a database in WAL mode uses the file slots (readers hold SHARED on the
// database file in WAL mode too) and the WAL slots in one queue.
const WALSlotBase = 8

// The WAL lock numbers, as SQLite and osvfs.SharedMemory number them.
const (
	WALWrite      = 0
	WALCheckpoint = 1
	WALRecover    = 2
	WALRead0      = 3
	WALReadCount  = 5
	WALLockCount  = 8
)

// Slot returns the set holding only slot i, or the empty set when i is not
// a slot (Acquire then refuses the request).
func Slot(i int) Slots {
	if i < 0 || i >= MaxSlots {
		return 0
	}
	return 1 << i
}

// SlotRange returns slots first..first+n-1, or the empty set when the range
// does not fit.
func SlotRange(first, n int) Slots {
	if first < 0 || n < 1 || first+n > MaxSlots {
		return 0
	}
	return Slots((uint64(1)<<n - 1) << first)
}

// WALSlots returns the slots for n WAL locks from offset, the arguments of
// osvfs.SharedMemory.ShmLock, or the empty set when they are out of range.
func WALSlots(offset, n int) Slots {
	if offset < 0 || n < 1 || offset+n > WALLockCount {
		return 0
	}
	return SlotRange(WALSlotBase+offset, n)
}

// Has reports whether slot i is in the set.
func (s Slots) Has(i int) bool { return s&Slot(i) != 0 }

// Len is the number of slots in the set.
func (s Slots) Len() int { return bits.OnesCount32(uint32(s)) }

// String lists the slots by name: "file-shared", "wal-write", "slot5".
func (s Slots) String() string {
	if s == 0 {
		return "{}"
	}
	var names []string
	for i := range MaxSlots {
		if s.Has(i) {
			names = append(names, slotName(i))
		}
	}
	return "{" + strings.Join(names, ",") + "}"
}

func slotName(i int) string {
	switch i {
	case FileShared:
		return "file-shared"
	case FileReserved:
		return "file-reserved"
	case WALSlotBase + WALWrite:
		return "wal-write"
	case WALSlotBase + WALCheckpoint:
		return "wal-checkpoint"
	case WALSlotBase + WALRecover:
		return "wal-recover"
	}
	if i >= WALSlotBase+WALRead0 && i < WALSlotBase+WALLockCount {
		return fmt.Sprintf("wal-read%d", i-WALSlotBase-WALRead0)
	}
	return fmt.Sprintf("slot%d", i)
}

// lowest is the number of the lowest slot in a non-empty set.
func lowest(s Slots) int { return bits.TrailingZeros32(uint32(s)) }
