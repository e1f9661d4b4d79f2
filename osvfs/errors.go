package osvfs

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/wrendb/wren/resultcode"
)

// errClosed is returned by every operation on a closed File.
var errClosed = resultcode.Wrap(resultcode.Misuse, fmt.Errorf("osvfs: %w", fs.ErrClosed))

// pathError attaches the operation and the file name to an OS error and the
// result code SQLite would report for it. errors.Is works for both the code
// (resultcode.ErrCantOpen) and the cause (fs.ErrNotExist).
func pathError(code resultcode.Code, op, name string, err error) error {
	return resultcode.Wrap(code, &fs.PathError{Op: op, Path: name, Err: err})
}

func errNegativeOffset(op string, off int64) error {
	return resultcode.Wrap(resultcode.IOErr, fmt.Errorf("osvfs: %s at negative offset %d", op, off))
}

var errReadOnlyHandle = errors.New("file handle is read-only")
