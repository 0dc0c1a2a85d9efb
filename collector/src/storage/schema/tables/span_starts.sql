-- Spans in flight, known only from their start marks (OTLP log records). A row lives here
-- until the finished span arrives and replaces it. Small: only what runs right now, plus
-- starts whose end never came (abandoned), which retention removes with their execution.
-- large_attributes as in span_data.sql.
CREATE TABLE IF NOT EXISTS span_starts (
  trace_id            VARCHAR  NOT NULL,
  span_id             VARCHAR  NOT NULL,
  parent_span_id      VARCHAR,
  name                VARCHAR  NOT NULL,
  kind                UTINYINT NOT NULL,
  service_name        VARCHAR  NOT NULL,
  start_ns            BIGINT   NOT NULL,
  execution_kind      VARCHAR,
  flow_id             VARCHAR,
  flow_name           VARCHAR,
  flow_version        VARCHAR,
  trigger_type        VARCHAR,
  user_id             VARCHAR,
  node_id             VARCHAR,
  node_name           VARCHAR,
  node_type           VARCHAR,
  node_index          INTEGER,
  attributes          VARCHAR  NOT NULL,
  resource_attributes VARCHAR  NOT NULL,
  scope_name          VARCHAR,
  scope_version       VARCHAR,
  large_attributes    VARCHAR USING COMPRESSION zstd
);
