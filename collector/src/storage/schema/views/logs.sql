-- logs: console lines and other log records, the severity named when the record gave no text.
CREATE OR REPLACE VIEW logs AS
SELECT
  trace_id, span_id,
  make_timestamp_ns(time_ns) AS time,
  severity_number,
  coalesce(severity_text, severity_name(severity_number), '') AS severity,
  body, CAST(attributes AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  service_name, scope_name, time_ns
FROM log_data;
