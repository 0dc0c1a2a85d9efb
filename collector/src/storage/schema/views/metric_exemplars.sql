-- metric_exemplars: one row per exemplar, with the trace and span it points at, so that
-- `metric_exemplars JOIN spans USING (trace_id, span_id)` goes from a metric to its spans.
CREATE OR REPLACE VIEW metric_exemplars AS
SELECT
  service_name, name, make_timestamp_ns(time_ns) AS time, CAST(attributes AS JSON) AS attributes,
  e ->> '$.traceId' AS trace_id, e ->> '$.spanId' AS span_id,
  TRY_CAST(e ->> '$.value' AS DOUBLE) AS value,
  make_timestamp_ns(TRY_CAST(e ->> '$.timeUnixNano' AS BIGINT)) AS exemplar_time,
  e -> '$.filteredAttributes' AS filtered_attributes,
  time_ns
FROM (SELECT *, unnest(CAST(exemplars AS JSON[])) AS e FROM metric_data WHERE exemplars <> '[]');
