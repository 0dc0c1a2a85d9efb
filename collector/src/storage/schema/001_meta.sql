-- Schema bookkeeping: the version of the newest schema file applied to this database.
CREATE TABLE IF NOT EXISTS flowtrace_meta (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
