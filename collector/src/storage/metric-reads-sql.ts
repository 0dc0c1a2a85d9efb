/**
 * The fixed SQL of metric-reads.ts over metric_data (schema/012_metrics.sql). Every value is a
 * bound parameter; no text is built from input.
 *
 * A stream — what a cumulative value counts along — is the resource, the scope and the point
 * attributes of a metric; series are read per stream, so two instances of a service that send
 * the same attributes never have their counters subtracted from each other.
 */
import type { ConnectionPool } from './connection-pool.js';
import type { MetricQuery, MetricQueryName } from './metric-reads.js';

/** Every metric name per service with its newest description, over $from_ns..$to_ns. */
export const METRIC_LIST_SQL = `
SELECT service_name, name,
       arg_max(type, time_ns) AS type, arg_max(unit, time_ns) AS unit, arg_max(description, time_ns) AS description,
       arg_max(temporality, time_ns) AS temporality, arg_max(is_monotonic, time_ns) AS is_monotonic,
       count(*) AS points,
       count(DISTINCT (resource_attributes, coalesce(scope_name, ''), attributes)) AS streams,
       min(time_ns) AS first_ns, max(time_ns) AS last_ns,
       arg_max(value, time_ns) AS last_value,
       sum(CASE WHEN exemplars = '[]' THEN 0 ELSE json_array_length(exemplars) END) AS exemplars
FROM metric_data
WHERE time_ns BETWEEN $from_ns AND $to_ns
GROUP BY service_name, name
ORDER BY service_name, name`;

/** One metric's newest shape (type, unit …) over all its history; no row when it was never sent. */
export const METRIC_INFO_SQL = `
SELECT arg_max(type, time_ns) AS type, arg_max(unit, time_ns) AS unit, arg_max(description, time_ns) AS description,
       arg_max(temporality, time_ns) AS temporality, arg_max(is_monotonic, time_ns) AS is_monotonic,
       count(*) AS points, min(time_ns) AS first_ns, max(time_ns) AS last_ns
FROM metric_data
WHERE service_name = $service AND name = $name
HAVING count(*) > 0`;

/**
 * One row per (stream, time bucket) of a metric's points of one type and temporality within
 * $lo_ns..$hi_ns: the bucket's newest point (what cumulative values and gauges need) and the
 * bucket's totals (what delta values need). Streams are ranked by their number of points and
 * only the first $max_streams read; `total_streams` counts them all. Buckets start at multiples
 * of $bucket_ns since the epoch, so a refreshed chart keeps its buckets.
 */
export const METRIC_BUCKETS_SQL = `
WITH pts AS (
  SELECT resource_attributes, coalesce(scope_name, '') AS scope, attributes, time_ns, start_ns, value, count, sum, buckets,
         (time_ns // $bucket_ns) * $bucket_ns AS bucket_ns
  FROM metric_data
  WHERE service_name = $service AND name = $name AND type = $type AND temporality = $temporality
    AND time_ns BETWEEN $lo_ns AND $hi_ns
),
ranked AS (
  SELECT resource_attributes, scope, attributes,
         row_number() OVER (ORDER BY count(*) DESC, attributes, resource_attributes, scope) AS stream,
         count(*) OVER () AS total_streams
  FROM pts GROUP BY resource_attributes, scope, attributes
)
SELECT r.stream, r.total_streams, r.resource_attributes, r.attributes, p.bucket_ns,
       max(p.time_ns) AS last_ns, arg_max(p.start_ns, p.time_ns) AS last_start_ns,
       arg_max(p.value, p.time_ns) AS last_value, arg_max(p.count, p.time_ns) AS last_count,
       arg_max(p.sum, p.time_ns) AS last_sum, arg_max(p.buckets, p.time_ns) AS last_buckets,
       sum(p.value) AS total_value, sum(p.count) AS total_count, sum(p.sum) AS total_sum,
       CASE WHEN count(p.start_ns) = count(*) THEN sum(p.time_ns - p.start_ns) END AS covered_ns,
       list(p.buckets) FILTER (WHERE $all_buckets) AS all_buckets
FROM pts p JOIN ranked r USING (resource_attributes, scope, attributes)
WHERE r.stream <= $max_streams
GROUP BY r.stream, r.total_streams, r.resource_attributes, r.attributes, p.bucket_ns
ORDER BY r.stream, p.bucket_ns`;

/**
 * Exemplars of a metric with a trace id, inside $from_ns..$to_ns by their own time (the point's
 * when they carry none), each once (a cumulative point may repeat one), the $per_bucket highest
 * values of each bucket (a spike's exemplars are what one opens), at most $limit in all.
 */
export const METRIC_EXEMPLARS_SQL = `
WITH x AS (
  SELECT attributes, e ->> '$.traceId' AS trace_id, e ->> '$.spanId' AS span_id,
         TRY_CAST(e ->> '$.value' AS DOUBLE) AS value,
         CASE WHEN coalesce(TRY_CAST(e ->> '$.timeUnixNano' AS BIGINT), 0) > 0
              THEN TRY_CAST(e ->> '$.timeUnixNano' AS BIGINT) ELSE time_ns END AS at_ns,
         CAST(e -> '$.filteredAttributes' AS VARCHAR) AS filtered_attributes
  FROM (SELECT attributes, time_ns, unnest(CAST(exemplars AS JSON[])) AS e
        FROM metric_data
        WHERE service_name = $service AND name = $name AND type = $type AND exemplars <> '[]'
          AND time_ns BETWEEN $from_ns AND $to_ns + $slack_ns)
),
once AS (
  SELECT trace_id, span_id, at_ns, any_value(value) AS value, any_value(attributes) AS attributes,
         any_value(filtered_attributes) AS filtered_attributes
  FROM x
  WHERE trace_id IS NOT NULL AND at_ns BETWEEN $from_ns AND $to_ns
  GROUP BY trace_id, span_id, at_ns
)
SELECT *, count(*) OVER () AS total FROM once
QUALIFY row_number() OVER (PARTITION BY at_ns // $bucket_ns ORDER BY value DESC NULLS LAST, at_ns DESC) <= $per_bucket
ORDER BY at_ns
LIMIT $limit`;

const QUERIES: Record<MetricQueryName, string> = {
  list: METRIC_LIST_SQL, info: METRIC_INFO_SQL, buckets: METRIC_BUCKETS_SQL, exemplars: METRIC_EXEMPLARS_SQL,
};

/** The metric reads' queries (metric-reads.ts) on DuckDB's read connections. */
export function duckDbMetricQuery(pool: ConnectionPool): MetricQuery {
  return (which, params) => pool.use(async (c) => (await c.runAndReadAll(QUERIES[which], params)).getRowObjectsJS() as Array<Record<string, unknown>>);
}
