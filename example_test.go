package wren_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/wrendb/wren"
)

// tempDB returns a path for a new database file and a function that
// removes it. Real programs just name their file.
func tempDB() (string, func()) {
	dir, err := os.MkdirTemp("", "wren-example")
	if err != nil {
		log.Fatal(err)
	}
	return filepath.Join(dir, "app.db"), func() { os.RemoveAll(dir) }
}

// Open a database file (created if missing), create a table, insert and
// read back.
func Example() {
	path, cleanup := tempDB()
	defer cleanup()

	db, err := sql.Open("wren", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	if _, err := db.Exec(`CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		log.Fatal(err)
	}
	res, err := db.Exec(`INSERT INTO users(name) VALUES(?), (?)`, "ada", "grace")
	if err != nil {
		log.Fatal(err)
	}
	n, _ := res.RowsAffected()
	last, _ := res.LastInsertId()
	fmt.Println("inserted", n, "rows, last id", last)

	rows, err := db.Query(`SELECT id, name FROM users ORDER BY id`)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, name)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// inserted 2 rows, last id 2
	// 1 ada
	// 2 grace
}

// Exec runs every statement of a string, as migration tools expect.
func Example_exec() {
	db, err := sql.Open("wren", "file:exec-example?mode=memory")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`
		CREATE TABLE kv(k TEXT PRIMARY KEY, v);
		INSERT INTO kv VALUES('a', 1), ('b', 2);
		UPDATE kv SET v = v * 10;
	`)
	if err != nil {
		log.Fatal(err)
	}
	var sum int
	if err := db.QueryRow(`SELECT sum(v) FROM kv`).Scan(&sum); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum)
	// Output: 30
}

// A transaction commits or rolls back as a whole.
func Example_transaction() {
	path, cleanup := tempDB()
	defer cleanup()
	db, err := sql.Open("wren", path)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER);
		INSERT INTO account VALUES(1, 100), (2, 0)`); err != nil {
		log.Fatal(err)
	}

	transfer := func(amount int) error {
		tx, err := db.BeginTx(context.Background(), nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // a no-op after Commit
		if _, err := tx.Exec(`UPDATE account SET balance = balance - ? WHERE id = 1`, amount); err != nil {
			return err
		}
		var left int
		if err := tx.QueryRow(`SELECT balance FROM account WHERE id = 1`).Scan(&left); err != nil {
			return err
		}
		if left < 0 {
			return fmt.Errorf("insufficient funds: %d short", -left)
		}
		if _, err := tx.Exec(`UPDATE account SET balance = balance + ? WHERE id = 2`, amount); err != nil {
			return err
		}
		return tx.Commit()
	}
	fmt.Println(transfer(30))
	fmt.Println(transfer(500))

	var a, b int
	db.QueryRow(`SELECT (SELECT balance FROM account WHERE id = 1), (SELECT balance FROM account WHERE id = 2)`).Scan(&a, &b)
	fmt.Println(a, b)
	// Output:
	// <nil>
	// insufficient funds: 430 short
	// 70 30
}

// Named parameters are :name, @name or $name, bound with sql.Named.
func Example_namedParameters() {
	db, err := sql.Open("wren", "file:named-example?mode=memory")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE TABLE event(name TEXT, at DATETIME)`)
	when := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	_, err = db.Exec(`INSERT INTO event VALUES(:name, @at)`,
		sql.Named("name", "launch"), sql.Named("at", when))
	if err != nil {
		log.Fatal(err)
	}
	var name string
	var at time.Time
	err = db.QueryRow(`SELECT name, at FROM event WHERE at >= $since`,
		sql.Named("since", when.Add(-time.Hour))).Scan(&name, &at)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(name, at.Format(time.RFC3339))
	// Output: launch 2024-03-01T09:30:00Z
}

// A context deadline interrupts a statement that runs too long; the error
// matches context.DeadlineExceeded.
func Example_contextTimeout() {
	db, err := sql.Open("wren", "file:timeout-example?mode=memory")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE TABLE n(x)`)
	for i := range 100 {
		db.Exec(`INSERT INTO n VALUES(?)`, i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	// 100^5 rows: far longer than 20ms.
	var count int64
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM n a, n b, n c, n d, n e`).Scan(&count)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output: true
}

// Constraint failures carry SQLite's codes: test them with errors.Is.
func Example_constraintError() {
	db, err := sql.Open("wren", "file:errors-example?mode=memory")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE TABLE users(email TEXT UNIQUE)`)
	db.Exec(`INSERT INTO users VALUES('ada@example.com')`)

	_, err = db.Exec(`INSERT INTO users VALUES('ada@example.com')`)
	if errors.Is(err, wren.ErrConstraintUnique) {
		fmt.Println("already registered")
	}
	var e *wren.Error
	if errors.As(err, &e) {
		fmt.Println(int(e.Code), int(e.ExtendedCode), e.Msg)
	}
	fmt.Println(errors.Is(err, wren.ErrConstraint), errors.Is(err, wren.ErrBusy))
	// Output:
	// already registered
	// 19 2067 UNIQUE constraint failed: users.email
	// true false
}

// A Config builds the connector in code instead of a DSN string.
func ExampleConfig_Connector() {
	path, cleanup := tempDB()
	defer cleanup()
	cfg := wren.Config{
		Path:    path,
		Pragmas: []string{"busy_timeout(10000)", "foreign_keys(1)"},
		TxLock:  wren.TxLockImmediate,
	}
	connector, err := cfg.Connector()
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	var fk int
	if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
		log.Fatal(err)
	}
	fmt.Println("foreign_keys", fk)
	fmt.Println(cfg.FormatDSN() != "")
	// Output:
	// foreign_keys 1
	// true
}

// ParseDSN shows what a DSN means, and rejects what it does not know.
func ExampleParseDSN() {
	cfg, err := wren.ParseDSN("file:app.db?mode=ro&_pragma=busy_timeout(2000)&_txlock=immediate")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Path, cfg.Mode, cfg.Pragmas, cfg.TxLock)

	_, err = wren.ParseDSN("file:app.db?_busy_timeout=2000")
	fmt.Println(err)
	// Output:
	// app.db ro [busy_timeout(2000)] immediate
	// wren: unknown DSN parameter "_busy_timeout": use _pragma=busy_timeout(value)
}
