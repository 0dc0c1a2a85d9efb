SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE service_name IN ($service0)
  AND user_id IN ($user0)
  AND trigger_type IN ($trigger0)
ORDER BY start_ns DESC, trace_id DESC
LIMIT 20
-- $abandon_before = 1700000000000000000n
-- $service0 = "api"
-- $user0 = "alice"
-- $trigger0 = "http"
