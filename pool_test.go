package wren_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrendb/wren"
)

// Ensure that database/sql's pool, 16 connections wide, survives 16
// goroutines mixing reads, writes, read-only and read-write transactions,
// prepared statements and expected constraint failures: no unexpected
// error, and the invariant (money is moved, never made or lost) holds
// throughout. Run under -race (the CI command does), it also proves the
// driver free of data races. It runs for 10 s, or 1 s with -short.
func TestPoolStress(t *testing.T) {
	duration := 10 * time.Second
	if testing.Short() {
		duration = time.Second
	}
	const (
		workers  = 16
		accounts = 50
		initial  = 1000
	)
	// The default busy timeout (5 s): waiters queue in arrival order, so no
	// worker starves and none should ever see "database is locked".
	db, path := openDB(t, "_txlock=immediate")
	db.SetMaxOpenConns(workers)
	db.SetMaxIdleConns(workers)
	mustExec(t, db, `CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
		CREATE TABLE note(id INTEGER PRIMARY KEY, worker INTEGER, text TEXT UNIQUE)`)
	tx, _ := db.Begin()
	for i := range accounts {
		mustExec(t, tx, "INSERT INTO account VALUES(?, ?)", i, initial)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	total := int64(accounts * initial)

	var (
		ops, transfers, notes, dupes atomic.Int64
		longest                      atomic.Int64 // nanoseconds
		mu                           sync.Mutex
		failures                     []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	sumStmt, err := db.Prepare("SELECT sum(balance), count(*) FROM account")
	if err != nil {
		t.Fatal(err)
	}
	defer sumStmt.Close()

	checkSum := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}, where string) {
		var sum, n int64
		if err := q.QueryRowContext(context.Background(), "SELECT sum(balance), count(*) FROM account").Scan(&sum, &n); err != nil {
			fail("%s: sum: %v", where, err)
		} else if sum != total || n != accounts {
			fail("%s: sum %d over %d accounts, want %d over %d", where, sum, n, total, accounts)
		}
	}

	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := 0; time.Now().Before(deadline); i++ {
				ops.Add(1)
				start := time.Now()
				switch op := rng.IntN(10); {
				case op < 3: // an autocommit read through a shared prepared statement
					var sum, n int64
					if err := sumStmt.QueryRow().Scan(&sum, &n); err != nil {
						fail("worker %d: prepared sum: %v", w, err)
					} else if sum != total {
						fail("worker %d: prepared sum %d, want %d", w, sum, total)
					}
				case op < 6: // a transfer in a read-write transaction
					from, to := rng.IntN(accounts), rng.IntN(accounts)
					amount := rng.IntN(50)
					tx, err := db.BeginTx(context.Background(), nil)
					if err != nil {
						fail("worker %d: begin: %v", w, err)
						continue
					}
					_, err1 := tx.Exec("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from)
					_, err2 := tx.Exec("UPDATE account SET balance = balance + :amt WHERE id = :id", sql.Named("amt", amount), sql.Named("id", to))
					if err := errors.Join(err1, err2); err != nil {
						fail("worker %d: transfer: %v", w, err)
						tx.Rollback()
						continue
					}
					if rng.IntN(5) == 0 {
						if err := tx.Rollback(); err != nil {
							fail("worker %d: rollback: %v", w, err)
						}
						continue
					}
					if err := tx.Commit(); err != nil {
						fail("worker %d: commit: %v", w, err)
						continue
					}
					transfers.Add(1)
				case op < 8: // a read-only transaction sees one consistent snapshot
					tx, err := db.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
					if err != nil {
						fail("worker %d: begin read-only: %v", w, err)
						continue
					}
					checkSum(tx, fmt.Sprintf("worker %d read-only tx", w))
					if _, err := tx.Exec("DELETE FROM note"); !errors.Is(err, wren.ErrReadOnly) {
						fail("worker %d: write in a read-only transaction: %v, want ErrReadOnly", w, err)
					}
					if err := tx.Commit(); err != nil {
						fail("worker %d: commit read-only: %v", w, err)
					}
				default: // an autocommit insert, sometimes a duplicate on purpose
					text := fmt.Sprintf("w%d-%d", w, i)
					dup := rng.IntN(4) == 0 && i > 0
					if dup {
						text = fmt.Sprintf("w%d-dup", w)
					}
					_, err := db.ExecContext(context.Background(), "INSERT INTO note(worker, text) VALUES(?, ?)", w, text)
					switch {
					case err == nil:
						notes.Add(1)
					case dup && errors.Is(err, wren.ErrConstraintUnique):
						dupes.Add(1)
					default:
						fail("worker %d: insert note %q: %v (after %v)", w, text, err, time.Since(start).Round(time.Millisecond))
					}
				}
				for d := int64(time.Since(start)); ; {
					old := longest.Load()
					if d <= old || longest.CompareAndSwap(old, d) {
						break
					}
				}
			}
		})
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	checkSum(db, "at the end")
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM note").Scan(&n); err != nil || n != notes.Load() {
		t.Errorf("notes: %d rows, %v; want the %d inserts that succeeded", n, err, notes.Load())
	}
	t.Logf("%d operations in %v: %d transfers committed, %d notes, %d expected duplicate errors; longest operation %v",
		ops.Load(), duration, transfers.Load(), notes.Load(), dupes.Load(), time.Duration(longest.Load()).Round(time.Millisecond))
	if transfers.Load() == 0 || notes.Load() == 0 {
		t.Errorf("the workload made no progress")
	}
	db.Close()
	if out := sqlite3(t, path, "PRAGMA integrity_check"); out != "ok" {
		t.Errorf("integrity_check after the stress: %s", out)
	}
}
