-- Finished spans, one row each, appended in arrival order (so start_ns zone maps prune well).
-- Hot fields are real columns; every attribute stays queryable as JSON text (VARCHAR, not the
-- JSON type: DuckDB compresses VARCHAR with FSST and dictionaries, JSON columns not at all;
-- the views cast it back to JSON).
-- No primary key: (trace_id, span_id) uniqueness is kept by the writer's anti-join, which
-- costs far less than an ART index over every span (see storage/writer.ts).
CREATE TABLE IF NOT EXISTS span_data (
  trace_id                 VARCHAR  NOT NULL,
  span_id                  VARCHAR  NOT NULL,
  parent_span_id           VARCHAR,
  trace_state              VARCHAR,
  name                     VARCHAR  NOT NULL,
  kind                     UTINYINT NOT NULL,
  service_name             VARCHAR  NOT NULL,
  start_ns                 BIGINT   NOT NULL,
  end_ns                   BIGINT   NOT NULL,
  status_code              UTINYINT NOT NULL,
  status_message           VARCHAR,
  exception_message        VARCHAR,
  execution_kind           VARCHAR,
  flow_id                  VARCHAR,
  flow_name                VARCHAR,
  flow_version             VARCHAR,
  trigger_type             VARCHAR,
  user_id                  VARCHAR,
  node_id                  VARCHAR,
  node_name                VARCHAR,
  node_type                VARCHAR,
  node_index               INTEGER,
  flow_status              VARCHAR,
  error_node_id            VARCHAR,
  attributes               VARCHAR     NOT NULL,
  resource_attributes      VARCHAR     NOT NULL,
  scope_name               VARCHAR,
  scope_version            VARCHAR,
  events                   VARCHAR     NOT NULL,
  links                    VARCHAR     NOT NULL,
  flags                    UINTEGER NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL,
  dropped_events_count     UINTEGER NOT NULL,
  dropped_links_count      UINTEGER NOT NULL
);
