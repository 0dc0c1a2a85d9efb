SELECT span_id FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id AND ((coalesce(CASE WHEN contains(attributes, $c0) THEN json_extract_string(attributes, $c1) END, CASE WHEN large_attributes IS NOT NULL THEN json_extract_string(large_attributes, $c1) END) = $c2 OR json_extract_string(resource_attributes, $c3) = $c4) AND ((CASE WHEN coalesce(moved_attributes, 0) & 64 <> 0 THEN node_id ELSE coalesce(CASE WHEN contains(attributes, $c5) THEN json_extract_string(attributes, $c6) END, CASE WHEN large_attributes IS NOT NULL THEN json_extract_string(large_attributes, $c6) END) END) = $c7 OR json_extract_string(resource_attributes, $c8) = $c9))
UNION
SELECT span_id FROM span_starts WHERE trace_id = $trace_id AND ((json_extract_string(attributes, $r_path0) = $r_value0 OR json_extract_string(resource_attributes, $r_path0) = $r_value0) AND (json_extract_string(attributes, $r_path1) = $r_value1 OR json_extract_string(resource_attributes, $r_path1) = $r_value1))
ORDER BY span_id
-- $c0 = "\"order.id\":"
-- $c1 = "$.\"order.id\""
-- $c2 = "o-1"
-- $c3 = "$.\"order.id\""
-- $c4 = "o-1"
-- $c5 = "\"flow.node.id\":"
-- $c6 = "$.\"flow.node.id\""
-- $c7 = "n \"2\""
-- $c8 = "$.\"flow.node.id\""
-- $c9 = "n \"2\""
-- $r_path0 = "$.\"order.id\""
-- $r_value0 = "o-1"
-- $r_path1 = "$.\"flow.node.id\""
-- $r_value1 = "n \"2\""
