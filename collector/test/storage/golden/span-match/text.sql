SELECT span_id FROM span_data WHERE start_ns BETWEEN $lo AND $hi AND trace_id = $trace_id AND (contains(lower(attributes), $text) OR contains(lower(resource_attributes), $text) OR contains(lower(concat_ws(' ', flow_id, user_id, trigger_type, node_id, node_name, node_type)), $text) OR contains(lower(coalesce(large_attributes, '')), $text) OR contains(lower(events), $text))
UNION
SELECT span_id FROM span_starts WHERE trace_id = $trace_id AND (contains(lower(attributes), $text) OR contains(lower(resource_attributes), $text) OR contains(lower(concat_ws(' ', flow_id, user_id, trigger_type, node_id, node_name, node_type)), $text))
ORDER BY span_id
-- $text = "acme"
