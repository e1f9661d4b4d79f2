package render

import (
	"database/sql"
	"math"
	"math/rand/v2"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestFixedRealMatchesSQLite compares FixedReal with printf('%.3f') of the
// SQLite bundled in the reference driver (a modern SQLite, whose printf has
// the 16-significant-digit rule the corpus was generated with) over values
// of every magnitude.
func TestFixedRealMatchesSQLite(t *testing.T) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmt, err := db.Prepare("SELECT printf('%.3f', ?)")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	values := []float64{0.0625, 0.0005, -0.0005, 0.1235, 2.5e-4, math.MaxInt64, math.MinInt64, 1 << 53, 1<<53 + 1, 4503599627370495.5}
	for range 3000 {
		mantissa := rng.Float64()*2 - 1
		exp := rng.IntN(50) - 10
		values = append(values, mantissa*math.Pow(10, float64(exp)))
		// Values with few binary digits, so exact decimal halves occur.
		values = append(values, float64(rng.IntN(1<<20)-1<<19)/float64(int(1)<<rng.IntN(16)))
	}
	failures, approximate := 0, 0
	for _, v := range values {
		var want string
		if err := stmt.QueryRow(v).Scan(&want); err != nil {
			t.Fatal(err)
		}
		got := FixedReal(v)
		if got == want {
			continue
		}
		// Beyond 10^13 the 16th kept digit comes from SQLite's approximate
		// 18-digit conversion, which can be one unit off the exact value;
		// we round the exact value. Count those, fail on anything else.
		if math.Abs(v) >= 1e13 {
			approximate++
			continue
		}
		if failures++; failures <= 10 {
			t.Errorf("FixedReal(%v) = %q, SQLite printf gives %q", v, got, want)
		}
	}
	if approximate > len(values)/100 {
		t.Errorf("%d of %d large values differ from SQLite in the last digit; want under 1%%", approximate, len(values))
	}
	t.Logf("%d values compared, %d large ones differ in SQLite's approximate last digit", len(values), approximate)
}
