-- One row per trace, kept up to date by the writer in the same transaction as the spans
-- (the writer merges each group into these rows and replaces them; it is the only writer,
-- so trace_id stays unique without a constraint, which DuckDB would check too eagerly on
-- a delete and re-insert of the same key in one transaction).
-- It answers the execution list, flow statistics and "where is trace X in time" (which lets
-- span lookups by trace id prune span_data by start_ns instead of scanning it).
CREATE TABLE IF NOT EXISTS execution_data (
  trace_id          VARCHAR  NOT NULL,
  -- the root: the span without a parent, else the earliest span whose parent is not in the
  -- trace, or one carrying flow.execution.kind (storage/execution-merge.ts)
  root_span_id      VARCHAR,
  root_name         VARCHAR,
  root_finished     BOOLEAN  NOT NULL,
  root_started      BOOLEAN  NOT NULL,
  root_status_code  UTINYINT,
  root_flow_status  VARCHAR,
  -- the status is derived when read (macros/execution_status.sql: running, success, error,
  -- cancelled, timed_out, and abandoned once last_seen_ns is older than abandon_after_ms)
  service_name      VARCHAR  NOT NULL,
  execution_kind    VARCHAR,
  flow_id           VARCHAR,
  flow_name         VARCHAR,
  flow_version      VARCHAR,
  trigger_type      VARCHAR,
  user_id           VARCHAR,
  error_node_id     VARCHAR,
  error_message     VARCHAR,
  -- extent: the root's when it is known, else what the spans seen so far cover
  start_ns          BIGINT   NOT NULL,
  end_ns            BIGINT,
  -- span_data time range, for pruning span lookups (covers starts too)
  min_start_ns      BIGINT   NOT NULL,
  max_start_ns      BIGINT   NOT NULL,
  span_count        INTEGER  NOT NULL,
  error_count       INTEGER  NOT NULL,
  last_seen_ns      BIGINT   NOT NULL,
  -- the root's parent, NULL when it has none: the execution continues a trace from elsewhere
  -- (a service behind a gateway or a browser)
  root_parent_span_id VARCHAR
);
