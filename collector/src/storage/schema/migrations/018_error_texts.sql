-- The error texts of traces (tables/error_texts.sql as version 17 created it), filled from the
-- spans and console lines stored before: what the writer writes for them (span-model/error-texts.ts;
-- test/storage/error-texts.test.ts runs the INSERT below and compares).
CREATE TABLE IF NOT EXISTS error_texts (
  trace_id VARCHAR NOT NULL,
  span_id  VARCHAR NOT NULL,
  time_ns  BIGINT  NOT NULL,
  text     VARCHAR NOT NULL
);

INSERT INTO error_texts
SELECT DISTINCT trace_id, span_id, time_ns, left(text, 2000) FROM (
  SELECT trace_id, span_id, end_ns AS time_ns, status_message AS text
  FROM span_data WHERE status_code = 2 AND status_message IS NOT NULL
  UNION ALL
  SELECT trace_id, span_id, end_ns, json_extract_string(e, '$.attributes."exception.message"')
  FROM (SELECT trace_id, span_id, end_ns, unnest(json_extract(events, '$[*]')) AS e
        FROM span_data WHERE contains(events, '"exception"'))
  WHERE json_extract_string(e, '$.name') = 'exception'
  UNION ALL
  SELECT trace_id, span_id, time_ns, body FROM log_data WHERE severity_number >= 17 AND trace_id <> ''
) WHERE text IS NOT NULL AND text <> '';
