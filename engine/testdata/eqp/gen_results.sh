#!/bin/sh
# Regenerates results.golden with the sqlite3 shell (3.40.1): for each
# line of results_queries.sql, the query and its rows (NULL shown as
# NULL), on the data of results_schema.sql.
cd "$(dirname "$0")"
: > results.golden
while IFS= read -r q; do
	printf -- '-- %s\n' "$q" >> results.golden
	sqlite3 :memory: ".read results_schema.sql" ".nullvalue NULL" "$q" >> results.golden
done < results_queries.sql
