-- Version 14: the control log (tables/control_log.sql, as it was created).
CREATE TABLE IF NOT EXISTS control_log (
  request_id    VARCHAR  NOT NULL,
  -- epoch nanoseconds, as every time in this database
  requested_at  BIGINT   NOT NULL,
  answered_at   BIGINT   NOT NULL,
  -- 'cancel' or 'replay'
  action        VARCHAR  NOT NULL,
  target_trace_id VARCHAR NOT NULL,
  service_name  VARCHAR,
  flow_id       VARCHAR,
  -- what the request named (free text, capped) and the client address it came from
  requested_by  VARCHAR  NOT NULL,
  client        VARCHAR  NOT NULL,
  -- cancelled, already_cancelled, started, no_instance, not_allowed, already_finished,
  -- not_running, connection_lost, no_answer, input_incomplete, failed
  outcome       VARCHAR  NOT NULL,
  message       VARCHAR,
  instance_id   VARCHAR,
  -- a replay's new execution
  new_trace_id  VARCHAR,
  -- a replay's input was edited (not the captured one)
  input_edited  BOOLEAN
);
