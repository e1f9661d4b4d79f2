package main

import (
	"bufio"
	"fmt"
	"os"
)

// Output redirection: .output sends results to a file until the next
// .output; .once to a file for the next command only.

func (s *shell) setOutput(name string, once bool) metaResult {
	s.flushOutput()
	if name == "" || name == "-" || name == "stdout" {
		s.out = s.stdout
		return metaOK
	}
	f, err := os.Create(name)
	if err != nil {
		fmt.Fprintf(s.stderr, "Error: cannot write to \"%s\"\n", name)
		return metaError
	}
	s.outFile, s.out, s.once = f, bufio.NewWriterSize(f, 64<<10), once
	return metaOK
}

func (s *shell) metaOutput(a []string) metaResult {
	name := ""
	if len(a) > 0 {
		name = a[0]
	}
	return s.setOutput(name, false)
}

func (s *shell) metaOnce(a []string) metaResult {
	if len(a) != 1 {
		return s.usage(".once FILE")
	}
	r := s.setOutput(a[0], true)
	s.onceArmed = true
	return r
}

// flushOutput closes an output file and goes back to stdout.
func (s *shell) flushOutput() {
	if b, ok := s.out.(*bufio.Writer); ok && s.outFile != nil {
		b.Flush()
	}
	if s.outFile != nil {
		s.outFile.Close()
		s.outFile = nil
	}
	s.out = s.stdout
	s.once = false
}

// resetOnce ends a .once redirection after the command that followed it.
func (s *shell) resetOnce() {
	if s.onceArmed {
		s.onceArmed = false // the .once command itself
		return
	}
	if s.once {
		s.flushOutput()
	}
}
