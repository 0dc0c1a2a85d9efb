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
