SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (start_ns < $cursor_start OR (start_ns = $cursor_start AND trace_id < $cursor_trace))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 51
-- $abandon_before = 1700000000000000000n
-- $cursor_start = 123n
-- $cursor_trace = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
