package ratchet

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// isPattern reports whether a whole-file entry is a path.Match pattern
// ("seed-*") rather than one path.
func isPattern(p string) bool { return strings.ContainsAny(p, "*?[") }

// fileEntry finds the whole-file entry for a path: its own, or else the
// first pattern (in sorted order) that matches it.
func (l *List) fileEntry(p string) (Entry, bool) {
	if e, ok := l.files[p]; ok {
		return e, true
	}
	for _, e := range l.Entries() {
		if e.Line == 0 && isPattern(e.Path) {
			if ok, _ := path.Match(e.Path, p); ok {
				return e, true
			}
		}
	}
	return Entry{}, false
}

// FileOutcome is what one file's run produced, in the terms the list needs.
type FileOutcome struct {
	Path     string         // as in the list: relative, forward slashes
	Executed []int          // lines of executed records
	Failed   map[int]string // line -> what went wrong, for failing records
}

// Violation is one way a run disagrees with the list.
type Violation struct {
	Path string
	Line int // 0 for the whole file
	Msg  string
}

func (v Violation) String() string {
	return Entry{Path: v.Path, Line: v.Line}.Key() + ": " + v.Msg
}

// Check compares outcomes with the list. Files the list names but the run
// did not cover are not judged (a run may cover part of the corpus).
func (l *List) Check(outcomes []FileOutcome) []Violation {
	var out []Violation
	for _, o := range outcomes {
		if fileEntry, ok := l.fileEntry(o.Path); ok {
			passing := len(o.Executed) - len(o.Failed)
			switch {
			case len(o.Executed) == 0:
				out = append(out, Violation{o.Path, 0, "listed as failing, but the file runs no record; remove the entry"})
			case passing > 0:
				out = append(out, Violation{o.Path, 0, fmt.Sprintf(
					"listed as failing entirely (%s), but %d of its %d records pass; regenerate the list",
					fileEntry.Reason, passing, len(o.Executed))})
			}
			continue
		}
		listed := l.records[o.Path]
		executed := make(map[int]bool, len(o.Executed))
		for _, line := range o.Executed {
			executed[line] = true
		}
		for _, line := range sortedKeys(o.Failed) {
			if _, ok := listed[line]; !ok {
				out = append(out, Violation{o.Path, line, "unexpected failure: " + o.Failed[line]})
			}
		}
		for _, line := range sortedKeys(listed) {
			_, failed := o.Failed[line]
			switch {
			case !executed[line]:
				out = append(out, Violation{o.Path, line, fmt.Sprintf("listed (%s), but no record at this line ran; remove the entry", listed[line].Reason)})
			case !failed:
				out = append(out, Violation{o.Path, line, fmt.Sprintf("listed as failing (%s), but passes; remove the entry", listed[line].Reason)})
			}
		}
	}
	return out
}

// Regenerate returns the list a run implies. Entries for files outside the
// run are kept as they are. A file whose executed records all fail becomes
// one file entry, keeping its old file entry's reason if it had one. In a
// file that partly fails, a failing record keeps the reason of its old
// record entry; other failures get newReason, or their error when newReason
// is empty.
func Regenerate(old *List, outcomes []FileOutcome, newReason string) *List {
	l := New()
	covered := map[string]bool{}
	for _, o := range outcomes {
		covered[o.Path] = true
	}
	for _, e := range old.Entries() {
		if !covered[e.Path] && !isPattern(e.Path) {
			l.Add(e)
		}
	}
	// A pattern entry stays while every file of the run it matches still
	// fails entirely; those files then need no entry of their own.
	heldBy := map[string]bool{}
	for pattern, e := range old.files {
		if !isPattern(pattern) {
			continue
		}
		holds := true
		var matched []string
		for _, o := range outcomes {
			if ok, _ := path.Match(pattern, o.Path); ok {
				matched = append(matched, o.Path)
				holds = holds && len(o.Executed) > 0 && len(o.Failed) == len(o.Executed)
			}
		}
		if holds {
			l.Add(e)
			for _, p := range matched {
				heldBy[p] = true
			}
		}
	}
	for _, o := range outcomes {
		if len(o.Failed) == 0 || heldBy[o.Path] {
			continue
		}
		fileEntry, hadFile := old.fileEntry(o.Path)
		// A file entry claimed that every record fails for its reason;
		// once some pass, that claim is gone, and the records still
		// failing are explained afresh by their own failure.
		reasonFor := func(line int) string {
			if e, ok := old.records[o.Path][line]; ok {
				return e.Reason
			}
			if newReason != "" {
				return newReason
			}
			return o.Failed[line]
		}
		if len(o.Failed) == len(o.Executed) {
			reason := ""
			if hadFile {
				reason = fileEntry.Reason
			} else {
				reason = reasonFor(o.Executed[0])
			}
			l.Add(Entry{Path: o.Path, Reason: reason})
			continue
		}
		for _, line := range sortedKeys(o.Failed) {
			l.Add(Entry{Path: o.Path, Line: line, Reason: reasonFor(line)})
		}
	}
	return l
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
