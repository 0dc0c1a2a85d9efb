SELECT span_id FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id AND ((coalesce(CASE WHEN contains(attributes, $c0) THEN json_extract_string(attributes, $c1) END, large_attribute_text(large_attributes, $c2, $c1)) = $c3 OR json_extract_string(resource_attributes, $c4) = $c5) AND ((CASE WHEN coalesce(moved_attributes, 0) & 64 <> 0 THEN node_id ELSE coalesce(CASE WHEN contains(attributes, $c6) THEN json_extract_string(attributes, $c7) END, large_attribute_text(large_attributes, $c8, $c7)) END) = $c9 OR json_extract_string(resource_attributes, $c10) = $c11))
UNION
SELECT span_id FROM span_starts WHERE trace_id = $trace_id AND ((json_extract_string(attributes, $r_path0) = $r_value0 OR json_extract_string(resource_attributes, $r_path0) = $r_value0) AND (json_extract_string(attributes, $r_path1) = $r_value1 OR json_extract_string(resource_attributes, $r_path1) = $r_value1))
ORDER BY span_id
-- $c0 = "\"order.id\":"
-- $c1 = "$.\"order.id\""
-- $c2 = "order.id"
-- $c3 = "o-1"
-- $c4 = "$.\"order.id\""
-- $c5 = "o-1"
-- $c6 = "\"flow.node.id\":"
-- $c7 = "$.\"flow.node.id\""
-- $c8 = "flow.node.id"
-- $c9 = "n \"2\""
-- $c10 = "$.\"flow.node.id\""
-- $c11 = "n \"2\""
-- $r_path0 = "$.\"order.id\""
-- $r_value0 = "o-1"
-- $r_path1 = "$.\"flow.node.id\""
-- $r_value1 = "n \"2\""
