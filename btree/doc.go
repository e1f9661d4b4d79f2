// Package btree stores SQLite's b-trees in the pages of a pager: table
// b-trees keyed by 64-bit rowids and index b-trees keyed by records, laid
// out bit for bit as https://www.sqlite.org/fileformat2.html describes, so
// that sqlite3 reads what Wren writes and the other way round.
//
// # Basics
//
// A [BTree] wraps one [pager.Pager] (one connection to one file). It owns
// page 1's b-tree header fields: it formats page 1 of an empty file on the
// first write transaction (the 100-byte header and the empty sqlite_schema
// table rooted at page 1), and it keeps the freelist (header offsets 32 and
// 36) and the auto-vacuum fields (52 and 64). Transactions go through the
// BTree so that it can keep its cursors consistent:
//
//	bt, _ := btree.Open(p)
//	bt.BeginWrite()
//	root, _ := bt.CreateTable(true)       // a rowid table
//	c, _ := bt.OpenTable(root)
//	c.Insert(1, record.AppendRecord(nil, row))
//	c.Close()
//	bt.Commit()
//
// A [Cursor] walks one tree: First, Last, Next, Prev, SeekRowid (tables) or
// Seek with GE/GT/LE/LT/EQ (indexes, comparing with record.CompareUnpacked
// under the cursor's record.KeyInfo), and reads the entry under it with
// Rowid, PayloadSize, Payload (the whole payload, following overflow
// pages) or LocalPayload (zero-copy when the payload has no overflow).
// Insert and InsertIndex add or replace entries; Delete removes the entry
// under the cursor and leaves it so that Next continues with the following
// entry, which makes "walk and delete" loops work.
//
// # Pages and cells
//
// Each page is one of the four b-tree page types. Cells are placed and freed
// exactly as SQLite places them: a cell pointer array growing down from the
// header, cell content growing up from the end, freeblocks kept in offset
// order and merged with their neighbours, gaps under four bytes counted as
// fragmented bytes, and a defragmentation when a cell no longer fits in the
// gap. How much of a payload stays on the page and how much goes to the
// overflow chain follows the U, P, X, M, K rule of the file format.
//
// # Balancing
//
// After an insert overflows a page, or a delete leaves one less than a third
// full, the page is rebalanced with up to two siblings, as SQLite's
// balance_nonroot does: the cells are packed from the left and then shifted
// right until the last page is not nearly empty, which is what makes the
// page counts match SQLite's for the same inserts (a test checks this
// against sqlite3). Appending past the last rowid gives the new row a fresh
// page (balance_quick) so that sequential inserts fill pages completely,
// and an overflowing root moves its content into a new child
// (balance_deeper), the only way a tree grows taller. A root left with no
// cells absorbs its only child.
//
// # Cursors and changes
//
// Several cursors may be open on one tree. Before a change, every other
// cursor on that tree saves its position as a key and releases its pages;
// it re-seeks lazily on its next use. A cursor whose entry was deleted
// lands beside the gap and steps correctly with Next or Prev. Rollback
// forgets all positions.
//
// # Inserting in key order
//
// Rows usually arrive in key order: an increasing rowid, a creation time,
// a parent id. An insert that did not rebalance leaves its cursor on the
// new entry, and the BTree remembers the path from the root to that leaf
// for a few trees. The next Insert, InsertIndex or SeekRowid on the same
// tree, even from a new cursor (every INSERT statement opens fresh ones),
// follows that path, checking each child pointer, and settles with one or
// two comparisons against the leaf's first and last entries and the
// ancestors' dividers instead of a binary search on every level. A path is
// only a hint, verified against the pages as they are now, so it needs no
// invalidation; one that keeps missing (keys in random order) is tried
// only now and then. A SeekRowid on a cursor already on the right leaf
// (joins reading rows in insertion order) stays on it the same way.
//
// # Space management and auto_vacuum
//
// Freed pages go to the freelist in SQLite's trunk/leaf format; allocation
// takes freelist pages first, preferring one near the page that asks. With
// auto_vacuum FULL or INCREMENTAL the file carries pointer-map pages that
// record every page's parent; they are maintained on every move, at commit
// (FULL) in-use pages are moved into free slots near the front and the file
// is truncated, and IncrementalVacuum does the same a page at a time.
// Roots are kept at the front of the file: CreateTable moves whatever page
// sits after the last root, and DropTable moves the last root into the
// dropped tree's slot and reports it, as SQLite's OP_Destroy does, so the
// caller can fix sqlite_schema.
//
// # Corruption
//
// Every page, cell, pointer and chain read from the file is checked before
// use; damage gives an error wrapping resultcode.ErrCorrupt that names the
// page, never a panic or a loop: descents are limited in depth and refuse a
// page that is its own ancestor, chains are bounded by their declared
// length, and walks that could revisit pages keep a visited set.
// IntegrityCheck performs the b-tree part of PRAGMA integrity_check and
// words its findings as SQLite 3.40 does ("Page 7 is never used",
// "2nd reference to page 9", "Rowid 5 out of order", ...).
//
// # Caveats
//
// A BTree and its cursors belong to one goroutine. Index keys are compared
// as whole records; enforcing uniqueness is the caller's job.
package btree
