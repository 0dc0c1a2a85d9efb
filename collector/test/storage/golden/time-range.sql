SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE start_ns >= $from_ns
  AND start_ns <= $to_ns
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $from_ns = 1000n
-- $to_ns = 2000n
