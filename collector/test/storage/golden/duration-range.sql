SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (coalesce(end_ns, start_ns) - start_ns) >= $min_duration_ns
  AND (coalesce(end_ns, start_ns) - start_ns) <= $max_duration_ns
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $min_duration_ns = 12500000n
-- $max_duration_ns = 1000000000n
