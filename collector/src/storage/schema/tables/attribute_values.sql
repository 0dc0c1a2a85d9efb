-- The attribute value index (see storage/attribute-values.ts): one row per trace, attribute key
-- and short value of its finished spans' small attributes (not large_attributes), written by
-- the writer with the spans.
-- Hot keys kept in their own columns and the flowtrace.truncated mark are not in it; values are
-- the json_extract_string text of strings, booleans and integers of at most 128 characters
-- (strings that start with [ or { or read as a non-integer number left out).
CREATE TABLE IF NOT EXISTS attribute_values (
  trace_id VARCHAR NOT NULL,
  key      VARCHAR NOT NULL,
  value    VARCHAR NOT NULL
);
