-- Foreign keys: DROP TABLE in autocommit mode leaving a deferred violation.
PRAGMA foreign_keys=ON; CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(x REFERENCES p DEFERRABLE INITIALLY DEFERRED); INSERT INTO p VALUES(1); INSERT INTO c VALUES(1);
DROP TABLE p;
SELECT name FROM sqlite_schema;
SELECT * FROM p;
DELETE FROM c;
DROP TABLE p;
SELECT name FROM sqlite_schema;
