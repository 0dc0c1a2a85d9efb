-- Console lines and other OTLP log records. trace_id/span_id are '' when absent.
CREATE TABLE IF NOT EXISTS log_data (
  trace_id                 VARCHAR  NOT NULL,
  span_id                  VARCHAR  NOT NULL,
  time_ns                  BIGINT   NOT NULL,
  observed_time_ns         BIGINT   NOT NULL,
  severity_number          UTINYINT NOT NULL,
  severity_text            VARCHAR,
  body                     VARCHAR  NOT NULL,
  attributes               VARCHAR     NOT NULL,
  resource_attributes      VARCHAR     NOT NULL,
  service_name             VARCHAR  NOT NULL,
  scope_name               VARCHAR,
  flags                    UINTEGER NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL
);
