package parser

// tokKind is the kind of a token. Every SQLite keyword has its own kind so
// that the parser can test for it with one comparison; the keyword classes
// of SQLite's grammar (LIKE_KW, JOIN_KW, CTIME_KW) are separate kinds too.
type tokKind uint8

const (
	tkEOF tokKind = iota
	tkIllegal
	tkID
	tkString
	tkInteger
	tkFloat
	tkBlob
	tkVariable

	tkSemi
	tkLP
	tkRP
	tkComma
	tkDot
	tkPlus
	tkMinus
	tkStar
	tkSlash
	tkRem
	tkEq
	tkNe
	tkLt
	tkLe
	tkGt
	tkGe
	tkLShift
	tkRShift
	tkBitAnd
	tkBitOr
	tkBitNot
	tkConcat
	tkPtr

	// Keywords, in alphabetical order.
	kwAbort
	kwAction
	kwAdd
	kwAfter
	kwAll
	kwAlter
	kwAlways
	kwAnalyze
	kwAnd
	kwAs
	kwAsc
	kwAttach
	kwAutoincrement
	kwBefore
	kwBegin
	kwBetween
	kwBy
	kwCascade
	kwCase
	kwCast
	kwCheck
	kwCollate
	kwColumn
	kwCommit
	kwConflict
	kwConstraint
	kwCreate
	kwCross
	kwCurrent
	kwCurrentDate
	kwCurrentTime
	kwCurrentTimestamp
	kwDatabase
	kwDefault
	kwDeferrable
	kwDeferred
	kwDelete
	kwDesc
	kwDetach
	kwDistinct
	kwDo
	kwDrop
	kwEach
	kwElse
	kwEnd
	kwEscape
	kwExcept
	kwExclude
	kwExclusive
	kwExists
	kwExplain
	kwFail
	kwFilter
	kwFirst
	kwFollowing
	kwFor
	kwForeign
	kwFrom
	kwFull
	kwGenerated
	kwGlob
	kwGroup
	kwGroups
	kwHaving
	kwIf
	kwIgnore
	kwImmediate
	kwIn
	kwIndex
	kwIndexed
	kwInitially
	kwInner
	kwInsert
	kwInstead
	kwIntersect
	kwInto
	kwIs
	kwIsnull
	kwJoin
	kwKey
	kwLast
	kwLeft
	kwLike
	kwLimit
	kwMatch
	kwMaterialized
	kwNatural
	kwNo
	kwNot
	kwNothing
	kwNotnull
	kwNull
	kwNulls
	kwOf
	kwOffset
	kwOn
	kwOr
	kwOrder
	kwOthers
	kwOuter
	kwOver
	kwPartition
	kwPlan
	kwPragma
	kwPreceding
	kwPrimary
	kwQuery
	kwRaise
	kwRange
	kwRecursive
	kwReferences
	kwRegexp
	kwReindex
	kwRelease
	kwRename
	kwReplace
	kwRestrict
	kwReturning
	kwRight
	kwRollback
	kwRow
	kwRows
	kwSavepoint
	kwSelect
	kwSet
	kwTable
	kwTemp // TEMP and TEMPORARY
	kwThen
	kwTies
	kwTo
	kwTransaction
	kwTrigger
	kwUnbounded
	kwUnion
	kwUnique
	kwUpdate
	kwUsing
	kwVacuum
	kwValues
	kwView
	kwVirtual
	kwWhen
	kwWhere
	kwWindow
	kwWith
	kwWithout

	numTokKinds
)

// token is one lexical token: its kind and its byte span in the source.
type token struct {
	kind       tokKind
	start, end int
	quoted     bool // tkInteger/tkFloat with _ digit separators
}

// fallback marks the keywords that SQLite's grammar lets stand for an
// identifier when they cannot be read as a keyword where they appear
// (parse.y's %fallback ID list).
var fallback [numTokKinds]bool

func init() {
	for _, k := range []tokKind{
		kwAbort, kwAction, kwAfter, kwAnalyze, kwAsc, kwAttach, kwBefore, kwBegin,
		kwBy, kwCascade, kwCast, kwColumn, kwConflict, kwDatabase, kwDeferred,
		kwDesc, kwDetach, kwDo, kwEach, kwEnd, kwExclusive, kwExplain, kwFail,
		kwFor, kwIgnore, kwImmediate, kwInitially, kwInstead, kwLike, kwGlob,
		kwRegexp, kwMatch, kwNo, kwPlan, kwQuery, kwKey, kwOf, kwOffset, kwPragma,
		kwRaise, kwRecursive, kwRelease, kwReplace, kwRestrict, kwRow, kwRows,
		kwRollback, kwSavepoint, kwTemp, kwTrigger, kwVacuum, kwView, kwVirtual,
		kwWith, kwWithout, kwNulls, kwFirst, kwLast, kwCurrent, kwFollowing,
		kwPartition, kwPreceding, kwRange, kwUnbounded, kwExclude, kwGroups,
		kwOthers, kwTies, kwGenerated, kwAlways, kwMaterialized, kwReindex,
		kwRename, kwCurrentDate, kwCurrentTime, kwCurrentTimestamp, kwIf,
	} {
		fallback[k] = true
	}
}

// isJoinKW reports whether k is one of SQLite's JOIN_KW keywords.
func isJoinKW(k tokKind) bool {
	switch k {
	case kwCross, kwFull, kwInner, kwLeft, kwNatural, kwOuter, kwRight:
		return true
	}
	return false
}

// isID reports whether k can be read as SQLite's "id" class: ID, INDEXED
// or a fallback keyword.
func isID(k tokKind) bool { return k == tkID || k == kwIndexed || fallback[k] }

// isNm reports whether k can be a name ("nm"): id, a join keyword or a
// string.
func isNm(k tokKind) bool { return isID(k) || isJoinKW(k) || k == tkString }

// isIds reports whether k is SQLite's "ids" class: ID or STRING (with
// fallback keywords).
func isIds(k tokKind) bool { return k == tkID || k == tkString || fallback[k] }
