-- Version 12: executions that continue a trace from elsewhere (a service behind a gateway or a
-- browser): an execution is rooted at its span without a parent, else at its earliest span whose
-- parent is not in the trace (storage/execution-merge.ts). root_parent_span_id is that root's
-- parent, NULL when the root has none.
ALTER TABLE execution_data ADD COLUMN root_parent_span_id VARCHAR;

-- Rows written before this file: the root's parent, when it is not in the trace (a root that
-- carried flow.execution.kind under a remote parent).
UPDATE execution_data e SET root_parent_span_id = s.parent_span_id
FROM span_data s
WHERE e.root_finished AND s.trace_id = e.trace_id AND s.span_id = e.root_span_id
  AND s.start_ns BETWEEN e.min_start_ns AND e.max_start_ns
  AND s.parent_span_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM span_data p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id);

-- Traces that had no root (shown running, then abandoned with a made-up duration): rooted now at
-- their earliest finished span whose parent is not in the trace, as the writer roots them.
UPDATE execution_data e SET
  root_span_id = c.span_id, root_parent_span_id = c.parent_span_id, root_name = c.name,
  root_finished = true, root_started = true, root_status_code = c.status_code, root_flow_status = c.flow_status,
  service_name = c.service_name, execution_kind = c.execution_kind, flow_id = c.flow_id, flow_name = c.flow_name,
  flow_version = c.flow_version, trigger_type = c.trigger_type, user_id = c.user_id, error_node_id = c.error_node_id,
  start_ns = c.start_ns, end_ns = c.end_ns
FROM (
  SELECT DISTINCT ON (s.trace_id) s.*
  FROM span_data s
  WHERE s.trace_id IN (SELECT trace_id FROM execution_data WHERE NOT root_started)
    AND (s.parent_span_id IS NULL
         OR NOT EXISTS (SELECT 1 FROM span_data p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))
  ORDER BY s.trace_id, s.parent_span_id IS NOT NULL, s.start_ns, s.span_id
) c
WHERE e.trace_id = c.trace_id;
