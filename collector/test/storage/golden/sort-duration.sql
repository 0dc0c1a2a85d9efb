SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
ORDER BY (coalesce(end_ns, start_ns) - start_ns) DESC, trace_id DESC
LIMIT 51
-- $abandon_before = 1700000000000000000n
