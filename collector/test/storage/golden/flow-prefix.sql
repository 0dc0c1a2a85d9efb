SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE ((flow_name IN ($flow0) OR (flow_name IS NULL AND service_name || ': ' || root_name IN ($flow0))) OR (starts_with(flow_name, $flow_prefix0) OR (flow_name IS NULL AND starts_with(service_name || ': ' || root_name, $flow_prefix0))) OR (starts_with(flow_name, $flow_prefix1) OR (flow_name IS NULL AND starts_with(service_name || ': ' || root_name, $flow_prefix1))))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $flow0 = "orders"
-- $flow_prefix0 = "check"
-- $flow_prefix1 = "api: GET "
