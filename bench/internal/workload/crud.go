package workload

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
)

const createT = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER, f REAL)"

// row is one row of table t, generated before the timer starts so that
// every driver inserts the same values and formatting stays out of the timing.
type row struct {
	id   int64
	name string
	n    int64
	f    float64
}

func makeRows(count int) []row {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]row, count)
	for i := range rows {
		rows[i] = row{id: int64(i + 1), name: fmt.Sprintf("name-%08d", rng.IntN(100_000_000)), n: int64(rng.IntN(1000)), f: rng.Float64() * 1000}
	}
	return rows
}

// insertRows inserts rows into t in one transaction with a prepared statement.
func insertRows(db *sql.DB, rows []row) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare("INSERT INTO t(id, name, n, f) VALUES(?, ?, ?, ?)")
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := stmt.Exec(r.id, r.name, r.n, r.f); err != nil {
			return err
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

// fillT gives the workload a database name holding table t with count rows:
// a copy of the fixture one driver wrote for the whole run, so that every
// driver reads the same bytes and no driver's setup time adds to the run.
// The do-nothing driver has no file to read; it gets the inserts instead.
func fillT(e *Env, name string, count int) (*sql.DB, []row, error) {
	rows := makeRows(count)
	if !e.Driver.Floor {
		if err := copyFile(filepath.Join(e.Fixtures, tableFixture(count)), filepath.Join(e.Dir, name)); err != nil {
			return nil, nil, fmt.Errorf("setup: copying fixture: %w", err)
		}
		db, err := e.Open(name)
		return db, rows, err
	}
	db, err := e.Open(name)
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Exec(createT); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("setup: %w", err)
	}
	if err := insertRows(db, rows); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("setup: %w", err)
	}
	return db, rows, nil
}

func runInsert(e *Env) ([]Metric, error) {
	db, err := e.Open("insert.db")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Exec(createT); err != nil {
		return nil, err
	}
	rows := makeRows(e.Size.Rows)
	m, err := e.Timed("insert", "row", len(rows), func() error { return insertRows(db, rows) })
	if err != nil {
		return nil, err
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil {
		return nil, err
	}
	return []Metric{m}, checkCount("count(*)", n, len(rows))
}

func runPoint(e *Env) ([]Metric, error) {
	db, rows, err := fillT(e, "point.db", e.Size.Rows)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	stmt, err := db.Prepare("SELECT name, n, f FROM t WHERE id = ?")
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	ids := make([]int64, e.Size.Lookups)
	for i := range ids {
		ids[i] = rows[rng.IntN(len(rows))].id
	}
	found := 0
	m, err := e.Timed("lookup", "lookup", len(ids), func() error {
		var (
			name string
			n    int64
			f    float64
		)
		for _, id := range ids {
			if err := stmt.QueryRow(id).Scan(&name, &n, &f); err != nil {
				return fmt.Errorf("id %d: %w", id, err)
			}
			found++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []Metric{m}, checkCount("lookups", found, len(ids))
}

// scanSum reads column n of every row of t and returns the row count and sum.
func scanSum(db *sql.DB) (count int, sum int64, err error) {
	rs, err := db.Query("SELECT n FROM t")
	if err != nil {
		return 0, 0, err
	}
	defer rs.Close()
	for rs.Next() {
		var n int64
		if err := rs.Scan(&n); err != nil {
			return 0, 0, err
		}
		count++
		sum += n
	}
	return count, sum, rs.Err()
}

func runScan(e *Env) ([]Metric, error) {
	db, rows, err := fillT(e, "scan.db", e.Size.Rows)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var want int64
	for _, r := range rows {
		want += r.n
	}
	m, err := e.Timed("scan", "scan", e.Size.ScanPasses, func() error {
		for range e.Size.ScanPasses {
			count, sum, err := scanSum(db)
			if err != nil {
				return err
			}
			if err := checkCount("scan", count, len(rows)); err != nil {
				return err
			}
			// The do-nothing driver has no data to sum.
			if !e.Driver.Floor && sum != want {
				return fmt.Errorf("scan: sum %d, want %d", sum, want)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []Metric{m}, nil
}
