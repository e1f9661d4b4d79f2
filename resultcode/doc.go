// Package resultcode holds SQLite's result codes and the error type every
// layer of Wren wraps, so that a failure deep in the pager reaches the
// database/sql driver with the code and message SQLite would give.
//
// Layers add context with fmt.Errorf and %w:
//
//	return fmt.Errorf("btree: page %d: bad cell offset: %w", pgno, resultcode.ErrCorrupt)
//
// and callers test with errors.Is(err, resultcode.ErrCorrupt) or read the code
// with resultcode.Of(err). The driver shows users SQLite's own message for the
// code (Message), not the internal context.
package resultcode
