package wren

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Benchmarks shaped like the workloads of bench/ (real, complex, insert,
// point, readwrite), run in-process through database/sql so that
// -cpuprofile and -memprofile see only Wren. They measure the cost per
// statement of the driver, the engine and the VM together.

var (
	benchArticleText = strings.Repeat("Lorem ipsum dolor sit amet. ", 8)
	benchCommentText = strings.Repeat("A comment on the article. ", 4)
)

var benchBlogSchema = []string{
	`PRAGMA foreign_keys = ON`,
	`CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, created INTEGER NOT NULL, email TEXT NOT NULL, active INTEGER NOT NULL)`,
	`CREATE INDEX users_created ON users(created)`,
	`CREATE TABLE articles (id INTEGER PRIMARY KEY NOT NULL, created INTEGER NOT NULL, userId INTEGER NOT NULL REFERENCES users(id), text TEXT NOT NULL)`,
	`CREATE INDEX articles_created ON articles(created)`,
	`CREATE INDEX articles_userId ON articles(userId)`,
	`CREATE TABLE comments (id INTEGER PRIMARY KEY NOT NULL, created INTEGER NOT NULL, articleId INTEGER NOT NULL REFERENCES articles(id), text TEXT NOT NULL)`,
	`CREATE INDEX comments_created ON comments(created)`,
	`CREATE INDEX comments_articleId ON comments(articleId)`,
}

const (
	benchInsertUser    = "INSERT INTO users(id, created, email, active) VALUES(?, ?, ?, ?)"
	benchInsertArticle = "INSERT INTO articles(id, created, userId, text) VALUES(?, ?, ?, ?)"
	benchInsertComment = "INSERT INTO comments(id, created, articleId, text) VALUES(?, ?, ?, ?)"
)

// openBenchDB opens a fresh WAL database file with one connection.
func openBenchDB(b *testing.B, schema []string) *sql.DB {
	b.Helper()
	path := filepath.Join(b.TempDir(), "w.db")
	db, err := sql.Open("wren", "file:"+path+"?_pragma=journal_mode(wal)&_pragma=synchronous(normal)")
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	for _, q := range schema {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	return db
}

func benchEmail(u int) string { return fmt.Sprintf("user%d@example.com", u) }

// fillBlog inserts users, each with articles, each with comments, one
// transaction per user, as the real workload does.
func fillBlog(b *testing.B, db *sql.DB, firstUser, users, articles, comments int, articleID, commentID *int64) {
	for u := firstUser; u < firstUser+users; u++ {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(benchInsertUser, u, 1_700_000_000+u, benchEmail(u), 1); err != nil {
			b.Fatal(err)
		}
		for range articles {
			*articleID++
			if _, err := tx.Exec(benchInsertArticle, *articleID, 1_700_000_000+*articleID, u, benchArticleText); err != nil {
				b.Fatal(err)
			}
			for range comments {
				*commentID++
				if _, err := tx.Exec(benchInsertComment, *commentID, 1_700_000_000+*commentID, *articleID, benchCommentText); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRealInsert is one user transaction of the real workload: a
// user, 20 articles and 400 comments through tx.Exec.
func BenchmarkRealInsert(b *testing.B) {
	db := openBenchDB(b, benchBlogSchema)
	var articleID, commentID int64
	u := 1
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		fillBlog(b, db, u, 1, 20, 20, &articleID, &commentID)
		u++
	}
}

// BenchmarkRealQuery is the real workload's lookup: a user by email with
// two LEFT JOINs and an ORDER BY, 400 rows per user.
func BenchmarkRealQuery(b *testing.B) {
	db := openBenchDB(b, benchBlogSchema)
	var articleID, commentID int64
	const users = 10
	fillBlog(b, db, 1, users, 20, 20, &articleID, &commentID)
	const lookup = `SELECT u.id, u.email, a.id, a.text, c.id, c.text
		FROM users u
		LEFT JOIN articles a ON a.userId = u.id
		LEFT JOIN comments c ON c.articleId = a.id
		WHERE u.email = ?
		ORDER BY a.created, c.created`
	b.ReportAllocs()
	defer reportCPU(b)()
	u := 0
	for b.Loop() {
		u = u%users + 1
		rs, err := db.Query(lookup, benchEmail(u))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rs.Next() {
			var (
				uid, aid, cid int64
				mail, at, ct  string
			)
			if err := rs.Scan(&uid, &mail, &aid, &at, &cid, &ct); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rs.Close(); err != nil {
			b.Fatal(err)
		}
		if n != 400 {
			b.Fatalf("%d rows, want 400", n)
		}
	}
}

// BenchmarkComplexInsert is the complex workload's insert: one prepared
// statement per table inside a transaction; one op is one comment row
// (the bulk of that workload).
func BenchmarkComplexInsert(b *testing.B) {
	db := openBenchDB(b, benchBlogSchema)
	if _, err := db.Exec(benchInsertUser, 1, 1, benchEmail(1), 1); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(benchInsertArticle, 1, 1, 1, benchArticleText); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	st, err := tx.Prepare(benchInsertComment)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	id := int64(0)
	for b.Loop() {
		id++
		if _, err := st.Exec(id, 1_700_000_000+id, 1, benchCommentText); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkInsertRow is the insert workload: rows of four columns and no
// index, one prepared statement in one transaction.
func BenchmarkInsertRow(b *testing.B) {
	db := openBenchDB(b, []string{"CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER, f REAL)"})
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	st, err := tx.Prepare("INSERT INTO t(id, name, n, f) VALUES(?, ?, ?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	id := int64(0)
	for b.Loop() {
		id++
		if _, err := st.Exec(id, "name-of-the-row", id*3, float64(id)/7); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPointLookup is the point workload: a row by primary key
// through a prepared statement's QueryRow.
func BenchmarkPointLookup(b *testing.B) {
	db := openBenchDB(b, []string{"CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER, f REAL)"})
	const rows = 10000
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		if _, err := tx.Exec("INSERT INTO t VALUES(?, ?, ?, ?)", i, fmt.Sprintf("name-%d", i), i*3, float64(i)/7); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	st, err := db.Prepare("SELECT name, n, f FROM t WHERE id = ?")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ReportAllocs()
	defer reportCPU(b)()
	id := 0
	var (
		name string
		n    int64
		f    float64
	)
	for b.Loop() {
		id = id*7919%rows + 1
		if err := st.QueryRow(id).Scan(&name, &n, &f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteTx is the readwrite and writers workloads' write: BEGIN
// IMMEDIATE, one INSERT, COMMIT, each through Conn.ExecContext.
func BenchmarkWriteTx(b *testing.B) {
	db := openBenchDB(b, []string{"CREATE TABLE w(id INTEGER PRIMARY KEY, v TEXT)"})
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ReportAllocs()
	defer reportCPU(b)()
	id := int64(0)
	for b.Loop() {
		id++
		if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			b.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, "INSERT INTO w(id, v) VALUES(?, ?)", id, "value"); err != nil {
			b.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process's CPU time per op (GC workers included),
// steadier than the wall clock on a shared machine; call its result when
// the loop ends.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkComplexQuery is the complex workload's query: a three-way join
// over every comment (20,000 rows of nine columns per op).
func BenchmarkComplexQuery(b *testing.B) {
	db := openBenchDB(b, benchBlogSchema)
	var articleID, commentID int64
	fillBlog(b, db, 1, 10, 100, 20, &articleID, &commentID)
	const join = `SELECT u.id, u.created, u.email, a.id, a.created, a.text, c.id, c.created, c.text
		FROM users u
		JOIN articles a ON a.userId = u.id
		JOIN comments c ON c.articleId = a.id`
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		rs, err := db.Query(join)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rs.Next() {
			var (
				uid, uc, aid, ac, cid, cc int64
				mail, at, ct              string
			)
			if err := rs.Scan(&uid, &uc, &mail, &aid, &ac, &at, &cid, &cc, &ct); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rs.Close(); err != nil {
			b.Fatal(err)
		}
		if n != 20000 {
			b.Fatalf("%d rows, want 20000", n)
		}
	}
}
