-- Large attributes in one VARCHAR column that asks for zstd, instead of eight piece columns
-- (storage/span-model/large-attributes.ts; bench/PROFILING.md "Session 10 — payloads in zstd").
-- The pieces existed because FSST leaves a segment holding a string over ~4 KB uncompressed;
-- zstd compresses long strings whole. zstd needs storage format v1.2: a file an older
-- flowtrace wrote stays in its format (the column is then stored plain) until `flowtrace
-- compact` rewrites it (storage/compact.ts). Version 18 adds and fills the column; version 19
-- (020_drop_large_attribute_pieces.sql) drops the pieces: DuckDB refuses to alter a table after
-- updating it in one transaction.
ALTER TABLE span_data ADD COLUMN large_attributes VARCHAR USING COMPRESSION zstd;
ALTER TABLE span_starts ADD COLUMN large_attributes VARCHAR USING COMPRESSION zstd;

UPDATE span_data SET large_attributes = concat(
  large_attributes_0, large_attributes_1, large_attributes_2, large_attributes_3,
  large_attributes_4, large_attributes_5, large_attributes_6, large_attributes_7)
WHERE large_attributes_0 IS NOT NULL;

UPDATE span_starts SET large_attributes = concat(
  large_attributes_0, large_attributes_1, large_attributes_2, large_attributes_3,
  large_attributes_4, large_attributes_5, large_attributes_6, large_attributes_7)
WHERE large_attributes_0 IS NOT NULL;
