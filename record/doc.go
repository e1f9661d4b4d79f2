// Package record encodes, decodes and compares SQLite records: the byte
// strings that hold a table row in a table b-tree and a key in an index
// b-tree. The format is SQLite's, byte for byte
// (https://www.sqlite.org/fileformat2.html#record_format), so records this
// package writes are the ones sqlite3 writes for the same values.
//
// # The record format
//
// A record is a header followed by a body. The header starts with its own
// size in bytes, as a varint that counts itself, then has one varint per
// column: the column's serial type. The body holds the columns' contents in
// the same order, each as many bytes as its serial type says. Serial type 0
// is NULL; 1 to 6 are big-endian two's-complement integers of 1, 2, 3, 4, 6
// and 8 bytes; 7 is a big-endian IEEE 754 double; 8 and 9 are the integers
// 0 and 1, with no body at all; an even N >= 12 is a BLOB of (N-12)/2
// bytes and an odd N >= 13 is TEXT of (N-13)/2 bytes. 10 and 11 are
// reserved, and a record that uses them is corrupt. A varint is 1 to 9
// bytes, big-endian, seven bits per byte with the high bit meaning "more
// follows", except that a ninth byte contributes all eight of its bits.
//
// AppendRecord picks for every value the smallest serial type that holds
// it, as SQLite does. It never turns a REAL into an INTEGER: SQLite's
// habit of storing integral REALs of REAL-affinity columns as integers is
// decided above this package. AppendRecordFormat writes for the rare
// database whose schema format (header offset 44) is older than 4, where 0
// and 1 must take one-byte integers instead of serial types 8 and 9.
//
// # Decoding
//
// Values are a tagged struct (Value), not interfaces, and the TEXT and
// BLOB values a decoder returns alias the record's bytes, so decoding does
// not allocate: DecodeRecord appends into a slice the caller provides, and
// the values are valid for as long as the record's buffer is.
//
// Most readers want a few columns of a row, not all of them. A Header reads
// columns on demand: Parse checks the header size, and Column(i) reads
// serial types only as far as column i, remembering where each field
// starts so that the next call continues instead of starting over. Reuse
// one Header for every row of a cursor:
//
//	var h record.Header
//	for each row {
//		if err := h.Parse(payload); err != nil { … }
//		name, err := h.Column(2)
//		…
//	}
//
// A column past the last one a record stores reads as NULL: rows written
// before an ALTER TABLE ADD COLUMN are shorter than the table.
//
// Every length in a record is checked before it is used. A record whose
// header size runs past its end, whose serial types run past the header,
// that uses a reserved serial type, or whose body is shorter or longer than
// its serial types say, gives an error wrapping resultcode.ErrCorrupt. No
// input makes the decoders panic or read outside the record.
//
// # Sort order
//
// CompareValues, Compare and CompareUnpacked order values as SQLite's ORDER
// BY and indexes do (https://www.sqlite.org/datatype3.html#sort_order):
// NULL first, then INTEGER and REAL values together by numeric value, then
// TEXT by the column's collation, then BLOB by memcmp (a prefix sorts
// before the longer blob). Integers and reals compare exactly, even beyond
// 2^53 where a float64 cannot hold every integer. The built-in collations
// are Binary (memcmp), NoCase (Binary after folding ASCII A-Z to lower
// case, and nothing else) and RTrim (Binary ignoring trailing spaces). A
// KeyInfo gives each field of an index key its collation and direction.
//
// Compare orders two encoded records without building Values for the
// common cases (integers, BINARY text, blobs), as the sorter and an index
// integrity check need; CompareUnpacked orders an encoded record against a key
// that is already decoded, which is what a seek does at every cell.
package record
