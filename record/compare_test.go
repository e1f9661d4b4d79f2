package record

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wrendb/wren/resultcode"
)

// orderedGroups lists values in SQLite's ascending BINARY order; the values
// inside one group compare equal to each other.
var orderedGroups = [][]Value{
	{NullValue(), RealValue(math.NaN())},
	{RealValue(math.Inf(-1))},
	{RealValue(-1e300)},
	{RealValue(-0x1p63 - 4096)}, // the REAL just below int64's range
	{IntValue(math.MinInt64), RealValue(-0x1p63)},
	{IntValue(math.MinInt64 + 1)},
	{IntValue(-1<<53 - 1)},
	{IntValue(-1 << 53), RealValue(-0x1p53)},
	{IntValue(-2), RealValue(-2)},
	{RealValue(-1.5)},
	{IntValue(-1), RealValue(-1)},
	{RealValue(-0.5)},
	{IntValue(0), RealValue(0), RealValue(math.Copysign(0, -1))},
	{RealValue(5e-324)},
	{RealValue(0.5)},
	{IntValue(1), RealValue(1)},
	{RealValue(1.5)},
	{IntValue(2)},
	{IntValue(1<<53 - 1)},
	{IntValue(1 << 53), RealValue(0x1p53)},
	{IntValue(1<<53 + 1)}, // no float64 equals it; 2^53 and 2^53+2 bracket it
	{IntValue(1<<53 + 2), RealValue(0x1p53 + 2)},
	{IntValue(math.MaxInt64 - 1)},
	{IntValue(math.MaxInt64)},
	{RealValue(0x1p63)}, // float64(MaxInt64) rounds up to this, yet it is larger
	{RealValue(1e300)},
	{RealValue(math.Inf(1))},
	{TextValue("")},
	{TextValue(" ")},
	{TextValue("A")},
	{TextValue("AB")},
	{TextValue("B")},
	{TextValue("_")},
	{TextValue("a")},
	{TextValue("a ")},
	{TextValue("ab")},
	{TextValue("b")},
	{TextValue("É")},
	{TextValue("é")},
	{BlobValue([]byte{})},
	{BlobValue([]byte{0})},
	{BlobValue([]byte{0, 0})},
	{BlobValue([]byte{0x41})},
	{BlobValue([]byte{0xff})},
}

// flatOrdered returns every value of orderedGroups with its group's rank.
func flatOrdered() (values []Value, ranks []int) {
	for rank, g := range orderedGroups {
		for _, v := range g {
			values = append(values, v)
			ranks = append(ranks, rank)
		}
	}
	return values, ranks
}

// Ensure that every pair of values compares as SQLite's sort order says,
// both as Values and encoded as one-field records.
func TestCompareValuesMatrix(t *testing.T) {
	values, ranks := flatOrdered()
	for i, a := range values {
		encA := AppendRecord(nil, []Value{a})
		for j, b := range values {
			want := cmp.Compare(ranks[i], ranks[j])
			if got := CompareValues(a, b, nil); got != want {
				t.Errorf("CompareValues(%v, %v) = %d, want %d", a, b, got, want)
			}
			encB := AppendRecord(nil, []Value{b})
			if got, err := Compare(encA, encB, nil); got != want || err != nil {
				t.Errorf("Compare(record %v, record %v) = %d, %v; want %d", a, b, got, err, want)
			}
			if got, err := CompareUnpacked(encA, []Value{b}, nil); got != want || err != nil {
				t.Errorf("CompareUnpacked(record %v, %v) = %d, %v; want %d", a, b, got, err, want)
			}
			desc := &KeyInfo{Desc: []bool{true}}
			if got, _ := Compare(encA, encB, desc); got != -want {
				t.Errorf("Compare DESC(%v, %v) = %d, want %d", a, b, got, -want)
			}
			if got, _ := CompareUnpacked(encA, []Value{b}, desc); got != -want {
				t.Errorf("CompareUnpacked DESC(%v, %v) = %d, want %d", a, b, got, -want)
			}
		}
	}
}

func TestCollations(t *testing.T) {
	tests := []struct {
		coll string
		a, b string
		want int
	}{
		{"BINARY", "a", "A", 1},
		{"BINARY", "abc", "abc", 0},
		{"BINARY", "ab", "abc", -1},
		{"BINARY", "abc ", "abc", 1},
		{"NOCASE", "abc", "ABC", 0},
		{"NOCASE", "Hello World", "hELLO wORLD", 0},
		{"NOCASE", "a", "AB", -1},
		{"NOCASE", "B", "a", 1},
		{"NOCASE", "_", "A", -1}, // '_' < 'a': folding goes to lower case
		{"NOCASE", "[", "a", -1},
		{"NOCASE", "@", "a", -1},
		{"NOCASE", "é", "É", 1}, // only ASCII folds
		{"NOCASE", "ÀB", "Àb", 0},
		{"NOCASE", "", "", 0},
		{"RTRIM", "abc  ", "abc", 0},
		{"RTRIM", "abc", "abc   ", 0},
		{"RTRIM", "  ", "", 0},
		{"RTRIM", "abc\t", "abc", 1}, // only spaces are trimmed
		{"RTRIM", "a b", "a", 1},
		{"RTRIM", " a", "a", -1},
		{"RTRIM", "A ", "a", -1}, // and case still counts
	}
	for _, tt := range tests {
		coll, ok := LookupCollation(tt.coll)
		if !ok {
			t.Fatalf("LookupCollation(%q) not found", tt.coll)
		}
		if got := sign(coll([]byte(tt.a), []byte(tt.b))); got != tt.want {
			t.Errorf("%s(%q, %q) = %d, want %d", tt.coll, tt.a, tt.b, got, tt.want)
		}
		if got := sign(coll([]byte(tt.b), []byte(tt.a))); got != -tt.want {
			t.Errorf("%s(%q, %q) = %d, want %d", tt.coll, tt.b, tt.a, got, -tt.want)
		}
		// Collations apply to TEXT only; a BLOB compares with memcmp.
		if got := CompareValues(TextValue(tt.a), TextValue(tt.b), coll); got != tt.want {
			t.Errorf("CompareValues %s(%q, %q) = %d, want %d", tt.coll, tt.a, tt.b, got, tt.want)
		}
	}
	if got := CompareValues(BlobValue([]byte("a")), BlobValue([]byte("A")), NoCase); got != 1 {
		t.Errorf("NOCASE applied to BLOBs: got %d, want 1", got)
	}
}

func TestLookupCollation(t *testing.T) {
	for _, name := range []string{"binary", "BINARY", "NoCase", "nocase", "RTRIM", "rTrim"} {
		if _, ok := LookupCollation(name); !ok {
			t.Errorf("LookupCollation(%q) not found", name)
		}
	}
	for _, name := range []string{"", "utf8", "binary ", "NOCASÉ"} {
		if _, ok := LookupCollation(name); ok {
			t.Errorf("LookupCollation(%q) found, want not", name)
		}
	}
}

// Ensure that multi-field records compare field by field, each with its own
// collation and direction, and that an equal prefix compares equal.
func TestCompareRecords(t *testing.T) {
	nocaseDesc := &KeyInfo{Collations: []Collation{nil, NoCase}, Desc: []bool{false, true}}
	tests := []struct {
		name string
		a, b []Value
		ki   *KeyInfo
		want int
	}{
		{"first field decides", vals(1, "z"), vals(2, "a"), nil, -1},
		{"second field decides", vals(1, "a"), vals(1, "b"), nil, -1},
		{"equal", vals(1, "a", 2.5), vals(1, "a", 2.5), nil, 0},
		{"int equals real", vals(3, "x"), vals(3.0, "x"), nil, 0},
		{"prefix equal", vals(1, "a"), vals(1, "a", 99), nil, 0},
		{"empty record", vals(), vals(1), nil, 0},
		{"collation per field", vals("A", "A"), vals("a", "a"), &KeyInfo{Collations: []Collation{NoCase}}, -1},
		{"nocase equal", vals(1, "ABC"), vals(1, "abc"), nocaseDesc, 0},
		{"desc second field", vals(1, "a"), vals(1, "B"), nocaseDesc, 1},
		{"asc first field beats desc", vals(1, "z"), vals(2, "a"), nocaseDesc, -1},
		{"null first", vals(nil, 5), vals(0, 5), nil, -1},
		{"null desc", vals(nil), vals(0), &KeyInfo{Desc: []bool{true}}, 1},
		{"rtrim", vals("x  ", 1), vals("x", 2), &KeyInfo{Collations: []Collation{RTrim}}, -1},
		{"short KeyInfo", vals(1, "b"), vals(1, "a"), &KeyInfo{Desc: []bool{true}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ra, rb := AppendRecord(nil, tt.a), AppendRecord(nil, tt.b)
			if got, err := Compare(ra, rb, tt.ki); got != tt.want || err != nil {
				t.Errorf("Compare = %d, %v; want %d", got, err, tt.want)
			}
			if got, err := Compare(rb, ra, tt.ki); got != -tt.want || err != nil {
				t.Errorf("Compare reversed = %d, %v; want %d", got, err, -tt.want)
			}
			n := min(len(tt.a), len(tt.b))
			if got, err := CompareUnpacked(ra, tt.b[:n], tt.ki); got != tt.want || err != nil {
				t.Errorf("CompareUnpacked = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}

// Ensure that the comparisons report corrupt records instead of guessing.
func TestCompareCorrupt(t *testing.T) {
	good := AppendRecord(nil, vals(1, 2))
	for _, tt := range corruptCases {
		bad := mustHex(t, tt.hex)
		if tt.name == "body longer than its fields" || tt.name == "body left over after header" {
			continue // found only by reading to the end, which a comparison need not do
		}
		_, err1 := Compare(bad, good, nil)
		_, err2 := Compare(good, bad, nil)
		_, err3 := CompareUnpacked(bad, vals(1, 2), nil)
		for i, err := range []error{err1, err2, err3} {
			if !errors.Is(err, resultcode.ErrCorrupt) {
				t.Errorf("%s: comparison %d: error %v, want ErrCorrupt", tt.name, i, err)
			}
		}
	}
}

// The golden file testdata/compare.golden holds sqlite3's own answer for
// every pair of orderedGroups' values under each built-in collation, so the
// hand-written order above is checked against the oracle. Regenerate with
//
//	go test ./record -run TestCompareAgainstSQLite -update
const goldenCompare = "testdata/compare.golden"

var collationNames = []string{"BINARY", "NOCASE", "RTRIM"}

// Ensure that CompareValues agrees with sqlite3 on every pair of values.
func TestCompareAgainstSQLite(t *testing.T) {
	values := sqliteComparable()
	if *update {
		writeGoldenCompare(t, values)
	}
	f, err := os.Open(goldenCompare)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 || len(fields[2]) != len(values) {
			t.Fatalf("bad golden line %q (want %d results)", line, len(values))
		}
		coll, ok := LookupCollation(fields[0])
		i, err := strconv.Atoi(fields[1])
		if !ok || err != nil || i >= len(values) {
			t.Fatalf("bad golden line %q", line)
		}
		for j, c := range fields[2] {
			want := strings.IndexRune("-0+", c) - 1
			if got := CompareValues(values[i], values[j], coll); got != want {
				t.Errorf("%s: CompareValues(%v, %v) = %d, sqlite3 says %d", fields[0], values[i], values[j], got, want)
			}
		}
		lines++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines != len(values)*len(collationNames) {
		t.Errorf("golden file has %d lines, want %d; run with -update", lines, len(values)*len(collationNames))
	}
}

// sqliteComparable is orderedGroups without the NaN, which SQL cannot write.
func sqliteComparable() []Value {
	var out []Value
	values, _ := flatOrdered()
	for _, v := range values {
		if v.Kind == Real && math.IsNaN(v.Float) {
			continue
		}
		out = append(out, v)
	}
	return out
}

func writeGoldenCompare(t *testing.T, values []Value) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("-update needs the sqlite3 command")
	}
	var script strings.Builder
	script.WriteString("CREATE TABLE v(id INTEGER PRIMARY KEY, x);\n")
	for i, v := range values {
		fmt.Fprintf(&script, "INSERT INTO v VALUES(%d, %s);\n", i, sqlLiteral(v))
	}
	for _, coll := range collationNames {
		// IS handles NULLs; < on values without affinity orders storage
		// classes as ORDER BY does.
		fmt.Fprintf(&script, `SELECT '%[1]s', a.id, b.id, CASE
  WHEN a.x IS b.x COLLATE %[1]s THEN '0'
  WHEN a.x IS NULL THEN '-'
  WHEN b.x IS NULL THEN '+'
  WHEN a.x < b.x COLLATE %[1]s THEN '-'
  ELSE '+' END
FROM v AS a, v AS b ORDER BY a.id, b.id;
`, coll)
	}
	cmd := exec.Command("sqlite3", "-batch", "-separator", " ", filepath.Join(t.TempDir(), "cmp.db"))
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	// One output line per pair, in order: join each a's results into a row.
	var golden strings.Builder
	golden.WriteString("# sqlite3's order for each pair of sqliteComparable() values in compare_test.go:\n" +
		"# collation, index of a, then one of -0+ per b. Regenerate with -update.\n")
	rows := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(rows) != len(collationNames)*len(values)*len(values) {
		t.Fatalf("sqlite3 printed %d lines, want %d:\n%s", len(rows), len(collationNames)*len(values)*len(values), out)
	}
	for k, row := range rows {
		f := strings.Fields(row)
		if len(f) != 4 {
			t.Fatalf("unexpected sqlite3 line %q", row)
		}
		if k%len(values) == 0 {
			fmt.Fprintf(&golden, "%s %s ", f[0], f[1])
		}
		golden.WriteString(f[3])
		if k%len(values) == len(values)-1 {
			golden.WriteString("\n")
		}
	}
	if err := os.WriteFile(goldenCompare, []byte(golden.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
