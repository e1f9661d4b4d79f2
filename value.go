package wren

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/wrendb/wren/record"
)

// checkValue converts an argument to one of the types bindValue knows:
// int64, float64, bool, string, []byte, time.Time or nil. Every Go integer
// type becomes int64; a uint64 (or uint) above math.MaxInt64 is an error,
// because SQLite's integers are signed 64-bit and wrapping it would store a
// different number. Other types are left to database/sql's default
// conversion (driver.ErrSkip), which handles named types such as
// `type Status int` by their kind.
func checkValue(v any) (driver.Value, error) {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, []byte, time.Time:
		return v, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint:
		return checkUint64(uint64(x))
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return checkUint64(x)
	case float32:
		return float64(x), nil
	case driver.Valuer:
		dv, err := callValuer(x)
		if err != nil {
			return nil, err
		}
		if _, ok := dv.(driver.Valuer); ok {
			return nil, fmt.Errorf("wren: Value() of %T returned another driver.Valuer", v)
		}
		return checkValue(dv)
	}
	return nil, driver.ErrSkip
}

func checkUint64(u uint64) (driver.Value, error) {
	if u > math.MaxInt64 {
		return nil, errUintRange(u)
	}
	return int64(u), nil
}

func errUintRange(u uint64) error {
	return fmt.Errorf("wren: integer %d does not fit SQLite's signed 64-bit INTEGER", u)
}

// callValuer calls Value, treating a nil pointer receiver as NULL, as
// database/sql does.
func callValuer(v driver.Valuer) (dv driver.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			dv, err = nil, nil
			if !isNilPointer(v) {
				panic(r)
			}
		}
	}()
	return v.Value()
}

func isNilPointer(v any) bool {
	type eface struct{ typ, data unsafe.Pointer }
	return (*eface)(unsafe.Pointer(&v)).data == nil
}

// toValue turns a checked argument into an engine value. Text and blob
// bytes may alias the argument: the engine copies them when it binds.
func toValue(v driver.Value, format TimeFormat) (record.Value, error) {
	switch x := v.(type) {
	case nil:
		return record.Value{}, nil
	case int64:
		return record.Value{Kind: record.Integer, Int: x}, nil
	case float64:
		return record.Value{Kind: record.Real, Float: x}, nil
	case int:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case int8:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case int16:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case int32:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case uint8:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case uint16:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case uint32:
		return record.Value{Kind: record.Integer, Int: int64(x)}, nil
	case uint:
		return uintValue(uint64(x))
	case uint64:
		return uintValue(x)
	case float32:
		return record.Value{Kind: record.Real, Float: float64(x)}, nil
	case bool:
		if x {
			return record.Value{Kind: record.Integer, Int: 1}, nil
		}
		return record.Value{Kind: record.Integer}, nil
	case string:
		return record.Value{Kind: record.Text, Bytes: unsafe.Slice(unsafe.StringData(x), len(x))}, nil
	case []byte:
		if x == nil {
			x = []byte{}
		}
		return record.Value{Kind: record.Blob, Bytes: x}, nil
	case time.Time:
		return timeValue(x, format), nil
	}
	return record.Value{}, fmt.Errorf("wren: unsupported argument type %T", v)
}

func uintValue(u uint64) (record.Value, error) {
	if u > math.MaxInt64 {
		return record.Value{}, errUintRange(u)
	}
	return record.Value{Kind: record.Integer, Int: int64(u)}, nil
}

// timeValue stores t as format says. The SQLite format keeps the time's
// own offset; SQLite's date functions convert it to UTC when they read it.
func timeValue(t time.Time, format TimeFormat) record.Value {
	switch format {
	case TimeFormatUnix:
		return record.Value{Kind: record.Integer, Int: t.Unix()}
	case TimeFormatUnixMilli:
		return record.Value{Kind: record.Integer, Int: t.UnixMilli()}
	case TimeFormatUnixNano:
		return record.Value{Kind: record.Integer, Int: t.UnixNano()}
	case TimeFormatRFC3339:
		return record.Value{Kind: record.Text, Bytes: t.AppendFormat(nil, time.RFC3339Nano)}
	}
	return record.Value{Kind: record.Text, Bytes: t.AppendFormat(nil, sqliteTimeLayout)}
}

// timeLayouts are the text forms read back from DATE, DATETIME and
// TIMESTAMP columns: what Wren writes and the forms of SQLite's own date
// functions. time.Parse accepts fractional seconds after the seconds even
// when the layout has none.
var timeLayouts = []string{
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTime reads a time column's text. Times without an offset are UTC,
// as in SQLite; a zero offset reads back as time.UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSuffix(s, "Z")
	if len(s) < 10 {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if _, off := t.Zone(); off == 0 {
				t = t.UTC()
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// unixTime reads a time column's integer in the unit format says.
func unixTime(n int64, format TimeFormat) time.Time {
	switch format {
	case TimeFormatUnixMilli:
		return time.UnixMilli(n).UTC()
	case TimeFormatUnixNano:
		return time.Unix(0, n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

// isTimeType reports whether a declared type names a time column.
func isTimeType(decl string) bool {
	switch strings.ToUpper(decl) {
	case "DATE", "DATETIME", "TIMESTAMP":
		return true
	}
	return false
}
