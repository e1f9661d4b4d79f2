package main

import (
	"context"
	"fmt"
	"strings"
)

// printNameColumns lists names across the screen as .tables and .indexes
// do: as many columns of the longest name's width as fit in 80
// characters, filled top to bottom.
func (s *shell) printNameColumns(names []string) {
	if len(names) == 0 {
		return
	}
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	ncol := max(80/(width+2), 1)
	nrow := (len(names) + ncol - 1) / ncol
	var b strings.Builder
	for i := range nrow {
		for j := i; j < len(names); j += nrow {
			if j >= nrow {
				b.WriteString("  ")
			}
			b.WriteString(names[j] + strings.Repeat(" ", width-len(names[j])))
		}
		b.WriteByte('\n')
	}
	fmt.Fprint(s.out, b.String())
}

func (s *shell) queryNames(query string, args ...any) ([]string, error) {
	rows, err := s.queryValues(query, args...)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r[0].textOr("")
	}
	return names, nil
}

func (s *shell) metaError(err error) metaResult {
	msg := err.Error()
	if se, ok := err.(*sqlError); ok && se.plain != "" {
		msg = se.plain
	}
	fmt.Fprintf(s.stderr, "Error: %s\n", msg)
	return metaError
}

func (s *shell) metaTables(a []string) metaResult {
	if len(a) > 1 {
		return s.usage(".tables ?TABLE?")
	}
	pattern := "%"
	if len(a) == 1 {
		pattern = a[0]
	}
	names, err := s.queryNames("SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' AND name LIKE ?1 ORDER BY 1", pattern)
	if err != nil {
		return s.metaError(err)
	}
	s.printNameColumns(names)
	return metaOK
}

func (s *shell) metaIndexes(a []string) metaResult {
	if len(a) > 1 {
		return s.usage(".indexes ?TABLE?")
	}
	pattern := "%"
	if len(a) == 1 {
		pattern = a[0]
	}
	names, err := s.queryNames("SELECT name FROM sqlite_schema WHERE type='index' AND tbl_name LIKE ?1 ORDER BY 1", pattern)
	if err != nil {
		return s.metaError(err)
	}
	s.printNameColumns(names)
	return metaOK
}

// schemaLine is sqlite3's printSchemaLine: the CREATE statement with its
// terminator, made complete if it ends inside a comment, and with IF NOT
// EXISTS added to a CREATE TABLE whose name is quoted (so that reading a
// dump into a database that has the table does not fail).
func schemaLine(sql, tail string) string {
	if tail == ";\n" && (strings.Contains(sql, "/*") || strings.Contains(sql, "--")) {
		for _, term := range []string{"", "*/", "\n"} {
			if checkComplete(sql+term+";") == complete {
				sql += term
				break
			}
		}
	}
	if strings.HasPrefix(sql, "CREATE TABLE ") && len(sql) > 13 && (sql[13] == '"' || sql[13] == '\'') {
		return "CREATE TABLE IF NOT EXISTS " + sql[13:] + tail
	}
	return sql + tail
}

func (s *shell) metaSchema(a []string) metaResult {
	query := "SELECT sql, type, name FROM sqlite_schema WHERE sql IS NOT NULL"
	var args []any
	for _, arg := range a {
		if strings.HasPrefix(arg, "-") {
			continue // --indent and --nosys are accepted and ignored
		}
		if strings.ContainsAny(arg, "*?[") {
			query += " AND lower(tbl_name) GLOB lower(?1)"
		} else {
			query += " AND lower(tbl_name) LIKE lower(?1)"
		}
		args = append(args, arg)
		break
	}
	rows, err := s.queryValues(query+" ORDER BY rowid", args...)
	if err != nil {
		return s.metaError(err)
	}
	for _, r := range rows {
		sql := r[0].textOr("")
		if strings.HasPrefix(sql, "CREATE VIEW ") {
			if fake := s.viewColumnsComment(r[2].textOr("")); fake != "" {
				sql += "\n/* " + fake + " */"
			}
		}
		fmt.Fprint(s.out, schemaLine(sql, ";\n"))
	}
	return metaOK
}

// viewColumnsComment is the "v(a,b)" comment .schema adds after a view.
func (s *shell) viewColumnsComment(view string) string {
	cols, err := s.columnsOf("SELECT * FROM " + quoteIdentIfNeeded(view) + " WHERE 0")
	if err != nil {
		return ""
	}
	for i, c := range cols {
		cols[i] = quoteIdentIfNeeded(c)
	}
	return quoteIdentIfNeeded(view) + "(" + strings.Join(cols, ",") + ")"
}

// columnsOf returns the names of the result columns of query.
func (s *shell) columnsOf(query string) ([]string, error) {
	rows, err := s.conn.QueryContext(context.Background(), query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// metaDump writes the database (or the tables whose names match the
// LIKE patterns given) as SQL that sqlite3 and Wren read back: the same
// statements in the same order as sqlite3's .dump.
func (s *shell) metaDump(a []string) metaResult {
	var patterns []string
	for _, arg := range a {
		if !strings.HasPrefix(arg, "-") {
			patterns = append(patterns, arg)
		}
	}
	where := ""
	var args []any
	if len(patterns) > 0 {
		var ors []string
		for i, p := range patterns {
			ors = append(ors, fmt.Sprintf("name LIKE ?%d", i+1))
			args = append(args, p)
		}
		where = " AND (" + strings.Join(ors, " OR ") + ")"
	}
	tables, err := s.queryValues("SELECT name, type, sql FROM sqlite_schema AS o WHERE sql NOT NULL AND type=='table'"+where+
		" ORDER BY tbl_name=='sqlite_sequence', rowid", args...)
	if err != nil {
		return s.metaError(err)
	}
	fmt.Fprint(s.out, "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")
	failed := false
	for _, t := range tables {
		name, sql := t[0].textOr(""), t[2].textOr("")
		switch {
		case name == "sqlite_sequence":
			fmt.Fprint(s.out, "DELETE FROM sqlite_sequence;\n")
		case strings.HasPrefix(name, "sqlite_stat"):
			fmt.Fprint(s.out, "ANALYZE sqlite_schema;\n")
		case strings.HasPrefix(name, "sqlite_"):
			continue
		default:
			fmt.Fprint(s.out, schemaLine(sql, ";\n"))
		}
		if err := s.dumpRows(name); err != nil {
			fmt.Fprintf(s.out, "/****** ERROR: %v ******/\n", err)
			failed = true
		}
	}
	others, err := s.queryValues("SELECT sql FROM sqlite_schema AS o WHERE sql NOT NULL AND type IN ('index','trigger','view')"+where, args...)
	if err != nil {
		return s.metaError(err)
	}
	for _, o := range others {
		fmt.Fprint(s.out, schemaLine(o[0].textOr(""), ";\n"))
	}
	if failed {
		fmt.Fprint(s.out, "ROLLBACK; -- due to errors\n")
	} else {
		fmt.Fprint(s.out, "COMMIT;\n")
	}
	return metaOK
}

// dumpRows writes a table's rows as INSERT statements in insert mode.
func (s *shell) dumpRows(table string) error {
	q := quoteIdentIfNeeded(table)
	ctx, done := s.statementContext()
	defer done()
	// PRAGMA table_info leaves out generated columns, which an INSERT
	// cannot set; sqlite3 selects the same list.
	list := "*"
	if info, err := s.queryValues("PRAGMA table_info(" + q + ")"); err == nil && len(info) > 0 && len(info[0]) > 1 {
		names := make([]string, len(info))
		for i, r := range info {
			names[i] = quoteIdentIfNeeded(r[1].textOr(""))
		}
		list = strings.Join(names, ",")
	}
	rows, err := s.conn.QueryContext(ctx, "SELECT "+list+" FROM "+q)
	if err != nil {
		return engineError("Parse error", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	set := settings{mode: modeInsert, destTable: q}
	r := newRenderer(s.out, &set, cols)
	return s.eachRow(rows, len(cols), r.row)
}
