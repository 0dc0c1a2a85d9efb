-- The attribute value index (see storage/attribute-values.ts): one row per trace, attribute key
-- and short value of its finished spans' small attributes (not large_attributes), written by
-- the writer with the spans.
-- Hot keys kept in their own columns (008) and the flowtrace.truncated mark are not in it;
-- values are the json_extract_string text of strings, booleans and integers of at most 128
-- characters (strings that start with [ or { or read as a non-integer number left out).
CREATE TABLE IF NOT EXISTS attribute_values (
  trace_id VARCHAR NOT NULL,
  key      VARCHAR NOT NULL,
  value    VARCHAR NOT NULL
);

-- Spans stored before this file, indexed by the same rule.
INSERT INTO attribute_values
SELECT DISTINCT trace_id, key, value
FROM (
  SELECT s.trace_id, j.key, j.type, j.value ->> '$' AS value
  FROM span_data s, json_each(s.attributes) j
)
WHERE key NOT IN ('flowtrace.truncated', 'flow.execution.kind', 'flow.id', 'flow.name', 'flow.version',
                  'flow.trigger.type', 'enduser.id', 'flow.node.id', 'flow.node.name', 'flow.node.type',
                  'flow.node.index', 'flow.execution.status', 'flow.node.status', 'flow.error.node_id')
  AND CASE type
    WHEN 'VARCHAR' THEN length(value) <= 128 AND NOT starts_with(value, '[') AND NOT starts_with(value, '{')
      AND (NOT regexp_full_match(value, '-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?')
           OR regexp_full_match(value, '-?(0|[1-9][0-9]{0,17})'))
    WHEN 'BOOLEAN' THEN true
    WHEN 'BIGINT' THEN regexp_full_match(value, '-?(0|[1-9][0-9]{0,17})')
    WHEN 'UBIGINT' THEN regexp_full_match(value, '-?(0|[1-9][0-9]{0,17})')
    ELSE false
  END;
