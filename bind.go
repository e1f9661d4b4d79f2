package wren

import (
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/wrendb/wren/engine"
)

// A binder hands one call's arguments to the statements of its SQL text,
// in order. A statement takes a named argument (sql.Named("x", v)) for each
// :x, @x or $x parameter it has, and the next positional argument for
// every other parameter: for one statement that is the argument whose
// ordinal is the parameter's number (?NNN included); for a multi-statement
// string the statements consume the positional arguments one after another.
// An argument left over, or a parameter left without one, is an error:
// binding NULL silently hides a miscounted argument list.
type binder struct {
	args   []driver.NamedValue
	next   int    // index into args of the next positional argument
	named  int    // how many args are named
	used   []bool // named args a statement used, when any is named
	format TimeFormat
}

func newBinder(args []driver.NamedValue, format TimeFormat) binder {
	b := binder{args: args, format: format}
	for i := range args {
		if args[i].Name != "" {
			b.named++
		}
	}
	if b.named > 0 {
		b.used = make([]bool, len(args))
	}
	return b
}

// bind sets every parameter of st.
func (b *binder) bind(st *engine.Stmt) error {
	n := st.ParamCount()
	for i := 1; i <= n; i++ {
		a, err := b.argFor(st, i)
		if err != nil {
			return err
		}
		v, err := toValue(a.Value, b.format)
		if err != nil {
			return err
		}
		if err := st.Bind(i, v); err != nil {
			return convertError(nil, err)
		}
	}
	return nil
}

func (b *binder) argFor(st *engine.Stmt, i int) (*driver.NamedValue, error) {
	name := st.ParamName(i)
	if b.named > 0 && len(name) > 1 && name[0] != '?' {
		for j := range b.args {
			if b.args[j].Name == name[1:] {
				b.used[j] = true
				return &b.args[j], nil
			}
		}
	}
	for b.next < len(b.args) && b.args[b.next].Name != "" {
		b.next++
	}
	if b.next >= len(b.args) {
		if name == "" {
			name = fmt.Sprintf("?%d", i)
		}
		return nil, fmt.Errorf("wren: no argument for parameter %s of %q (%d positional arguments given)", name, shorten(st.SQL()), len(b.args)-b.named)
	}
	a := &b.args[b.next]
	b.next++
	return a, nil
}

// finish reports arguments no statement took.
func (b *binder) finish() error {
	for j := b.next; j < len(b.args); j++ {
		if b.args[j].Name == "" {
			return fmt.Errorf("wren: %d arguments given but the SQL has only %d parameters", len(b.args)-b.named, b.positionalUsed())
		}
	}
	for j := range b.used {
		if b.args[j].Name != "" && !b.used[j] {
			return fmt.Errorf("wren: no parameter :%s, @%s or $%s for the argument named %q", b.args[j].Name, b.args[j].Name, b.args[j].Name, b.args[j].Name)
		}
	}
	return nil
}

func (b *binder) positionalUsed() int {
	n := 0
	for j := 0; j < b.next && j < len(b.args); j++ {
		if b.args[j].Name == "" {
			n++
		}
	}
	return n
}

// shorten keeps error messages about long statements readable.
func shorten(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 60 {
		return sql[:57] + "..."
	}
	return sql
}
