/**
 * The metric reads' SQL in ClickHouse's dialect (the DuckDB engine's metric-reads-sql.ts, read
 * for read): over metric_data FINAL (a point stored twice counts once), every value a query
 * parameter. A stream is the resource, the scope and the point attributes of a metric.
 */
import type { Tables } from './tables.js';

/** Every metric name per service with its newest shape, over {from_ns}..{to_ns}. */
export const metricListSql = (t: Tables): string => `
SELECT service_name, name,
       argMax(type, time_ns) AS type, argMax(unit, time_ns) AS unit, argMax(description, time_ns) AS description,
       argMax(temporality, time_ns) AS temporality, argMax(is_monotonic, time_ns) AS is_monotonic,
       count() AS points,
       uniqExact(resource_attributes, ifNull(scope_name, ''), attributes) AS streams,
       min(time_ns) AS first_ns, max(time_ns) AS last_ns,
       argMax(value, time_ns) AS last_value,
       sum(if(exemplars = '[]', 0, JSONLength(exemplars))) AS exemplars
FROM ${t.metrics} FINAL
WHERE time_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64}
GROUP BY service_name, name
ORDER BY service_name, name`;

/** One metric's newest shape over all its history; no row when it was never sent. */
export const metricInfoSql = (t: Tables): string => `
SELECT argMax(type, time_ns) AS type, argMax(unit, time_ns) AS unit, argMax(description, time_ns) AS description,
       argMax(temporality, time_ns) AS temporality, argMax(is_monotonic, time_ns) AS is_monotonic,
       count() AS points, min(time_ns) AS first_ns, max(time_ns) AS last_ns
FROM ${t.metrics} FINAL
WHERE service_name = {service:String} AND name = {name:String}
HAVING count() > 0`;

/**
 * One row per (stream, time bucket) within {lo_ns}..{hi_ns}: the bucket's newest point and its
 * totals; streams ranked by their number of points, only the first {max_streams} read.
 */
export const metricBucketsSql = (t: Tables): string => `
WITH pts AS (
  SELECT resource_attributes, ifNull(scope_name, '') AS scope, attributes, time_ns, start_ns, value, count, sum, buckets,
         intDiv(time_ns, {bucket_ns:Int64}) * {bucket_ns:Int64} AS bucket_ns
  FROM ${t.metrics} FINAL
  WHERE service_name = {service:String} AND name = {name:String} AND type = {type:UInt8} AND temporality = {temporality:UInt8}
    AND time_ns BETWEEN {lo_ns:Int64} AND {hi_ns:Int64}
),
ranked AS (
  SELECT resource_attributes, scope, attributes,
         row_number() OVER (ORDER BY count() DESC, attributes, resource_attributes, scope) AS stream,
         count() OVER () AS total_streams
  FROM pts GROUP BY resource_attributes, scope, attributes
)
SELECT r.stream AS stream, r.total_streams AS total_streams, r.resource_attributes AS resource_attributes, r.attributes AS attributes,
       p.bucket_ns AS bucket_ns,
       max(p.time_ns) AS last_ns, argMax(p.start_ns, p.time_ns) AS last_start_ns,
       argMax(p.value, p.time_ns) AS last_value, argMax(p.count, p.time_ns) AS last_count,
       argMax(p.sum, p.time_ns) AS last_sum, argMax(p.buckets, p.time_ns) AS last_buckets,
       sum(p.value) AS total_value, sum(p.count) AS total_count, sum(p.sum) AS total_sum,
       if(count(p.start_ns) = count(), sum(p.time_ns - p.start_ns), NULL) AS covered_ns,
       if({all_buckets:Bool}, groupArray(assumeNotNull(p.buckets)), NULL) AS all_buckets
FROM pts AS p INNER JOIN ranked AS r ON r.resource_attributes = p.resource_attributes AND r.scope = p.scope AND r.attributes = p.attributes
WHERE r.stream <= {max_streams:UInt32}
GROUP BY r.stream, r.total_streams, r.resource_attributes, r.attributes, p.bucket_ns
ORDER BY r.stream, p.bucket_ns`;

/**
 * Exemplars with a trace id inside {from_ns}..{to_ns} by their own time (the point's when they
 * carry none), each once, the {per_bucket} highest of each bucket, at most {limit} in all.
 */
export const metricExemplarsSql = (t: Tables): string => `
WITH x AS (
  SELECT attributes, JSONExtract(e, 'traceId', 'Nullable(String)') AS trace_id, JSONExtract(e, 'spanId', 'Nullable(String)') AS span_id,
         toFloat64OrNull(if(JSONType(e, 'value') = 'String', JSONExtractString(e, 'value'), JSONExtractRaw(e, 'value'))) AS value,
         if(ifNull(toInt64OrNull(JSONExtractString(e, 'timeUnixNano')), toInt64OrZero(JSONExtractRaw(e, 'timeUnixNano'))) > 0,
            ifNull(toInt64OrNull(JSONExtractString(e, 'timeUnixNano')), toInt64OrZero(JSONExtractRaw(e, 'timeUnixNano'))), time_ns) AS at_ns,
         JSONExtractRaw(e, 'filteredAttributes') AS filtered_attributes
  FROM ${t.metrics} FINAL ARRAY JOIN JSONExtractArrayRaw(exemplars) AS e
  WHERE service_name = {service:String} AND name = {name:String} AND type = {type:UInt8} AND exemplars != '[]'
    AND time_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64} + {slack_ns:Int64}
),
once AS (
  SELECT trace_id, span_id, at_ns, any(value) AS value, any(attributes) AS attributes, any(filtered_attributes) AS filtered_attributes
  FROM x
  WHERE trace_id IS NOT NULL AND at_ns BETWEEN {from_ns:Int64} AND {to_ns:Int64}
  GROUP BY trace_id, span_id, at_ns
)
SELECT * EXCEPT (rank) FROM (
  SELECT *, count() OVER () AS total,
         row_number() OVER (PARTITION BY intDiv(at_ns, {bucket_ns:Int64}) ORDER BY value DESC NULLS LAST, at_ns DESC) AS rank
  FROM once
)
WHERE rank <= {per_bucket:UInt32}
ORDER BY at_ns
LIMIT {limit:UInt32}`;
