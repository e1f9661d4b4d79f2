package workload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// firstErrors keeps the first few distinct errors of concurrent workers, so a
// run with errors says what they were without flooding the report.
type firstErrors struct {
	mu   sync.Mutex
	list []string
}

func (f *firstErrors) add(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.list) < 3 {
		f.list = append(f.list, err.Error())
	}
}

// conns takes n dedicated connections from db, so connecting is not timed.
func conns(db *sql.DB, n int) ([]*sql.Conn, error) {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	out := make([]*sql.Conn, 0, n)
	for range n {
		c, err := db.Conn(context.Background())
		if err == nil {
			err = c.PingContext(context.Background())
		}
		if err != nil {
			for _, c := range out {
				c.Close()
			}
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// writeTx runs one single-row BEGIN IMMEDIATE transaction on c.
func writeTx(c *sql.Conn, id int64) error {
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	if _, err := c.ExecContext(ctx, "INSERT INTO w(id, v) VALUES(?, ?)", id, "value"); err != nil {
		c.ExecContext(ctx, "ROLLBACK")
		return err
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		c.ExecContext(ctx, "ROLLBACK")
		return err
	}
	return nil
}

func runWriters(writers int) func(e *Env) ([]Metric, error) {
	return func(e *Env) ([]Metric, error) {
		db, err := e.Open("writers.db")
		if err != nil {
			return nil, err
		}
		defer db.Close()
		if _, err := db.Exec("CREATE TABLE w(id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		cs, err := conns(db, writers)
		if err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		defer func() {
			for _, c := range cs {
				c.Close()
			}
		}()
		perWriter := e.Size.WriterTx
		lats := make([]latencies, writers)
		errCounts := make([]int, writers)
		var firsts firstErrors
		m, err := e.Timed("tx", "tx", writers*perWriter, func() error {
			var wg sync.WaitGroup
			for w, c := range cs {
				wg.Go(func() {
					for i := range perWriter {
						start := time.Now()
						err := writeTx(c, int64(w*perWriter+i+1))
						lats[w] = append(lats[w], time.Since(start))
						if err != nil {
							errCounts[w]++
							firsts.add(err)
						}
					}
				})
			}
			wg.Wait()
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			c.Close() // free the pool for the check below
		}
		var all latencies
		for w := range writers {
			all = append(all, lats[w]...)
			m.Errors += errCounts[w]
		}
		all.fill(&m)
		if m.Errors == len(all) {
			return nil, fmt.Errorf("every transaction failed: %v", firsts.list)
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM w").Scan(&n); err != nil {
			return nil, err
		}
		return []Metric{m}, checkCount("committed rows", n, len(all)-m.Errors)
	}
}

func runReadWrite(e *Env) ([]Metric, error) {
	const readers = 7
	db, rows, err := fillT(e, "readwrite.db", e.Size.RWRows)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE w(id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	cs, err := conns(db, readers+1)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	var (
		readLats   = make([]latencies, readers)
		readErrs   = make([]int, readers)
		writeLats  latencies
		writeErrs  int
		firsts     firstErrors
		duration   = e.Size.RWDuration
		readMetric Metric
	)
	writeMetric, err := e.Timed("write", "write tx", 0, func() error {
		deadline := time.Now().Add(duration)
		var wg sync.WaitGroup
		wg.Go(func() {
			for id := int64(1); time.Now().Before(deadline); id++ {
				start := time.Now()
				err := writeTx(cs[readers], id)
				writeLats = append(writeLats, time.Since(start))
				if err != nil {
					writeErrs++
					firsts.add(err)
				}
			}
		})
		for r := range readers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(r), 5))
				var (
					name string
					n    int64
					f    float64
				)
				for time.Now().Before(deadline) {
					id := rows[rng.IntN(len(rows))].id
					start := time.Now()
					err := cs[r].QueryRowContext(context.Background(), "SELECT name, n, f FROM t WHERE id = ?", id).Scan(&name, &n, &f)
					readLats[r] = append(readLats[r], time.Since(start))
					if err != nil {
						readErrs[r]++
						firsts.add(err)
					}
				}
			})
		}
		wg.Wait()
		return nil
	})
	if err != nil {
		return nil, err
	}
	readMetric = Metric{Name: "read", Unit: "lookup", Nanos: writeMetric.Nanos}
	var allReads latencies
	for r := range readers {
		allReads = append(allReads, readLats[r]...)
		readMetric.Errors += readErrs[r]
	}
	readMetric.Ops = len(allReads)
	allReads.fill(&readMetric)
	writeMetric.Ops = len(writeLats)
	writeMetric.Errors = writeErrs
	writeLats.fill(&writeMetric)
	for _, m := range []Metric{readMetric, writeMetric} {
		if m.Ops == 0 {
			return nil, fmt.Errorf("no %s finished within %s", m.Name, duration)
		}
		if m.Errors == m.Ops {
			return nil, fmt.Errorf("every %s failed: %v", m.Name, firsts.list)
		}
	}
	return []Metric{readMetric, writeMetric}, nil
}

func runParallelScan(goroutines int) func(e *Env) ([]Metric, error) {
	return func(e *Env) ([]Metric, error) {
		db, rows, err := fillT(e, "pscan.db", e.Size.ParallelRows)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		var want int64
		for _, r := range rows {
			want += r.n
		}
		cs, err := conns(db, goroutines)
		if err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		for _, c := range cs {
			c.Close() // back to the pool, connected
		}
		errs := make([]error, goroutines)
		m, err := e.Timed("scan", "all scans", 1, func() error {
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Go(func() {
					count, sum, err := scanSum(db)
					if err == nil && (count != len(rows) || sum != want) {
						err = fmt.Errorf("scan read %d rows summing to %d, want %d rows summing to %d", count, sum, len(rows), want)
					}
					errs[g] = err
				})
			}
			wg.Wait()
			return errors.Join(errs...)
		})
		if err != nil {
			return nil, err
		}
		return []Metric{m}, nil
	}
}
