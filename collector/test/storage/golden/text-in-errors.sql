SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (root_finished AND (root_flow_status = 'error' OR ((root_flow_status IS NULL OR root_flow_status NOT IN ('success', 'error', 'cancelled', 'timed_out')) AND root_status_code = 2)))
  AND (trace_id = $text OR contains(lower(coalesce(coalesce(flow_name, service_name || ': ' || root_name), '')), $text) OR contains(lower(coalesce(error_message, '')), $text) OR trace_id IN (SELECT trace_id FROM error_texts WHERE contains(lower(text), $text)))
  AND (start_ns < $cursor_start OR (start_ns = $cursor_start AND trace_id < $cursor_trace))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 51
-- $abandon_before = 1700000000000000000n
-- $text = "card declined"
-- $cursor_start = 123n
-- $cursor_trace = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
