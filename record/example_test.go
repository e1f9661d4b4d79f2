package record_test

import (
	"fmt"

	"github.com/wrendb/wren/record"
)

// A row (NULL, 1, 'hi') becomes a header of four bytes (its size, then the
// serial types 0, 9 and 17) and a body of two: NULL and the integer 1 need
// no body bytes at all.
func ExampleAppendRecord() {
	rec := record.AppendRecord(nil, []record.Value{
		record.NullValue(), record.IntValue(1), record.TextValue("hi"),
	})
	fmt.Printf("% x\n", rec)
	// Output: 04 00 09 11 68 69
}

func ExampleDecodeRecord() {
	rec := record.AppendRecord(nil, []record.Value{
		record.IntValue(-300), record.RealValue(2.5), record.BlobValue([]byte{0xca, 0xfe}),
	})
	row, err := record.DecodeRecord(rec, make([]record.Value, 0, 8))
	if err != nil {
		panic(err)
	}
	fmt.Println(row)
	// Output: [-300 2.5 x'cafe']
}

// A Header reads the columns a query needs, in any order, and is reused for
// every row.
func ExampleHeader() {
	rows := [][]byte{
		record.AppendRecord(nil, []record.Value{record.IntValue(1), record.TextValue("ada"), record.IntValue(1815)}),
		record.AppendRecord(nil, []record.Value{record.IntValue(2), record.TextValue("grace")}),
	}
	var h record.Header
	for _, rec := range rows {
		if err := h.Parse(rec); err != nil {
			panic(err)
		}
		born, _ := h.Column(2) // the second row predates the column: NULL
		name, _ := h.Column(1)
		fmt.Println(name, born)
	}
	// Output:
	// 'ada' 1815
	// 'grace' NULL
}

func ExampleCompareValues() {
	values := []record.Value{
		record.TextValue("a"), record.IntValue(9007199254740993), record.NullValue(),
		record.BlobValue([]byte("a")), record.RealValue(9007199254740992),
	}
	for _, v := range values[1:] {
		fmt.Println(values[0], "vs", v, "=", record.CompareValues(values[0], v, nil))
	}
	fmt.Println(values[1], "vs", values[4], "=", record.CompareValues(values[1], values[4], nil))
	fmt.Println("'ABC' vs 'abc' NOCASE =", record.CompareValues(record.TextValue("ABC"), record.TextValue("abc"), record.NoCase))
	// Output:
	// 'a' vs 9007199254740993 = 1
	// 'a' vs NULL = 1
	// 'a' vs x'61' = -1
	// 'a' vs 9.007199254740992e+15 = 1
	// 9007199254740993 vs 9.007199254740992e+15 = 1
	// 'ABC' vs 'abc' NOCASE = 0
}
