-- The tables users query from the SQL console, with readable column names.
-- spans: finished spans and spans still running (from start marks), one row per span.
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
  CAST(attributes AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
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
  CAST(s.attributes AS JSON), CAST(s.resource_attributes AS JSON), s.scope_name, s.scope_version,
  CAST('[]' AS JSON), CAST('[]' AS JSON),
  s.start_ns, NULL
FROM span_starts s;

-- The status of an execution, from its root and how recently anything arrived for it.
CREATE OR REPLACE MACRO execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, abandon_before_ns) AS
  CASE
    WHEN NOT root_finished THEN (CASE WHEN last_seen_ns < abandon_before_ns THEN 'abandoned' ELSE 'running' END)
    WHEN root_flow_status IN ('success', 'error', 'cancelled', 'timed_out') THEN root_flow_status
    WHEN root_status_code = 2 THEN 'error'
    ELSE 'success'
  END;

-- executions: one row per trace.
CREATE OR REPLACE VIEW executions AS
SELECT
  trace_id,
  coalesce(flow_name, root_name) AS flow_name,
  flow_id, flow_version, execution_kind, service_name,
  execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns,
    epoch_ns(now()) - 1000000 * coalesce((SELECT value::BIGINT FROM flowtrace_meta WHERE key = 'abandon_after_ms'), 600000)
  ) AS status,
  make_timestamp_ns(start_ns) AS start_time,
  make_timestamp_ns(end_ns) AS end_time,
  (end_ns - start_ns) / 1e6 AS duration_ms,
  span_count, error_count, trigger_type, user_id, error_node_id, error_message,
  root_finished AS complete_root,
  root_span_id, start_ns, end_ns
FROM execution_data;

-- logs: console lines and other log records.
CREATE OR REPLACE VIEW logs AS
SELECT
  trace_id, span_id,
  make_timestamp_ns(time_ns) AS time,
  severity_number,
  coalesce(severity_text, '') AS severity,
  body, CAST(attributes AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  service_name, scope_name, time_ns
FROM log_data;
