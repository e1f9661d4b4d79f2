package schema

import (
	"fmt"
	"strings"

	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/parser/ast"
	"github.com/wrendb/wren/resultcode"
	"github.com/wrendb/wren/vdbe"
)

// Row is one row of sqlite_schema.
type Row struct {
	Type, Name, TableName string
	Root                  uint32
	SQL                   string
	HasSQL                bool
}

// Build makes a Schema from the rows of sqlite_schema, in rowid order.
func Build(rows []Row, cookie uint32) (*Schema, error) {
	s := New()
	s.Cookie = cookie
	seq := 0
	for _, r := range rows {
		switch r.Type {
		case "table":
			st, err := parseAs[*ast.CreateTable](r.SQL)
			if err != nil {
				return nil, corrupt(r, err)
			}
			t, autos, err := FromCreateTable(st)
			if err != nil {
				return nil, corrupt(r, err)
			}
			t.Root = r.Root
			t.SQL = r.SQL
			s.Tables[Key(t.Name)] = t
			for _, ix := range autos {
				s.Indexes[Key(ix.Name)] = ix
			}
		case "index":
			if !r.HasSQL {
				ix := s.Indexes[Key(r.Name)]
				if ix == nil {
					continue // an automatic index we do not model; ignore as SQLite would not
				}
				ix.Root = r.Root
				if t := s.Table(ix.Table); t != nil {
					t.Indexes = append([]*Index{ix}, t.Indexes...)
				}
				continue
			}
			st, err := parseAs[*ast.CreateIndex](r.SQL)
			if err != nil {
				return nil, corrupt(r, err)
			}
			t := s.Table(st.Table.Name)
			if t == nil {
				return nil, corrupt(r, fmt.Errorf("no such table: %s", st.Table.Name))
			}
			ix, err := FromCreateIndex(st, t)
			if err != nil {
				return nil, corrupt(r, err)
			}
			ix.Root = r.Root
			ix.SQL = r.SQL
			s.Indexes[Key(ix.Name)] = ix
			t.Indexes = append([]*Index{ix}, t.Indexes...)
		case "view":
			st, err := parseAs[*ast.CreateView](r.SQL)
			if err != nil {
				return nil, corrupt(r, err)
			}
			v := FromCreateView(st)
			v.SQL = r.SQL
			s.Views[Key(v.Name)] = v
		case "trigger":
			st, err := parseAs[*ast.CreateTrigger](r.SQL)
			if err != nil {
				return nil, corrupt(r, err)
			}
			seq++
			s.Triggers[Key(st.Name.Name.Name)] = &Trigger{Name: st.Name.Name.Name, Table: st.Table.Name.Name, SQL: r.SQL, Stmt: st, seq: seq}
		}
	}
	// Automatic indexes whose row was missing keep root 0; drop them from
	// the lookup so nothing writes to page 0.
	for k, ix := range s.Indexes {
		if ix.Root == 0 {
			delete(s.Indexes, k)
		}
	}
	return s, nil
}

// NewTrigger makes a Trigger for a parsed CREATE TRIGGER; seq orders
// triggers (later ones fire first, as in SQLite).
func NewTrigger(st *ast.CreateTrigger, sql string, seq int) *Trigger {
	return &Trigger{Name: st.Name.Name.Name, Table: st.Table.Name.Name, SQL: sql, Stmt: st, seq: seq}
}

// MaxTriggerSeq returns the largest trigger sequence number in s.
func (s *Schema) MaxTriggerSeq() int {
	m := 0
	for _, t := range s.Triggers {
		if t.seq > m {
			m = t.seq
		}
	}
	return m
}

func corrupt(r Row, err error) error {
	return resultcode.Errorf(resultcode.Corrupt, "malformed database schema (%s) - %v", r.Name, err)
}

func parseAs[T ast.Stmt](sql string) (T, error) {
	var zero T
	st, _, err := parser.Parse(sql)
	if err != nil {
		return zero, err
	}
	t, ok := st.(T)
	if !ok {
		return zero, fmt.Errorf("unexpected statement")
	}
	return t, nil
}

// FromCreateTable describes the table a CREATE TABLE statement makes, with
// the automatic indexes its UNIQUE and PRIMARY KEY constraints need (their
// Root is 0 until the caller creates or finds the b-trees).
func FromCreateTable(st *ast.CreateTable) (*Table, []*Index, error) {
	t := &Table{Name: st.Name.Name.Name, RowidAlias: -1, WithoutRowid: st.WithoutRowid, Strict: st.Strict, Stmt: st}
	if st.WithoutRowid {
		return nil, nil, resultcode.Errorf(resultcode.Error, "WITHOUT ROWID tables are not supported")
	}
	for _, cd := range st.Columns {
		if t.ColumnIndex(cd.Name.Name) >= 0 {
			return nil, nil, resultcode.Errorf(resultcode.Error, "duplicate column name: %s", cd.Name.Name)
		}
		c := Column{Name: cd.Name.Name, DeclType: cd.Type, Affinity: vdbe.AffinityOf(cd.Type)}
		t.Columns = append(t.Columns, c)
	}
	if st.Strict {
		if err := applyStrict(t); err != nil {
			return nil, nil, err
		}
	}
	var autos []*Index
	addUnique := func(cols []IndexColumn, origin string, oc ast.ConflictAction) {
		for _, ix := range autos {
			if sameColumns(ix.Columns, cols) {
				return
			}
		}
		ix := &Index{Table: t.Name, Columns: cols, Unique: true, Origin: origin, OnConflict: oc}
		autos = append(autos, ix)
	}
	hasPK := false
	for ci, cd := range st.Columns {
		c := &t.Columns[ci]
		for _, cc := range cd.Constraints {
			switch cc.Kind {
			case ast.ConsNotNull:
				c.NotNull = true
				c.NotNullConflict = cc.OnConflict
			case ast.ConsDefault:
				c.Default = cc.Expr
				c.DefaultText = cc.DefaultText
			case ast.ConsCollate:
				c.Collation = cc.Collation.Name
			case ast.ConsGenerated:
				g := cc
				c.Generated = &g
				t.HasGenerated = true
			case ast.ConsCheck:
				t.Checks = append(t.Checks, Check{Name: cc.Name.Name, Expr: cc.Expr})
			case ast.ConsUnique:
				addUnique([]IndexColumn{{Column: ci, Name: c.Name}}, "u", cc.OnConflict)
			case ast.ConsPrimaryKey:
				if hasPK {
					return nil, nil, resultcode.Errorf(resultcode.Error, "table \"%s\" has more than one primary key", t.Name)
				}
				hasPK = true
				c.PrimaryKey = true
				if strings.EqualFold(c.DeclType, "INTEGER") && cc.Order != ast.SortDesc {
					t.RowidAlias = ci
					t.Autoincrement = cc.Autoincrement
				} else {
					if cc.Autoincrement {
						return nil, nil, resultcode.Errorf(resultcode.Error, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY")
					}
					t.PrimaryKey = []int{ci}
					addUnique([]IndexColumn{{Column: ci, Name: c.Name, Desc: cc.Order == ast.SortDesc}}, "pk", cc.OnConflict)
				}
			}
		}
	}
	for _, tc := range st.Constraints {
		switch tc.Kind {
		case ast.ConsCheck:
			t.Checks = append(t.Checks, Check{Name: tc.Name.Name, Expr: tc.Expr})
		case ast.ConsUnique, ast.ConsPrimaryKey:
			var cols []IndexColumn
			for _, term := range tc.Columns {
				name, coll := termColumn(term.Expr)
				ci := t.ColumnIndex(name)
				if name == "" || ci < 0 {
					return nil, nil, resultcode.Errorf(resultcode.Error, "no such column: %s", name)
				}
				cols = append(cols, IndexColumn{Column: ci, Name: t.Columns[ci].Name, Desc: term.Order == ast.SortDesc, Collation: coll})
			}
			if tc.Kind == ast.ConsUnique {
				addUnique(cols, "u", tc.OnConflict)
				continue
			}
			if hasPK {
				return nil, nil, resultcode.Errorf(resultcode.Error, "table \"%s\" has more than one primary key", t.Name)
			}
			hasPK = true
			for _, c := range cols {
				t.Columns[c.Column].PrimaryKey = true
			}
			if len(cols) == 1 && strings.EqualFold(t.Columns[cols[0].Column].DeclType, "INTEGER") {
				t.RowidAlias = cols[0].Column
				t.Autoincrement = tc.Autoincrement
			} else {
				for _, c := range cols {
					t.PrimaryKey = append(t.PrimaryKey, c.Column)
				}
				addUnique(cols, "pk", tc.OnConflict)
			}
		}
	}
	// Columns of a UNIQUE index take the column's collation by default.
	for _, ix := range autos {
		for i := range ix.Columns {
			if ix.Columns[i].Collation == "" {
				ix.Columns[i].Collation = t.Columns[ix.Columns[i].Column].Collation
			}
		}
	}
	for i, ix := range autos {
		ix.Name = fmt.Sprintf("sqlite_autoindex_%s_%d", t.Name, i+1)
	}
	return t, autos, nil
}

func sameColumns(a, b []IndexColumn) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Column != b[i].Column || !strings.EqualFold(a[i].Collation, b[i].Collation) {
			return false
		}
	}
	return true
}

// termColumn returns the column name and explicit collation of an index
// term that names a column ("" when the term is an expression).
func termColumn(e ast.Expr) (name, coll string) {
	if c, ok := e.(*ast.Collate); ok {
		coll = c.Collation.Name
		e = c.X
	}
	switch e := e.(type) {
	case *ast.ColumnRef:
		if e.Table.IsZero() {
			return e.Column.Name, coll
		}
	case *ast.Literal:
		if e.Kind == ast.LitString {
			return e.Value, coll
		}
	}
	return "", coll
}

// FromCreateIndex describes the index a CREATE INDEX statement makes on t.
func FromCreateIndex(st *ast.CreateIndex, t *Table) (*Index, error) {
	ix := &Index{Name: st.Name.Name.Name, Table: t.Name, Unique: st.Unique, Origin: "c", Partial: st.Where}
	for _, term := range st.Columns {
		name, coll := termColumn(term.Expr)
		ic := IndexColumn{Desc: term.Order == ast.SortDesc, Collation: coll}
		if name != "" {
			ci := t.ColumnIndex(name)
			if ci < 0 {
				if _, isLit := stripCollate(term.Expr).(*ast.Literal); isLit {
					name = ""
				} else if IsRowidName(name) {
					ic.Column = -1
					ic.Name = name
					ix.Columns = append(ix.Columns, ic)
					continue
				} else {
					return nil, resultcode.Errorf(resultcode.Error, "no such column: %s", name)
				}
			} else {
				ic.Column = ci
				ic.Name = t.Columns[ci].Name
				if ic.Collation == "" {
					ic.Collation = t.Columns[ci].Collation
				}
			}
		}
		if name == "" {
			ic.Column = -2
			ic.Expr = stripCollate(term.Expr)
		}
		ix.Columns = append(ix.Columns, ic)
	}
	return ix, nil
}

func stripCollate(e ast.Expr) ast.Expr {
	if c, ok := e.(*ast.Collate); ok {
		return c.X
	}
	return e
}

// FromCreateView describes the view a CREATE VIEW statement makes.
func FromCreateView(st *ast.CreateView) *View {
	v := &View{Name: st.Name.Name.Name, Select: st.Select}
	for _, c := range st.Columns {
		v.Columns = append(v.Columns, c.Name)
	}
	return v
}

// StoredSQL returns the text SQLite stores in sqlite_schema for a CREATE
// statement: "CREATE <KIND> " followed by the statement's text from the
// object's name on (so TEMP and IF NOT EXISTS are dropped and the keywords
// normalised), exactly as sqlite3 writes it.
func StoredSQL(st ast.Stmt) string {
	var kind, text string
	var name ast.QualifiedName
	var start int
	switch s := st.(type) {
	case *ast.CreateTable:
		kind, text, name, start = "TABLE", s.Text, s.Name, s.Position
	case *ast.CreateIndex:
		kind, text, name, start = "INDEX", s.Text, s.Name, s.Position
		if s.Unique {
			kind = "UNIQUE INDEX"
		}
	case *ast.CreateView:
		kind, text, name, start = "VIEW", s.Text, s.Name, s.Position
	case *ast.CreateTrigger:
		kind, text, name, start = "TRIGGER", s.Text, s.Name, s.Position
	default:
		return ""
	}
	off := name.Name.Position - start
	if off < 0 || off > len(text) {
		return text
	}
	return "CREATE " + kind + " " + text[off:]
}
