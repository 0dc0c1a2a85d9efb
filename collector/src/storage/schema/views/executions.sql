-- executions: one row per trace, with its flow (execution_flow()), its status
-- (execution_status(), abandoned after the abandon_after_ms setting) and its remote parent.
CREATE OR REPLACE VIEW executions AS
SELECT
  trace_id,
  execution_flow(flow_name, service_name, root_name) AS flow_name,
  flow_id, flow_version, execution_kind, service_name,
  execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns,
    epoch_ns(now()) - 1000000 * coalesce((SELECT value::BIGINT FROM flowtrace_meta WHERE key = 'abandon_after_ms'), 600000)
  ) AS status,
  make_timestamp_ns(start_ns) AS start_time,
  make_timestamp_ns(end_ns) AS end_time,
  (end_ns - start_ns) / 1e6 AS duration_ms,
  span_count, error_count, trigger_type, user_id, error_node_id, error_message,
  root_finished AS complete_root,
  root_span_id, start_ns, end_ns,
  root_parent_span_id IS NOT NULL AS continues_remote_trace,
  root_parent_span_id AS remote_parent_span_id
FROM execution_data;
