package engine

import (
	"os"
	"strings"
	"testing"
)

// TestAdhoc runs the SQL file named by WREN_ADHOC and prints what Wren
// and sqlite3 answer, for investigating a mismatch by hand.
func TestAdhoc(t *testing.T) {
	path := os.Getenv("WREN_ADHOC")
	if path == "" {
		t.Skip("set WREN_ADHOC=file.sql")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wren:\n%s", strings.Join(runWren(t, string(data)), "\n"))
	t.Logf("sqlite3:\n%s", strings.Join(runShell(t, string(data)), "\n"))
}
