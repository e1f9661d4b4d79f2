package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCommand(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(args, &stdout, &stderr)
	return status, stdout.String() + stderr.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

var runnerDir = filepath.Join("..", "..", "testdata", "runner")

// anyStatus accepts every exit status.
const anyStatus = -1

func TestCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		status int
		last   string
		has    string
	}{
		{"reference passes", []string{"-driver", "sqlite", filepath.Join(runnerDir, "basic.test")},
			0, "16 passed, 0 failed, 0 skipped", "basic.test: 16 records, 16 run, 16 passed, 0 failed, 0 skipped"},
		{"failures give status 1", []string{"-driver", "sqlite", filepath.Join(runnerDir, "failures.test")},
			1, "3 passed, 8 failed, 0 skipped", "(statement 2, query 6, label 0, other 0)"},
		{"-v shows each failure", []string{"-driver", "sqlite", "-v", filepath.Join(runnerDir, "failures.test")},
			1, "3 passed, 8 failed, 0 skipped", "failures.test:8 (query): wrong result"},
		// Wren's own result depends on the engine's state; the run must
		// reach its summary whatever that state is.
		{"wren runs to the end", []string{"-driver", "wren", filepath.Join(runnerDir, "conditionals.test")},
			anyStatus, "", "failed, 3 skipped"},
		{"a directory", []string{"-driver", "sqlite", "-j", "1", runnerDir},
			1, "", "labels.test: 5 records, 4 run, 3 passed, 1 failed, 1 skipped"},
		{"unknown driver", []string{"-driver", "nope", runnerDir}, 2, "", `unknown driver "nope"`},
		{"no arguments", nil, 2, "", "usage: slt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := runCommand(t, tt.args...)
			if tt.status != anyStatus && status != tt.status {
				t.Errorf("status %d, want %d; output:\n%s", status, tt.status, out)
			}
			if tt.last != "" && lastLine(out) != tt.last {
				t.Errorf("last line %q, want %q", lastLine(out), tt.last)
			}
			if !strings.Contains(out, tt.has) {
				t.Errorf("output lacks %q:\n%s", tt.has, out)
			}
		})
	}
}

// TestRatchetRoundTrip writes a ratchet from a failing run, then checks the
// same run against it: the list holds, so the status is 0.
func TestRatchetRoundTrip(t *testing.T) {
	list := filepath.Join(t.TempDir(), "ratchet.txt")
	status, out := runCommand(t, "-driver", "sqlite", "-write-ratchet", list, "-reason", "planted", runnerDir)
	if status != 1 || !strings.Contains(out, "wrote "+list) {
		t.Fatalf("writing the ratchet: status %d, output:\n%s", status, out)
	}
	data, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"failures.test:8\tplanted", "labels.test:28\tplanted", "invalid.test:6\tplanted"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("ratchet lacks %q:\n%s", want, data)
		}
	}
	status, out = runCommand(t, "-driver", "sqlite", "-ratchet", list, runnerDir)
	if status != 0 || !strings.Contains(out, "0 violations") {
		t.Errorf("checking the ratchet: status %d, output:\n%s", status, out)
	}
}
