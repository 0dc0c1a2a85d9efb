SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (flow_name IN ($flow0) OR (flow_name IS NULL AND service_name || ': ' || root_name IN ($flow0)))
  AND service_name IN ($service0)
  AND (root_finished AND (root_flow_status = 'success' OR ((root_flow_status IS NULL OR root_flow_status NOT IN ('success', 'error', 'cancelled', 'timed_out')) AND root_status_code IS DISTINCT FROM 2)))
  AND user_id IN ($user0)
  AND trigger_type IN ($trigger0)
  AND start_ns >= $from_ns
  AND start_ns <= $to_ns
  AND (coalesce(end_ns, start_ns) - start_ns) >= $min_duration_ns
  AND (coalesce(end_ns, start_ns) - start_ns) <= $max_duration_ns
  AND trace_id IN (SELECT trace_id FROM attribute_values WHERE key = $attr_key0 AND value = $attr_value0 UNION ALL SELECT trace_id FROM span_data WHERE ((contains(resource_attributes, $attr_text0) OR contains(resource_attributes, $attr_token0)) AND json_extract_string(resource_attributes, $attr_path0) = $attr_value0) UNION ALL SELECT trace_id FROM span_starts WHERE ((contains(attributes, $attr_text0) OR contains(attributes, $attr_token0)) AND json_extract_string(attributes, $attr_path0) = $attr_value0))
  AND (trace_id = $text OR contains(lower(coalesce(coalesce(flow_name, service_name || ': ' || root_name), '')), $text) OR contains(lower(coalesce(error_message, '')), $text) OR trace_id IN (SELECT trace_id FROM error_texts WHERE contains(lower(text), $text)) OR trace_id IN (SELECT trace_id FROM span_data WHERE (contains(lower(name), $text) OR contains(lower(concat_ws(' ', node_id, node_name, node_type, flow_id, user_id, trigger_type, error_node_id)), $text) OR contains(lower(attributes), $text) OR contains(lower(large_attributes), $text) OR contains(lower(concat_ws(' ', status_message, exception_message)), $text) OR contains(lower(events), $text)) UNION ALL SELECT trace_id FROM span_starts WHERE contains(lower(name), $text) OR contains(lower(concat_ws(' ', node_id, node_name, node_type, flow_id, user_id, trigger_type)), $text) OR contains(lower(attributes), $text) OR contains(lower(large_attributes), $text) UNION ALL SELECT trace_id FROM log_data WHERE trace_id <> '' AND contains(lower(body), $text)))
  AND (start_ns < $cursor_start OR (start_ns = $cursor_start AND trace_id < $cursor_trace))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 10
-- $abandon_before = 1700000000000000000n
-- $flow0 = "orders"
-- $service0 = "api"
-- $user0 = "bob"
-- $trigger0 = "manual"
-- $from_ns = 1n
-- $to_ns = 2n
-- $min_duration_ns = 1000000n
-- $max_duration_ns = 2000000n
-- $attr_path0 = "$.\"k\""
-- $attr_value0 = "v"
-- $attr_text0 = "\"k\":\"v\""
-- $attr_token0 = "\"k\":v"
-- $attr_key0 = "k"
-- $text = "x"
-- $cursor_start = 5n
-- $cursor_trace = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
