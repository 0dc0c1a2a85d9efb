SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE trace_id IN (SELECT trace_id FROM attribute_values WHERE key = $attr_key0 AND value = $attr_value0 UNION ALL SELECT trace_id FROM span_data WHERE ((contains(resource_attributes, $attr_text0) OR contains(resource_attributes, $attr_token0)) AND json_extract_string(resource_attributes, $attr_path0) = $attr_value0) UNION ALL SELECT trace_id FROM span_starts WHERE ((contains(attributes, $attr_text0) OR contains(attributes, $attr_token0)) AND json_extract_string(attributes, $attr_path0) = $attr_value0))
  AND trace_id IN (SELECT trace_id FROM attribute_values WHERE key = $attr_key1 AND value = $attr_value1 UNION ALL SELECT trace_id FROM span_data WHERE ((contains(resource_attributes, $attr_text1) OR contains(resource_attributes, $attr_token1)) AND json_extract_string(resource_attributes, $attr_path1) = $attr_value1) UNION ALL SELECT trace_id FROM span_starts WHERE ((contains(attributes, $attr_text1) OR contains(attributes, $attr_token1)) AND json_extract_string(attributes, $attr_path1) = $attr_value1))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $attr_path0 = "$.\"http.route\""
-- $attr_value0 = "/orders/:id"
-- $attr_text0 = "\"http.route\":\"/orders/:id\""
-- $attr_token0 = "\"http.route\":/orders/:id"
-- $attr_key0 = "http.route"
-- $attr_path1 = "$.\"tenant \\\"x\\\"\""
-- $attr_value1 = "a"
-- $attr_text1 = "\"tenant \\\"x\\\"\":\"a\""
-- $attr_token1 = "\"tenant \\\"x\\\"\":a"
-- $attr_key1 = "tenant \"x\""
