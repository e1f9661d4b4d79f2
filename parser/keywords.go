package parser

// keywordList is SQLite's keyword list (https://www.sqlite.org/lang_keywords.html)
// with the token kind of each.
var keywordList = [...]struct {
	name string
	kind tokKind
}{
	{"ABORT", kwAbort}, {"ACTION", kwAction}, {"ADD", kwAdd}, {"AFTER", kwAfter},
	{"ALL", kwAll}, {"ALTER", kwAlter}, {"ALWAYS", kwAlways}, {"ANALYZE", kwAnalyze},
	{"AND", kwAnd}, {"AS", kwAs}, {"ASC", kwAsc}, {"ATTACH", kwAttach},
	{"AUTOINCREMENT", kwAutoincrement}, {"BEFORE", kwBefore}, {"BEGIN", kwBegin},
	{"BETWEEN", kwBetween}, {"BY", kwBy}, {"CASCADE", kwCascade}, {"CASE", kwCase},
	{"CAST", kwCast}, {"CHECK", kwCheck}, {"COLLATE", kwCollate}, {"COLUMN", kwColumn},
	{"COMMIT", kwCommit}, {"CONFLICT", kwConflict}, {"CONSTRAINT", kwConstraint},
	{"CREATE", kwCreate}, {"CROSS", kwCross}, {"CURRENT", kwCurrent},
	{"CURRENT_DATE", kwCurrentDate}, {"CURRENT_TIME", kwCurrentTime},
	{"CURRENT_TIMESTAMP", kwCurrentTimestamp}, {"DATABASE", kwDatabase},
	{"DEFAULT", kwDefault}, {"DEFERRABLE", kwDeferrable}, {"DEFERRED", kwDeferred},
	{"DELETE", kwDelete}, {"DESC", kwDesc}, {"DETACH", kwDetach},
	{"DISTINCT", kwDistinct}, {"DO", kwDo}, {"DROP", kwDrop}, {"EACH", kwEach},
	{"ELSE", kwElse}, {"END", kwEnd}, {"ESCAPE", kwEscape}, {"EXCEPT", kwExcept},
	{"EXCLUDE", kwExclude}, {"EXCLUSIVE", kwExclusive}, {"EXISTS", kwExists},
	{"EXPLAIN", kwExplain}, {"FAIL", kwFail}, {"FILTER", kwFilter}, {"FIRST", kwFirst},
	{"FOLLOWING", kwFollowing}, {"FOR", kwFor}, {"FOREIGN", kwForeign},
	{"FROM", kwFrom}, {"FULL", kwFull}, {"GENERATED", kwGenerated}, {"GLOB", kwGlob},
	{"GROUP", kwGroup}, {"GROUPS", kwGroups}, {"HAVING", kwHaving}, {"IF", kwIf},
	{"IGNORE", kwIgnore}, {"IMMEDIATE", kwImmediate}, {"IN", kwIn}, {"INDEX", kwIndex},
	{"INDEXED", kwIndexed}, {"INITIALLY", kwInitially}, {"INNER", kwInner},
	{"INSERT", kwInsert}, {"INSTEAD", kwInstead}, {"INTERSECT", kwIntersect},
	{"INTO", kwInto}, {"IS", kwIs}, {"ISNULL", kwIsnull}, {"JOIN", kwJoin},
	{"KEY", kwKey}, {"LAST", kwLast}, {"LEFT", kwLeft}, {"LIKE", kwLike},
	{"LIMIT", kwLimit}, {"MATCH", kwMatch}, {"MATERIALIZED", kwMaterialized},
	{"NATURAL", kwNatural}, {"NO", kwNo}, {"NOT", kwNot}, {"NOTHING", kwNothing},
	{"NOTNULL", kwNotnull}, {"NULL", kwNull}, {"NULLS", kwNulls}, {"OF", kwOf},
	{"OFFSET", kwOffset}, {"ON", kwOn}, {"OR", kwOr}, {"ORDER", kwOrder},
	{"OTHERS", kwOthers}, {"OUTER", kwOuter}, {"OVER", kwOver},
	{"PARTITION", kwPartition}, {"PLAN", kwPlan}, {"PRAGMA", kwPragma},
	{"PRECEDING", kwPreceding}, {"PRIMARY", kwPrimary}, {"QUERY", kwQuery},
	{"RAISE", kwRaise}, {"RANGE", kwRange}, {"RECURSIVE", kwRecursive},
	{"REFERENCES", kwReferences}, {"REGEXP", kwRegexp}, {"REINDEX", kwReindex},
	{"RELEASE", kwRelease}, {"RENAME", kwRename}, {"REPLACE", kwReplace},
	{"RESTRICT", kwRestrict}, {"RETURNING", kwReturning}, {"RIGHT", kwRight},
	{"ROLLBACK", kwRollback}, {"ROW", kwRow}, {"ROWS", kwRows},
	{"SAVEPOINT", kwSavepoint}, {"SELECT", kwSelect}, {"SET", kwSet},
	{"TABLE", kwTable}, {"TEMP", kwTemp}, {"TEMPORARY", kwTemp}, {"THEN", kwThen},
	{"TIES", kwTies}, {"TO", kwTo}, {"TRANSACTION", kwTransaction},
	{"TRIGGER", kwTrigger}, {"UNBOUNDED", kwUnbounded}, {"UNION", kwUnion},
	{"UNIQUE", kwUnique}, {"UPDATE", kwUpdate}, {"USING", kwUsing},
	{"VACUUM", kwVacuum}, {"VALUES", kwValues}, {"VIEW", kwView},
	{"VIRTUAL", kwVirtual}, {"WHEN", kwWhen}, {"WHERE", kwWhere},
	{"WINDOW", kwWindow}, {"WITH", kwWith}, {"WITHOUT", kwWithout},
}

// The keyword table is open-addressed on a hash of the lower-cased bytes,
// so a lookup neither allocates nor builds a string.
const keywordTableSize = 1024

var keywordTable [keywordTableSize]struct {
	name string
	kind tokKind
}

// Keywords are 2 to 17 bytes long.
const maxKeywordLen = 17

func keywordHash(s string) uint32 {
	h := uint32(len(s))
	for i := 0; i < len(s); i++ {
		h = h*31 + uint32(s[i]|0x20)
	}
	return h
}

func init() {
	for _, kw := range keywordList {
		i := keywordHash(kw.name) % keywordTableSize
		for keywordTable[i].name != "" {
			i = (i + 1) % keywordTableSize
		}
		keywordTable[i].name = kw.name
		keywordTable[i].kind = kw.kind
	}
}

// lookupKeyword returns the keyword kind of word, or tkID.
func lookupKeyword(word string) tokKind {
	if len(word) < 2 || len(word) > maxKeywordLen {
		return tkID
	}
	i := keywordHash(word) % keywordTableSize
	for {
		e := &keywordTable[i]
		if e.name == "" {
			return tkID
		}
		if len(e.name) == len(word) && equalFoldASCII(e.name, word) {
			return e.kind
		}
		i = (i + 1) % keywordTableSize
	}
}

// equalFoldASCII compares an upper-case keyword with a word in any case.
func equalFoldASCII(upper, word string) bool {
	for i := 0; i < len(upper); i++ {
		c := word[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// IsKeyword reports whether word is an SQLite keyword (in any case).
func IsKeyword(word string) bool { return lookupKeyword(word) != tkID }
