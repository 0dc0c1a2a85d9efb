/**
 * SQL for flow and node statistics. Durations are in milliseconds; percentiles are
 * continuous quantiles over finished executions (or node spans) in the time range.
 */

const FINISHED_EXECUTIONS = `
  SELECT coalesce(flow_name, root_name) AS flow, start_ns,
         (end_ns - start_ns) / 1e6 AS duration_ms,
         execution_status(root_finished, root_flow_status, root_status_code, last_seen_ns, $abandon_before) AS status,
         root_finished
  FROM execution_data
  WHERE start_ns BETWEEN $from_ns AND $to_ns`;

const AGGREGATES = `
  count(*) AS count,
  count(*) FILTER (WHERE status = 'success') AS success_count,
  count(*) FILTER (WHERE status IN ('error', 'timed_out')) AS error_count,
  count(*) FILTER (WHERE root_finished) AS finished_count,
  avg(duration_ms) FILTER (WHERE root_finished) AS avg_ms,
  quantile_cont(duration_ms, [0.5, 0.95, 0.99]) FILTER (WHERE root_finished) AS quantiles,
  max(start_ns) AS last_start_ns`;

/** Per flow over a time range. Params: $from_ns, $to_ns, $abandon_before. */
export const FLOW_LIST_SQL = `
SELECT flow, ${AGGREGATES}
FROM (${FINISHED_EXECUTIONS}) e
GROUP BY flow
ORDER BY last_start_ns DESC`;

/** One flow's figures. Params: $flow, $from_ns, $to_ns, $abandon_before. */
export const FLOW_SUMMARY_SQL = `
SELECT flow, ${AGGREGATES}
FROM (${FINISHED_EXECUTIONS}) e
WHERE flow = $flow
GROUP BY flow`;

/** One flow as a time series. Params: $flow, $from_ns, $to_ns, $bucket_ns, $abandon_before. */
export const FLOW_SERIES_SQL = `
SELECT (start_ns // $bucket_ns) * $bucket_ns AS bucket_ns, ${AGGREGATES}
FROM (${FINISHED_EXECUTIONS}) e
WHERE flow = $flow
GROUP BY bucket_ns
ORDER BY bucket_ns`;

/** Per node of one flow. Params: $flow, $from_ns, $to_ns. */
export const NODE_STATS_SQL = `
WITH runs AS (
  SELECT trace_id, min_start_ns, max_start_ns FROM execution_data
  WHERE coalesce(flow_name, root_name) = $flow AND start_ns BETWEEN $from_ns AND $to_ns
)
SELECT s.node_id,
  arg_max(s.node_name, s.start_ns) AS node_name,
  arg_max(s.node_type, s.start_ns) AS node_type,
  count(*) AS count,
  count(*) FILTER (WHERE s.status_code = 2 OR s.flow_status IN ('error', 'timed_out')) AS error_count,
  avg((s.end_ns - s.start_ns) / 1e6) AS avg_ms,
  quantile_cont((s.end_ns - s.start_ns) / 1e6, [0.5, 0.95, 0.99]) AS quantiles,
  min(s.node_index) AS first_index
FROM span_data s
WHERE s.node_id IS NOT NULL
  AND s.start_ns BETWEEN (SELECT coalesce(min(min_start_ns), 0) FROM runs) AND (SELECT coalesce(max(max_start_ns), 0) FROM runs)
  AND s.trace_id IN (SELECT trace_id FROM runs)
GROUP BY s.node_id
ORDER BY first_index NULLS LAST, s.node_id`;
