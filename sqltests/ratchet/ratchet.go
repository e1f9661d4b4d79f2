package ratchet

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Entry is one line of the list.
type Entry struct {
	Path   string
	Line   int // 0 names the whole file
	Reason string
}

// Key is how the entry is written before its reason: "path" or "path:line".
func (e Entry) Key() string {
	if e.Line == 0 {
		return e.Path
	}
	return e.Path + ":" + strconv.Itoa(e.Line)
}

// List is a set of entries.
type List struct {
	files   map[string]Entry         // whole-file entries by path
	records map[string]map[int]Entry // record entries by path, then line
}

// New returns an empty list.
func New() *List {
	return &List{files: map[string]Entry{}, records: map[string]map[int]Entry{}}
}

// Add puts an entry in the list, replacing one with the same key.
func (l *List) Add(e Entry) {
	e.Reason = oneLine(e.Reason)
	if e.Line == 0 {
		l.files[e.Path] = e
		return
	}
	if l.records[e.Path] == nil {
		l.records[e.Path] = map[int]Entry{}
	}
	l.records[e.Path][e.Line] = e
}

// Entries returns every entry, sorted by path and line.
func (l *List) Entries() []Entry {
	var out []Entry
	for _, e := range l.files {
		out = append(out, e)
	}
	for _, lines := range l.records {
		for _, e := range lines {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return out
}

// Len is the number of entries.
func (l *List) Len() int {
	n := len(l.files)
	for _, lines := range l.records {
		n += len(lines)
	}
	return n
}

// Load reads a list from a file. A missing file is an empty list, so that a
// project with nothing failing needs no file.
func Load(path string) (*List, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return New(), nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Parse reads a list.
func Parse(r io.Reader) (*List, error) {
	l := New()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, _ := strings.Cut(line, " ")
		if k, r, ok := strings.Cut(line, "\t"); ok && len(k) < len(key) {
			key, reason = k, r
		}
		e := Entry{Path: key, Reason: strings.TrimSpace(reason)}
		if i := strings.LastIndexByte(key, ':'); i >= 0 {
			lineNo, err := strconv.Atoi(key[i+1:])
			if err != nil || lineNo <= 0 {
				return nil, fmt.Errorf("line %d: %q is not path or path:line", n, key)
			}
			e.Path, e.Line = key[:i], lineNo
		}
		if e.Reason == "" {
			return nil, fmt.Errorf("line %d: entry %s has no reason", n, key)
		}
		l.Add(e)
	}
	return l, sc.Err()
}

// Write writes the list, header first (each of its lines as a comment).
func (l *List) Write(w io.Writer, header string) error {
	bw := bufio.NewWriter(w)
	for _, h := range strings.Split(strings.TrimSpace(header), "\n") {
		if h != "" {
			fmt.Fprintf(bw, "# %s\n", h)
		}
	}
	for _, e := range l.Entries() {
		fmt.Fprintf(bw, "%s\t%s\n", e.Key(), e.Reason)
	}
	return bw.Flush()
}

// WriteFile writes the list to a file.
func (l *List) WriteFile(path, header string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := l.Write(f, header); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// oneLine keeps a reason on one line and reasonably short.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const maxReason = 160
	if len(s) > maxReason {
		s = s[:maxReason-3] + "..."
	}
	return s
}
