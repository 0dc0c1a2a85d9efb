SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE ((NOT root_finished AND last_seen_ns >= $abandon_before) OR execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) IN ($status0))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $status0 = "paused"
