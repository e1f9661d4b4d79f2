#!/bin/sh
# Regenerates eqp.golden with the sqlite3 shell (3.40.1): for each line of
# queries.sql, the query and the tree the shell prints for its
# EXPLAIN QUERY PLAN, on the tables of schema.sql.
cd "$(dirname "$0")"
: > eqp.golden
while IFS= read -r q; do
	printf -- '-- %s\n' "$q" >> eqp.golden
	sqlite3 :memory: ".read schema.sql" "EXPLAIN QUERY PLAN $q" >> eqp.golden
done < queries.sql
