-- Version 13: what an OTLP export needs to give back what was sent (query/otlp-export.ts,
-- otlp-logs-export.ts): the resource's and scope's fields beyond their attributes and names, and
-- the value types the JSON of a row cannot tell (storage/value-types.ts). Rows written before
-- read as sent without them: no schema URLs, no scope attributes, dropped counts 0, nothing noted.
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
