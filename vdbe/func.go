package vdbe

import (
	"strings"

	"github.com/wrendb/wren/record"
)

// Conn is what SQL functions need from the connection running them:
// changes(), total_changes() and last_insert_rowid() read it. The engine's
// connection implements it; a nil Conn reads as zeros.
type Conn interface {
	Changes() int64
	TotalChanges() int64
	LastInsertRowid() int64
}

// FuncContext is passed to every function call. The VM owns it and may
// reuse one for many calls.
type FuncContext struct {
	// Conn is the connection, or nil.
	Conn Conn

	// Coll is the collation the compiler chose for the call (the one of the
	// first argument with an explicit or column collation), used by min,
	// max, nullif and the aggregates min and max. nil means BINARY.
	Coll record.Collation

	// SkipLoad is set by the aggregates min() and max() when the current
	// row did not become the new minimum or maximum. A query such as
	// "SELECT max(a), b FROM t" loads the bare column b only from rows
	// where SkipLoad stayed false (SQLite's sqlite3SkipAccumulatorLoad).
	// The VM clears it before each Step.
	SkipLoad bool

	// MaxLength is the connection's SQLITE_LIMIT_LENGTH: the largest string
	// or blob a function may produce. 0 means SQLite's default, 1e9.
	MaxLength int
}

func (fc *FuncContext) maxLength() int {
	if fc == nil || fc.MaxLength <= 0 {
		return maxLength
	}
	return fc.MaxLength
}

// ScalarFunc computes a scalar function of args into out. out is never one
// of args. Errors carry SQLite's message ("integer overflow").
type ScalarFunc func(fc *FuncContext, out *Mem, args []Mem) error

// Aggregate is the running state of one aggregate function for one group.
// The VM creates it with FuncDef.NewAggregate when the group starts, calls
// Step once per row with the row's argument values, and Final once at the
// end. Step must copy any bytes it keeps (Mem.Copy), since the argument
// registers change on the next row.
//
// DISTINCT is the caller's job: for count(DISTINCT x) the VM filters
// repeated argument values (through an ephemeral index) and calls Step only
// for the first occurrence of each.
type Aggregate interface {
	Step(fc *FuncContext, args []Mem) error
	Final(fc *FuncContext, out *Mem) error
}

// WindowAggregate is an Aggregate that can also serve as a window function
// over a moving frame: Inverse removes a row that left the frame, and Value
// reports the current result without ending the aggregate. Built-in
// aggregates will implement it when window functions arrive.
type WindowAggregate interface {
	Aggregate
	Inverse(fc *FuncContext, args []Mem) error
	Value(fc *FuncContext, out *Mem) error
}

// FuncFlags describe a function to the compiler.
type FuncFlags uint16

const (
	// FuncDeterministic: same arguments, same result, so the function may
	// appear in indexes, CHECK constraints and generated columns, and
	// constant calls may be folded.
	FuncDeterministic FuncFlags = 1 << iota
	// FuncNeedsColl: the function compares its arguments and wants the
	// collation in FuncContext.Coll (min, max, nullif, instr-like uses).
	FuncNeedsColl
	// FuncShortCircuit: coalesce, ifnull and iif, which the compiler should
	// generate inline so that unused arguments are not evaluated. The
	// registered implementations work on evaluated arguments.
	FuncShortCircuit
	// FuncUnlikely: likely(), unlikely(), likelihood(): planner hints that
	// return their first argument.
	FuncUnlikely
)

// FuncDef is one registered function: a name and an argument count.
type FuncDef struct {
	Name    string // lower case
	NArg    int    // exact argument count, or -1 for a variable count
	MinArgs int    // with NArg == -1, the fewest arguments accepted
	Flags   FuncFlags

	Scalar       ScalarFunc       // set for scalar functions
	NewAggregate func() Aggregate // set for aggregate functions
}

// IsAggregate reports whether d is an aggregate function.
func (d *FuncDef) IsAggregate() bool { return d.NewAggregate != nil }

func (d *FuncDef) accepts(nArg int) bool {
	if d.NArg >= 0 {
		return d.NArg == nArg
	}
	return nArg >= d.MinArgs
}

// Registry maps function names to their definitions. Names are matched
// without regard to ASCII case. One name may have several definitions
// with different argument counts (min and max are scalar with two or more
// arguments and aggregate with one).
//
// A Registry is not safe for concurrent modification; the built-in one is
// never modified after construction and may be shared by all connections.
// A connection that registers its own functions Clones it first.
type Registry struct {
	byName map[string][]*FuncDef
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byName: map[string][]*FuncDef{}} }

var builtins = newBuiltins()

// Builtins returns the shared registry of SQLite's built-in functions.
// Callers must not Register into it; Clone it instead.
func Builtins() *Registry { return builtins }

// Clone returns a registry with the same definitions, which can be
// extended without affecting r.
func (r *Registry) Clone() *Registry {
	c := NewRegistry()
	for k, v := range r.byName {
		c.byName[k] = append([]*FuncDef(nil), v...)
	}
	return c
}

// Register adds d, replacing a definition with the same name and NArg.
func (r *Registry) Register(d *FuncDef) {
	d.Name = strings.ToLower(d.Name)
	defs := r.byName[d.Name]
	for i, old := range defs {
		if old.NArg == d.NArg {
			defs[i] = d
			return
		}
	}
	r.byName[d.Name] = append(defs, d)
}

// Lookup finds the definition of name called with nArg arguments. An exact
// argument count wins over a variable one. When def is nil, nameExists
// tells the compiler which error to report: "wrong number of arguments to
// function NAME()" when true, "no such function: NAME" when false.
func (r *Registry) Lookup(name string, nArg int) (def *FuncDef, nameExists bool) {
	defs, ok := r.byName[lowerASCII(name)]
	if !ok {
		return nil, false
	}
	for _, d := range defs {
		if d.NArg == nArg {
			return d, true
		}
	}
	for _, d := range defs {
		if d.accepts(nArg) {
			return d, true
		}
	}
	return nil, true
}

// Names lists the registered names (for PRAGMA function_list and tests).
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for k := range r.byName {
		names = append(names, k)
	}
	return names
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// Registration helpers for the built-in table.

func scalar(name string, nArg int, fn ScalarFunc) *FuncDef {
	return &FuncDef{Name: name, NArg: nArg, Flags: FuncDeterministic, Scalar: fn}
}

func variadic(name string, minArgs int, fn ScalarFunc) *FuncDef {
	return &FuncDef{Name: name, NArg: -1, MinArgs: minArgs, Flags: FuncDeterministic, Scalar: fn}
}

func aggregate(name string, nArg int, newAgg func() Aggregate) *FuncDef {
	return &FuncDef{Name: name, NArg: nArg, Flags: FuncDeterministic, NewAggregate: newAgg}
}

func (d *FuncDef) with(f FuncFlags) *FuncDef { d.Flags |= f; return d }

func (d *FuncDef) nondeterministic() *FuncDef { d.Flags &^= FuncDeterministic; return d }

func newBuiltins() *Registry {
	r := NewRegistry()
	for _, d := range []*FuncDef{
		// Core (func_core.go)
		variadic("coalesce", 2, fnCoalesce).with(FuncShortCircuit),
		scalar("ifnull", 2, fnCoalesce).with(FuncShortCircuit),
		scalar("iif", 3, fnIif).with(FuncShortCircuit),
		scalar("nullif", 2, fnNullif).with(FuncNeedsColl),
		scalar("typeof", 1, fnTypeof),
		scalar("likely", 1, fnFirstArg).with(FuncUnlikely),
		scalar("unlikely", 1, fnFirstArg).with(FuncUnlikely),
		scalar("likelihood", 2, fnFirstArg).with(FuncUnlikely),
		variadic("max", 2, fnMaxScalar).with(FuncNeedsColl),
		variadic("min", 2, fnMinScalar).with(FuncNeedsColl),
		scalar("random", 0, fnRandom).nondeterministic(),
		scalar("randomblob", 1, fnRandomBlob).nondeterministic(),
		scalar("zeroblob", 1, fnZeroBlob),
		scalar("changes", 0, fnChanges).nondeterministic(),
		scalar("total_changes", 0, fnTotalChanges).nondeterministic(),
		scalar("last_insert_rowid", 0, fnLastInsertRowid).nondeterministic(),
		scalar("quote", 1, fnQuote),
		variadic("printf", 0, fnPrintf),
		variadic("format", 0, fnPrintf),

		// Math (func_math.go)
		scalar("abs", 1, fnAbs),
		scalar("round", 1, fnRound),
		scalar("round", 2, fnRound),
		scalar("sign", 1, fnSign),

		// Text (func_text.go)
		scalar("length", 1, fnLength),
		scalar("lower", 1, fnLower),
		scalar("upper", 1, fnUpper),
		scalar("substr", 2, fnSubstr),
		scalar("substr", 3, fnSubstr),
		scalar("substring", 2, fnSubstr),
		scalar("substring", 3, fnSubstr),
		scalar("trim", 1, fnTrim),
		scalar("trim", 2, fnTrim),
		scalar("ltrim", 1, fnLtrim),
		scalar("ltrim", 2, fnLtrim),
		scalar("rtrim", 1, fnRtrim),
		scalar("rtrim", 2, fnRtrim),
		scalar("replace", 3, fnReplace),
		scalar("instr", 2, fnInstr),
		scalar("hex", 1, fnHex),
		scalar("unhex", 1, fnUnhex),
		scalar("unhex", 2, fnUnhex),
		scalar("unicode", 1, fnUnicode),
		variadic("char", 0, fnChar),

		// Pattern matching (func_like.go)
		scalar("like", 2, fnLike),
		scalar("like", 3, fnLike),
		scalar("glob", 2, fnGlob),

		// Aggregates (func_agg.go)
		aggregate("count", 0, newCountAgg),
		aggregate("count", 1, newCountAgg),
		aggregate("sum", 1, newSumAgg),
		aggregate("total", 1, newTotalAgg),
		aggregate("avg", 1, newAvgAgg),
		aggregate("min", 1, newMinAgg).with(FuncNeedsColl),
		aggregate("max", 1, newMaxAgg).with(FuncNeedsColl),
		aggregate("group_concat", 1, newGroupConcatAgg),
		aggregate("group_concat", 2, newGroupConcatAgg),
		aggregate("string_agg", 2, newGroupConcatAgg),
	} {
		r.Register(d)
	}
	return r
}
