package engine

import (
	"strings"
	"testing"
)

func TestSmoke(t *testing.T) {
	c := memConn(t)
	mustExec(t, c, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)")
	mustExec(t, c, "INSERT INTO t VALUES(1,'one',1.5),(2,'two',2),(3,'three',NULL)")
	rows, err := queryRows(t, c, "SELECT a, b, c, a*2 FROM t WHERE a > 1 ORDER BY a DESC LIMIT 5")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rows, "\n")
	want := "3|three|NULL|6\n2|two|2.0|4"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
