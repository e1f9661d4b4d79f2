-- PRAGMA defer_foreign_keys: every constraint waits for COMMIT, RESTRICT too,
-- and the pragma ends with the transaction.
PRAGMA foreign_keys=ON;CREATE TABLE p(id INTEGER PRIMARY KEY);CREATE TABLE c(x REFERENCES p ON DELETE RESTRICT);
PRAGMA defer_foreign_keys;
BEGIN; PRAGMA defer_foreign_keys=ON; INSERT INTO c VALUES(1); PRAGMA defer_foreign_keys; INSERT INTO p VALUES(1); DELETE FROM p; INSERT INTO p VALUES(1); COMMIT; PRAGMA defer_foreign_keys;
PRAGMA defer_foreign_keys=1; INSERT INTO c VALUES(3);
PRAGMA defer_foreign_keys;
BEGIN; PRAGMA defer_foreign_keys=1; INSERT INTO c VALUES(3); COMMIT;
ROLLBACK;
SELECT * FROM c;
