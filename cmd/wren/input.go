package main

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// A lineSource gives the shell its input one line at a time: a script
// (stdin, .read) or the terminal's line editor.
type lineSource interface {
	// readLine returns the next line without its line ending; prompt is
	// shown first when the source is a terminal. It returns io.EOF at the
	// end of the input, and errInterrupted when the user pressed Ctrl-C.
	readLine(prompt string) (string, error)
}

var errInterrupted = errors.New("interrupted")

// scriptSource reads lines from a file or pipe.
type scriptSource struct{ r *bufio.Reader }

func newScriptSource(r io.Reader) *scriptSource {
	return &scriptSource{r: bufio.NewReaderSize(r, 64<<10)}
}

func (s *scriptSource) readLine(string) (string, error) {
	line, err := s.r.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", err
	}
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	return line, nil
}

const (
	mainPrompt     = "wren> "
	continuePrompt = "   ...> "
)

// processInput runs every command and statement of src, as sqlite3's
// process_input does: a line starting with '.' is a dot-command when no
// statement is pending; other lines are collected until they form
// complete statements, which then run together. It returns true when a
// .quit (or .exit) asked the shell to stop.
func (s *shell) processInput(src lineSource) (quit bool) {
	var buf strings.Builder
	startLine := 0
	for {
		prompt := mainPrompt
		if buf.Len() > 0 {
			prompt = continuePrompt
		}
		s.flushStdout()
		if s.interactive {
			s.interrupted.Store(false) // back at the prompt
		} else if s.interrupted.Load() {
			return true
		}
		line, err := src.readLine(prompt)
		if errors.Is(err, errInterrupted) {
			buf.Reset() // Ctrl-C at the prompt drops what was typed
			continue
		}
		if err != nil {
			break
		}
		s.lineno++
		if buf.Len() == 0 {
			if strings.HasPrefix(line, ".") {
				s.echoInput(line)
				rc := s.doMetaCommand(line)
				s.resetOnce()
				if rc == metaQuit {
					return true
				}
				if rc == metaError {
					s.errCount++
					if s.bail {
						return true
					}
				}
				continue
			}
			if strings.HasPrefix(line, "#") {
				continue
			}
			line = trimLeftSpace(line)
			if line == "" {
				continue
			}
			startLine = s.lineno
			buf.WriteString(line)
		} else {
			buf.WriteByte('\n')
			buf.WriteString(line)
		}
		// Only a line with a semicolon can finish a statement, and only
		// text that starts with a comment can turn out to be blank: other
		// lines need no parse, which keeps a statement of many lines (a
		// long VALUES list) linear to read.
		first := buf.String()[:min(buf.Len(), 2)]
		if !strings.Contains(line, ";") && first != "--" && first != "/*" {
			continue
		}
		switch checkComplete(buf.String()) {
		case complete:
			ok := s.runSQL(buf.String(), startLine)
			buf.Reset()
			s.resetOnce()
			if !ok && s.bail {
				return true
			}
		case blank:
			s.echoInput(buf.String())
			buf.Reset()
		}
	}
	if strings.TrimSpace(buf.String()) != "" && checkComplete(buf.String()+";") != blank {
		ok := s.runSQL(buf.String(), startLine)
		s.resetOnce()
		if !ok && s.bail {
			return true
		}
	}
	return false
}
