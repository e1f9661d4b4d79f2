-- .import: a byte-order mark, blank lines, duplicate and empty names.
.import --csv testdata/golden/import_bom.csv bom
.schema bom
select * from bom;
.import --csv testdata/golden/import_blank.csv blank
select count(*), quote(a), quote(b) from blank group by 2, 3;
.import --csv testdata/golden/import_dup.csv dup
.schema dup
select * from dup;
.import --csv testdata/golden/no_such.csv nope
