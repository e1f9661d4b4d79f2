package wren

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/resultcode"
)

// Ensure that engine errors become *Error with SQLite's codes and message,
// and that errors.Is matches primary and extended sentinels.
func TestConvertError(t *testing.T) {
	unique := fmt.Errorf("insert: %w", resultcode.New(resultcode.ConstraintUnique, "UNIQUE constraint failed: t.a"))
	err := convertError(context.Background(), unique)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("convertError returned %T", err)
	}
	type view struct {
		Code, Ext ErrorCode
		Msg, Text string
	}
	got := view{e.Code, e.ExtendedCode, e.Msg, e.Error()}
	want := view{19, 2067, "UNIQUE constraint failed: t.a", "UNIQUE constraint failed: t.a"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	for _, target := range []error{ErrConstraint, ErrConstraintUnique, resultcode.ErrConstraint} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(unique, %v) = false", target)
		}
	}
	for _, target := range []error{ErrBusy, ErrConstraintForeignKey, ErrConstraintNotNull, context.Canceled} {
		if errors.Is(err, target) {
			t.Errorf("errors.Is(unique, %v) = true", target)
		}
	}

	corrupt := convertError(nil, fmt.Errorf("btree: page 7: bad cell: %w", resultcode.ErrCorrupt))
	if !errors.Is(corrupt, ErrCorrupt) || corrupt.Error() != "database disk image is malformed" {
		t.Errorf("corrupt: %v (Is ErrCorrupt: %v)", corrupt, errors.Is(corrupt, ErrCorrupt))
	}
	if again := convertError(nil, corrupt); again != corrupt {
		t.Errorf("converting an *Error again made a new one")
	}
	plain := convertError(nil, errors.New("something odd"))
	if !errors.Is(plain, ErrError) || plain.Error() != "something odd" {
		t.Errorf("plain error: %v", plain)
	}
}

// Ensure that an interruption under an ended context matches the
// context's error, and one under a live context does not.
func TestConvertErrorContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	interrupted := resultcode.New(resultcode.Interrupt, "interrupted")
	if err := convertError(ctx, interrupted); errors.Is(err, context.Canceled) {
		t.Errorf("live context: %v matches context.Canceled", err)
	}
	cancel()
	err := convertError(ctx, interrupted)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrInterrupt) {
		t.Errorf("ended context: %v; Is Canceled %v, Is ErrInterrupt %v", err, errors.Is(err, context.Canceled), errors.Is(err, ErrInterrupt))
	}
	if got, want := err.Error(), "interrupted: context canceled"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	busy := convertError(ctx, resultcode.New(resultcode.Busy, "database is locked"))
	if !errors.Is(busy, context.Canceled) || !errors.Is(busy, ErrBusy) {
		t.Errorf("busy under an ended context: %v", busy)
	}
	if err := contextError(context.DeadlineExceeded); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrInterrupt) {
		t.Errorf("contextError: %v", err)
	}
}
