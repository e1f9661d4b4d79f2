package vdbe

// Opcode names an instruction. The operands of each are described beside
// it; "r[x]" is register x, "c[x]" cursor x.
type Opcode uint8

const (
	CodeNoop          Opcode = iota
	CodeInit                 // jump to P2 (the program's start)
	CodeGoto                 // jump to P2
	CodeHalt                 // stop; P1 != 0 is an error code with message P4.Str, P2 the conflict action (ast.ConflictAction)
	CodeGosub                // r[P1] = return address; jump to P2
	CodeReturn               // jump to the address in r[P1]
	CodeInitCoroutine        // r[P1] = P3 (the coroutine's entry); jump to P2
	CodeYield                // swap the pc with r[P1]
	CodeEndCoroutine         // jump to the address in r[P1]'s saved return, then P2 of the Yield
	CodeOnce                 // jump to P2 if this instruction already ran in this execution
	CodeIf                   // jump to P2 if r[P1] is true; also if NULL and P3 != 0
	CodeIfNot                // jump to P2 if r[P1] is false; also if NULL and P3 != 0
	CodeIsNull               // jump to P2 if r[P1] is NULL
	CodeNotNull              // jump to P2 if r[P1] is not NULL
	CodeIfPos                // if r[P1] > 0: r[P1] -= P3, jump to P2
	CodeDecrJumpZero         // r[P1]--; jump to P2 if it became 0
	CodeIfNotZero            // if r[P1] != 0: decrement it if positive, jump to P2
	CodeJump                 // jump to P1, P2 or P3 as the last Compare was <, = or >
	CodeCompare              // compare r[P1..P1+n) with r[P2..P2+n), n = len(P4.KeyInfo.Collations)

	CodeInteger   // r[P2] = P1
	CodeInt64     // r[P2] = P4.Int
	CodeConst     // r[P2] = *P4.Mem (REAL, TEXT, BLOB constants)
	CodeNull      // r[P2..P3] = NULL (P3 < P2 means just P2)
	CodeCopy      // r[P2..P2+P3] = copies of r[P1..P1+P3]
	CodeMove      // move r[P1..P1+P3) to r[P2..]
	CodeVariable  // r[P2] = parameter P1
	CodeAddImm    // r[P1] += P2 (as an integer)
	CodeMustBeInt // r[P1] must be an integer (or convertible): else jump to P2, or fail "datatype mismatch" when P2 == 0
	CodeCast      // CAST r[P1] to affinity P2

	CodeAdd       // r[P3] = r[P1] + r[P2]
	CodeSubtract  // r[P3] = r[P1] - r[P2]
	CodeMultiply  // r[P3] = r[P1] * r[P2]
	CodeDivide    // r[P3] = r[P1] / r[P2]
	CodeRemainder // r[P3] = r[P1] % r[P2]
	CodeConcat    // r[P3] = r[P1] || r[P2]
	CodeBitAnd    // r[P3] = r[P1] & r[P2]
	CodeBitOr     // r[P3] = r[P1] | r[P2]
	CodeShiftLeft // r[P3] = r[P1] << r[P2]
	CodeShiftRight
	CodeBitNot // r[P2] = ~r[P1]
	CodeNegate // r[P2] = -r[P1]
	CodeNot    // r[P2] = NOT r[P1]
	CodeAnd    // r[P3] = r[P1] AND r[P2]
	CodeOr     // r[P3] = r[P1] OR r[P2]
	CodeIsTrue // r[P2] = r[P1] IS TRUE (P3=0) / IS FALSE (P3=1) as 0/1

	// Comparison jumps: compare r[P1] with r[P3] after applying the
	// affinities in P4.Int (low byte: left, next byte: right) under the
	// collation P4.Coll; jump to P2 when true. P5&CmpJumpNull jumps when
	// the result is NULL too. With P5&CmpStore the result (0, 1 or NULL)
	// is stored in r[P2] instead of jumping.
	CodeEq
	CodeNe
	CodeLt
	CodeLe
	CodeGt
	CodeGe
	CodeIs
	CodeIsNot

	CodeFunction // r[P3] = P4.Func(r[P1..P1+P2)) with collation P4.Coll
	CodeAggStep  // aggregate slot P3 steps with r[P1..P1+P2); P4.Func
	CodeAggFinal // r[P2] = final value of aggregate slot P1; the slot is reset
	CodeAggReset // reset aggregate slot P1 (a new group)
	CodeSkipLoad // jump to P2 if the last min()/max() step did not take a new extreme

	CodeOpenRead       // c[P1] = cursor on the table/index at root P2 (P4.KeyInfo for an index)
	CodeOpenWrite      // same, for writing
	CodeOpenEphemeral  // c[P1] = a new temporary table (index when P4.KeyInfo is set)
	CodeSorterOpen     // c[P1] = a sorter ordered by P4.KeyInfo over its first len(Collations) fields
	CodeClose          // close c[P1]
	CodeClearEphemeral // delete every entry of ephemeral c[P1]
	CodeRewind         // move c[P1] to its first entry; jump to P2 if empty
	CodeLast           // move c[P1] to its last entry; jump to P2 if empty
	CodeNext           // advance c[P1]; jump to P2 if there is an entry
	CodePrev           // step back c[P1]; jump to P2 if there is an entry
	CodeSorterSort     // sort c[P1]; jump to P2 if empty
	CodeSorterNext     // advance sorter c[P1]; jump to P2 if there is a row
	CodeSorterInsert   // add the row r[P2..P2+P3) to sorter c[P1]
	CodeNullRow        // c[P1] reads NULL in every column until it moves
	CodeColumn         // r[P3] = column P2 of c[P1]'s current entry
	CodeRowid          // r[P2] = rowid of c[P1]
	CodeIdxRowid       // r[P2] = rowid at the end of index c[P1]'s current entry
	CodeSeekRowid      // move table c[P1] to rowid r[P3]; jump to P2 if no such row (or r[P3] not an integer)
	CodeSeekGE         // move index c[P1] to the first entry >= key r[P3..P3+P4.Int); jump to P2 if none
	CodeSeekGT
	CodeSeekLE
	CodeSeekLT
	CodeIdxGE // jump to P2 if the entry's first P4.Int fields >= key r[P3..)
	CodeIdxGT
	CodeIdxLE
	CodeIdxLT
	CodeFound      // jump to P2 if index c[P1] has an entry whose prefix equals r[P3..P3+P4.Int)
	CodeNotFound   // jump to P2 if it has none
	CodeNoConflict // as NotFound, but also jumps when any key field is NULL
	CodeCount      // r[P2] = number of entries in c[P1]
	CodeSequence   // r[P2] = the next value of c[P1]'s sequence counter

	CodeMakeRecord // r[P3] = record of r[P1..P1+P2) after applying affinities P4.Str
	CodeAffinity   // apply affinities P4.Str to r[P1..P1+P2)
	CodeNewRowid   // r[P2] = a new rowid for table c[P1] (larger than r[P3] when P3 > 0)
	CodeInsert     // insert row r[P2] (a record) with rowid r[P3] into c[P1]; P5&1 counts a change, P5&2 sets last_insert_rowid
	CodeIdxInsert  // insert the key record r[P2] into index c[P1]
	CodeDelete     // delete c[P1]'s current entry; P5&1 counts a change
	CodeIdxDelete  // delete the index entry of c[P1] equal to r[P2..P2+P3)
	CodeResultRow  // output r[P1..P1+P2) as a row
	CodeHaltIfNull // if r[P3] is NULL: fail with code P1, message P4.Str, action P2
	CodeRowSetAdd  // unused placeholder for future row sets
	CodeCursorHint // no-op marker
	CodeMaxRowid   // r[P2] = max(r[P2], largest rowid of c[P1])
	CodeIfNullRow  // jump to P2 if c[P1] is on its NULL row, setting r[P3] NULL
	CodeElseEq     // marker after Lt/Gt (unused)
	CodeFkCounter  // the connection's deferred foreign key violations (*VM.DeferredFK) += P2
	CodeFkIfZero   // jump to P2 if the connection has no deferred foreign key violation
	CodeTypeCheck  // STRICT: r[P1] must be NULL or of record.Kind P2 (an INTEGER is made REAL for REAL), else fail SQLITE_CONSTRAINT_DATATYPE "cannot store <kind> value in " + P4.Str
	numCodes
)

// Compare-operand flags in P5.
const (
	CmpJumpNull = 0x10 // jump when the comparison is NULL
	CmpStore    = 0x20 // store the result in r[P2] instead of jumping
)

var opcodeNames = [...]string{
	"Noop", "Init", "Goto", "Halt", "Gosub", "Return", "InitCoroutine", "Yield", "EndCoroutine", "Once",
	"If", "IfNot", "IsNull", "NotNull", "IfPos", "DecrJumpZero", "IfNotZero", "Jump", "Compare",
	"Integer", "Int64", "Const", "Null", "Copy", "Move", "Variable", "AddImm", "MustBeInt", "Cast",
	"Add", "Subtract", "Multiply", "Divide", "Remainder", "Concat", "BitAnd", "BitOr", "ShiftLeft", "ShiftRight",
	"BitNot", "Negate", "Not", "And", "Or", "IsTrue",
	"Eq", "Ne", "Lt", "Le", "Gt", "Ge", "Is", "IsNot",
	"Function", "AggStep", "AggFinal", "AggReset", "SkipLoad",
	"OpenRead", "OpenWrite", "OpenEphemeral", "SorterOpen", "Close", "ClearEphemeral", "Rewind", "Last", "Next", "Prev",
	"SorterSort", "SorterNext", "SorterInsert", "NullRow", "Column", "Rowid", "IdxRowid", "SeekRowid",
	"SeekGE", "SeekGT", "SeekLE", "SeekLT", "IdxGE", "IdxGT", "IdxLE", "IdxLT", "Found", "NotFound", "NoConflict",
	"Count", "Sequence", "MakeRecord", "Affinity", "NewRowid", "Insert", "IdxInsert", "Delete", "IdxDelete",
	"ResultRow", "HaltIfNull", "RowSetAdd", "CursorHint", "MaxRowid", "IfNullRow", "ElseEq",
	"FkCounter", "FkIfZero", "TypeCheck",
}

func (o Opcode) String() string {
	if int(o) < len(opcodeNames) {
		return opcodeNames[o]
	}
	return "?"
}
