package slt

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// FileRun is the result of one script file.
type FileRun struct {
	Path   string // as found on disk
	Key    string // relative to the run's root, with forward slashes
	Result Result
	Err    error // the file could not be read
}

// FailedLines maps the line of each failing record to a one-line account
// of what went wrong.
func (f *FileRun) FailedLines() map[int]string {
	m := make(map[int]string, len(f.Result.Failures))
	for _, fail := range f.Result.Failures {
		msg, _, _ := strings.Cut(fail.Err, "\n")
		m[fail.Line] = fail.Kind + ": " + msg
	}
	return m
}

// FindScripts expands files and directories into the sorted list of .test
// files under them.
func FindScripts(args []string) ([]string, error) {
	var paths []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			paths = append(paths, arg)
			continue
		}
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".test") {
				paths = append(paths, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths), nil
}

// Key names a script relative to root, with forward slashes, as the ratchet
// lists it. Without a root, or outside it, the path is used as given.
func Key(root, path string) string {
	if root != "" {
		if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// RunFiles runs scripts on jobs goroutines (GOMAXPROCS when jobs <= 0),
// each on its own fresh database, and returns the results in the order of
// paths. report, when not nil, is called for each file in that same order as
// soon as it and every file before it are done.
func RunFiles(ctx context.Context, open Opener, root string, paths []string, jobs int, opts Options, report func(FileRun)) []FileRun {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	runs := make([]FileRun, len(paths))
	done := make([]chan struct{}, len(paths))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i] = runFileGuarded(ctx, open, root, paths[i], opts)
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range paths {
			next <- i
		}
		close(next)
	}()
	for i := range paths {
		<-done[i]
		if report != nil {
			report(runs[i])
		}
	}
	wg.Wait()
	return runs
}

// runFileGuarded runs one file; a panic outside the records (in a driver's
// Open or Close) becomes the file's error instead of ending the run.
func runFileGuarded(ctx context.Context, open Opener, root, path string, opts Options) (run FileRun) {
	run = FileRun{Path: path, Key: Key(root, path)}
	defer func() {
		if p := recover(); p != nil {
			run.Err = fmt.Errorf("panic outside any record: %v", p)
		}
	}()
	run.Result, run.Err = RunFile(ctx, open, path, opts)
	return run
}
