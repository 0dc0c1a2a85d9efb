SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE start_ns >= $from_ns
  AND trace_id IN (SELECT trace_id FROM span_data WHERE start_ns >= $span_from AND (((contains(attributes, $attr_text0) OR contains(attributes, $attr_token0)) AND json_extract_string(attributes, $attr_path0) = $attr_value0) OR ((contains(resource_attributes, $attr_text0) OR contains(resource_attributes, $attr_token0)) AND json_extract_string(resource_attributes, $attr_path0) = $attr_value0)) UNION ALL SELECT trace_id FROM span_starts WHERE ((contains(attributes, $attr_text0) OR contains(attributes, $attr_token0)) AND json_extract_string(attributes, $attr_path0) = $attr_value0))
  AND trace_id IN (SELECT trace_id FROM attribute_values WHERE key = $attr_key1 AND value = $attr_value1 UNION ALL SELECT trace_id FROM span_data WHERE start_ns >= $span_from AND ((contains(resource_attributes, $attr_text1) OR contains(resource_attributes, $attr_token1)) AND json_extract_string(resource_attributes, $attr_path1) = $attr_value1) UNION ALL SELECT trace_id FROM span_starts WHERE ((contains(attributes, $attr_text1) OR contains(attributes, $attr_token1)) AND json_extract_string(attributes, $attr_path1) = $attr_value1))
  AND (trace_id = $text OR contains(lower(coalesce(coalesce(flow_name, service_name || ': ' || root_name), '')), $text) OR contains(lower(coalesce(error_message, '')), $text) OR trace_id IN (SELECT trace_id FROM error_texts WHERE contains(lower(text), $text)) OR trace_id IN (SELECT trace_id FROM span_data WHERE start_ns >= $span_from AND (contains(lower(name), $text) OR contains(lower(concat_ws(' ', node_id, node_name, node_type, flow_id, user_id, trigger_type, error_node_id)), $text) OR contains(lower(attributes), $text) OR contains(lower(large_attributes), $text) OR contains(lower(concat_ws(' ', status_message, exception_message)), $text) OR contains(lower(events), $text)) UNION ALL SELECT trace_id FROM span_starts WHERE contains(lower(name), $text) OR contains(lower(concat_ws(' ', node_id, node_name, node_type, flow_id, user_id, trigger_type)), $text) OR contains(lower(attributes), $text) OR contains(lower(large_attributes), $text) UNION ALL SELECT trace_id FROM log_data WHERE time_ns >= $log_from AND trace_id <> '' AND contains(lower(body), $text)))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 51
-- $abandon_before = 1700000000000000000n
-- $from_ns = 1000n
-- $span_from = 900n
-- $attr_path0 = "$.\"note\""
-- $attr_value0 = "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
-- $attr_text0 = "\"note\":\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\""
-- $attr_token0 = "\"note\":nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
-- $attr_path1 = "$.\"order.id\""
-- $attr_value1 = "o-1"
-- $attr_text1 = "\"order.id\":\"o-1\""
-- $attr_token1 = "\"order.id\":o-1"
-- $attr_key1 = "order.id"
-- $text = "checkout"
-- $log_from = -59999999100n
