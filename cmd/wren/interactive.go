package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/term"
)

// history keeps the lines typed at the prompt for recall with the arrow
// keys (term.Terminal asks it), skipping blank lines and repeats, and
// saves them to a file between runs.
type history struct {
	lines []string // oldest first
	file  string
	added []string // lines to append to the file at exit
}

const historyMax = 1000

func (h *history) Add(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	if n := len(h.lines); n > 0 && h.lines[n-1] == line {
		return
	}
	h.lines = append(h.lines, line)
	if len(h.lines) > historyMax {
		h.lines = h.lines[len(h.lines)-historyMax:]
	}
	h.added = append(h.added, line)
}

func (h *history) Len() int { return len(h.lines) }

// At counts back from the newest line, as term.History requires.
func (h *history) At(i int) string { return h.lines[len(h.lines)-1-i] }

// historyFile is $WREN_HISTORY, or ~/.wren_history.
func historyFile() string {
	if f := os.Getenv("WREN_HISTORY"); f != "" {
		return f
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".wren_history")
}

func (h *history) load() {
	if h.file == "" {
		return
	}
	f, err := os.Open(h.file)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		h.lines = append(h.lines, sc.Text())
	}
	if len(h.lines) > historyMax {
		h.lines = h.lines[len(h.lines)-historyMax:]
	}
}

func (h *history) save() {
	if h.file == "" || len(h.added) == 0 {
		return
	}
	f, err := os.OpenFile(h.file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	for _, l := range h.added {
		io.WriteString(f, l+"\n")
	}
	h.added = nil
}

// ctrlCFilter sits between the terminal and term.Terminal. term.Terminal
// treats Ctrl-C like Ctrl-D (end of input), but at the shell's prompt
// Ctrl-C only abandons the line being typed: the filter turns it into
// "go to end of line, erase the line, Enter" and notes that it happened,
// so that ReadLine returns an empty line the shell recognises.
type ctrlCFilter struct {
	r       io.Reader
	mu      sync.Mutex
	pressed bool
	pending []byte
}

func (f *ctrlCFilter) Read(p []byte) (int, error) {
	if len(f.pending) > 0 {
		n := copy(p, f.pending)
		f.pending = f.pending[n:]
		return n, nil
	}
	n, err := f.r.Read(p)
	if i := strings.IndexByte(string(p[:n]), 3); i >= 0 {
		f.mu.Lock()
		f.pressed = true
		f.mu.Unlock()
		f.pending = append([]byte("\x05\x15\r"), p[i+1:n]...)
		n = i + copy(p[i:], f.pending)
		f.pending = f.pending[n-i:]
	}
	return n, err
}

// takePressed reports whether Ctrl-C was pressed since the last call.
func (f *ctrlCFilter) takePressed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pressed
	f.pressed = false
	return p
}

// terminalSource reads lines with term.Terminal's line editor: cursor
// movement, word deletion, history on the up and down arrows. The
// terminal is in raw mode only while a line is being typed, so that
// Ctrl-C during a statement raises SIGINT, which cancels the statement.
type terminalSource struct {
	fd     int
	t      *term.Terminal
	filter *ctrlCFilter
}

func (ts *terminalSource) readLine(prompt string) (string, error) {
	old, err := term.MakeRaw(ts.fd)
	if err == nil {
		defer term.Restore(ts.fd, old)
	}
	if w, h, err := term.GetSize(ts.fd); err == nil {
		ts.t.SetSize(w, h)
	}
	ts.t.SetPrompt(prompt)
	line, err := ts.t.ReadLine()
	if errors.Is(err, term.ErrPasteIndicator) {
		err = nil
	}
	if ts.filter.takePressed() {
		return "", errInterrupted
	}
	return line, err
}

// runInteractive is the prompt loop on a terminal.
func (s *shell) runInteractive(in *os.File) int {
	filter := &ctrlCFilter{r: in}
	// the line editor's echo and prompts must reach the screen at once
	screen := writerFunc(func(p []byte) (int, error) {
		n, err := s.stdout.Write(p)
		s.flushStdout()
		return n, err
	})
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{filter, screen}, mainPrompt)
	h := &history{file: historyFile()}
	h.load()
	t.History = h
	defer h.save()

	stop := s.catchInterrupts()
	defer stop()

	s.processInput(&terminalSource{fd: int(in.Fd()), t: t, filter: filter})
	io.WriteString(s.stdout, "\n")
	return 0
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
