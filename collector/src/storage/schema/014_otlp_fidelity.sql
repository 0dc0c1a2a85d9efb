-- What an OTLP export needs to give back what was sent (query/otlp-export.ts, otlp-logs-export.ts):
-- the resource's and scope's fields beyond their attributes and names, and the value types the
-- JSON of a row cannot tell (storage/value-types.ts). Rows written before this file read as sent
-- without them: no schema URLs, no scope attributes, dropped counts 0, nothing noted.
ALTER TABLE span_data ADD COLUMN resource_schema_url VARCHAR;
ALTER TABLE span_data ADD COLUMN resource_dropped_attributes_count UINTEGER DEFAULT 0;
ALTER TABLE span_data ADD COLUMN scope_attributes VARCHAR;
ALTER TABLE span_data ADD COLUMN scope_dropped_attributes_count UINTEGER DEFAULT 0;
ALTER TABLE span_data ADD COLUMN scope_schema_url VARCHAR;
ALTER TABLE span_data ADD COLUMN value_types VARCHAR;

-- Log records also keep their event name, how their body is held (0 none, 1 a string as it is,
-- 2 another AnyValue as JSON; NULL before this file: '' none, else a string) and the scope version.
ALTER TABLE log_data ADD COLUMN event_name VARCHAR;
ALTER TABLE log_data ADD COLUMN body_type UTINYINT;
ALTER TABLE log_data ADD COLUMN scope_version VARCHAR;
ALTER TABLE log_data ADD COLUMN resource_schema_url VARCHAR;
ALTER TABLE log_data ADD COLUMN resource_dropped_attributes_count UINTEGER DEFAULT 0;
ALTER TABLE log_data ADD COLUMN scope_attributes VARCHAR;
ALTER TABLE log_data ADD COLUMN scope_dropped_attributes_count UINTEGER DEFAULT 0;
ALTER TABLE log_data ADD COLUMN scope_schema_url VARCHAR;
ALTER TABLE log_data ADD COLUMN value_types VARCHAR;

-- severity_text is kept as sent from here on, NULL when the record had none (older rows hold the
-- name ingest gave the number). Readers name the number, as storage/severity.ts does.
CREATE OR REPLACE MACRO severity_name(n) AS
  CASE WHEN n BETWEEN 1 AND 24
    THEN ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][(n - 1) // 4 + 1] || CASE WHEN (n - 1) % 4 = 0 THEN '' ELSE CAST((n - 1) % 4 + 1 AS VARCHAR) END
  END;

-- logs, as in 006_views.sql, with the severity named when the record gave no text.
CREATE OR REPLACE VIEW logs AS
SELECT
  trace_id, span_id,
  make_timestamp_ns(time_ns) AS time,
  severity_number,
  coalesce(severity_text, severity_name(severity_number), '') AS severity,
  body, CAST(attributes AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  service_name, scope_name, time_ns
FROM log_data;
