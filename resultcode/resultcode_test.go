package resultcode

import (
	"errors"
	"fmt"
	"testing"
)

func TestWrappedErrorKeepsItsCode(t *testing.T) {
	err := fmt.Errorf("btree: page %d: %w", 7, ErrCorrupt)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("errors.Is(%v, ErrCorrupt) = false", err)
	}
	if errors.Is(err, ErrBusy) {
		t.Fatalf("a corrupt error matched ErrBusy")
	}
	if got := Of(err); got != Corrupt {
		t.Fatalf("Of = %v, want Corrupt", got)
	}
	if got := err.Error(); got != "btree: page 7: database disk image is malformed" {
		t.Fatalf("message %q", got)
	}
}

func TestExtendedCodeMatchesItsPrimarySentinel(t *testing.T) {
	err := New(ConstraintUnique, "UNIQUE constraint failed: t.a")
	if !errors.Is(err, ErrConstraint) {
		t.Fatal("an extended constraint code did not match ErrConstraint")
	}
	if !errors.Is(err, &E{Code: ConstraintUnique}) {
		t.Fatal("exact extended code did not match")
	}
	if errors.Is(err, &E{Code: ConstraintNotNull}) {
		t.Fatal("a different extended code matched")
	}
	if int(ConstraintUnique) != 2067 || int(ConstraintForeignKey) != 787 {
		t.Fatalf("extended codes have the wrong numbers: %d %d", ConstraintUnique, ConstraintForeignKey)
	}
	if err.Error() != "UNIQUE constraint failed: t.a" {
		t.Fatalf("message %q", err.Error())
	}
}

func TestOfPlainError(t *testing.T) {
	if Of(nil) != OK || Of(errors.New("x")) != Error {
		t.Fatal("Of gives the wrong code for nil or a plain error")
	}
}
