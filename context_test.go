package wren_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/wrendb/wren"
)

// slowQuery counts a 4-way cross join of 200 rows: 1.6 billion rows, far
// longer than any test waits, so only an interruption ends it early.
const slowQuery = "SELECT count(*) FROM n AS a, n AS b, n AS c, n AS d"

func slowDB(t *testing.T, params ...string) *sql.DB {
	t.Helper()
	db, _ := openDB(t, params...)
	mustExec(t, db, "CREATE TABLE n(x)")
	tx, _ := db.Begin()
	for i := range 200 {
		mustExec(t, tx, "INSERT INTO n VALUES(?)", i)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

// within fails the test when fn does not return within limit: an
// interruption that never comes would otherwise hang the run for the
// length of the query or the lock wait.
func within(t *testing.T, limit time.Duration, what string, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("%s was not interrupted within %v", what, limit)
		return nil
	}
}

// Ensure that a deadline and a cancellation interrupt a running statement,
// and that the error is both SQLITE_INTERRUPT and the context's error.
func TestContextInterruptsStatement(t *testing.T) {
	db := slowDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := within(t, 30*time.Second, "a query past its deadline", func() error {
		var n int64
		return db.QueryRowContext(ctx, slowQuery).Scan(&n)
	})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, wren.ErrInterrupt) {
		t.Errorf("deadline: %v; want it to match context.DeadlineExceeded and wren.ErrInterrupt", err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel2)
	err = within(t, 30*time.Second, "a cancelled Exec", func() error {
		_, err := db.ExecContext(ctx2, slowQuery)
		return err
	})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, wren.ErrInterrupt) {
		t.Errorf("cancel: %v; want it to match context.Canceled and wren.ErrInterrupt", err)
	}

	// The connections are fine afterwards, and a context that has ended
	// before the call stops it at once.
	var one int64
	if err := db.QueryRow("SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Errorf("after the interruptions: %d, %v", one, err)
	}
	if _, err := db.ExecContext(ctx2, "SELECT 1"); !errors.Is(err, context.Canceled) {
		t.Errorf("an ended context: %v, want context.Canceled", err)
	}
}

// Ensure that a context ending while Rows are read stops the rows.
func TestContextInterruptsRows(t *testing.T) {
	db := slowDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := db.QueryContext(ctx, "SELECT a.x FROM n AS a, n AS b, n AS c")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	err = within(t, 30*time.Second, "reading rows after a cancel", func() error {
		for rows.Next() {
			n++
			if n == 10 {
				cancel()
			}
		}
		return rows.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("rows after cancel: %v after %d rows, want context.Canceled", err, n)
	}
}

// Ensure that a context deadline sooner than busy_timeout cuts a lock wait
// short, with an error matching both ErrBusy and the deadline.
func TestContextDeadlineCutsLockWait(t *testing.T) {
	db, _ := openDB(t, "_pragma=busy_timeout(600000)")
	mustExec(t, db, "CREATE TABLE t(a)")
	holder, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	mustExecConn(t, holder, "BEGIN IMMEDIATE")
	defer holder.ExecContext(context.Background(), "ROLLBACK")

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = within(t, 30*time.Second, "a lock wait past its deadline", func() error {
		_, err := db.ExecContext(ctx, "INSERT INTO t VALUES(1)")
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, wren.ErrBusy) {
		t.Errorf("lock wait: %v; want it to match context.DeadlineExceeded and wren.ErrBusy", err)
	}
}

// Ensure that cancelling a context (no deadline) interrupts a lock wait.
func TestContextCancelCutsLockWait(t *testing.T) {
	db, _ := openDB(t, "_pragma=busy_timeout(20000)")
	mustExec(t, db, "CREATE TABLE t(a)")
	holder, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	mustExecConn(t, holder, "BEGIN IMMEDIATE")

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, "INSERT INTO t VALUES(1)")
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(1500 * time.Millisecond):
		holder.ExecContext(context.Background(), "ROLLBACK")
		<-done
		t.Fatal("a cancelled context did not end the lock wait within 1.5 s")
	}
	holder.ExecContext(context.Background(), "ROLLBACK")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled lock wait: %v, want context.Canceled", err)
	}
}

// Ensure that BeginTx's context bounds the transaction: when it ends, the
// running statement is interrupted (even one run under another context)
// and the transaction is rolled back.
func TestContextBoundsTransaction(t *testing.T) {
	db := slowDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO n VALUES(-1)")
	time.AfterFunc(50*time.Millisecond, cancel)
	err = within(t, 30*time.Second, "a statement of a cancelled transaction", func() error {
		var n int64
		return tx.QueryRowContext(context.Background(), slowQuery).Scan(&n)
	})
	if err == nil {
		t.Fatalf("the statement finished despite the cancelled transaction")
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, sql.ErrTxDone) {
		t.Errorf("statement of a cancelled transaction: %v, want context.Canceled or sql.ErrTxDone", err)
	}
	if err := tx.Commit(); err == nil {
		t.Errorf("Commit of a cancelled transaction succeeded")
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM n WHERE x = -1").Scan(&n); err != nil || n != 0 {
		t.Errorf("the cancelled transaction's row: count %d, %v; want 0", n, err)
	}
}
