// Package spec names what the benchmark compares: the drivers, the exact DSN
// each one gets, the workloads and their sizes. The parent process and the
// per-driver child processes both read it, so the README, the results file
// and the code cannot disagree about what was measured.
package spec

import (
	"strings"
	"time"
)

// Driver is one database/sql driver under test. Each is built into its own
// child binary (drivers/<Name>), because mattn/go-sqlite3 and
// ncruces/go-sqlite3 both register themselves as "sqlite3" and cannot share
// a process.
type Driver struct {
	Name    string // short name used in tables, flags and binary names
	Package string // import path of the driver
	SQLName string // name registered with database/sql
	// DSN is the data source name with {path} standing for the database file.
	DSN string
	// Floor marks the do-nothing driver: it only runs the workloads whose
	// Floor flag is set, to show what database/sql itself costs.
	Floor bool
	CGO   bool
}

// FormatDSN returns the DSN the driver gets for the database file at path.
func (d Driver) FormatDSN(path string) string {
	return strings.ReplaceAll(d.DSN, "{path}", path)
}

// pragmas are the connection settings every real driver gets: WAL, synchronous
// NORMAL and a 5 s busy timeout, spelled in each driver's own DSN syntax.
const pragmas = "_pragma=journal_mode(wal)&_pragma=synchronous(normal)&_pragma=busy_timeout(5000)"

// Wren is the driver being measured; the others are its peers.
const Wren = "wren"

// Drivers lists every driver in the order the tables show them.
var Drivers = []Driver{
	{Name: "wren", Package: "github.com/wrendb/wren", SQLName: "wren", DSN: "file:{path}?" + pragmas},
	{Name: "mattn", Package: "github.com/mattn/go-sqlite3", SQLName: "sqlite3", DSN: "file:{path}?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000", CGO: true},
	{Name: "modernc", Package: "modernc.org/sqlite", SQLName: "sqlite", DSN: "file:{path}?" + pragmas},
	{Name: "ncruces", Package: "github.com/ncruces/go-sqlite3/driver", SQLName: "sqlite3", DSN: "file:{path}?" + pragmas},
	{Name: "nop", Package: "github.com/wrendb/wren/bench/internal/nopdriver", SQLName: "nop", DSN: "{path}", Floor: true},
}

// LookupDriver returns the driver called name.
func LookupDriver(name string) (Driver, bool) {
	for _, d := range Drivers {
		if d.Name == name {
			return d, true
		}
	}
	return Driver{}, false
}

// Size scales every workload. Full is the size the issue asks for, Quick a
// smaller run for a laptop, Tiny the smoke test's "does it run at all".
type Size struct {
	Name string

	OpenTables     int // tables (and as many indexes) in the big open fixture
	OpenIterations int // opens timed on the 1-table file
	OpenBigIters   int // opens timed on the big file
	// OpenBudget stops the open loops early, after at least one open.
	OpenBudget time.Duration

	Rows       int // rows for insert, point select and scan
	Lookups    int // point selects
	ScanPasses int // scans of Rows rows

	RealUsers, RealArticles, RealComments int // per user, per article

	ComplexUsers, ComplexArticles, ComplexComments int // per user, per article

	ManyQueries int // queries of all N users, N = 10, 100, 1000

	LargeRows int // rows of 50/100/200 KB blobs

	WriterTx   int           // single-row transactions per writer
	RWDuration time.Duration // 1 writer + 7 readers
	RWRows     int           // rows the readers look up

	ParallelRows int // rows each parallel scanner reads

	Reps    int           // repetitions per (driver, workload)
	Timeout time.Duration // per child process
}

// Sizes known to the -size flag.
var (
	Full = Size{
		Name: "full", OpenTables: 10000, OpenIterations: 500, OpenBigIters: 10, OpenBudget: 3 * time.Second,
		Rows: 100_000, Lookups: 100_000, ScanPasses: 5,
		RealUsers: 100, RealArticles: 20, RealComments: 20,
		ComplexUsers: 200, ComplexArticles: 100, ComplexComments: 20,
		ManyQueries: 1000, LargeRows: 10_000,
		WriterTx: 500, RWDuration: 3 * time.Second, RWRows: 10_000,
		ParallelRows: 1_000_000, Reps: 3, Timeout: 5 * time.Minute,
	}
	Quick = Size{
		Name: "quick", OpenTables: 2000, OpenIterations: 50, OpenBigIters: 3, OpenBudget: 500 * time.Millisecond,
		Rows: 10_000, Lookups: 10_000, ScanPasses: 2,
		RealUsers: 10, RealArticles: 20, RealComments: 20,
		ComplexUsers: 10, ComplexArticles: 100, ComplexComments: 20,
		ManyQueries: 50, LargeRows: 100,
		WriterTx: 50, RWDuration: 500 * time.Millisecond, RWRows: 10_000,
		ParallelRows: 50_000, Reps: 3, Timeout: 90 * time.Second,
	}
	Tiny = Size{
		Name: "tiny", OpenTables: 20, OpenIterations: 3, OpenBigIters: 2, OpenBudget: time.Second,
		Rows: 200, Lookups: 200, ScanPasses: 1,
		RealUsers: 3, RealArticles: 3, RealComments: 3,
		ComplexUsers: 3, ComplexArticles: 3, ComplexComments: 3,
		ManyQueries: 3, LargeRows: 3,
		WriterTx: 3, RWDuration: 300 * time.Millisecond, RWRows: 100,
		ParallelRows: 200, Reps: 1, Timeout: 60 * time.Second,
	}
)

// LookupSize returns the size called name.
func LookupSize(name string) (Size, bool) {
	for _, s := range []Size{Full, Quick, Tiny} {
		if s.Name == name {
			return s, true
		}
	}
	return Size{}, false
}
