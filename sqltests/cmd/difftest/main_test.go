package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	ratchetList := filepath.Join("..", "..", "testdata", "ratchet", "wren-difftest.txt")
	tests := []struct {
		name   string
		args   []string
		status int
		has    string
	}{
		{"reference against itself", []string{"-driver", "sqlite", "-seeds", "3", "-out", t.TempDir()},
			0, "sqlite vs sqlite: seeds 1..3,"},
		{"wren held to its ratchet", []string{"-seeds", "2", "-ratchet", ratchetList, "-out", t.TempDir()},
			0, "0 reported"},
		{"unknown driver", []string{"-driver", "nope"}, 2, `unknown driver "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(tt.args, &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if status != tt.status || !strings.Contains(out, tt.has) {
				t.Errorf("status %d (want %d), output lacks %q or is wrong:\n%s", status, tt.status, tt.has, out)
			}
		})
	}
}
