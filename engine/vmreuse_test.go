package engine

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren/record"
)

// stepRows runs a prepared statement to its end and returns its rows
// joined with "|", then rewinds it for the next run.
func stepRows(t *testing.T, s *Stmt) []string {
	t.Helper()
	var out []string
	for {
		ok, err := s.Step()
		if err != nil {
			t.Fatalf("%s: %v", s.SQL(), err)
		}
		if !ok {
			break
		}
		var parts []string
		for i := 0; i < s.ColumnCount(); i++ {
			parts = append(parts, render(s.Column(i)))
		}
		out = append(out, strings.Join(parts, "|"))
	}
	s.Reset()
	return out
}

// Ensure that a prepared ORDER BY run again and again returns its own
// rows each time: the VM hands the sorter's buffers from one run to the
// next, and the result registers borrow text from the sorted rows.
func TestRepeatedSortedQuery(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(k INTEGER PRIMARY KEY, s TEXT)")
	q, _, err := c.Prepare("SELECT s, k FROM t ORDER BY s DESC, k")
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	other, _, err := c.Prepare("SELECT k, s FROM t ORDER BY k DESC LIMIT 2")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	rows := map[int]string{}
	for run := range 6 {
		// Each run adds rows with longer text, so that the sorted rows
		// no longer fit where the last run's were.
		for i := range 5 {
			k := run*5 + i
			rows[k] = strings.Repeat(string(rune('a'+(k*7)%26)), 1+run*40)
			mustExec(t, c, fmt.Sprintf("INSERT INTO t VALUES(%d, '%s')", k, rows[k]))
		}
		var want []string
		for k, s := range rows {
			want = append(want, fmt.Sprintf("%s|%d", s, k))
		}
		sort.Slice(want, func(i, j int) bool {
			a, b := strings.Split(want[i], "|"), strings.Split(want[j], "|")
			if a[0] != b[0] {
				return a[0] > b[0]
			}
			return len(a[1]) < len(b[1]) || len(a[1]) == len(b[1]) && a[1] < b[1]
		})
		if diff := cmp.Diff(want, stepRows(t, q)); diff != "" {
			t.Fatalf("run %d mismatch (-want +got):\n%s", run, diff)
		}
		last := run*5 + 4
		wantOther := []string{fmt.Sprintf("%d|%s", last, rows[last]), fmt.Sprintf("%d|%s", last-1, rows[last-1])}
		if diff := cmp.Diff(wantOther, stepRows(t, other)); diff != "" {
			t.Fatalf("run %d, second statement mismatch (-want +got):\n%s", run, diff)
		}
	}
}

// Ensure that joins by rowid find the right parent row however the child
// rows point at it: the same parent many times, consecutive parents,
// parents with gaps, missing and going backwards, and with the parent
// table changing under the cursor between lookups (an UPDATE reading the
// table it writes).
func TestJoinRowidLookups(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT)")
	mustExec(t, c, "CREATE TABLE child(id INTEGER PRIMARY KEY, pid INTEGER, note TEXT)")
	parents := map[int64]bool{}
	for _, id := range []int64{1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 20, 21, 100} {
		parents[id] = true
		mustExec(t, c, fmt.Sprintf("INSERT INTO parent VALUES(%d, 'p%d')", id, id))
	}
	pids := []int64{1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 11, 11, 21, 20, 99, 100, 100, 1, 3, 2, 4, 4}
	for i, pid := range pids {
		mustExec(t, c, fmt.Sprintf("INSERT INTO child VALUES(%d, %d, NULL)", i+1, pid))
	}
	name := func(pid int64) string {
		if parents[pid] {
			return fmt.Sprintf("p%d", pid)
		}
		return "NULL"
	}
	var want []string
	for i, pid := range pids {
		want = append(want, fmt.Sprintf("%d|%d|%s", i+1, pid, name(pid)))
	}
	got, err := queryRows(t, c, "SELECT c.id, c.pid, p.name FROM child c LEFT JOIN parent p ON p.id = c.pid")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("join mismatch (-want +got):\n%s", diff)
	}

	// Rename each parent while children are joined to it, then read back.
	mustExec(t, c, "UPDATE child SET note = (SELECT name FROM parent WHERE id = child.pid)")
	mustExec(t, c, "UPDATE parent SET name = name || '+' || (SELECT count(*) FROM child WHERE pid = parent.id)")
	want = want[:0]
	counts := map[int64]int{}
	for _, pid := range pids {
		counts[pid]++
	}
	for i, pid := range pids {
		now := "NULL"
		if parents[pid] {
			now = fmt.Sprintf("p%d+%d", pid, counts[pid])
		}
		want = append(want, fmt.Sprintf("%d|%s|%s", i+1, name(pid), now))
	}
	got, err = queryRows(t, c, "SELECT c.id, c.note, p.name FROM child c LEFT JOIN parent p ON p.id = c.pid")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("join after updates mismatch (-want +got):\n%s", diff)
	}

	// A rowid bound as text, and one that is not a number.
	for _, tt := range []struct {
		arg  record.Value
		want []string
	}{
		{record.TextValue("7"), []string{"p7"}},
		{record.TextValue("x"), nil},
		{record.IntValue(6), nil},
	} {
		got, err := queryRows(t, c, "SELECT substr(name, 1, instr(name, '+') - 1) FROM parent WHERE id = ?", tt.arg)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("lookup of %v mismatch (-want +got):\n%s", render(tt.arg), diff)
		}
	}
}
