SELECT span_id FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id AND (contains(lower(attributes), $text) OR contains(lower(resource_attributes), $text) OR contains(lower(concat_ws(' ', flow_id, user_id, trigger_type, node_id, node_name, node_type)), $text) OR contains(lower(coalesce(large_attributes, '')), $text) OR contains(lower(events), $text)) AND ((coalesce(CASE WHEN contains(attributes, $c0) THEN json_extract_string(attributes, $c1) END, large_attribute_text(large_attributes, $c2, $c1)) = $c3 OR json_extract_string(resource_attributes, $c4) = $c5))
UNION
SELECT span_id FROM span_starts WHERE trace_id = $trace_id AND (contains(lower(attributes), $text) OR contains(lower(resource_attributes), $text) OR contains(lower(concat_ws(' ', flow_id, user_id, trigger_type, node_id, node_name, node_type)), $text)) AND ((json_extract_string(attributes, $r_path0) = $r_value0 OR json_extract_string(resource_attributes, $r_path0) = $r_value0))
ORDER BY span_id
-- $text = "x"
-- $c0 = "\"k\":"
-- $c1 = "$.\"k\""
-- $c2 = "k"
-- $c3 = "v"
-- $c4 = "$.\"k\""
-- $c5 = "v"
-- $r_path0 = "$.\"k\""
-- $r_value0 = "v"
