SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (flow_name IN ($flow0) OR (flow_name IS NULL AND service_name || ': ' || root_name IN ($flow0)))
  AND ((root_finished AND (root_flow_status = 'error' OR ((root_flow_status IS NULL OR root_flow_status NOT IN ('success', 'error', 'cancelled', 'timed_out')) AND root_status_code = 2))) OR (root_finished AND root_flow_status = 'timed_out'))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $flow0 = "orders"
