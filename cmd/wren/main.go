package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usageText = `Usage: wren [OPTIONS] [FILENAME [SQL...]]
FILENAME is the name of a database file (SQLite 3 format). A new database
is created if the file does not exist; with no FILENAME the database is a
private in-memory one.
OPTIONS include:
   -bail                stop after hitting an error
   -batch               force batch I/O
   -box                 set output mode to 'box'
   -cmd COMMAND         run "COMMAND" before reading stdin
   -column              set output mode to 'column'
   -csv                 set output mode to 'csv'
   -echo                print inputs before execution
   -header              turn headers on
   -help                show this message
   -interactive         force interactive I/O
   -json                set output mode to 'json'
   -line                set output mode to 'line'
   -list                set output mode to 'list'
   -markdown            set output mode to 'markdown'
   -noheader            turn headers off
   -nullvalue TEXT      set text string for NULL values. Default ''
   -quote               set output mode to 'quote'
   -readonly            open the database read-only
   -separator SEP       set output column separator. Default: '|'
   -table               set output mode to 'table'
   -tabs                set output mode to 'tabs'
   -version             show the version
`

// version is what -version prints: the SQLite version whose behaviour
// Wren follows.
const version = "wren (SQLite 3.40.1 compatible)"

// run is the whole program, with its streams passed in so that tests can
// drive it in-process. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Results go through a buffer, flushed after every command and before
	// anything is written to stderr, so that errors stay in order with the
	// output around them.
	buffered := bufio.NewWriterSize(stdout, 64<<10)
	defer buffered.Flush()
	s := newShell(buffered, flushFirst{stderr, buffered})
	var file string
	var sqlArgs, cmds []string
	fileSet := false
	forceInteractive, forceBatch := false, false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			if !fileSet {
				file, fileSet = arg, true
			} else {
				sqlArgs = append(sqlArgs, arg)
			}
			continue
		}
		opt := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
		needValue := func() (string, bool) {
			if i+1 >= len(args) {
				fmt.Fprintf(stderr, "Error: missing argument to %s\n", arg)
				return "", false
			}
			i++
			return args[i], true
		}
		switch opt {
		case "bail":
			s.bail = true
		case "batch":
			forceBatch = true
		case "interactive":
			forceInteractive = true
		case "echo":
			s.echo = true
		case "header", "headers":
			s.set.showHeader, s.set.headerSet = true, true
		case "noheader", "noheaders":
			s.set.showHeader, s.set.headerSet = false, true
		case "readonly":
			s.readonly = true
		case "cmd":
			v, ok := needValue()
			if !ok {
				return 1
			}
			cmds = append(cmds, v)
		case "separator":
			v, ok := needValue()
			if !ok {
				return 1
			}
			s.set.colSep = resolveBackslashes(v)
		case "newline":
			v, ok := needValue()
			if !ok {
				return 1
			}
			s.set.rowSep = resolveBackslashes(v)
		case "nullvalue":
			v, ok := needValue()
			if !ok {
				return 1
			}
			s.set.nullValue = resolveBackslashes(v)
		case "version":
			fmt.Fprintln(stdout, version)
			return 0
		case "help":
			fmt.Fprint(stderr, usageText)
			return 0
		case "csv":
			// unlike .mode csv, the option keeps the row separator
			s.set.mode, s.set.colSep = modeCSV, ","
		case "ascii":
			s.set.mode, s.set.colSep, s.set.rowSep = modeASCII, "\x1f", "\x1e"
		case "tabs":
			s.set.mode, s.set.colSep = modeList, "\t"
		case "quote":
			s.set.mode, s.set.colSep, s.set.rowSep = modeQuote, ",", "\n"
		case "list", "line", "column", "html", "json", "markdown", "table", "box":
			// the other mode options set the mode alone, not its separators
			s.set.mode = modeNames[opt]
		default:
			fmt.Fprintf(stderr, "wren: Error: unknown option: %s\nUse -help for a list of options.\n", arg)
			return 1
		}
	}

	stdinFile, isFile := stdin.(*os.File)
	interactive := isFile && term.IsTerminal(int(stdinFile.Fd())) && len(sqlArgs) == 0
	if forceBatch {
		interactive = false
	}
	if forceInteractive {
		interactive = true
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) || os.Getenv("WREN_PROGRESS") == "1" {
		s.progressOn = true
	}
	if file != "" && file != ":memory:" {
		if err := s.open(file); err != nil {
			fmt.Fprintf(stderr, "Error: unable to open database \"%s\": %v\n", file, err)
			return 1
		}
	}
	defer s.closeDB()
	defer s.flushOutput()

	for _, c := range cmds {
		if strings.HasPrefix(c, ".") {
			rc := s.doMetaCommand(c)
			if rc == metaQuit {
				return 0
			}
			if rc == metaError && s.bail {
				return 1
			}
			continue
		}
		s.argMode = true
		ok := s.runSQL(c, 0)
		s.argMode = false
		if !ok && s.bail {
			return 1
		}
	}

	if len(sqlArgs) > 0 {
		s.argMode = true
		for _, a := range sqlArgs {
			if strings.HasPrefix(a, ".") {
				s.echoInput(a)
				switch s.doMetaCommand(a) {
				case metaQuit:
					return 0
				case metaError:
					return 1
				}
				s.resetOnce()
				continue
			}
			if !s.runSQL(a, 0) {
				return s.lastCode
			}
			s.resetOnce()
		}
		return 0
	}

	if interactive {
		s.interactive = true
		if file == "" || file == ":memory:" {
			fmt.Fprintf(stdout, "%s\nEnter \".help\" for usage hints.\n", version)
			fmt.Fprintln(stdout, "Connected to a transient in-memory database.")
			fmt.Fprintln(stdout, "Use \".open FILENAME\" to reopen on a persistent database.")
		}
		return s.runInteractive(stdinFile)
	}
	if stdin == os.Stdin {
		stop := s.catchInterrupts()
		defer stop()
	}
	s.processInput(newScriptSource(stdin))
	if s.errCount > 0 || s.interrupted.Load() {
		return 1
	}
	return 0
}

// flushFirst writes to w after flushing the buffered standard output.
type flushFirst struct {
	w     io.Writer
	flush *bufio.Writer
}

func (f flushFirst) Write(p []byte) (int, error) {
	f.flush.Flush()
	return f.w.Write(p)
}
