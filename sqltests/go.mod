module github.com/wrendb/wren/sqltests

go 1.26.0

replace github.com/wrendb/wren => ../

require (
	github.com/google/go-cmp v0.7.0
	github.com/mattn/go-sqlite3 v1.14.52
	github.com/wrendb/wren v0.0.0-00010101000000-000000000000
)

require golang.org/x/sys v0.49.0 // indirect
