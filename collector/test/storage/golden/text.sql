SELECT *, execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status
FROM execution_data
WHERE (trace_id = $text OR contains(lower(coalesce(coalesce(flow_name, service_name || ': ' || root_name), '')), $text) OR contains(lower(coalesce(error_message, '')), $text) OR trace_id IN (SELECT trace_id FROM error_texts WHERE contains(lower(text), $text)) OR trace_id IN (SELECT trace_id FROM span_data WHERE (contains(lower(name), $text) OR contains(lower(concat_ws(' ', node_id, node_name, node_type, flow_id, user_id, trigger_type, error_node_id)), $text) OR contains(lower(attributes), $text) OR contains(lower(large_attributes), $text) OR contains(lower(concat_ws(' ', status_message, exception_message)), $text) OR contains(lower(events), $text)) UNION ALL SELECT trace_id FROM span_starts WHERE contains(lower(name), $text) OR contains(lower(concat_ws(' ', node_id, node_name, node_type, flow_id, user_id, trigger_type)), $text) OR contains(lower(attributes), $text) OR contains(lower(large_attributes), $text) UNION ALL SELECT trace_id FROM log_data WHERE trace_id <> '' AND contains(lower(body), $text)))
ORDER BY start_ns DESC, trace_id DESC
LIMIT 50
-- $abandon_before = 1700000000000000000n
-- $text = "checkout"
