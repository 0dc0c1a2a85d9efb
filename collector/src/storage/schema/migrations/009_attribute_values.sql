-- Version 9: the attribute value index (tables/attribute_values.sql), filled from the spans
-- stored before it by the rule the writer uses (storage/attribute-values.ts). Reads every span's
-- attributes as JSON, so 010_well_formed_json.sql runs first in the same version (migrations/order.txt).
CREATE TABLE IF NOT EXISTS attribute_values (
  trace_id VARCHAR NOT NULL,
  key      VARCHAR NOT NULL,
  value    VARCHAR NOT NULL
);

-- Spans stored before this version, indexed by the same rule.
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
