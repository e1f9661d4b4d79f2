package engine

import (
	"github.com/wrendb/wren/parser"
	"github.com/wrendb/wren/record"
)

func isKeyword(s string) bool { return parser.IsKeyword(s) }

// insertSchemaRow appends a row to sqlite_schema.
func (c *Conn) insertSchemaRow(typ, name, tbl string, root uint32, sql string, hasSQL bool) error {
	cur, err := c.bt.OpenTable(1)
	if err != nil {
		return err
	}
	defer cur.Close()
	rowid := int64(1)
	ok, err := cur.Last()
	if err != nil {
		return err
	}
	if ok {
		last, err := cur.Rowid()
		if err != nil {
			return err
		}
		rowid = last + 1
	}
	sqlVal := record.NullValue()
	if hasSQL {
		sqlVal = record.TextValue(sql)
	}
	rec := record.AppendRecord(nil, []record.Value{
		record.TextValue(typ), record.TextValue(name), record.TextValue(tbl),
		record.IntValue(int64(root)), sqlVal,
	})
	return cur.Insert(rowid, rec)
}

// deleteSchemaRows deletes the rows of sqlite_schema that match.
func (c *Conn) deleteSchemaRows(match func(typ, name, tbl string) bool) error {
	cur, err := c.bt.OpenTable(1)
	if err != nil {
		return err
	}
	defer cur.Close()
	var vals []record.Value
	ok, err := cur.First()
	for err == nil && ok {
		var p []byte
		p, err = cur.Payload(nil)
		if err != nil {
			return err
		}
		vals, err = record.DecodeRecord(p, vals[:0])
		if err != nil {
			return err
		}
		for len(vals) < 3 {
			vals = append(vals, record.Value{})
		}
		if match(string(vals[0].Bytes), string(vals[1].Bytes), string(vals[2].Bytes)) {
			if err = cur.Delete(); err != nil {
				return err
			}
			// After Delete, Next moves to the entry that followed.
		}
		ok, err = cur.Next()
	}
	return err
}

// updateSchemaRoot rewrites rootpage from to to.
func (c *Conn) updateSchemaRoot(from, to uint32) error {
	cur, err := c.bt.OpenTable(1)
	if err != nil {
		return err
	}
	defer cur.Close()
	var vals []record.Value
	ok, err := cur.First()
	for ; err == nil && ok; ok, err = cur.Next() {
		p, err := cur.Payload(nil)
		if err != nil {
			return err
		}
		vals, err = record.DecodeRecord(p, vals[:0])
		if err != nil {
			return err
		}
		if len(vals) >= 4 && vals[3].Kind == record.Integer && uint32(vals[3].Int) == from {
			id, err := cur.Rowid()
			if err != nil {
				return err
			}
			vals[3] = record.IntValue(int64(to))
			rec := record.AppendRecord(nil, vals)
			return cur.Insert(id, rec)
		}
	}
	return err
}

// deleteSequenceRow removes a table's row from sqlite_sequence.
func (c *Conn) deleteSequenceRow(root uint32, table string) error {
	cur, err := c.bt.OpenTable(root)
	if err != nil {
		return err
	}
	defer cur.Close()
	ok, err := cur.First()
	for ; err == nil && ok; ok, err = cur.Next() {
		p, err := cur.Payload(nil)
		if err != nil {
			return err
		}
		v, err := record.Column(p, 0)
		if err != nil {
			return err
		}
		if v.Kind == record.Text && equalFold(string(v.Bytes), table) {
			return cur.Delete()
		}
	}
	return err
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 32
		}
		if 'A' <= y && y <= 'Z' {
			y += 32
		}
		if x != y {
			return false
		}
	}
	return true
}
