-- The error texts of traces (storage/span-model/error-texts.ts): the status message of each
-- failed span, the message of each exception event and each error-level console line (severity
-- 17 and above) of a trace, one row each, cut to 2,000 characters; written by the writer with the
-- spans and lines, deleted with their trace. Small (a few rows per failed run), so the execution
-- list's text search finds a run by its error without reading span rows and their payloads; the
-- span and line search still decides every page (storage/executions/executions.ts).
CREATE TABLE IF NOT EXISTS error_texts (
  trace_id VARCHAR NOT NULL,
  -- '' for a console line without a span id
  span_id  VARCHAR NOT NULL,
  -- the span's end, or the line's time
  time_ns  BIGINT  NOT NULL,
  text     VARCHAR NOT NULL
);
