package engine

import (
	"strconv"
	"strings"
	"testing"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/vdbe"
)

// render shows a value the way the sqlite3 shell's list mode does.
func render(v record.Value) string {
	switch v.Kind {
	case record.Null:
		return "NULL"
	case record.Integer:
		return strconv.FormatInt(v.Int, 10)
	case record.Real:
		return string(vdbe.AppendReal(nil, v.Float))
	case record.Text:
		return string(v.Bytes)
	default:
		return "x'" + strings.ToUpper(hexString(v.Bytes)) + "'"
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// queryRows runs sql and returns its rows joined with "|".
func queryRows(t testing.TB, c *Conn, sql string, args ...record.Value) ([]string, error) {
	t.Helper()
	s, _, err := c.Prepare(sql)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	for i, a := range args {
		if err := s.Bind(i+1, a); err != nil {
			return nil, err
		}
	}
	var out []string
	for {
		ok, err := s.Step()
		if err != nil {
			return out, err
		}
		if !ok {
			return out, nil
		}
		var parts []string
		for i := 0; i < s.ColumnCount(); i++ {
			parts = append(parts, render(s.Column(i)))
		}
		out = append(out, strings.Join(parts, "|"))
	}
}

func mustExec(t testing.TB, c *Conn, sql string) {
	t.Helper()
	if err := c.Exec(sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func memConn(t testing.TB) *Conn {
	t.Helper()
	db, err := Open(":memory:", Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); db.Close() })
	return c
}
