SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (coalesce(end_ns, start_ns) - start_ns) >= $min_duration_ns
  AND ((coalesce(end_ns, start_ns) - start_ns) < $cursor_duration OR ((coalesce(end_ns, start_ns) - start_ns) = $cursor_duration AND trace_id < $cursor_trace))
ORDER BY (coalesce(end_ns, start_ns) - start_ns) DESC, trace_id DESC
LIMIT 51
-- $abandon_before = 1700000000000000000n
-- $min_duration_ns = 1000000n
-- $cursor_duration = 4500000n
-- $cursor_trace = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
