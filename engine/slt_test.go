package engine

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/vdbe"
)

// A small sqllogictest runner, following the rules in the corpus README
// (../shared/sqllogictest/README.md), so that the engine can be measured
// without the database/sql driver. The project's real runner is sqltests/.

func sltDir() string {
	if d := os.Getenv("WREN_SLT_DIR"); d != "" {
		return d
	}
	return "../../shared/sqllogictest/test"
}

type sltRecord struct {
	kind     string // statement, query, halt, hash-threshold
	ok       bool   // statement ok
	sql      string
	types    string
	sortMode string
	label    string
	expected []string
	line     int
}

func parseSLT(data string) []sltRecord {
	lines := strings.Split(data, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	var recs []sltRecord
	i := 0
	for i < len(lines) {
		// Skip blank lines and comments between records.
		for i < len(lines) && (strings.TrimSpace(lines[i]) == "" || strings.HasPrefix(lines[i], "#")) {
			i++
		}
		if i >= len(lines) {
			break
		}
		var block []string
		start := i + 1
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			if !strings.HasPrefix(lines[i], "#") {
				block = append(block, lines[i])
			}
			i++
		}
		skip := false
		for len(block) > 0 {
			f := strings.Fields(block[0])
			if len(f) >= 2 && f[0] == "skipif" {
				if strings.EqualFold(f[1], "sqlite") {
					skip = true
				}
				block = block[1:]
				continue
			}
			if len(f) >= 2 && f[0] == "onlyif" {
				if !strings.EqualFold(f[1], "sqlite") {
					skip = true
				}
				block = block[1:]
				continue
			}
			break
		}
		if len(block) == 0 {
			continue
		}
		f := strings.Fields(block[0])
		r := sltRecord{kind: f[0], line: start}
		switch f[0] {
		case "statement":
			r.ok = len(f) > 1 && f[1] == "ok"
			r.sql = strings.Join(block[1:], "\n")
		case "query":
			if len(f) > 1 {
				r.types = f[1]
			}
			r.sortMode = "nosort"
			if len(f) > 2 {
				r.sortMode = f[2]
			}
			if len(f) > 3 {
				r.label = f[3]
				if len(r.label) > 20 {
					r.label = r.label[:20]
				}
			}
			var sqlLines []string
			j := 1
			for ; j < len(block) && block[j] != "----"; j++ {
				sqlLines = append(sqlLines, block[j])
			}
			r.sql = strings.Join(sqlLines, "\n")
			if j < len(block) {
				r.expected = block[j+1:]
			}
		case "hash-threshold":
			if len(f) > 1 {
				r.sql = f[1]
			}
		}
		if skip {
			if r.kind == "query" && r.label != "" {
				r.kind = "skipped-label"
			} else {
				continue
			}
		}
		recs = append(recs, r)
	}
	return recs
}

// sltValue renders a value as the reference runner does for type letter t.
func sltValue(v record.Value, t byte) string {
	if v.Kind == record.Null {
		return "NULL"
	}
	var m vdbe.Mem
	m.SetValue(v)
	switch t {
	case 'I':
		var i int64
		if v.Kind == record.Real {
			f := v.Float
			switch {
			case f >= 9.223372036854775807e18:
				i = math.MaxInt64
			case f <= -9.223372036854775808e18:
				i = math.MinInt64
			default:
				i = int64(f)
			}
		} else {
			i = vdbe.IntValue(&m)
		}
		return strconv.Itoa(int(int32(i)))
	case 'R':
		f := vdbe.RealValue(&m)
		return formatR(f)
	default:
		var b []byte
		switch v.Kind {
		case record.Integer, record.Real:
			b = vdbe.AppendText(nil, &m)
		default:
			b = v.Bytes
		}
		if len(b) == 0 {
			return "(empty)"
		}
		out := make([]byte, len(b))
		for i, c := range b {
			if c < 0x20 || c > 0x7e {
				c = '@'
			}
			out[i] = c
		}
		return string(out)
	}
}

func formatR(f float64) string {
	if f == 0 {
		return "0.000"
	}
	if math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 3, 64)
	}
	// At most 16 significant digits, then zeros.
	s := strconv.FormatFloat(f, 'e', 15, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := strings.Replace(mant, ".", "", 1)
	var ip string
	if e+1 >= len(digits) {
		ip = digits + strings.Repeat("0", e+1-len(digits))
	} else {
		ip = digits[:e+1]
	}
	if neg {
		ip = "-" + ip
	}
	return ip + ".000"
}

type sltResult struct {
	run, skipped, stmtFail, queryFail, labelFail int
	firstFailures                                []string
}

func runSLTFile(t testing.TB, path string, verbose bool) sltResult {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(":memory:", Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var res sltResult
	threshold := 8
	labels := map[string]string{}
	fail := func(r sltRecord, msg string) {
		if len(res.firstFailures) < 10 {
			res.firstFailures = append(res.firstFailures, fmt.Sprintf("%s:%d: %s\n%s", filepath.Base(path), r.line, msg, r.sql))
		}
	}
	for _, r := range parseSLT(string(data)) {
		switch r.kind {
		case "halt":
			return res
		case "hash-threshold":
			threshold, _ = strconv.Atoi(r.sql)
			continue
		case "skipped-label":
			res.skipped++
			h := ""
			if len(r.expected) == 1 && strings.Contains(r.expected[0], "values hashing to") {
				h = r.expected[0][strings.LastIndex(r.expected[0], " ")+1:]
			} else {
				h = md5Lines(r.expected)
			}
			if _, ok := labels[r.label]; !ok {
				labels[r.label] = h
			}
			continue
		case "statement":
			res.run++
			err := execAll(c, r.sql)
			if (err == nil) != r.ok {
				res.stmtFail++
				fail(r, fmt.Sprintf("statement ok=%v got err=%v", r.ok, err))
			}
		case "query":
			res.run++
			vals, err := sltQuery(c, r.sql, r.types)
			if err != nil {
				res.queryFail++
				fail(r, "prepare: "+err.Error())
				continue
			}
			n := len(r.types)
			switch r.sortMode {
			case "rowsort":
				var rows [][]string
				for i := 0; i+n <= len(vals); i += n {
					rows = append(rows, vals[i:i+n])
				}
				sort.SliceStable(rows, func(i, j int) bool {
					a, b := rows[i], rows[j]
					for k := range a {
						if a[k] != b[k] {
							return a[k] < b[k]
						}
					}
					return false
				})
				vals = vals[:0:0]
				for _, row := range rows {
					vals = append(vals, row...)
				}
			case "valuesort":
				sort.Strings(vals)
			}
			var got []string
			h := md5Lines(vals)
			if threshold > 0 && len(vals) > threshold {
				got = []string{fmt.Sprintf("%d values hashing to %s", len(vals), h)}
			} else {
				got = vals
			}
			exp := r.expected
			if strings.Join(got, "\n") != strings.Join(exp, "\n") {
				res.queryFail++
				g := strings.Join(got, ",")
				if len(g) > 300 {
					g = g[:300]
				}
				e := strings.Join(exp, ",")
				if len(e) > 300 {
					e = e[:300]
				}
				fail(r, fmt.Sprintf("got  %s\nwant %s", g, e))
				continue
			}
			if r.label != "" {
				if prev, ok := labels[r.label]; ok && prev != h {
					res.labelFail++
					fail(r, "label mismatch "+r.label)
				} else if !ok {
					labels[r.label] = h
				}
			}
		default:
			return res
		}
	}
	return res
}

func md5Lines(vals []string) string {
	hs := md5.New()
	for _, v := range vals {
		hs.Write([]byte(v))
		hs.Write([]byte("\n"))
	}
	return hex.EncodeToString(hs.Sum(nil))
}

func execAll(c *Conn, sql string) error { return c.Exec(sql) }

func sltQuery(c *Conn, sql, types string) ([]string, error) {
	s, _, err := c.Prepare(sql)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, nil
	}
	defer s.Close()
	if s.ColumnCount() != len(types) {
		return nil, fmt.Errorf("got %d columns, want %d", s.ColumnCount(), len(types))
	}
	var vals []string
	for {
		ok, err := s.Step()
		if err != nil || !ok {
			return vals, nil
		}
		for i := 0; i < len(types); i++ {
			vals = append(vals, sltValue(s.Column(i), types[i]))
		}
	}
}

// sltFiles lists the corpus files under dir matching the patterns.
func sltFiles(t testing.TB, patterns ...string) []string {
	var out []string
	for _, p := range patterns {
		m, _ := filepath.Glob(filepath.Join(sltDir(), p))
		out = append(out, m...)
	}
	return out
}

func runSLTSet(t *testing.T, files []string) {
	if len(files) == 0 {
		t.Skip("sqllogictest corpus not found; set WREN_SLT_DIR")
	}
	total, failed := 0, 0
	for _, f := range files {
		start := time.Now()
		res := runSLTFile(t, f, false)
		rel, _ := filepath.Rel(sltDir(), f)
		nf := res.stmtFail + res.queryFail + res.labelFail
		total += res.run
		failed += nf
		t.Logf("%-45s run %6d  fail %5d (stmt %d, query %d, label %d)  %v", rel, res.run, nf, res.stmtFail, res.queryFail, res.labelFail, time.Since(start).Round(time.Millisecond))
		if os.Getenv("WREN_SLT_VERBOSE") != "" {
			for _, m := range res.firstFailures {
				t.Log(m)
			}
		}
	}
	t.Logf("TOTAL run %d, failed %d (%.3f%% pass)", total, failed, 100*float64(total-failed)/float64(max(total, 1)))
}

// TestSLTQuick runs select1 and evidence/ by default.
func TestSLTQuick(t *testing.T) {
	runSLTSet(t, sltFiles(t, "select1.test", "evidence/*.test"))
}

// TestSLTFull runs the whole developer subset when WREN_SLT_FULL=1.
func TestSLTFull(t *testing.T) {
	if os.Getenv("WREN_SLT_FULL") == "" {
		t.Skip("set WREN_SLT_FULL=1")
	}
	pat := os.Getenv("WREN_SLT_FILES")
	if pat != "" {
		runSLTSet(t, sltFiles(t, strings.Split(pat, ",")...))
		return
	}
	runSLTSet(t, sltFiles(t, "select*.test", "evidence/*.test", "index/*/*/*.test", "random/*/*.test"))
}
