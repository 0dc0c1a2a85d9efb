-- Console lines and other OTLP log records. trace_id/span_id are '' when absent.
CREATE TABLE IF NOT EXISTS log_data (
  trace_id                 VARCHAR  NOT NULL,
  span_id                  VARCHAR  NOT NULL,
  time_ns                  BIGINT   NOT NULL,
  observed_time_ns         BIGINT   NOT NULL,
  severity_number          UTINYINT NOT NULL,
  -- as sent, NULL when the record had none (rows written before version 13 hold the name ingest
  -- gave the number); readers name the number with severity_name() / storage/severity.ts
  severity_text            VARCHAR,
  body                     VARCHAR  NOT NULL,
  attributes               VARCHAR  NOT NULL,
  resource_attributes      VARCHAR  NOT NULL,
  service_name             VARCHAR  NOT NULL,
  scope_name               VARCHAR,
  flags                    UINTEGER NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL,
  -- What an OTLP export needs (as in span_data.sql), the event name, the scope version and how
  -- the body is held: 0 none, 1 a string as it is, 2 another AnyValue as JSON (NULL in rows
  -- written before version 13: '' none, else a string).
  event_name               VARCHAR,
  body_type                UTINYINT,
  scope_version            VARCHAR,
  resource_schema_url      VARCHAR,
  resource_dropped_attributes_count UINTEGER DEFAULT 0,
  scope_attributes         VARCHAR,
  scope_dropped_attributes_count UINTEGER DEFAULT 0,
  scope_schema_url         VARCHAR,
  value_types              VARCHAR
);
