package record

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The golden records in testdata/sqlite_records.golden are the bytes sqlite3
// itself wrote for sqliteCases. Regenerate them with
//
//	go test ./record -run TestSQLiteRecords -update
//
// which needs the sqlite3 command on PATH; the plain test does not.
var update = flag.Bool("update", false, "rewrite golden files from the sqlite3 command")

const goldenRecords = "testdata/sqlite_records.golden"

func seq(n int, f func(i int) Value) []Value {
	out := make([]Value, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

var sqliteCases = []struct {
	name string
	vals []Value
}{
	{"integers", vals(0, 1, 2, -1, 127, -128, 128, -129, 32767, -32768, 32768, -32769,
		8388607, -8388608, 8388608, 2147483647, -2147483648, 2147483648,
		int64(140737488355327), int64(-140737488355328), int64(140737488355328),
		int64(math.MaxInt64), int64(math.MinInt64))},
	{"reals", vals(0.0, 1.0, -1.5, math.Pi, 1e300, -2.5e-300, math.Inf(1), math.Inf(-1), 9007199254740993.0)},
	{"texts", vals("", "a", "hello, world", "ünïcödé ☃", strings.Repeat("long text ", 100))},
	{"blobs", vals([]byte{}, []byte{0}, []byte{0xde, 0xad, 0xbe, 0xef}, []byte(strings.Repeat("\x01\xfe", 1000)))},
	{"nulls", vals(nil, nil, nil)},
	{"mixed", vals(nil, 42, 1.5, "abc", []byte{1, 0xff}, 0, 1)},
	{"one column", vals("only")},
	{"126 header bytes", seq(126, func(i int) Value { return IntValue(int64(i)) })},
	{"127 header bytes", seq(127, func(i int) Value { return IntValue(int64(i)) })},
	{"wide row", seq(300, func(i int) Value {
		switch i % 4 {
		case 0:
			return NullValue()
		case 1:
			return IntValue(int64(i) * 1000003)
		case 2:
			return RealValue(float64(i) + 0.25)
		}
		return TextValue(strings.Repeat("w", i%70))
	})},
}

// sqlLiteral renders v so that sqlite3 parses it back to the same value and
// storage class (in a column with no type, hence no affinity).
func sqlLiteral(v Value) string {
	switch v.Kind {
	case Integer:
		if v.Int == math.MinInt64 {
			return "(-9223372036854775807-1)"
		}
		return strconv.FormatInt(v.Int, 10)
	case Real:
		switch {
		case math.IsInf(v.Float, 1):
			return "1e999"
		case math.IsInf(v.Float, -1):
			return "-1e999"
		}
		s := strconv.FormatFloat(v.Float, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case Text:
		return "'" + strings.ReplaceAll(string(v.Bytes), "'", "''") + "'"
	case Blob:
		return "x'" + hex.EncodeToString(v.Bytes) + "'"
	}
	return "NULL"
}

// Ensure that our records are byte for byte the ones sqlite3 writes, and
// that we decode sqlite3's records to the values it was given.
func TestSQLiteRecords(t *testing.T) {
	if *update {
		writeGoldenRecords(t)
	}
	golden := readGoldenRecords(t)
	for _, tt := range sqliteCases {
		t.Run(tt.name, func(t *testing.T) {
			want, ok := golden[tt.name]
			if !ok {
				t.Fatalf("no golden record for %q; run with -update", tt.name)
			}
			if diff := cmp.Diff(want, AppendRecord(nil, tt.vals)); diff != "" {
				t.Errorf("AppendRecord differs from sqlite3 (-sqlite3 +wren):\n%s", diff)
			}
			got, err := DecodeRecord(want, nil)
			if err != nil {
				t.Fatalf("DecodeRecord of sqlite3's record: %v", err)
			}
			if diff := cmp.Diff(tt.vals, got, valueOpts); diff != "" {
				t.Errorf("DecodeRecord of sqlite3's record (-want +got):\n%s", diff)
			}
		})
	}
}

func readGoldenRecords(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open(goldenRecords)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, hexRec, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad golden line %q", line)
		}
		out[name] = mustHex(t, hexRec)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeGoldenRecords makes sqlite3 store each case as the only row of its own
// table, then reads the record out of that table's root page.
func writeGoldenRecords(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("-update needs the sqlite3 command")
	}
	db := filepath.Join(t.TempDir(), "golden.db")
	var script strings.Builder
	script.WriteString("PRAGMA page_size=65536;\n")
	for i, tt := range sqliteCases {
		cols := make([]string, len(tt.vals))
		lits := make([]string, len(tt.vals))
		for j, v := range tt.vals {
			cols[j] = fmt.Sprintf("c%d", j)
			lits[j] = sqlLiteral(v)
		}
		fmt.Fprintf(&script, "CREATE TABLE t%d(%s);\n", i, strings.Join(cols, ","))
		fmt.Fprintf(&script, "INSERT INTO t%d VALUES(%s);\n", i, strings.Join(lits, ","))
	}
	script.WriteString("SELECT name, rootpage FROM sqlite_schema ORDER BY rowid;\n")
	cmd := exec.Command("sqlite3", "-batch", db)
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	file, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(binary.BigEndian.Uint16(file[16:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	var golden strings.Builder
	golden.WriteString("# Records written by sqlite3 for sqliteCases in sqlite_test.go; regenerate with -update.\n")
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, root, _ := strings.Cut(line, "|")
		i, err1 := strconv.Atoi(strings.TrimPrefix(name, "t"))
		pgno, err2 := strconv.Atoi(root)
		if err1 != nil || err2 != nil || i >= len(sqliteCases) {
			t.Fatalf("unexpected sqlite3 output line %q", line)
		}
		rec := onlyCellPayload(t, file[(pgno-1)*pageSize:pgno*pageSize])
		fmt.Fprintf(&golden, "%s\t%x\n", sqliteCases[i].name, rec)
	}
	if err := os.WriteFile(goldenRecords, []byte(golden.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// onlyCellPayload returns the payload of the single cell of a table leaf
// page whose payload fits on the page.
func onlyCellPayload(t *testing.T, page []byte) []byte {
	t.Helper()
	if page[0] != 0x0d || binary.BigEndian.Uint16(page[3:]) != 1 {
		t.Fatalf("page is not a table leaf with one cell: type %#x", page[0])
	}
	cell := page[binary.BigEndian.Uint16(page[8:]):]
	size, n := Varint(cell)
	_, m := Varint(cell[n:])
	payload := cell[n+m:]
	if uint64(len(payload)) < size {
		t.Fatal("payload spills onto overflow pages")
	}
	return payload[:size]
}
