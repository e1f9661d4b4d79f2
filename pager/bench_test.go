package pager

import (
	"path/filepath"
	"testing"

	"github.com/wrendb/wren/osvfs"
)

// benchmarkCommit measures a transaction that rewrites 1000 pages of an
// existing 1000-page database and commits (journal, syncs, database).
func benchmarkCommit(b *testing.B, vfs osvfs.VFS, name string) {
	const pages = 1000
	p, err := Open(vfs, name, Options{PageSize: 4096, Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	mustCommitPages(b, p, pagesOf(pages, 1, 4096))
	b.SetBytes(pages * 4096)
	b.ResetTimer()
	for i := range b.N {
		if err := p.BeginWrite(); err != nil {
			b.Fatal(err)
		}
		for pgno := uint32(2); pgno <= pages; pgno++ {
			pg, err := p.Get(pgno)
			if err != nil {
				b.Fatal(err)
			}
			if err := p.Write(pg); err != nil {
				b.Fatal(err)
			}
			pg.Data()[100] = byte(i)
			pg.Release()
		}
		if err := p.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCommit1000PagesMem(b *testing.B) {
	benchmarkCommit(b, osvfs.NewMem(), "db")
}

func BenchmarkCommit1000PagesFile(b *testing.B) {
	benchmarkCommit(b, osvfs.NewUnix(), filepath.Join(b.TempDir(), "bench.db"))
}

func BenchmarkGetCached(b *testing.B) {
	p, err := Open(osvfs.NewMem(), "db", Options{PageSize: 4096, Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	mustCommitPages(b, p, pagesOf(100, 1, 4096))
	if err := p.BeginRead(); err != nil {
		b.Fatal(err)
	}
	defer p.EndRead()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		pg, err := p.Get(uint32(i%100) + 1)
		if err != nil {
			b.Fatal(err)
		}
		pg.Release()
	}
}

// benchmarkSmallTx measures a one-page write transaction (BeginWrite, one
// page changed, Commit) on an existing database: the per-transaction cost
// of locking and committing in each journal mode.
func benchmarkSmallTx(b *testing.B, opts Options) {
	vfs := osvfs.NewUnix()
	name := filepath.Join(b.TempDir(), "bench.db")
	opts.PageSize, opts.Create = 4096, true
	p, err := Open(vfs, name, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	mustCommitPages(b, p, pagesOf(10, 1, 4096))
	mustCommitPages(b, p, pagesOf(10, 2, 4096))
	b.ResetTimer()
	for i := range b.N {
		if err := counterTx(p, uint32(2+i%9)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSmallTxDeleteSyncOff(b *testing.B) {
	benchmarkSmallTx(b, Options{Synchronous: SyncOff})
}

func BenchmarkSmallTxWALSyncNormal(b *testing.B) {
	benchmarkSmallTx(b, Options{JournalMode: JournalWAL, Synchronous: SyncNormal})
}

// BenchmarkWALReadTx measures an empty read transaction in WAL mode
// (snapshot, page 1, end) with one page read.
func BenchmarkWALReadTx(b *testing.B) {
	vfs := osvfs.NewUnix()
	name := filepath.Join(b.TempDir(), "bench.db")
	p, err := Open(vfs, name, Options{PageSize: 4096, Create: true, JournalMode: JournalWAL})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	mustCommitPages(b, p, pagesOf(10, 1, 4096))
	mustCommitPages(b, p, pagesOf(10, 2, 4096))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := p.BeginRead(); err != nil {
			b.Fatal(err)
		}
		pg, err := p.Get(5)
		if err != nil {
			b.Fatal(err)
		}
		pg.Release()
		p.EndRead()
	}
}

// BenchmarkStatementSavepoints measures the statement savepoints of a
// transaction of many small statements: each opens a savepoint, changes 8
// pages the transaction already changed (so their originals go to the
// statement journal) and releases it.
func BenchmarkStatementSavepoints(b *testing.B) {
	const pages = 64
	p, err := Open(osvfs.NewMem(), "db", Options{PageSize: 4096, Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	mustCommitPages(b, p, pagesOf(pages, 1, 4096))
	if err := p.BeginWrite(); err != nil {
		b.Fatal(err)
	}
	defer p.Rollback()
	write := func(pgno uint32, v byte) {
		pg, err := p.Get(pgno)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Write(pg); err != nil {
			b.Fatal(err)
		}
		pg.Data()[100] = v
		pg.Release()
	}
	for pgno := uint32(2); pgno <= pages; pgno++ {
		write(pgno, 1)
	}
	b.ResetTimer()
	for i := range b.N {
		if err := p.OpenSavepoint(1); err != nil {
			b.Fatal(err)
		}
		for j := range 8 {
			write(uint32(2+(i*8+j)%(pages-1)), byte(i))
		}
		if err := p.Release(0); err != nil {
			b.Fatal(err)
		}
	}
}
