package record

import (
	"bytes"
	"cmp"
	"strings"
)

// Collation orders two TEXT values, returning a negative number, zero or a
// positive number as a sorts before, with or after b. Collations apply only
// when both values are TEXT; every other comparison ignores them.
type Collation func(a, b []byte) int

// The three collating sequences built into SQLite.
var (
	// Binary compares bytes with memcmp; when one string is a prefix of the
	// other, the shorter sorts first.
	Binary Collation = bytes.Compare

	// NoCase is Binary after folding the 26 ASCII upper-case letters to
	// lower case. Like SQLite's NOCASE it leaves every other byte, and so
	// all non-ASCII letters, alone.
	NoCase Collation = compareNoCase

	// RTrim is Binary after removing trailing spaces (U+0020 only) from
	// both strings.
	RTrim Collation = compareRTrim
)

// LookupCollation returns the built-in collation with the given name,
// matched without regard to ASCII case: "BINARY", "NOCASE" or "RTRIM".
func LookupCollation(name string) (Collation, bool) {
	switch {
	case strings.EqualFold(name, "BINARY"):
		return Binary, true
	case strings.EqualFold(name, "NOCASE"):
		return NoCase, true
	case strings.EqualFold(name, "RTRIM"):
		return RTrim, true
	}
	return nil, false
}

// lowerASCII folds 'A'..'Z' to 'a'..'z'. Folding to lower (not upper) case
// matters for the six bytes between 'Z' and 'a': SQLite sorts "_" before "A"
// under NOCASE, because it compares '_' (0x5F) with 'a' (0x61).
func lowerASCII(c byte) byte {
	if c-'A' < 26 {
		return c + ('a' - 'A')
	}
	return c
}

func compareNoCase(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		ca, cb = lowerASCII(ca), lowerASCII(cb)
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareRTrim(a, b []byte) int {
	return bytes.Compare(bytes.TrimRight(a, " "), bytes.TrimRight(b, " "))
}
