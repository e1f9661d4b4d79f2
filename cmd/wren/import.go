package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
)

// progressThreshold is the file size from which .import shows progress
// on a terminal.
var progressThreshold int64 = 8 << 20

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// metaImport is .import FILE TABLE: it reads FILE with the current
// separators (or --csv/--ascii), creates TABLE from the header row when
// it does not exist, and inserts every row in one transaction.
func (s *shell) metaImport(a []string) metaResult {
	var file, table string
	skip := 0
	colSep, rowSep := s.set.colSep, s.set.rowSep
	quoted := s.set.mode != modeASCII // sqlite3 reads quotes with any separators but ascii's
	for i := 0; i < len(a); i++ {
		switch arg := a[i]; arg {
		case "--csv", "-csv":
			colSep, rowSep, quoted = ",", "\n", true
		case "--ascii", "-ascii":
			colSep, rowSep, quoted = "\x1f", "\x1e", false
		case "--skip", "-skip":
			if i+1 < len(a) {
				i++
				skip, _ = strconv.Atoi(a[i])
			}
		case "-v", "--v":
		default:
			if strings.HasPrefix(arg, "-") {
				fmt.Fprintf(s.stderr, "ERROR: unknown option: \"%s\".  Usage:\n", arg)
				return s.usage(".import FILE TABLE")
			}
			if file == "" {
				file = arg
			} else if table == "" {
				table = arg
			} else {
				return s.usage(".import FILE TABLE")
			}
		}
	}
	if file == "" || table == "" {
		return s.usage(".import FILE TABLE")
	}
	if rowSep == "\r\n" {
		rowSep = "\n"
		if s.set.mode == modeCSV && s.set.rowSep == "\r\n" {
			// sqlite3 changes the setting itself, so later csv output ends
			// lines with \n only; do the same to print the same bytes.
			s.set.rowSep = "\n"
		}
	}
	if len(colSep) != 1 {
		fmt.Fprintln(s.stderr, "Error: multi-character column separators not allowed for import")
		return metaError
	}
	if len(rowSep) != 1 {
		fmt.Fprintln(s.stderr, "Error: multi-character row separators not allowed for import")
		return metaError
	}
	if err := s.ensureOpen(); err != nil {
		return s.metaError(err)
	}
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintf(s.stderr, "Error: cannot open \"%s\"\n", file)
		return metaError
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	counter := &countingReader{r: f}
	rd := newCSVReader(counter, colSep[0], rowSep[0], quoted)
	rd.skipBOM()
	for range skip {
		if _, _, ok := rd.readRow(); !ok {
			break
		}
	}

	qtable := `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
	exists, err := s.queryValues("SELECT 1 FROM sqlite_schema WHERE type IN ('table','view') AND name=?1", table)
	if err != nil {
		return s.metaError(err)
	}
	ctx := context.Background()
	if len(exists) == 0 {
		header, _, ok := rd.readRow()
		if !ok {
			fmt.Fprintf(s.stderr, "%s: empty file\n", file)
			return metaError
		}
		names, renamed := importColumnNames(header)
		if len(renamed) > 0 {
			fmt.Fprintf(s.stderr, "Columns renamed during .import %s due to duplicates:\n%s\n", file, strings.Join(renamed, ",\n"))
		}
		cols := make([]string, len(names))
		for i, h := range names {
			cols[i] = `"` + strings.ReplaceAll(h, `"`, `""`) + `" TEXT`
		}
		create := "CREATE TABLE " + qtable + "(\n" + strings.Join(cols, ", ") + ")"
		if _, err := s.conn.ExecContext(ctx, create); err != nil {
			fmt.Fprintf(s.stderr, "%s failed:\n%v\n", create, engineError("", err).msg)
			return metaError
		}
	}
	names, err := s.columnsOf("SELECT * FROM " + qtable + " WHERE 0")
	if err != nil {
		return s.metaError(engineError("", err))
	}
	ncol := len(names)
	if ncol == 0 {
		return metaOK
	}
	insert := "INSERT INTO " + qtable + " VALUES(?" + strings.Repeat(",?", ncol-1) + ")"

	ictx, done := s.statementContext()
	defer done()
	if _, err := s.conn.ExecContext(ictx, "BEGIN"); err != nil {
		return s.metaError(engineError("", err))
	}
	stmt, err := s.conn.PrepareContext(ictx, insert)
	if err != nil {
		s.conn.ExecContext(context.Background(), "ROLLBACK")
		fmt.Fprintf(s.stderr, "Error: %s\n", engineError("", err).msg)
		return metaError
	}
	defer stmt.Close()

	progress := s.progressOn && size >= progressThreshold
	start := time.Now()
	lastShown := time.Time{}
	rowsDone := int64(0)
	args := make([]any, ncol)
	failed := false
	for {
		fields, line, ok := rd.readRow()
		if !ok {
			break
		}
		for i := range args {
			if i < len(fields) {
				args[i] = fields[i]
			} else {
				args[i] = nil
			}
		}
		if len(fields) < ncol {
			fmt.Fprintf(s.stderr, "%s:%d: expected %d columns but found %d - filling the rest with NULL\n", file, line, ncol, len(fields))
		} else if len(fields) > ncol {
			fmt.Fprintf(s.stderr, "%s:%d: expected %d columns but found %d - extras ignored\n", file, line, ncol, len(fields))
		}
		// Ctrl-C cancels ictx: stop between rows (an insert it cut short
		// reports the same below).
		if ictx.Err() != nil {
			fmt.Fprintf(s.stderr, "%s:%d: interrupted\n", file, line)
			failed = true
			break
		}
		if _, err := stmt.ExecContext(ictx, args...); err != nil {
			if ictx.Err() != nil {
				fmt.Fprintf(s.stderr, "%s:%d: interrupted\n", file, line)
				failed = true
				break
			}
			fmt.Fprintf(s.stderr, "%s:%d: INSERT failed: %s\n", file, line, engineError("", err).msg)
		}
		rowsDone++
		if progress && rowsDone%1024 == 0 && time.Since(lastShown) > 200*time.Millisecond {
			lastShown = time.Now()
			s.showProgress(file, counter.n.Load(), size, rowsDone, start)
		}
	}
	if failed {
		s.conn.ExecContext(context.Background(), "ROLLBACK")
		return metaError
	}
	if _, err := s.conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		return s.metaError(engineError("", err))
	}
	if progress {
		s.showProgress(file, size, size, rowsDone, start)
		fmt.Fprintln(s.stderr)
	}
	return metaOK
}

// showProgress redraws the one-line progress bar of .import on stderr.
func (s *shell) showProgress(file string, done, total, rows int64, start time.Time) {
	const barWidth = 30
	frac := 0.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	filled := int(frac * barWidth)
	bar := strings.Repeat("#", filled) + strings.Repeat(".", barWidth-filled)
	rate := float64(done) / max(time.Since(start).Seconds(), 1e-3)
	fmt.Fprintf(s.stderr, "\r%s [%s] %3.0f%% %s/%s, %s rows, %s/s ",
		file, bar, frac*100, humanize.IBytes(uint64(done)), humanize.IBytes(uint64(total)),
		humanize.Comma(rows), humanize.IBytes(uint64(rate)))
}

// importColumnNames names the columns of a table .import creates from a
// header row as sqlite3 does: an empty name becomes "?", and names that
// occur more than once are numbered (a_1, a_2). It also returns the
// renamings, for the message sqlite3 prints about them.
func importColumnNames(header []string) (names, renamed []string) {
	count := map[string]int{}
	for _, h := range header {
		if h == "" {
			h = "?"
		}
		count[h]++
	}
	seen := map[string]int{}
	for _, h := range header {
		if h == "" {
			h = "?"
		}
		if count[h] == 1 {
			names = append(names, h)
			continue
		}
		seen[h]++
		n := fmt.Sprintf("%s_%d", h, seen[h])
		names = append(names, n)
		renamed = append(renamed, fmt.Sprintf("\"%s\" to \"%s\"", h, n))
	}
	return names, renamed
}
