package engine

import (
	"sort"
	"strconv"
	"strings"

	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/record"
	"github.com/wrendb/wren/schema"
)

func ival(i int64) record.Value  { return record.IntValue(i) }
func tval(s string) record.Value { return record.TextValue(s) }

// pragmaArg returns the pragma's value as text ("" when absent).
func pragmaArg(st *ast.Pragma) (string, bool) {
	if st.Value == nil {
		return "", false
	}
	if st.Value.Number != "" {
		return st.Value.Number, true
	}
	return st.Value.Name.Name, true
}

func pragmaBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "on", "yes", "true":
		return true, true
	case "0", "off", "no", "false":
		return false, true
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n != 0, true
	}
	return false, false
}

// preparePragma returns how to run a PRAGMA and its result columns.
func (c *Conn) preparePragma(st *ast.Pragma) (execKind, func(*Stmt) error, []string, error) {
	name := strings.ToLower(st.Name.Name.Name)
	arg, hasArg := pragmaArg(st)
	rows := func(s *Stmt, r ...[]record.Value) { s.rows = append(s.rows, r...) }
	headerInt := func(off int, col string) (execKind, func(*Stmt) error, []string, error) {
		if hasArg {
			n, err := strconv.ParseInt(arg, 10, 64)
			if err != nil {
				n = 0
			}
			return execWrite, func(s *Stmt) error {
				if off == 40 {
					return c.pg.SetHeaderUint32(off, uint32(n))
				}
				return c.pg.SetHeaderUint32(off, uint32(n))
			}, nil, nil
		}
		return execRead, func(s *Stmt) error {
			v := int64(int32(c.pg.HeaderUint32(off)))
			if c.pg.PageCount() == 0 {
				v = 0
			}
			rows(s, []record.Value{ival(v)})
			return nil
		}, []string{col}, nil
	}
	if kind, run, cols, ok := c.prepareWALPragma(name, arg, hasArg); ok {
		return kind, run, cols, nil
	}
	switch name {
	case "user_version":
		return headerInt(60, "user_version")
	case "application_id":
		return headerInt(68, "application_id")
	case "schema_version":
		return headerInt(40, "schema_version")
	case "page_size":
		if hasArg {
			n, _ := strconv.Atoi(arg)
			return execTxControl, func(s *Stmt) error {
				if c.pg.PageCount() == 0 && !c.inWrite {
					c.pg.SetPageSize(n)
				}
				return nil
			}, nil, nil
		}
		return execRead, func(s *Stmt) error {
			rows(s, []record.Value{ival(int64(c.pg.PageSize()))})
			return nil
		}, []string{"page_size"}, nil
	case "page_count":
		return execRead, func(s *Stmt) error {
			rows(s, []record.Value{ival(int64(c.pg.PageCount()))})
			return nil
		}, []string{"page_count"}, nil
	case "freelist_count":
		return execRead, func(s *Stmt) error {
			rows(s, []record.Value{ival(int64(c.pg.HeaderUint32(36)))})
			return nil
		}, []string{"freelist_count"}, nil
	case "cache_size":
		if hasArg {
			n, _ := strconv.Atoi(arg)
			return execTxControl, func(s *Stmt) error {
				c.cacheSize = n
				c.pg.SetCacheSize(n)
				return nil
			}, nil, nil
		}
		return execTxControl, func(s *Stmt) error {
			n := c.cacheSize
			if n == 0 {
				n = -2000
			}
			rows(s, []record.Value{ival(int64(n))})
			return nil
		}, []string{"cache_size"}, nil
	case "journal_mode":
		return execTxControl, func(s *Stmt) error { return c.pragmaJournalMode(s, arg, hasArg) }, []string{"journal_mode"}, nil
	case "foreign_keys":
		if hasArg {
			return execTxControl, func(s *Stmt) error {
				// A no-op inside a transaction, as in SQLite.
				if b, ok := pragmaBool(arg); ok && !c.explicit {
					c.foreignKeys = b
				}
				return nil
			}, nil, nil
		}
		return execTxControl, func(s *Stmt) error {
			v := int64(0)
			if c.foreignKeys {
				v = 1
			}
			rows(s, []record.Value{ival(v)})
			return nil
		}, []string{"foreign_keys"}, nil
	case "defer_foreign_keys":
		return c.pragmaDeferForeignKeys(arg, hasArg)
	case "foreign_key_list":
		return execRead, func(s *Stmt) error { return c.pragmaForeignKeyList(s, arg) }, foreignKeyListColumns, nil
	case "foreign_key_check":
		return execRead, func(s *Stmt) error { return c.pragmaForeignKeyCheck(s, arg) }, foreignKeyCheckColumns, nil
	case "database_list":
		return execTxControl, func(s *Stmt) error {
			file := c.db.name
			if c.db.cfg.Memory {
				file = ""
			}
			rows(s, []record.Value{ival(0), tval("main"), tval(file)})
			return nil
		}, []string{"seq", "name", "file"}, nil
	case "integrity_check", "quick_check":
		return execRead, func(s *Stmt) error {
			if c.pg.PageCount() == 0 {
				rows(s, []record.Value{tval("ok")})
				return nil
			}
			roots := []uint32{1}
			for _, t := range c.sch.Tables {
				if t.Root > 1 {
					roots = append(roots, t.Root)
				}
			}
			for _, ix := range c.sch.Indexes {
				roots = append(roots, ix.Root)
			}
			sort.Slice(roots, func(i, j int) bool { return roots[i] < roots[j] })
			msgs := c.bt.IntegrityCheck(roots, 100)
			if len(msgs) == 0 {
				rows(s, []record.Value{tval("ok")})
			}
			for _, m := range msgs {
				rows(s, []record.Value{tval(m)})
			}
			return nil
		}, []string{name}, nil
	case "table_info", "table_xinfo":
		xinfo := name == "table_xinfo"
		cols := []string{"cid", "name", "type", "notnull", "dflt_value", "pk"}
		if xinfo {
			cols = append(cols, "hidden")
		}
		return execRead, func(s *Stmt) error {
			t := c.sch.Table(arg)
			if t == nil {
				if v := c.sch.View(arg); v != nil {
					return c.viewInfo(s, v, xinfo)
				}
				return nil
			}
			hidden := 0
			for i, col := range t.Columns {
				// Generated columns are hidden from table_info and shown
				// by table_xinfo with hidden 2 (VIRTUAL) or 3 (STORED);
				// table_info numbers the columns it shows without gaps.
				hide := int64(0)
				if g := col.Generated; g != nil {
					hide = 2
					if g.Stored {
						hide = 3
					}
					if !xinfo {
						hidden++
						continue
					}
				}
				pk := 0
				if i == t.RowidAlias {
					pk = 1
				}
				for k, p := range t.PrimaryKey {
					if p == i {
						pk = k + 1
					}
				}
				dflt := record.NullValue()
				if col.Default != nil {
					dflt = tval(col.DefaultText)
				}
				nn := int64(0)
				if col.NotNull {
					nn = 1
				}
				r := []record.Value{ival(int64(i - hidden)), tval(col.Name), tval(col.DeclType), ival(nn), dflt, ival(int64(pk))}
				if xinfo {
					r = append(r, ival(hide))
				}
				rows(s, r)
			}
			return nil
		}, cols, nil
	case "index_list":
		return execRead, func(s *Stmt) error {
			t := c.sch.Table(arg)
			if t == nil {
				return nil
			}
			for i, ix := range t.Indexes {
				u := int64(0)
				if ix.Unique {
					u = 1
				}
				p := int64(0)
				if ix.Partial != nil {
					p = 1
				}
				rows(s, []record.Value{ival(int64(i)), tval(ix.Name), ival(u), tval(ix.Origin), ival(p)})
			}
			return nil
		}, []string{"seq", "name", "unique", "origin", "partial"}, nil
	case "index_info", "index_xinfo":
		x := name == "index_xinfo"
		cols := []string{"seqno", "cid", "name"}
		if x {
			cols = append(cols, "desc", "coll", "key")
		}
		return execRead, func(s *Stmt) error {
			ix := c.sch.Index(arg)
			if ix == nil {
				return nil
			}
			t := c.sch.Table(ix.Table)
			for i, col := range ix.Columns {
				nm := record.NullValue()
				if col.Column >= 0 {
					nm = tval(t.Columns[col.Column].Name)
				}
				r := []record.Value{ival(int64(i)), ival(int64(col.Column)), nm}
				if x {
					d := int64(0)
					if col.Desc {
						d = 1
					}
					coll := col.Collation
					if coll == "" {
						coll = "BINARY"
					}
					r = append(r, ival(d), tval(coll), ival(1))
				}
				rows(s, r)
			}
			if x {
				rows(s, []record.Value{ival(int64(len(ix.Columns))), ival(-1), record.NullValue(), ival(0), tval("BINARY"), ival(0)})
			}
			return nil
		}, cols, nil
	case "table_list":
		return execRead, func(s *Stmt) error {
			var names []string
			for k := range c.sch.Tables {
				names = append(names, k)
			}
			for k := range c.sch.Views {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				if t := c.sch.Tables[k]; t != nil {
					strict := int64(0)
					if t.Strict {
						strict = 1
					}
					nm := t.Name
					if k == "sqlite_schema" {
						nm = "sqlite_schema"
					}
					rows(s, []record.Value{tval("main"), tval(nm), tval("table"), ival(int64(len(t.Columns))), ival(0), ival(strict)})
				} else {
					v := c.sch.Views[k]
					rows(s, []record.Value{tval("main"), tval(v.Name), tval("view"), ival(int64(len(v.Columns))), ival(0), ival(0)})
				}
			}
			// SQLite always lists the temp schema's own table too.
			rows(s, []record.Value{tval("temp"), tval("sqlite_temp_schema"), tval("table"), ival(5), ival(0), ival(0)})
			return nil
		}, []string{"schema", "name", "type", "ncol", "wr", "strict"}, nil
	}
	// Unknown pragmas are ignored, as SQLite does.
	return execTxControl, func(s *Stmt) error { return nil }, nil, nil
}

func (c *Conn) viewInfo(s *Stmt, v *schema.View, xinfo bool) error {
	for i, n := range v.Columns {
		r := []record.Value{ival(int64(i)), tval(n), tval(""), ival(0), record.NullValue(), ival(0)}
		if xinfo {
			r = append(r, ival(0))
		}
		s.rows = append(s.rows, r)
	}
	return nil
}
