package workload

// The shapes of github.com/cvilsmeier/go-sqlite-bench (real, complex, many,
// large), rewritten for this harness: same schema idea and sizes, WAL mode
// instead of that benchmark's rollback journal.

import (
	"database/sql"
	"fmt"
	"strings"
)

var blogSchema = []string{
	`CREATE TABLE users (
		id INTEGER PRIMARY KEY NOT NULL,
		created INTEGER NOT NULL,
		email TEXT NOT NULL,
		active INTEGER NOT NULL)`,
	`CREATE INDEX users_created ON users(created)`,
	`CREATE TABLE articles (
		id INTEGER PRIMARY KEY NOT NULL,
		created INTEGER NOT NULL,
		userId INTEGER NOT NULL REFERENCES users(id),
		text TEXT NOT NULL)`,
	`CREATE INDEX articles_created ON articles(created)`,
	`CREATE INDEX articles_userId ON articles(userId)`,
	`CREATE TABLE comments (
		id INTEGER PRIMARY KEY NOT NULL,
		created INTEGER NOT NULL,
		articleId INTEGER NOT NULL REFERENCES articles(id),
		text TEXT NOT NULL)`,
	`CREATE INDEX comments_created ON comments(created)`,
	`CREATE INDEX comments_articleId ON comments(articleId)`,
}

// openBlog opens a one-connection database with foreign keys on (a
// per-connection setting, hence the single connection) and the blog schema.
func openBlog(e *Env, name string) (*sql.DB, error) {
	db, err := e.Open(name)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	for _, q := range append([]string{"PRAGMA foreign_keys = ON"}, blogSchema...) {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			return nil, fmt.Errorf("setup: %w", err)
		}
	}
	return db, nil
}

const (
	insertUser    = "INSERT INTO users(id, created, email, active) VALUES(?, ?, ?, ?)"
	insertArticle = "INSERT INTO articles(id, created, userId, text) VALUES(?, ?, ?, ?)"
	insertComment = "INSERT INTO comments(id, created, articleId, text) VALUES(?, ?, ?, ?)"
	base          = int64(1_700_000_000)
)

func email(u int) string { return fmt.Sprintf("user%d@example.com", u) }

var articleText = strings.Repeat("Lorem ipsum dolor sit amet. ", 8)
var commentText = strings.Repeat("A comment on the article. ", 4)

func runReal(e *Env) ([]Metric, error) {
	db, err := openBlog(e, "real.db")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	users, articles, comments := e.Size.RealUsers, e.Size.RealArticles, e.Size.RealComments

	insert, err := e.Timed("insert", "user tx", users, func() error {
		var articleID, commentID int64
		for u := 1; u <= users; u++ {
			tx, err := db.Begin()
			if err != nil {
				return err
			}
			if _, err := tx.Exec(insertUser, u, base+int64(u), email(u), 1); err != nil {
				tx.Rollback()
				return err
			}
			for range articles {
				articleID++
				if _, err := tx.Exec(insertArticle, articleID, base+articleID, u, articleText); err != nil {
					tx.Rollback()
					return err
				}
				for range comments {
					commentID++
					if _, err := tx.Exec(insertComment, commentID, base+commentID, articleID, commentText); err != nil {
						tx.Rollback()
						return err
					}
				}
			}
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	const lookup = `SELECT u.id, u.email, a.id, a.text, c.id, c.text
		FROM users u
		LEFT JOIN articles a ON a.userId = u.id
		LEFT JOIN comments c ON c.articleId = a.id
		WHERE u.email = ?
		ORDER BY a.created, c.created`
	got := 0
	query, err := e.Timed("query", "user", users, func() error {
		for u := 1; u <= users; u++ {
			rs, err := db.Query(lookup, email(u))
			if err != nil {
				return err
			}
			for rs.Next() {
				var (
					uid, aid, cid int64
					mail, at, ct  string
				)
				if err := rs.Scan(&uid, &mail, &aid, &at, &cid, &ct); err != nil {
					rs.Close()
					return err
				}
				got++
			}
			if err := rs.Close(); err != nil {
				return err
			}
			if err := rs.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []Metric{insert, query}, checkCount("joins", got, users*articles*comments)
}

// insertAll inserts n rows with one prepared statement in one transaction;
// args returns the values of row i (1-based).
func insertAll(db *sql.DB, query string, n int, args func(i int) []any) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(query)
	if err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		if _, err := stmt.Exec(args(i)...); err != nil {
			return err
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

func runComplex(e *Env) ([]Metric, error) {
	db, err := openBlog(e, "complex.db")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	users := e.Size.ComplexUsers
	articles := users * e.Size.ComplexArticles
	comments := articles * e.Size.ComplexComments
	perUser, perArticle := e.Size.ComplexArticles, e.Size.ComplexComments

	insert, err := e.Timed("insert", "row", users+articles+comments, func() error {
		if err := insertAll(db, insertUser, users, func(i int) []any {
			return []any{i, base + int64(i), email(i), i % 2}
		}); err != nil {
			return err
		}
		if err := insertAll(db, insertArticle, articles, func(i int) []any {
			return []any{i, base + int64(i), (i-1)/perUser + 1, articleText}
		}); err != nil {
			return err
		}
		return insertAll(db, insertComment, comments, func(i int) []any {
			return []any{i, base + int64(i), (i-1)/perArticle + 1, commentText}
		})
	})
	if err != nil {
		return nil, err
	}

	const join = `SELECT u.id, u.created, u.email, a.id, a.created, a.text, c.id, c.created, c.text
		FROM users u
		JOIN articles a ON a.userId = u.id
		JOIN comments c ON c.articleId = a.id`
	got := 0
	query, err := e.Timed("query", "query", 1, func() error {
		rs, err := db.Query(join)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var (
				uid, uc, aid, ac, cid, cc int64
				mail, at, ct              string
			)
			if err := rs.Scan(&uid, &uc, &mail, &aid, &ac, &at, &cid, &cc, &ct); err != nil {
				return err
			}
			got++
		}
		return rs.Err()
	})
	if err != nil {
		return nil, err
	}
	return []Metric{insert, query}, checkCount("join", got, comments)
}

func runMany(users int) func(e *Env) ([]Metric, error) {
	return func(e *Env) ([]Metric, error) {
		db, err := openBlog(e, "many.db")
		if err != nil {
			return nil, err
		}
		defer db.Close()
		if err := insertAll(db, insertUser, users, func(i int) []any {
			return []any{i, base + int64(i), email(i), 1}
		}); err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		queries := e.Size.ManyQueries
		query, err := e.Timed("query", "query", queries, func() error {
			for range queries {
				rs, err := db.Query("SELECT id, created, email, active FROM users ORDER BY id")
				if err != nil {
					return err
				}
				got := 0
				for rs.Next() {
					var (
						id, created, active int64
						mail                string
					)
					if err := rs.Scan(&id, &created, &mail, &active); err != nil {
						rs.Close()
						return err
					}
					got++
				}
				rs.Close()
				if err := rs.Err(); err != nil {
					return err
				}
				if err := checkCount("users", got, users); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return []Metric{query}, nil
	}
}

func runLarge(size int) func(e *Env) ([]Metric, error) {
	return func(e *Env) ([]Metric, error) {
		db, err := e.Open("large.db")
		if err != nil {
			return nil, err
		}
		defer db.Close()
		if _, err := db.Exec("CREATE TABLE users(id INTEGER PRIMARY KEY NOT NULL, created INTEGER NOT NULL, email TEXT NOT NULL, content BLOB NOT NULL)"); err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
		content := make([]byte, size)
		for i := range content {
			content[i] = byte(i*7 + i>>8)
		}
		rows := e.Size.LargeRows
		insert, err := e.Timed("insert", "row", rows, func() error {
			return insertAll(db, "INSERT INTO users(id, created, email, content) VALUES(?, ?, ?, ?)", rows, func(i int) []any {
				content[0], content[1] = byte(i), byte(i>>8)
				return []any{i, base + int64(i), email(i), content}
			})
		})
		if err != nil {
			return nil, err
		}
		var total int64
		query, err := e.Timed("query", "row", rows, func() error {
			rs, err := db.Query("SELECT id, created, email, content FROM users")
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				var (
					id, created int64
					mail        string
					blob        []byte
				)
				if err := rs.Scan(&id, &created, &mail, &blob); err != nil {
					return err
				}
				total += int64(len(blob))
			}
			return rs.Err()
		})
		if err != nil {
			return nil, err
		}
		if total != int64(rows)*int64(size) {
			return nil, fmt.Errorf("read %d blob bytes, want %d", total, int64(rows)*int64(size))
		}
		return []Metric{insert, query}, nil
	}
}
