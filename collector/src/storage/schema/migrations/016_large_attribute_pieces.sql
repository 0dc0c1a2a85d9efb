-- Large attributes in plain VARCHAR piece columns instead of one VARCHAR[] column
-- (storage/span-model/large-attributes.ts; bench/PROFILING.md "Session 8 — payload storage").
-- With a list column, each commit logged bytes in proportion to the list rows written since the
-- last checkpoint (600 one-span requests with a 300-character attribute, 427 KiB sent, left a
-- 55 MiB WAL), and appending lists cost more than appending strings. A row keeps its pieces in
-- order in large_attributes_0 … _6, and large_attributes_7 holds the rest joined (NULL when none).
-- Version 15 adds and fills the columns; version 16 (017_drop_large_attribute_lists.sql) drops
-- the lists: DuckDB refuses to alter a table after updating it in one transaction.
ALTER TABLE span_data ADD COLUMN large_attributes_0 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_1 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_2 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_3 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_4 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_5 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_6 VARCHAR;
ALTER TABLE span_data ADD COLUMN large_attributes_7 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_0 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_1 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_2 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_3 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_4 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_5 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_6 VARCHAR;
ALTER TABLE span_starts ADD COLUMN large_attributes_7 VARCHAR;

UPDATE span_data SET
  large_attributes_0 = large_attributes[1], large_attributes_1 = large_attributes[2],
  large_attributes_2 = large_attributes[3], large_attributes_3 = large_attributes[4],
  large_attributes_4 = large_attributes[5], large_attributes_5 = large_attributes[6],
  large_attributes_6 = large_attributes[7],
  large_attributes_7 = CASE WHEN len(large_attributes) >= 8 THEN array_to_string(large_attributes[8:], '') END
WHERE large_attributes IS NOT NULL AND len(large_attributes) > 0;

UPDATE span_starts SET
  large_attributes_0 = large_attributes[1], large_attributes_1 = large_attributes[2],
  large_attributes_2 = large_attributes[3], large_attributes_3 = large_attributes[4],
  large_attributes_4 = large_attributes[5], large_attributes_5 = large_attributes[6],
  large_attributes_6 = large_attributes[7],
  large_attributes_7 = CASE WHEN len(large_attributes) >= 8 THEN array_to_string(large_attributes[8:], '') END
WHERE large_attributes IS NOT NULL AND len(large_attributes) > 0;
