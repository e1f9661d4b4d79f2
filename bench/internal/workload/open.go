package workload

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// The open fixtures are built once per run, by one driver, so that every
// driver opens the same bytes.
const (
	smallFixture = "open-1.db"
	bigFixture   = "open-10k.db"
)

// MakeFixtures writes the open-* fixtures into env.Fixtures: a file with one
// table, and one with Size.OpenTables tables each with an index.
func MakeFixtures(env *Env) error {
	if err := os.MkdirAll(env.Fixtures, 0o755); err != nil {
		return err
	}
	build := func(name string, tables int, withIndex bool) error {
		path := filepath.Join(env.Fixtures, name)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		db, err := sql.Open(env.Driver.SQLName, env.Driver.FormatDSN(path))
		if err != nil {
			return err
		}
		defer db.Close()
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for i := range tables {
			if _, err := tx.Exec(fmt.Sprintf("CREATE TABLE t%d(id INTEGER PRIMARY KEY, a TEXT, b INTEGER)", i)); err != nil {
				return err
			}
			if withIndex {
				if _, err := tx.Exec(fmt.Sprintf("CREATE INDEX t%d_a ON t%d(a)", i, i)); err != nil {
					return err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		return db.Close()
	}
	if err := build(smallFixture, 1, false); err != nil {
		return fmt.Errorf("fixture %s: %w", smallFixture, err)
	}
	if err := build(bigFixture, env.Size.OpenTables, true); err != nil {
		return fmt.Errorf("fixture %s: %w", bigFixture, err)
	}
	for _, n := range []int{env.Size.Rows, env.Size.RWRows, env.Size.ParallelRows} {
		if err := makeTableFixture(env, n); err != nil {
			return fmt.Errorf("fixture %s: %w", tableFixture(n), err)
		}
	}
	return nil
}

// tableFixture names the fixture holding table t with n rows.
func tableFixture(n int) string { return fmt.Sprintf("t-%d.db", n) }

// makeTableFixture writes table t with makeRows(n) into the fixtures, once.
func makeTableFixture(env *Env, n int) error {
	path := filepath.Join(env.Fixtures, tableFixture(n))
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	db, err := sql.Open(env.Driver.SQLName, env.Driver.FormatDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(createT); err != nil {
		return err
	}
	if err := insertRows(db, makeRows(n)); err != nil {
		return err
	}
	return db.Close()
}

func runOpenSmall(e *Env) ([]Metric, error) {
	return runOpen(e, smallFixture, 1, e.Size.OpenIterations)
}

func runOpenBig(e *Env) ([]Metric, error) {
	return runOpen(e, bigFixture, 2*e.Size.OpenTables, e.Size.OpenBigIters)
}

// runOpen times what a program does at start-up: a new *sql.DB, its first
// connection (with the DSN's pragmas) and a first query that needs the
// schema. Closing is not timed.
func runOpen(e *Env, fixture string, entries, iterations int) ([]Metric, error) {
	path := filepath.Join(e.Dir, fixture)
	if err := copyFile(filepath.Join(e.Fixtures, fixture), path); err != nil {
		return nil, fmt.Errorf("copying fixture: %w", err)
	}
	if err := e.startProfile(); err != nil {
		return nil, err
	}
	var lat latencies
	var total time.Duration
	// Stop early once the budget is spent: some drivers take seconds per
	// open of the big file, and a few opens already give a stable figure.
	began := time.Now()
	done := 0
	for done < iterations && (done == 0 || time.Since(began) < e.Size.OpenBudget) {
		done++
		start := time.Now()
		db, err := sql.Open(e.Driver.SQLName, e.Driver.FormatDSN(path))
		if err != nil {
			return nil, err
		}
		var n int
		err = db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&n)
		d := time.Since(start)
		db.Close()
		if err != nil {
			return nil, err
		}
		if n != entries {
			return nil, fmt.Errorf("sqlite_schema has %d entries, want %d", n, entries)
		}
		lat = append(lat, d)
		total += d
	}
	m := Metric{Name: "open", Unit: "open", Ops: done, Nanos: total.Nanoseconds()}
	lat.fill(&m)
	return []Metric{m}, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
