-- Large attribute values in a column of their own. An attribute whose "key":value JSON text is
-- longer than 256 characters (captured inputs and outputs, bodies, prompts) is written to
-- large_attributes instead of attributes, so attribute filters, suggestions and scans of
-- attributes read small text, and the bulky payloads are read only when a span is shown.
-- large_attributes is the JSON object text of those attributes cut into pieces of at most
-- 3,800 characters and 3,800 bytes, NULL when a span has none: DuckDB compresses strings
-- (FSST) only while every string of a segment stays under about 4 KB, and one longer string
-- leaves the whole segment uncompressed. Rows written before this file keep everything in
-- attributes (large_attributes NULL), which merged_attributes handles too.
ALTER TABLE span_data ADD COLUMN large_attributes VARCHAR[];
ALTER TABLE span_starts ADD COLUMN large_attributes VARCHAR[];

-- The attributes of a span as one JSON object text: the small ones, then the large ones.
CREATE OR REPLACE MACRO merged_attributes(small, large) AS
  CASE
    WHEN large IS NULL THEN small
    WHEN small = '{}' THEN array_to_string(large, '')
    ELSE substr(small, 1, length(small) - 1) || ',' || substr(array_to_string(large, ''), 2)
  END;

-- spans, as in 006_views.sql, with every attribute in `attributes` again.
CREATE OR REPLACE VIEW spans AS
SELECT
  trace_id, span_id, parent_span_id, name, service_name,
  CASE kind WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client'
            WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END AS kind,
  make_timestamp_ns(start_ns) AS start_time,
  make_timestamp_ns(end_ns) AS end_time,
  (end_ns - start_ns) / 1e6 AS duration_ms,
  CASE
    WHEN flow_status IS NOT NULL THEN flow_status
    WHEN status_code = 2 THEN 'error'
    ELSE 'success' END AS status,
  CASE status_code WHEN 1 THEN 'ok' WHEN 2 THEN 'error' ELSE 'unset' END AS status_code,
  status_message, exception_message,
  execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id,
  node_id, node_name, node_type, node_index, error_node_id,
  CAST(merged_attributes(attributes, large_attributes) AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  scope_name, scope_version, CAST(events AS JSON) AS events, CAST(links AS JSON) AS links,
  start_ns, end_ns
FROM span_data
UNION ALL
SELECT
  s.trace_id, s.span_id, s.parent_span_id, s.name, s.service_name,
  CASE s.kind WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client'
              WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END,
  make_timestamp_ns(s.start_ns), NULL, NULL, 'running', 'unset', NULL, NULL,
  s.execution_kind, s.flow_id, s.flow_name, s.flow_version, s.trigger_type, s.user_id,
  s.node_id, s.node_name, s.node_type, s.node_index, NULL,
  CAST(merged_attributes(s.attributes, s.large_attributes) AS JSON), CAST(s.resource_attributes AS JSON), s.scope_name, s.scope_version,
  CAST('[]' AS JSON), CAST('[]' AS JSON),
  s.start_ns, NULL
FROM span_starts s;
