package wren_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wrendb/wren"
)

// Ensure that the driver is registered as "wren" and under no name that
// belongs to another SQLite driver.
func TestDriverRegistered(t *testing.T) {
	drivers := sql.Drivers()
	if !slices.Contains(drivers, "wren") {
		t.Errorf("sql.Drivers() = %v, want it to hold wren", drivers)
	}
	for _, other := range []string{"sqlite", "sqlite3"} {
		if slices.Contains(drivers, other) {
			t.Errorf("the driver registered %q, which belongs to another driver", other)
		}
	}
}

// Ensure that the three ways in (sql.Open, NewConnector, Config) reach the
// same database, and that a bad DSN fails at sql.Open's first use.
func TestConnectors(t *testing.T) {
	db, path := openDB(t)
	mustExec(t, db, "CREATE TABLE t(a); INSERT INTO t VALUES(42)")

	c1, err := wren.NewConnector("file:" + path + "?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db1 := sql.OpenDB(c1)
	defer db1.Close()
	cfg := &wren.Config{Path: path, Mode: wren.ModeReadWrite}
	c2, err := cfg.Connector()
	if err != nil {
		t.Fatal(err)
	}
	db2 := sql.OpenDB(c2)
	defer db2.Close()
	for name, d := range map[string]*sql.DB{"NewConnector": db1, "Config": db2} {
		var a int64
		if err := d.QueryRow("SELECT a FROM t").Scan(&a); err != nil || a != 42 {
			t.Errorf("%s: a = %d, %v; want 42", name, a, err)
		}
	}
	if _, err := db1.Exec("INSERT INTO t VALUES(1)"); !errors.Is(err, wren.ErrReadOnly) {
		t.Errorf("insert through mode=ro: %v, want ErrReadOnly", err)
	}

	bad, err := sql.Open("wren", "file:x.db?_bogus=1")
	if err == nil {
		bad.Close()
		t.Errorf("sql.Open with an unknown parameter succeeded")
	} else if !strings.Contains(err.Error(), `"_bogus"`) {
		t.Errorf("sql.Open error %q does not name the parameter", err)
	}

	missing, _ := sql.Open("wren", "file:"+path+".missing?mode=rw")
	defer missing.Close()
	if err := missing.Ping(); !errors.Is(err, wren.ErrCantOpen) {
		t.Errorf("mode=rw on a missing file: %v, want ErrCantOpen", err)
	}
}

// Ensure that every Go argument type survives a round trip through a
// table and database/sql's Scan.
func TestValueRoundTrip(t *testing.T) {
	db, _ := openDB(t)
	mustExec(t, db, "CREATE TABLE v(i INTEGER, r REAL, s TEXT, b BLOB, t TIMESTAMP, x)")
	when := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.FixedZone("", -5*3600))
	type row struct {
		I int64
		R float64
		S string
		B []byte
		T time.Time
	}
	ins := []row{
		{math.MaxInt64, math.Pi, "héllo, wörld", []byte{0, 1, 2, 255}, when},
		{math.MinInt64, -0.5, "", []byte{}, when.UTC()},
		{0, math.Inf(1), "line\nbreak", []byte("x"), time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, r := range ins {
		mustExec(t, db, "INSERT INTO v(i, r, s, b, t) VALUES(?, ?, ?, ?, ?)", r.I, r.R, r.S, r.B, r.T)
	}
	rows, err := db.Query("SELECT i, r, s, b, t FROM v ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.I, &r.R, &r.S, &r.B, &r.T); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ins, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}

	// Every integer size, bool, nil and a Valuer, read back as SQLite
	// stores them.
	mustExec(t, db, "DELETE FROM v")
	args := []any{int8(-8), int16(-16), int32(-32), int64(-64), int(-1), uint8(8), uint16(16), uint32(32), uint64(64), uint(1),
		float32(0.25), true, false, nil, sql.NullString{String: "ns", Valid: true}, sql.NullInt64{}}
	want := [][]any{}
	for _, a := range args {
		mustExec(t, db, "INSERT INTO v(x) VALUES(?)", a)
	}
	for _, w := range []any{int64(-8), int64(-16), int64(-32), int64(-64), int64(-1), int64(8), int64(16), int64(32), int64(64), int64(1),
		0.25, int64(1), int64(0), nil, "ns", nil} {
		want = append(want, []any{w})
	}
	if diff := cmp.Diff(want, queryAll(t, db, "SELECT x FROM v ORDER BY rowid")); diff != "" {
		t.Errorf("argument types mismatch (-want +got):\n%s", diff)
	}
	var typ string
	if err := db.QueryRow("SELECT typeof(?)", true).Scan(&typ); err != nil || typ != "integer" {
		t.Errorf("typeof(true) = %q, %v; want integer", typ, err)
	}

	// A uint64 SQLite cannot hold is refused, not wrapped.
	_, err = db.Exec("INSERT INTO v(x) VALUES(?)", uint64(math.MaxUint64))
	if err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("inserting MaxUint64: %v, want an error saying it does not fit", err)
	}
	_, err = db.Exec("INSERT INTO v(x) VALUES(?)", uint64(math.MaxInt64)+1)
	if err == nil {
		t.Errorf("inserting MaxInt64+1 as uint64 succeeded")
	}
}

// Ensure that times are written in SQLite's format, which the real
// sqlite3's date functions read, and that they read back as time.Time
// from DATE, DATETIME and TIMESTAMP columns only.
func TestTimeStorage(t *testing.T) {
	db, path := openDB(t)
	mustExec(t, db, "CREATE TABLE ev(at DATETIME, d DATE, plain TEXT)")
	when := time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.FixedZone("", 2*3600))
	mustExec(t, db, "INSERT INTO ev VALUES(?, ?, ?)", when, when, when)
	var at, d time.Time
	var plain string
	if err := db.QueryRow("SELECT at, d, plain FROM ev").Scan(&at, &d, &plain); err != nil {
		t.Fatal(err)
	}
	if !at.Equal(when) || !d.Equal(when) {
		t.Errorf("read back %v and %v, want %v", at, d, when)
	}
	if want := "2024-01-02 03:04:05.123456789+02:00"; plain != want {
		t.Errorf("stored text %q, want %q", plain, want)
	}
	var untyped any
	if err := db.QueryRow("SELECT plain FROM ev").Scan(&untyped); err != nil {
		t.Fatal(err)
	}
	if _, ok := untyped.(string); !ok {
		t.Errorf("a TEXT column read back as %T, want string", untyped)
	}
	// Wren's own date functions read it as SQLite's do (when the engine
	// has them).
	var utc string
	if err := db.QueryRow("SELECT datetime(at) FROM ev").Scan(&utc); err != nil {
		t.Logf("datetime() in Wren: %v", err)
	} else if utc != "2024-01-02 01:04:05" {
		t.Errorf("Wren's datetime(at) = %q, want 2024-01-02 01:04:05", utc)
	}
	db.Close()
	got := sqlite3(t, path, "SELECT datetime(at), strftime('%Y-%m-%d %H:%M:%f', d), typeof(at) FROM ev")
	if want := "2024-01-02 01:04:05|2024-01-02 01:04:05.123|text"; got != want {
		t.Errorf("sqlite3 reads %q, want %q", got, want)
	}
}

// Ensure that _time_format=unix stores integers and reads them back.
func TestTimeFormatUnix(t *testing.T) {
	db, _ := openDB(t, "_time_format=unix")
	mustExec(t, db, "CREATE TABLE ev(at TIMESTAMP)")
	when := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	mustExec(t, db, "INSERT INTO ev VALUES(?)", when)
	var n int64
	var got time.Time
	if err := db.QueryRow("SELECT CAST(at AS INTEGER), at FROM ev").Scan(&n, &got); err != nil {
		t.Fatal(err)
	}
	if n != when.Unix() || !got.Equal(when) {
		t.Errorf("stored %d and read %v, want %d and %v", n, got, when.Unix(), when)
	}
}

// Ensure that with _time_text=1 a time column reads back exactly as stored
// (for tools that show values, like the shell), whatever its storage class.
func TestTimeText(t *testing.T) {
	db, _ := openDB(t, "_time_text=1")
	mustExec(t, db, "CREATE TABLE ev(d DATE, at DATETIME)")
	mustExec(t, db, "INSERT INTO ev VALUES('2024-01-02', 1700000000)")
	var d, at any
	if err := db.QueryRow("SELECT d, at FROM ev").Scan(&d, &at); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{"2024-01-02", int64(1700000000)}, []any{d, at}); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	rows, err := db.Query("SELECT d FROM ev")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	if st := types[0].ScanType(); st == reflect.TypeOf(time.Time{}) || st == reflect.TypeOf(sql.NullTime{}) {
		t.Errorf("scan type of a DATE column with _time_text=1 is %v, want a non-time type", st)
	}
}

// Ensure that positional, numbered and named parameters bind as SQLite
// numbers them, and that a miscounted argument list is an error.
func TestParameters(t *testing.T) {
	db, _ := openDB(t)
	tests := []struct {
		query string
		args  []any
		want  []any
	}{
		{"SELECT ?, ?", []any{1, "two"}, []any{int64(1), "two"}},
		{"SELECT ?2, ?1", []any{"one", "two"}, []any{"two", "one"}},
		{"SELECT ?1, ?1", []any{7}, []any{int64(7), int64(7)}},
		{"SELECT :a, @b, $c", []any{sql.Named("c", 3), sql.Named("a", 1), sql.Named("b", 2)}, []any{int64(1), int64(2), int64(3)}},
		{"SELECT :a, :a", []any{sql.Named("a", "x")}, []any{"x", "x"}},
		{"SELECT :a, :b", []any{10, 20}, []any{int64(10), int64(20)}},
		{"SELECT :a, ?", []any{sql.Named("a", 1), 2}, []any{int64(1), int64(2)}},
		{"SELECT ?", []any{nil}, []any{nil}},
	}
	for _, tt := range tests {
		rows, err := db.Query(tt.query, tt.args...)
		if err != nil {
			t.Errorf("Query(%q): %v", tt.query, err)
			continue
		}
		got, err := scanAll(rows)
		rows.Close()
		if err != nil {
			t.Errorf("Query(%q): %v", tt.query, err)
			continue
		}
		if diff := cmp.Diff([][]any{tt.want}, got); diff != "" {
			t.Errorf("Query(%q) mismatch (-want +got):\n%s", tt.query, diff)
		}
	}
	errs := []struct {
		query string
		args  []any
		want  string
	}{
		{"SELECT ?, ?", []any{1}, "no argument for parameter ?2"},
		{"SELECT ?", []any{1, 2}, "2 arguments given but the SQL has only 1 parameters"},
		{"SELECT :a", []any{sql.Named("b", 1)}, "no argument for parameter :a"},
		{"SELECT :a, ?", []any{sql.Named("a", 1), 2, sql.Named("zz", 3)}, `argument named "zz"`},
		{"SELECT ?3", []any{1}, "no argument for parameter"},
	}
	for _, tt := range errs {
		_, err := db.Query(tt.query, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Query(%q, %v) error %v, want one containing %q", tt.query, tt.args, err, tt.want)
		}
	}
}

// Ensure that Exec runs every statement of a multi-statement string,
// binding the arguments in order, and reports the last change.
func TestMultiStatementExec(t *testing.T) {
	db, _ := openDB(t)
	res := mustExec(t, db, `
		CREATE TABLE a(x); -- a comment
		INSERT INTO a VALUES(?), (?);
		/* another */ CREATE TABLE b(y);
		INSERT INTO b VALUES(:y);
		INSERT INTO a SELECT x * 10 FROM a;
	`, 1, 2, sql.Named("y", "why"))
	if n, _ := res.RowsAffected(); n != 2 {
		t.Errorf("RowsAffected = %d, want 2 (the last INSERT's)", n)
	}
	want := [][]any{{int64(1)}, {int64(2)}, {int64(10)}, {int64(20)}}
	if diff := cmp.Diff(want, queryAll(t, db, "SELECT x FROM a ORDER BY x")); diff != "" {
		t.Errorf("table a mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]any{{"why"}}, queryAll(t, db, "SELECT y FROM b")); diff != "" {
		t.Errorf("table b mismatch (-want +got):\n%s", diff)
	}
	// The statements before a failing one stay done; the rest do not run.
	_, err := db.Exec("INSERT INTO a VALUES(100); INSERT INTO nosuch VALUES(1); INSERT INTO a VALUES(200)")
	if err == nil || err.Error() != "no such table: nosuch" {
		t.Errorf("error %v, want no such table: nosuch", err)
	}
	if diff := cmp.Diff([][]any{{int64(100)}}, queryAll(t, db, "SELECT x FROM a WHERE x >= 100")); diff != "" {
		t.Errorf("after the failure (-want +got):\n%s", diff)
	}
	// A query of several statements returns the last one's rows.
	if diff := cmp.Diff([][]any{{int64(5)}}, queryAll(t, db, "INSERT INTO a VALUES(?); SELECT count(*) FROM a WHERE x < ?; -- done", 3, 50)); diff != "" {
		t.Errorf("multi-statement query (-want +got):\n%s", diff)
	}
	// Blank SQL does nothing.
	mustExec(t, db, "  -- nothing\n ; ")
}

// Ensure that LastInsertId and RowsAffected are SQLite's
// last_insert_rowid() and changes().
func TestResult(t *testing.T) {
	db, _ := openDB(t)
	db.SetMaxOpenConns(1)
	mustExec(t, db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	type result struct{ ID, N int64 }
	steps := []struct {
		query string
		want  result
	}{
		{"INSERT INTO t(v) VALUES('a')", result{1, 1}},
		{"INSERT INTO t(id, v) VALUES(10, 'b'), (11, 'c')", result{11, 2}},
		{"UPDATE t SET v = v || '!' WHERE id >= 10", result{11, 2}},
		{"DELETE FROM t WHERE id = 1", result{11, 1}},
		{"DELETE FROM t WHERE id = 999", result{11, 0}},
	}
	for _, s := range steps {
		res := mustExec(t, db, s.query)
		id, err1 := res.LastInsertId()
		n, err2 := res.RowsAffected()
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		var sqlID, sqlN int64
		if err := db.QueryRow("SELECT last_insert_rowid(), changes()").Scan(&sqlID, &sqlN); err != nil {
			t.Fatal(err)
		}
		got := []result{{id, n}, {sqlID, sqlN}}
		if diff := cmp.Diff([]result{s.want, s.want}, got); diff != "" {
			t.Errorf("%s: (-want +got) [Result, SQL functions]:\n%s", s.query, diff)
		}
	}
}

// Ensure that column metadata follows the declared types: names, the
// declared type without its size, nullability (unknown for expressions)
// and a scan type that fits.
func TestColumnTypes(t *testing.T) {
	db, _ := openDB(t)
	mustExec(t, db, `CREATE TABLE c(id INTEGER PRIMARY KEY, name varchar(20) NOT NULL, score REAL, data BLOB,
		born DATE NOT NULL, seen TIMESTAMP, ok BOOLEAN NOT NULL, n NUMERIC)`)
	rows, err := db.Query("SELECT id, name, score, data, born, seen, ok, n, score * 2 AS twice FROM c")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	type col struct {
		Name, DBType    string
		Nullable, Known bool
		ScanType        string
	}
	var got []col
	for _, ct := range types {
		nullable, known := ct.Nullable()
		got = append(got, col{ct.Name(), ct.DatabaseTypeName(), nullable, known, ct.ScanType().String()})
	}
	want := []col{
		{"id", "INTEGER", false, true, "int64"}, // INTEGER PRIMARY KEY is the rowid: never NULL
		{"name", "VARCHAR", false, true, "string"},
		{"score", "REAL", true, true, "sql.NullFloat64"},
		{"data", "BLOB", true, true, "[]uint8"},
		{"born", "DATE", false, true, "time.Time"},
		{"seen", "TIMESTAMP", true, true, "sql.NullTime"},
		{"ok", "BOOLEAN", false, true, "bool"},
		{"n", "NUMERIC", true, true, "interface {}"},
		{"twice", "", true, false, "interface {}"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("column types mismatch (-want +got):\n%s", diff)
	}
	// The scan types are ones database/sql can scan a value into.
	mustExec(t, db, "INSERT INTO c VALUES(1, 'n', 1.5, x'00', '2024-01-02', NULL, 1, 7)")
	rows2, err := db.Query("SELECT id, name, score, data, born, seen, ok, n FROM c")
	if err != nil {
		t.Fatal(err)
	}
	defer rows2.Close()
	types2, _ := rows2.ColumnTypes()
	dest := make([]any, len(types2))
	for i, ct := range types2 {
		dest[i] = reflect.New(ct.ScanType()).Interface()
	}
	if !rows2.Next() {
		t.Fatal("no row", rows2.Err())
	}
	if err := rows2.Scan(dest...); err != nil {
		t.Errorf("scanning into the scan types: %v", err)
	}
}

// Ensure that the engine's errors arrive as *wren.Error with SQLite's
// codes and messages, and match the sentinels.
func TestErrors(t *testing.T) {
	db, path := openDB(t)
	mustExec(t, db, `CREATE TABLE u(a UNIQUE, b NOT NULL); INSERT INTO u VALUES(1, 1)`)
	type view struct {
		Code, Ext int
		Msg       string
	}
	tests := []struct {
		query    string
		want     view
		sentinel error
	}{
		{"INSERT INTO u VALUES(1, 2)", view{19, 2067, "UNIQUE constraint failed: u.a"}, wren.ErrConstraintUnique},
		{"INSERT INTO u VALUES(2, NULL)", view{19, 1299, "NOT NULL constraint failed: u.b"}, wren.ErrConstraintNotNull},
		{"INSERT INTO nosuch VALUES(1)", view{1, 1, "no such table: nosuch"}, wren.ErrError},
		{"SELEC 1", view{1, 1, `near "SELEC": syntax error`}, wren.ErrError},
	}
	for _, tt := range tests {
		_, err := db.Exec(tt.query)
		var e *wren.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %T %v, want *wren.Error", tt.query, err, err)
			continue
		}
		if diff := cmp.Diff(tt.want, view{int(e.Code), int(e.ExtendedCode), e.Msg}); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tt.query, diff)
		}
		if !errors.Is(err, tt.sentinel) {
			t.Errorf("%s: errors.Is(err, %v) = false", tt.query, tt.sentinel)
		}
		if tt.want.Code == 19 && !errors.Is(err, wren.ErrConstraint) {
			t.Errorf("%s: errors.Is(err, ErrConstraint) = false", tt.query)
		}
		if errors.Is(err, wren.ErrBusy) {
			t.Errorf("%s: matches ErrBusy", tt.query)
		}
	}
	// The messages are the real sqlite3's.
	db.Close()
	for _, tt := range tests[:2] {
		got := sqlite3Err(t, path, tt.query)
		if !strings.Contains(got, tt.want.Msg) {
			t.Errorf("sqlite3 says %q for %s; we say %q", got, tt.query, tt.want.Msg)
		}
	}
}

// Ensure that _pragma=foreign_keys(1) reaches every connection and a
// violation is SQLITE_CONSTRAINT_FOREIGNKEY (787).
func TestForeignKeyError(t *testing.T) {
	db, _ := openDB(t, "_pragma=foreign_keys(1)")
	mustExec(t, db, "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid INTEGER REFERENCES p(id))")
	var on int64
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&on); err != nil || on != 1 {
		t.Fatalf("PRAGMA foreign_keys = %d, %v; want 1 from the DSN", on, err)
	}
	_, err := db.Exec("INSERT INTO c VALUES(5)")
	if err == nil {
		t.Fatal("INSERT of a dangling reference succeeded; want FOREIGN KEY constraint failed")
	}
	var e *wren.Error
	if !errors.As(err, &e) || e.ExtendedCode != 787 || e.Msg != "FOREIGN KEY constraint failed" || !errors.Is(err, wren.ErrConstraintForeignKey) {
		t.Errorf("dangling reference: %v, want SQLITE_CONSTRAINT_FOREIGNKEY", err)
	}
}

// Ensure that isolation levels are honoured or refused, never ignored,
// and that a read-only transaction refuses writes with SQLite's error.
func TestTransactions(t *testing.T) {
	db, _ := openDB(t)
	mustExec(t, db, "CREATE TABLE t(a)")
	ctx := context.Background()

	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO t VALUES(1)")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx, _ = db.BeginTx(ctx, nil)
	mustExec(t, tx, "INSERT INTO t VALUES(2)")
	if diff := cmp.Diff([][]any{{int64(2)}}, queryAll(t, tx, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("inside the transaction (-want +got):\n%s", diff)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]any{{int64(1)}}, queryAll(t, db, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("after rollback (-want +got):\n%s", diff)
	}

	for _, level := range []sql.IsolationLevel{sql.LevelReadUncommitted, sql.LevelReadCommitted, sql.LevelRepeatableRead, sql.LevelSnapshot, sql.LevelLinearizable, sql.LevelWriteCommitted} {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: level})
		if err == nil {
			tx.Rollback()
			t.Errorf("BeginTx(%v) succeeded, want an error", level)
		} else if !strings.Contains(err.Error(), "not supported") {
			t.Errorf("BeginTx(%v): %v", level, err)
		}
	}

	ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]any{{int64(1)}}, queryAll(t, ro, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("read-only transaction read (-want +got):\n%s", diff)
	}
	for _, w := range []string{"INSERT INTO t VALUES(3)", "CREATE TABLE t2(x)", "DELETE FROM t"} {
		_, err = ro.Exec(w)
		var e *wren.Error
		if !errors.As(err, &e) || e.Code != 8 || e.Msg != "attempt to write a readonly database" || !errors.Is(err, wren.ErrReadOnly) {
			t.Errorf("%s in a read-only transaction: %v, want SQLITE_READONLY", w, err)
		}
	}
	if err := ro.Commit(); err != nil {
		t.Fatal(err)
	}
	// The connection is writable again afterwards.
	db.SetMaxOpenConns(1)
	mustExec(t, db, "INSERT INTO t VALUES(3)")

	// A bare BEGIN left on a pooled connection does not leak to its next
	// user: ResetSession rolls it back.
	leak, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExecConn(t, leak, "BEGIN")
	mustExecConn(t, leak, "INSERT INTO t VALUES(4)")
	leak.Close()
	if diff := cmp.Diff([][]any{{int64(2)}}, queryAll(t, db, "SELECT count(*) FROM t")); diff != "" {
		t.Errorf("after a leaked BEGIN (-want +got):\n%s", diff)
	}
}

func mustExecConn(t *testing.T, c *sql.Conn, query string) {
	t.Helper()
	if _, err := c.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("Exec(%q): %v", query, err)
	}
}

// Ensure that _txlock=immediate takes the write lock at BEGIN: a second
// writer cannot start while the first transaction is open.
func TestTxLockImmediate(t *testing.T) {
	db, _ := openDB(t, "_txlock=immediate", "_pragma=busy_timeout(50)")
	mustExec(t, db, "CREATE TABLE t(a)")
	tx1, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx1.Rollback()
	tx2, err := db.Begin()
	if err == nil {
		tx2.Rollback()
		t.Fatalf("a second immediate transaction began while the first held the write lock")
	}
	if !errors.Is(err, wren.ErrBusy) {
		t.Errorf("second BEGIN IMMEDIATE: %v, want ErrBusy", err)
	}
}

// Ensure that a prepared statement runs many times with new arguments,
// and that two open Rows of one statement in a transaction do not
// disturb each other.
func TestPreparedStatements(t *testing.T) {
	db, _ := openDB(t)
	mustExec(t, db, "CREATE TABLE t(a INTEGER, b TEXT)")
	ins, err := db.Prepare("INSERT INTO t VALUES(?, ?)")
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	for i := range 100 {
		if _, err := ins.Exec(i, strings.Repeat("x", i%5)); err != nil {
			t.Fatal(err)
		}
	}
	tx, _ := db.Begin()
	defer tx.Rollback()
	sel, err := tx.Prepare("SELECT a FROM t WHERE a < ? ORDER BY a")
	if err != nil {
		t.Fatal(err)
	}
	r1, err := sel.Query(3)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := sel.Query(2)
	if err != nil {
		t.Fatal(err)
	}
	var got1, got2 []int64
	for r1.Next() {
		var a int64
		r1.Scan(&a)
		got1 = append(got1, a)
		if r2.Next() {
			r2.Scan(&a)
			got2 = append(got2, a)
		}
	}
	if err := errors.Join(r1.Err(), r2.Err()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]int64{{0, 1, 2}, {0, 1}}, [][]int64{got1, got2}); diff != "" {
		t.Errorf("interleaved rows (-want +got):\n%s", diff)
	}
	// Multi-statement prepared statements run every statement.
	multi, err := tx.Prepare("INSERT INTO t VALUES(?, 'm'); INSERT INTO t VALUES(?, 'm')")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := multi.Exec(1000, 1001); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]any{{int64(2)}}, queryAll(t, tx, "SELECT count(*) FROM t WHERE b = 'm'")); diff != "" {
		t.Errorf("multi-statement prepared Exec (-want +got):\n%s", diff)
	}
	if _, err := db.Prepare("SELECT * FROM nosuch"); err == nil || err.Error() != "no such table: nosuch" {
		t.Errorf("preparing bad SQL: %v", err)
	}
}

// Ensure that the driver's connection implements the interfaces
// database/sql looks for, and that Ping, ResetSession and IsValid say
// what they should before and after Close.
func TestConnInterfaces(t *testing.T) {
	c, err := wren.NewConnector(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dc, err := c.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{}
	_, checks["ConnPrepareContext"] = dc.(driver.ConnPrepareContext)
	_, checks["ConnBeginTx"] = dc.(driver.ConnBeginTx)
	_, checks["ExecerContext"] = dc.(driver.ExecerContext)
	_, checks["QueryerContext"] = dc.(driver.QueryerContext)
	_, checks["Pinger"] = dc.(driver.Pinger)
	_, checks["SessionResetter"] = dc.(driver.SessionResetter)
	_, checks["Validator"] = dc.(driver.Validator)
	_, checks["NamedValueChecker"] = dc.(driver.NamedValueChecker)
	for name, ok := range checks {
		if !ok {
			t.Errorf("the connection does not implement driver.%s", name)
		}
	}
	ctx := context.Background()
	if err := dc.(driver.Pinger).Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	ex := dc.(driver.ExecerContext)
	if _, err := ex.ExecContext(ctx, "CREATE TABLE t(a); BEGIN; INSERT INTO t VALUES(1)", nil); err != nil {
		t.Fatal(err)
	}
	if err := dc.(driver.SessionResetter).ResetSession(ctx); err != nil {
		t.Errorf("ResetSession: %v", err)
	}
	rows, err := dc.(driver.QueryerContext).QueryContext(ctx, "SELECT count(*) FROM t", nil)
	if err != nil {
		t.Fatal(err)
	}
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil || dest[0] != int64(0) {
		t.Errorf("after ResetSession the leaked transaction's row is %v (%v), want rolled back: 0", dest[0], err)
	}
	rows.Close()
	if !dc.(driver.Validator).IsValid() {
		t.Errorf("IsValid = false on an open connection")
	}
	dc.Close()
	if dc.(driver.Validator).IsValid() {
		t.Errorf("IsValid = true after Close")
	}
	if err := dc.(driver.Pinger).Ping(ctx); !errors.Is(err, driver.ErrBadConn) {
		t.Errorf("Ping after Close: %v, want driver.ErrBadConn", err)
	}
	if _, err := ex.ExecContext(ctx, "SELECT 1", nil); !errors.Is(err, driver.ErrBadConn) {
		t.Errorf("Exec after Close: %v, want driver.ErrBadConn", err)
	}
}

// Ensure that ":memory:" is private to each connection and that a named
// memory database is shared by the pool.
func TestMemoryDatabases(t *testing.T) {
	private, _ := sql.Open("wren", ":memory:")
	defer private.Close()
	c1, _ := private.Conn(context.Background())
	c2, _ := private.Conn(context.Background())
	defer c1.Close()
	defer c2.Close()
	if _, err := c1.ExecContext(context.Background(), "CREATE TABLE t(a)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.ExecContext(context.Background(), "SELECT * FROM t"); err == nil {
		t.Errorf(":memory: is shared between connections; want one database per connection")
	}

	for _, dsn := range []string{"file:sharedmem1?mode=memory", "file::memory:?cache=shared"} {
		shared, _ := sql.Open("wren", dsn)
		s1, _ := shared.Conn(context.Background())
		s2, _ := shared.Conn(context.Background())
		if _, err := s1.ExecContext(context.Background(), "CREATE TABLE t(a); INSERT INTO t VALUES(5)"); err != nil {
			t.Fatal(err)
		}
		var a int64
		if err := s2.QueryRowContext(context.Background(), "SELECT a FROM t").Scan(&a); err != nil || a != 5 {
			t.Errorf("%s: second connection reads %d, %v; want 5", dsn, a, err)
		}
		s1.Close()
		s2.Close()
		shared.Close()
	}
}

// Ensure that the access mode belongs to each connector: a read-only one
// and a read-write one on the same file, opened in either order, refuse
// and accept writes respectively.
func TestAccessModePerConnector(t *testing.T) {
	for _, roFirst := range []bool{false, true} {
		_, path := openDB(t)
		setup, _ := sql.Open("wren", path)
		mustExec(t, setup, "CREATE TABLE t(a)")
		setup.Close()

		open := func(mode string) *sql.DB {
			db, _ := sql.Open("wren", "file:"+path+"?mode="+mode)
			if err := db.Ping(); err != nil {
				t.Fatal(err)
			}
			return db
		}
		var ro, rw *sql.DB
		// The engine keeps one Database per file, opened with its first
		// user's Config; the driver opens it read-write when the file
		// allows, and enforces mode=ro itself.
		if roFirst {
			ro, rw = open("ro"), open("rw")
		} else {
			rw, ro = open("rw"), open("ro")
		}
		_, roErr := ro.Exec("INSERT INTO t VALUES(1)")
		_, rwErr := rw.Exec("INSERT INTO t VALUES(2)")
		ro.Close()
		rw.Close()
		if !errors.Is(roErr, wren.ErrReadOnly) {
			t.Errorf("read-only first=%v: insert through mode=ro: %v, want ErrReadOnly", roFirst, roErr)
		}
		if rwErr != nil {
			t.Errorf("read-only first=%v: insert through mode=rw: %v", roFirst, rwErr)
		}
	}
}

// Ensure that Driver.Open, the path database/sql does not take but direct
// users may, opens working connections and closes the database with them.
func TestDriverOpen(t *testing.T) {
	_, path := openDB(t)
	for _, dsn := range []string{path, ":memory:", "file:drvopen?mode=memory"} {
		c, err := (&wren.Driver{}).Open(dsn)
		if err != nil {
			t.Fatalf("Open(%q): %v", dsn, err)
		}
		ex := c.(driver.ExecerContext)
		if _, err := ex.ExecContext(context.Background(), "CREATE TABLE IF NOT EXISTS t(a); INSERT INTO t VALUES(1)", nil); err != nil {
			t.Errorf("Open(%q): exec: %v", dsn, err)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Open(%q): close: %v", dsn, err)
		}
	}
	if _, err := (&wren.Driver{}).Open("file:x.db?nope=1"); err == nil {
		t.Errorf("Open with an unknown parameter succeeded")
	}
}

// Ensure that a statement the engine runs in Go (a PRAGMA with several
// rows) can be closed after one row and run again from the cache.
func TestPragmaPartialRead(t *testing.T) {
	db, _ := openDB(t)
	db.SetMaxOpenConns(1)
	mustExec(t, db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)")
	for range 3 {
		var cid int64
		var name, typ string
		var notnull, pk int64
		var dflt any
		if err := db.QueryRow("PRAGMA table_info(t)").Scan(&cid, &name, &typ, &notnull, &dflt, &pk); err != nil {
			t.Fatal(err)
		}
		if name != "a" || typ != "INTEGER" {
			t.Errorf("first row of table_info: %q %q, want a INTEGER", name, typ)
		}
	}
	// The connection is still usable for a write (no statement is left
	// half-run holding its transaction open).
	mustExec(t, db, "INSERT INTO t VALUES(1, 'x', 2.5)")
}
