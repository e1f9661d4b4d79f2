package wren

import (
	"github.com/wrendb/wren/engine"
)

// stmtCacheSize bounds the prepared statements a connection keeps. A
// program's distinct statements are usually far fewer; a program that
// builds SQL text dynamically just cycles through the cache.
const stmtCacheSize = 64

// A prepared is one engine statement and the text after it. Connections
// keep them in a cache keyed by SQL text, so that running the same SQL
// again skips parsing and compiling. The engine recompiles a statement
// by itself when the schema changes, so entries never go stale.
type prepared struct {
	st      *engine.Stmt
	sql     string // the text it was prepared from: the cache key
	tail    string // the text after the first statement
	cached  bool   // the cache holds it
	claimed bool   // a call, a Stmt or a Rows is using it
	running bool   // a Rows is reading its results
	goRun   bool   // the engine runs it in Go (PRAGMA, DDL, BEGIN...): no program
	meta    *columns
}

// stmtCache is a connection's statements by SQL text. It needs no lock: a
// driver connection is used by one goroutine at a time.
type stmtCache struct {
	m map[string]*prepared
}

// claim returns an unclaimed statement for sql, preparing it when the
// cache has none. p is nil when sql holds no statement before tail.
func (c *conn) claim(sql string) (*prepared, string, error) {
	if p := c.cache.m[sql]; p != nil && !p.claimed {
		p.claimed = true
		return p, p.tail, nil
	}
	st, tail, err := c.ec.Prepare(sql)
	if err != nil {
		return nil, "", convertError(nil, err)
	}
	if st == nil {
		return nil, tail, nil
	}
	p := &prepared{st: st, sql: sql, tail: tail, claimed: true, goRun: runsInGo(st)}
	if _, dup := c.cache.m[sql]; !dup {
		c.cache.add(p)
	}
	return p, tail, nil
}

func (sc *stmtCache) add(p *prepared) {
	if sc.m == nil {
		sc.m = make(map[string]*prepared)
	}
	if len(sc.m) >= stmtCacheSize {
		// Evict an unclaimed entry; Go's map order makes it an arbitrary one.
		for k, old := range sc.m {
			if !old.claimed {
				delete(sc.m, k)
				old.cached = false
				old.st.Close()
				break
			}
		}
		if len(sc.m) >= stmtCacheSize {
			return
		}
	}
	p.cached = true
	sc.m[p.sql] = p
}

// unclaim rewinds p and gives it back to the cache, or finalizes it when
// the cache does not hold it.
func (c *conn) unclaim(p *prepared) {
	if p == nil {
		return
	}
	resetStmt(p)
	p.running = false
	p.claimed = false
	if !p.cached {
		p.st.Close()
	}
}

// closeAll finalizes every cached statement.
func (sc *stmtCache) closeAll() {
	for k, p := range sc.m {
		p.cached = false
		if !p.claimed {
			p.st.Close()
		}
		delete(sc.m, k)
	}
}

// runsInGo reports whether the engine runs st in Go (a PRAGMA, EXPLAIN)
// rather than as a compiled program, in which case it has no program to
// list. Only statements with result columns matter to resetStmt, and a
// compiled query knows its columns' nullability, so the listing is built
// only for the rare candidates.
func runsInGo(st *engine.Stmt) bool {
	if st.ColumnCount() == 0 {
		return false
	}
	if _, known := st.ColumnNotNull(0); known {
		return false
	}
	return st.Explain() == nil
}

// resetStmt rewinds p's engine statement. The engine cannot yet Reset a
// statement it runs in Go (a PRAGMA, say) while it still has rows to give
// (engine.Stmt.Reset then panics in finish), so those are read to their
// end first; their rows are already in memory, so that is cheap.
func resetStmt(p *prepared) {
	if p.goRun {
		for {
			if ok, err := p.st.Step(); !ok || err != nil {
				break
			}
		}
	}
	p.st.Reset()
}
