//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The interactive shell is tested as a user meets it: the real binary on
// a pseudo-terminal, driven by keystrokes.

// buildShell compiles the shell once per test run.
var buildShell = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "wren-pty")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "wren")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// openPTY opens a pseudo-terminal pair through /dev/ptmx.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil { // unlockpt
		master.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN) // ptsname
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 200})
	return master, slave, nil
}

// ptySession is a running shell and everything it has written.
type ptySession struct {
	t      *testing.T
	master *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	out    bytes.Buffer
	done   chan struct{}
}

func startPTY(t *testing.T, historyFile string, args ...string) *ptySession {
	t.Helper()
	bin, err := buildShell()
	if err != nil {
		t.Fatal(err)
	}
	master, slave, err := openPTY()
	if err != nil {
		t.Skipf("no pseudo-terminal available: %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.Env = append(os.Environ(), "WREN_HISTORY="+historyFile, "TERM=xterm")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	s := &ptySession{t: t, master: master, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		master.Close()
	})
	return s
}

func (s *ptySession) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

func (s *ptySession) send(keys string) {
	s.t.Helper()
	if _, err := s.master.Write([]byte(keys)); err != nil {
		s.t.Fatal(err)
	}
}

// waitFor waits until the output holds want n times in total. The limit
// only guards against a hang; it is not a timing assertion.
func (s *ptySession) waitFor(want string, n int) {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Count(s.output(), want) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("waited for %q (%d times); the terminal shows:\n%s", want, n, s.output())
}

func TestInteractive(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	s := startPTY(t, history)
	s.waitFor("Connected to a transient in-memory database.", 1)
	s.waitFor(mainPrompt, 1)

	// A statement typed over two lines: the second gets the continuation
	// prompt, and the statement runs once it is complete.
	s.send("select 40 +\r")
	s.waitFor(continuePrompt, 1)
	s.send("2 as answer;\r")
	s.waitFor("\r\n42\r\n", 1)

	// History: the up arrow recalls the previous line.
	s.send("select 'hist' || 'ory';\r")
	s.waitFor("\r\nhistory\r\n", 1)
	s.send("\x1b[A\r")
	s.waitFor("\r\nhistory\r\n", 2)

	// Ctrl-C at the prompt drops the line being typed.
	s.send("select 'dropped'")
	s.send("\x03")
	s.send("select 'kept';\r")
	s.waitFor("\r\nkept\r\n", 1)
	if strings.Contains(s.output(), "\r\ndropped\r\n") {
		t.Errorf("a line abandoned with Ctrl-C ran:\n%s", s.output())
	}

	// Ctrl-C during a long query cancels the query, not the shell.
	s.send("create table t(x);\r")
	values := make([]string, 60)
	for i := range values {
		values[i] = fmt.Sprintf("(%d)", i)
	}
	s.send("insert into t values " + strings.Join(values, ",") + ";\r")
	s.send("select count(*) from t a, t b, t c, t d, t e, t f;\r")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(s.output(), "interrupted") && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond) // let the query start
		s.send("\x03")
	}
	s.waitFor("interrupted", 1)
	s.send("select 'still alive';\r")
	s.waitFor("\r\nstill alive\r\n", 1)

	// Ctrl-D on an empty line ends the shell.
	s.send("\x04")
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("the shell did not exit on Ctrl-D:\n%s", s.output())
	}
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("exit: %v", err)
	}
	// The history is kept for the next session, without repeats.
	saved, err := os.ReadFile(history)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(saved), "select 'hist' || 'ory';\n"); n != 1 {
		t.Errorf("history file holds the recalled line %d times, want 1:\n%s", n, saved)
	}
	if strings.Contains(string(saved), "dropped") {
		t.Errorf("a line abandoned with Ctrl-C is in the history:\n%s", saved)
	}
	if testing.Verbose() {
		t.Logf("transcript:\n%s", strings.ReplaceAll(s.output(), "\r", ""))
	}
}
