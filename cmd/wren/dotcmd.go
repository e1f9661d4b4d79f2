package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/wrendb/wren/lockqueue"
)

// metaResult is what a dot-command asks of the input loop.
type metaResult int

const (
	metaOK metaResult = iota
	metaError
	metaQuit
)

// splitMetaArgs splits a dot-command line into words as sqlite3 does:
// whitespace separates, '...' quotes literally and "..." quotes with C
// backslash escapes.
func splitMetaArgs(line string) []string {
	var args []string
	i := 0
	for i < len(line) {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			break
		}
		if q := line[i]; q == '\'' || q == '"' {
			i++
			start := i
			for i < len(line) && line[i] != q {
				if line[i] == '\\' && q == '"' && i+1 < len(line) {
					i++
				}
				i++
			}
			arg := line[start:i]
			if q == '"' {
				arg = resolveBackslashes(arg)
			}
			args = append(args, arg)
			if i < len(line) {
				i++
			}
			continue
		}
		start := i
		for i < len(line) && !isSpace(line[i]) {
			i++
		}
		args = append(args, line[start:i])
	}
	return args
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// resolveBackslashes turns C escapes (\t, \n, \r, \\, \", \', octal
// \NNN) into the characters they name.
func resolveBackslashes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for k := 0; k < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(s[i]-'0')
			}
			b.WriteByte(byte(v))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// booleanArg reads on/off, yes/no, true/false or a number, as sqlite3's
// booleanValue does.
func (s *shell) booleanArg(arg string) bool {
	if n, err := strconv.Atoi(arg); err == nil {
		return n != 0
	}
	switch strings.ToLower(arg) {
	case "on", "yes", "true":
		return true
	case "off", "no", "false":
		return false
	}
	fmt.Fprintf(s.stderr, "ERROR: Not a boolean value: \"%s\". Assuming \"no\".\n", arg)
	return false
}

// metaCommand is one dot-command: its name, the usage line of .help, and
// the function that runs it with the words after the name.
type metaCommand struct {
	name  string
	usage string
	run   func(s *shell, args []string) metaResult
}

var metaCommands []metaCommand

func init() {
	metaCommands = []metaCommand{
		{"bail", ".bail on|off             Stop after hitting an error.  Default OFF", (*shell).metaBail},
		{"changes", ".changes on|off          Show number of rows changed by SQL", (*shell).metaChanges},
		{"dbinfo", ".dbinfo                  Show status information about the database", (*shell).metaDBInfo},
		{"dump", ".dump ?OBJECTS?          Render database content as SQL", (*shell).metaDump},
		{"echo", ".echo on|off             Turn command echo on or off", (*shell).metaEcho},
		{"eqp", ".eqp on|off              Show the query plan of each statement", (*shell).metaEQP},
		{"exit", ".exit ?CODE?             Exit this program with return-code CODE", (*shell).metaQuit},
		{"explain", ".explain ?on|off|auto?   Format EXPLAIN output (default: auto)", (*shell).metaExplain},
		{"headers", ".headers on|off          Turn display of headers on or off", (*shell).metaHeaders},
		{"help", ".help                    Show this message", (*shell).metaHelp},
		{"import", ".import FILE TABLE       Import data from FILE into TABLE (--csv, --ascii, --skip N)", (*shell).metaImport},
		{"indexes", ".indexes ?TABLE?         Show names of indexes", (*shell).metaIndexes},
		{"mode", ".mode MODE ?TABLE?       Set output mode", (*shell).metaMode},
		{"nullvalue", ".nullvalue STRING        Use STRING in place of NULL values", (*shell).metaNullValue},
		{"once", ".once FILE               Output for the next SQL command only to FILE", (*shell).metaOnce},
		{"open", ".open ?--new|--readonly? ?FILE?  Close existing database and reopen FILE", (*shell).metaOpen},
		{"output", ".output ?FILE?           Send output to FILE or stdout if FILE is omitted", (*shell).metaOutput},
		{"print", ".print STRING...         Print literal STRING", (*shell).metaPrint},
		{"quit", ".quit                    Exit this program", (*shell).metaQuit},
		{"read", ".read FILE               Read input from FILE", (*shell).metaRead},
		{"schema", ".schema ?PATTERN?        Show the CREATE statements matching PATTERN", (*shell).metaSchema},
		{"separator", ".separator COL ?ROW?     Change the column and row separators", (*shell).metaSeparator},
		{"show", ".show                    Show the current values for various settings", (*shell).metaShow},
		{"stats", ".stats                   Show lock-queue statistics of this process", (*shell).metaStats},
		{"tables", ".tables ?TABLE?          List names of tables matching LIKE pattern TABLE", (*shell).metaTables},
		{"timer", ".timer on|off            Turn SQL timer on or off", (*shell).metaTimer},
		{"width", ".width NUM1 NUM2 ...     Set minimum column widths for columnar output", (*shell).metaWidth},
	}
}

// doMetaCommand runs one dot-command line. A command may be abbreviated
// to any prefix that names it uniquely enough, as in sqlite3 (".h on").
func (s *shell) doMetaCommand(line string) metaResult {
	args := splitMetaArgs(line[1:])
	if len(args) == 0 {
		return metaOK
	}
	name := strings.ToLower(args[0])
	for _, c := range metaCommands {
		if c.name == name {
			return c.run(s, args[1:])
		}
	}
	// a unique-enough prefix: the first command (in order) it starts
	for _, c := range metaCommands {
		if strings.HasPrefix(c.name, name) && len(name) >= 2 {
			return c.run(s, args[1:])
		}
	}
	if name == "h" {
		return s.metaHeaders(args[1:])
	}
	fmt.Fprintf(s.stderr, "Error: unknown command or invalid arguments:  \"%s\". Enter \".help\" for help\n", args[0])
	return metaError
}

func (s *shell) usage(u string) metaResult {
	fmt.Fprintln(s.stderr, "Usage: "+u)
	return metaError
}

func (s *shell) onOff(args []string, u string, flag *bool) metaResult {
	if len(args) != 1 {
		return s.usage(u)
	}
	*flag = s.booleanArg(args[0])
	return metaOK
}

func (s *shell) metaBail(a []string) metaResult { return s.onOff(a, ".bail on|off", &s.bail) }
func (s *shell) metaChanges(a []string) metaResult {
	return s.onOff(a, ".changes on|off", &s.changes)
}
func (s *shell) metaEcho(a []string) metaResult  { return s.onOff(a, ".echo on|off", &s.echo) }
func (s *shell) metaEQP(a []string) metaResult   { return s.onOff(a, ".eqp on|off", &s.eqp) }
func (s *shell) metaTimer(a []string) metaResult { return s.onOff(a, ".timer on|off", &s.timer) }

func (s *shell) metaHeaders(a []string) metaResult {
	if r := s.onOff(a, ".headers on|off", &s.set.showHeader); r != metaOK {
		return r
	}
	s.set.headerSet = true
	return metaOK
}

func (s *shell) metaExplain(a []string) metaResult {
	v := "on"
	if len(a) > 0 {
		v = strings.ToLower(a[0])
	}
	switch v {
	case "auto":
		s.explain = "auto"
	default:
		if s.booleanArg(v) {
			s.explain = "on"
		} else {
			s.explain = "off"
		}
	}
	return metaOK
}

func (s *shell) metaQuit(a []string) metaResult {
	if len(a) > 0 {
		if code, err := strconv.Atoi(a[0]); err == nil {
			s.flushOutput()
			s.flushStdout()
			s.closeDB()
			os.Exit(code)
		}
	}
	return metaQuit
}

func (s *shell) metaHelp(a []string) metaResult {
	for _, c := range metaCommands {
		if len(a) == 0 || strings.HasPrefix(c.name, strings.TrimPrefix(a[0], ".")) {
			fmt.Fprintln(s.out, c.usage)
		}
	}
	return metaOK
}

func (s *shell) metaMode(a []string) metaResult {
	opts := defaultColumnarOptions
	var name, table string
	named := false
	for i := 0; i < len(a); i++ {
		opt := strings.TrimLeft(a[i], "-")
		isOpt := strings.HasPrefix(a[i], "-")
		switch {
		case isOpt && opt == "wrap" && i+1 < len(a):
			i++
			opts.wrap, _ = strconv.Atoi(a[i])
		case isOpt && opt == "ww":
			opts.wordWrap = true
		case isOpt && opt == "wordwrap" && i+1 < len(a):
			i++
			opts.wordWrap = s.booleanArg(a[i])
		case isOpt && opt == "quote":
			opts.quote = true
		case isOpt && opt == "noquote":
			opts.quote = false
		case !named:
			name, named = a[i], true
			if name == "qbox" {
				opts = qboxOptions
			}
		case table == "":
			table = a[i] // even "--bogus", as sqlite3 takes it
		case isOpt:
			fmt.Fprintf(s.stderr, "Error: unknown option: %s\n", a[i])
			return metaError
		default:
			fmt.Fprintf(s.stderr, "extra argument: \"%s\"\n", a[i])
			return metaError
		}
	}
	if !named {
		if c := s.set.columnar; s.set.mode.isColumnar() {
			quote := "no"
			if c.quote {
				quote = ""
			}
			fmt.Fprintf(s.out, "current output mode: %s --wrap %d --wordwrap %s --%squote\n", s.set.mode, c.wrap, onOff(c.wordWrap), quote)
		} else {
			fmt.Fprintf(s.out, "current output mode: %s\n", s.set.mode)
		}
		// sqlite3 then applies the current mode again, which resets its
		// separators, options (and insert mode's table name).
		s.set.setMode(s.set.mode, "")
		if s.set.mode.isColumnar() {
			s.set.columnar = opts
		}
		return metaOK
	}
	if strings.ToLower(name) == "qbox" {
		name = "box"
	}
	m, ok := lookupMode(strings.ToLower(name))
	if !ok {
		fmt.Fprintln(s.stderr, "Error: mode should be one of: ascii box column csv html insert json line list markdown qbox quote table tabs tcl")
		return metaError
	}
	s.set.setMode(m, table)
	if m.isColumnar() {
		s.set.columnar = opts
	}
	return metaOK
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (s *shell) metaNullValue(a []string) metaResult {
	if len(a) != 1 {
		return s.usage(".nullvalue STRING")
	}
	s.set.nullValue = a[0]
	return metaOK
}

func (s *shell) metaSeparator(a []string) metaResult {
	if len(a) < 1 || len(a) > 2 {
		return s.usage(".separator COL ?ROW?")
	}
	s.set.colSep = resolveBackslashes(a[0])
	if len(a) == 2 {
		s.set.rowSep = resolveBackslashes(a[1])
	}
	return metaOK
}

func (s *shell) metaWidth(a []string) metaResult {
	s.set.widths = s.set.widths[:0]
	for _, w := range a {
		n, _ := strconv.Atoi(w)
		s.set.widths = append(s.set.widths, n)
	}
	return metaOK
}

func (s *shell) metaPrint(a []string) metaResult {
	fmt.Fprintln(s.out, strings.Join(a, " "))
	return metaOK
}

func (s *shell) metaShow(a []string) metaResult {
	out := "stdout"
	if s.outFile != nil {
		out = s.outFile.Name()
	}
	mode := s.set.mode.String()
	widths := ""
	for _, w := range s.set.widths {
		widths += strconv.Itoa(w) + " "
	}
	file := s.dbPath
	if file == "" {
		file = ":memory:"
	}
	p := func(k, v string) { fmt.Fprintf(s.out, "%12s: %s\n", k, v) }
	p("echo", onOff(s.echo))
	p("eqp", onOff(s.eqp))
	p("explain", s.explain)
	p("headers", onOff(s.set.showHeader))
	p("mode", mode)
	p("nullvalue", cQuoted(s.set.nullValue))
	p("output", out)
	p("colseparator", cQuoted(s.set.colSep))
	p("rowseparator", cQuoted(s.set.rowSep))
	p("stats", "off")
	p("width", widths)
	p("filename", file)
	return metaOK
}

// cQuoted writes s as a C string literal, as .show prints separators.
func cQuoted(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (s *shell) metaStats(a []string) metaResult {
	fmt.Fprintln(s.out, "lock queue: "+lockqueue.ProcessStats().String())
	return metaOK
}

func (s *shell) metaOpen(a []string) metaResult {
	path := ""
	newFile := false
	readonly := false
	for _, arg := range a {
		switch arg {
		case "--new", "-new":
			newFile = true
		case "--readonly", "-readonly":
			readonly = true
		default:
			if strings.HasPrefix(arg, "-") {
				fmt.Fprintf(s.stderr, "unknown option: %s\n", arg)
				return metaError
			}
			path = arg
		}
	}
	if newFile && path != "" {
		os.Remove(path)
	}
	s.readonly = readonly
	if err := s.open(path); err != nil {
		fmt.Fprintf(s.stderr, "Error: unable to open database \"%s\": %v\n", path, err)
		return metaError
	}
	return metaOK
}

func (s *shell) metaRead(a []string) metaResult {
	if len(a) != 1 {
		return s.usage(".read FILE")
	}
	f, err := os.Open(a[0])
	if err != nil {
		fmt.Fprintf(s.stderr, "Error: cannot open \"%s\"\n", a[0])
		return metaError
	}
	defer f.Close()
	saved, savedInteractive, savedErrs := s.lineno, s.interactive, s.errCount
	s.lineno, s.interactive = 0, false
	quit := s.processInput(newScriptSource(f))
	failed := s.errCount > savedErrs
	s.lineno, s.interactive = saved, savedInteractive
	s.errCount = savedErrs
	if quit {
		return metaQuit
	}
	if failed {
		return metaError
	}
	return metaOK
}
