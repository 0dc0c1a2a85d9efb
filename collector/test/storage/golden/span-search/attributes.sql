WITH hits AS MATERIALIZED (
  SELECT trace_id, span_id, start_ns FROM span_data
  WHERE (TRY_CAST(coalesce(CASE WHEN contains(attributes, $c0) THEN json_extract_string(attributes, $c1) END, large_attribute_text(large_attributes, $c2, $c1)) AS DOUBLE) >= $c3 OR (CASE WHEN coalesce(moved_attributes, 0) & 512 <> 0 THEN CAST(node_index AS VARCHAR) ELSE coalesce(CASE WHEN contains(attributes, $c4) THEN json_extract_string(attributes, $c5) END, large_attribute_text(large_attributes, $c6, $c5)) END) = $c7 OR json_extract_string(resource_attributes, $c8) = $c9 OR (coalesce(CASE WHEN contains(attributes, $c10) THEN json_extract_string(attributes, $c11) END, large_attribute_text(large_attributes, $c12, $c11)) <> $c13 OR json_extract_string(resource_attributes, $c14) <> $c15))
), picked AS (
  SELECT trace_id, max(start_ns) AS newest_ns, count(*) AS matched FROM hits
  GROUP BY trace_id ORDER BY newest_ns DESC, trace_id DESC LIMIT 5
), shown AS (
  SELECT h.trace_id, h.span_id, h.start_ns FROM hits h SEMI JOIN picked p ON p.trace_id = h.trace_id
  QUALIFY row_number() OVER (PARTITION BY h.trace_id ORDER BY h.start_ns, h.span_id) <= 1
), shown_spans AS (
  SELECT trace_id, list({span_id: span_id, name: name, start_ns: start_ns, end_ns: end_ns,
    attributes: span_attributes(attributes, large_attributes, moved_attributes, execution_kind, flow_id, flow_name, flow_version, trigger_type, user_id, node_id, node_name, node_type, node_index, flow_status, error_node_id), resource_attributes: resource_attributes} ORDER BY start_ns, span_id) AS spans
  FROM span_data s SEMI JOIN shown w ON w.trace_id = s.trace_id AND w.span_id = s.span_id
  WHERE s.start_ns BETWEEN (SELECT min(start_ns) FROM shown) AND (SELECT max(start_ns) FROM shown)
  GROUP BY trace_id
)
SELECT p.trace_id, p.matched, e.service_name AS root_service, e.root_name, e.start_ns AS trace_start_ns,
  coalesce(e.end_ns, e.max_start_ns) AS trace_end_ns, x.spans
FROM picked p LEFT JOIN execution_data e ON e.trace_id = p.trace_id
LEFT JOIN shown_spans x ON x.trace_id = p.trace_id
ORDER BY p.newest_ns DESC, p.trace_id DESC
-- $c0 = "\"http.status_code\":"
-- $c1 = "$.\"http.status_code\""
-- $c2 = "http.status_code"
-- $c3 = 500
-- $c4 = "\"flow.node.index\":"
-- $c5 = "$.\"flow.node.index\""
-- $c6 = "flow.node.index"
-- $c7 = "2"
-- $c8 = "$.\"host.name\""
-- $c9 = "web-1"
-- $c10 = "\"cached\":"
-- $c11 = "$.\"cached\""
-- $c12 = "cached"
-- $c13 = "true"
-- $c14 = "$.\"cached\""
-- $c15 = "true"
