-- OTLP metric data points, one row per point of a gauge, sum, histogram, exponential histogram
-- or summary, appended in arrival order (time_ns zone maps prune well). The point's stream is
-- what identifies it: resource, scope, metric name and type, point attributes; a point sent
-- twice (same stream, start_ns and time_ns) is kept once by the writer, as spans are.
-- Attribute collections, distribution buckets and exemplars are JSON text (VARCHAR: DuckDB
-- compresses it; the metrics view casts it to JSON).
CREATE TABLE IF NOT EXISTS metric_data (
  service_name        VARCHAR  NOT NULL,
  resource_attributes VARCHAR  NOT NULL,
  scope_name          VARCHAR,
  scope_version       VARCHAR,
  scope_attributes    VARCHAR  NOT NULL,
  name                VARCHAR  NOT NULL,
  description         VARCHAR,
  unit                VARCHAR,
  -- 1 gauge, 2 sum, 3 histogram, 4 exponential_histogram, 5 summary (storage/metric-points.ts)
  type                UTINYINT NOT NULL,
  -- AggregationTemporality: 0 unspecified (gauges, summaries), 1 delta, 2 cumulative
  temporality         UTINYINT NOT NULL,
  -- sums only
  is_monotonic        BOOLEAN,
  attributes          VARCHAR  NOT NULL,
  -- NULL when the point has no start time
  start_ns            BIGINT,
  time_ns             BIGINT   NOT NULL,
  -- gauges and sums: the value as a double; int_value keeps an integer value exactly
  value               DOUBLE,
  int_value           BIGINT,
  -- histograms, exponential histograms and summaries
  count               UBIGINT,
  sum                 DOUBLE,
  min                 DOUBLE,
  max                 DOUBLE,
  -- JSON: histogram {"bounds":[…],"counts":[…]}; exponential histogram {"scale","zeroCount",
  -- "zeroThreshold","positive":{"offset","counts"},"negative":{…}}; summary {"quantiles":[{"quantile","value"}]}
  buckets             VARCHAR,
  -- JSON array: [{"traceId","spanId","timeUnixNano","value","filteredAttributes"}]
  exemplars           VARCHAR  NOT NULL,
  flags               UINTEGER NOT NULL
);

-- metrics: one row per data point, with readable types and times.
CREATE OR REPLACE VIEW metrics AS
SELECT
  service_name, name, description, unit,
  CASE type WHEN 1 THEN 'gauge' WHEN 2 THEN 'sum' WHEN 3 THEN 'histogram'
            WHEN 4 THEN 'exponential_histogram' WHEN 5 THEN 'summary' END AS type,
  CASE temporality WHEN 1 THEN 'delta' WHEN 2 THEN 'cumulative' END AS temporality,
  is_monotonic,
  CAST(attributes AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  scope_name, scope_version, CAST(scope_attributes AS JSON) AS scope_attributes,
  make_timestamp_ns(start_ns) AS start_time, make_timestamp_ns(time_ns) AS time,
  value, int_value, count, sum, min, max,
  CAST(buckets AS JSON) AS buckets, CAST(exemplars AS JSON) AS exemplars,
  flags, start_ns, time_ns
FROM metric_data;

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
