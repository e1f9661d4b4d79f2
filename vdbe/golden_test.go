package vdbe

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeConn stands in for a connection in changes() and friends.
type fakeConn struct{}

func (fakeConn) Changes() int64         { return 0 }
func (fakeConn) TotalChanges() int64    { return 0 }
func (fakeConn) LastInsertRowid() int64 { return 0 }

// nondeterministic cases whose golden value is a property, not a value.
var nondeterministic = map[string]bool{
	"typeof(random())":      true,
	"typeof(randomblob(3))": true,
}

// Every expression in testdata/golden.txt evaluates to the storage class
// and value (or the error) that sqlite3 produced for it.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want, got []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		expr, expected, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("malformed golden line %q", line)
		}
		want = append(want, expr+" → "+expected)
		got = append(got, expr+" → "+evalCase(expr))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < 500 {
		t.Fatalf("only %d golden cases", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results differ from sqlite3 (-sqlite3 +wren):\n%s", diff)
	}
}

func evalCase(expr string) string {
	var v *val
	var err error
	if rest, ok := strings.CutPrefix(expr, "AGG "); ok {
		v, err = evalAggregate(rest)
	} else if rest, ok := strings.CutPrefix(expr, "STORE "); ok {
		decl, e, _ := strings.Cut(rest, " | ")
		v, err = evalStored(decl, e)
	} else if rest, ok := strings.CutPrefix(expr, "CMP "); ok {
		v, err = evalColumnCompare(strings.Split(rest, " | "))
	} else {
		v, err = evalSQL(expr, nil, fakeConn{})
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return render(&v.m)
}

// evalStored stores the value of expr into a column declared decl (as
// INSERT applies affinity) and returns what reading it back gives.
func evalStored(decl, expr string) (*val, error) {
	v, err := evalSQL(expr, nil, nil)
	if err != nil {
		return nil, err
	}
	ApplyAffinity(&v.m, AffinityOf(declOf(decl)))
	return v, nil
}

func declOf(d string) string {
	if d == "_" || d == "-" {
		return ""
	}
	return d
}

// evalColumnCompare evaluates "a op b" where each side is a column of the
// declared type holding the expression's value, or the expression itself
// when the declared type is "-".
func evalColumnCompare(p []string) (*val, error) {
	side := func(decl, expr string) (*val, error) {
		v, err := evalSQL(expr, nil, nil)
		if err != nil || decl == "-" {
			return v, err
		}
		aff := AffinityOf(declOf(decl))
		ApplyAffinity(&v.m, aff)
		v.aff = aff
		return v, nil
	}
	l, err := side(p[0], p[1])
	if err != nil {
		return nil, err
	}
	r, err := side(p[3], p[4])
	if err != nil {
		return nil, err
	}
	op := map[string]CompareOp{"=": OpEq, "<>": OpNe, "<": OpLt, "<=": OpLe, ">": OpGt, ">=": OpGe}[p[2]]
	ApplyComparisonAffinity(&l.m, &r.m, l.aff, r.aff)
	res, isNull := op.Eval(&l.m, &r.m, nil)
	out := &val{aff: AffinityNone}
	if isNull {
		out.m.SetNull()
	} else {
		out.m.SetBool(res)
	}
	return out, nil
}
