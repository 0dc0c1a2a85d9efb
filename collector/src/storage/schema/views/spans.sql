-- spans: finished spans and spans still running (from start marks), one row per span, with
-- readable column names and every attribute in `attributes` (moved, small and large ones:
-- the SPAN_ATTRIBUTES and START_ATTRIBUTES placeholders call the attribute macros that
-- storage/span-model/attribute-sql.ts generates, with the columns it knows).
-- The status of a finished span is span_status(), the API's rule.
CREATE OR REPLACE VIEW spans AS
SELECT
  trace_id, span_id, parent_span_id, name, service_name,
  CASE kind WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client'
            WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END AS kind,
  make_timestamp_ns(start_ns) AS start_time,
  make_timestamp_ns(end_ns) AS end_time,
  (end_ns - start_ns) / 1e6 AS duration_ms,
  span_status(flow_status, status_code) AS status,
  CASE status_code WHEN 1 THEN 'ok' WHEN 2 THEN 'error' ELSE 'unset' END AS status_code,
  status_message, exception_message,
  execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id,
  node_id, node_name, node_type, node_index, error_node_id,
  CAST({{SPAN_ATTRIBUTES}} AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
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
  CAST({{START_ATTRIBUTES}} AS JSON), CAST(s.resource_attributes AS JSON), s.scope_name, s.scope_version,
  CAST('[]' AS JSON), CAST('[]' AS JSON),
  s.start_ns, NULL
FROM span_starts s;
