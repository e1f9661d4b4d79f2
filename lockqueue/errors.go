package lockqueue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wrendb/wren/resultcode"
)

// The errors of a failed Acquire. Each wraps a resultcode sentinel so the
// driver reports SQLite's code and message:
//
//   - busy_timeout ran out, or the request could not wait (Timeout 0):
//     resultcode.ErrBusy, "database is locked".
//   - waiting would deadlock: resultcode.ErrBusy at once, as SQLite does.
//   - the context's deadline passed: resultcode.ErrBusy and
//     context.DeadlineExceeded (a deadline is a timeout the caller chose).
//   - the context was cancelled: resultcode.ErrInterrupt ("interrupted")
//     and context.Canceled.
//
// errors.Is(err, context.DeadlineExceeded) and errors.Is(err,
// context.Canceled) work on the last two.

func errBusyNow(slots Slots, exclusive bool) error {
	return resultcode.Wrap(resultcode.Busy, fmt.Errorf("lockqueue: %s %s is held", mode(exclusive), slots))
}

func errTimeout(slots Slots, exclusive bool, waited time.Duration) error {
	return resultcode.Wrap(resultcode.Busy, fmt.Errorf("lockqueue: gave up on %s %s after %v", mode(exclusive), slots, waited))
}

func errDeadlock(slots Slots, exclusive bool) error {
	return resultcode.Wrap(resultcode.Busy, fmt.Errorf("lockqueue: waiting for %s %s would deadlock", mode(exclusive), slots))
}

func errContext(ctx context.Context, slots Slots, exclusive bool) error {
	err := ctx.Err()
	code := resultcode.Interrupt
	if errors.Is(err, context.DeadlineExceeded) {
		code = resultcode.Busy
	}
	return resultcode.Wrap(code, fmt.Errorf("lockqueue: waiting for %s %s: %w", mode(exclusive), slots, err))
}

func errMisuse(format string, args ...any) error {
	return resultcode.Errorf(resultcode.Misuse, "lockqueue: "+format, args...)
}

func mode(exclusive bool) string {
	if exclusive {
		return "exclusive"
	}
	return "shared"
}
