package slt

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// DefaultHashThreshold is the reference harness's hash-threshold before a
// file sets one.
const DefaultHashThreshold = 8

// sortValues orders rendered values as the sort mode asks. Sorting works on
// the rendered strings with a bytewise compare (C's strcmp), so "10" < "9"
// and NULL sorts as the text "NULL".
func sortValues(values []string, columns int, mode string) error {
	switch mode {
	case "nosort":
		return nil
	case "valuesort":
		slices.Sort(values)
		return nil
	case "rowsort":
		if columns <= 0 || len(values)%columns != 0 {
			return fmt.Errorf("%d values do not make rows of %d columns", len(values), columns)
		}
		rows := make([][]string, 0, len(values)/columns)
		for i := 0; i < len(values); i += columns {
			rows = append(rows, values[i:i+columns])
		}
		slices.SortStableFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
		sorted := make([]string, 0, len(values))
		for _, row := range rows {
			sorted = append(sorted, row...)
		}
		copy(values, sorted)
		return nil
	}
	return fmt.Errorf("unknown sort mode %q", mode)
}

// HashValues is the reference harness's result hash: the lowercase hex MD5
// of every value followed by "\n".
func HashValues(values []string) string {
	h := md5.New()
	for _, v := range values {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashLine is the single expected line that stands for a hashed result.
func HashLine(values []string) string {
	return fmt.Sprintf("%d values hashing to %s", len(values), HashValues(values))
}

// parseHashLine recognises "N values hashing to H" and returns H.
func parseHashLine(line string) (string, bool) {
	var n int
	var hash string
	if _, err := fmt.Sscanf(line, "%d values hashing to %s", &n, &hash); err != nil {
		return "", false
	}
	if !strings.HasSuffix(line, hash) {
		return "", false
	}
	return hash, true
}

// expectedHash is the label hash a query's expected text stands for: the
// hash on its hash line, or the hash of its listed lines.
func expectedHash(expected []string) string {
	if len(expected) == 1 {
		if h, ok := parseHashLine(expected[0]); ok {
			return h
		}
	}
	return HashValues(expected)
}

// resultLines is what the harness compares with the expected lines: the
// values, or their hash line when there are more than threshold of them
// (a threshold of 0 never hashes).
func resultLines(values []string, threshold int) []string {
	if threshold > 0 && len(values) > threshold {
		return []string{HashLine(values)}
	}
	return values
}
