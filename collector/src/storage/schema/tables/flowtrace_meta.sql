-- Bookkeeping: schema_version (the schema this database holds, see README.md) and settings the
-- views read (abandon_after_ms, written by database.ts at every start).
CREATE TABLE IF NOT EXISTS flowtrace_meta (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
